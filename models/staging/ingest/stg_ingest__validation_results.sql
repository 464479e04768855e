with

source as (
    select * from {{ source('ingest', 'validation_results') }}
),

renamed as (
    select
        file_sha256,
        source_file,
        suite as suite_name,
        expectation as expectation_name,
        column_name,
        observed,
        coalesce(severity, 'error') as severity,
        examples,
        success as is_success,
        landed as is_landed,
        validated_at
    from source
)

select * from renamed
