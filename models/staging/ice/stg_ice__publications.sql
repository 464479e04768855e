with

source as (
    select * from {{ source('ice', 'load_manifest') }}
    where source = 'ice'
),

renamed as (
    select
        substr(file_sha256, 1, 16) as publication_id,
        file_sha256,
        kind as publication_kind,
        layout,
        raw_table,
        source_file,
        file_name,
        sheet as sheet_name,
        date_method,
        filename_pattern,
        date_flag,
        file_bytes,
        header_row,
        n_rows,
        date_flag is not null as has_date_conflict,
        cast(published_date as date) as published_date,
        cast(published_at as timestamp) as published_at,
        cast(filename_date as date) as filename_date,
        cast(latest_signed_date as date) as latest_signed_date,
        loaded_at
    from source
)

select * from renamed
