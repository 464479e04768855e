with

source as (
    select * from {{ source('ice', 'load_file_names') }}
),

renamed as (
    select
        substr(file_sha256, 1, 16) as publication_id,
        file_sha256,
        source_file,
        file_name,
        first_seen_at
    from source
)

select * from renamed
