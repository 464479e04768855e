with

source as (
    select * from {{ source('arrests', 'arrests_weekly_rows') }}
),

renamed as (
    select
        {{ row_id('-') }} as snapshot_row_id,
        _file_sha256 as file_sha256,
        _source_file as source_file,
        {{ clean_text('agency') }} as agency_name,
        upper({{ clean_text('state') }}) as state_printed,
        cast(replace(trim(arrests), ',', '') as integer) as n_arrests,
        cast({{ dbt.date_trunc('week', arrests_parse_date('week')) }} as date) as week_start_date
    from source
)

select * from renamed
