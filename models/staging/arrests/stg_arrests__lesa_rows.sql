-- sqlfluff:exclude_rules:RF04
-- (`operation` is the column name ICE prints)
with

source as (
    select * from {{ source('arrests', 'arrests_lesa_rows') }}
),

renamed as (
    select
        {{ row_id('-') }} as arrest_id,
        _file_sha256 as file_sha256,
        _source_file as source_file,
        'lesa_fy2019' as source_layout,
        {{ arrests_unredacted('area_of_responsibility') }} as aor_printed,
        {{ arrests_unredacted('apprehension_method') }} as apprehension_method,
        {{ arrests_unredacted('apprehension_landmark') }} as landmark,
        {{ arrests_unredacted('operation') }} as operation,
        {{ arrests_unredacted('processing_disposition') }} as processing_disposition,
        {{ arrests_unredacted('citizenship') }} as citizenship_country,
        {{ arrests_unredacted('gender') }} as gender,
        cast(null as {{ dbt.type_string() }}) as state_printed,
        cast(null as {{ dbt.type_string() }}) as county_printed,
        cast(null as {{ dbt.type_string() }}) as arresting_agency,
        cast(null as {{ dbt.type_string() }}) as person_key,
        _row_number as source_row_number,
        coalesce(trim(apprehension_method) = '287(g) Program', false) as is_287g,
        (
            {{ arrests_is_redacted('area_of_responsibility') }}
            or {{ arrests_is_redacted('apprehension_method') }}
            or {{ arrests_is_redacted('apprehension_landmark') }}
            or {{ arrests_is_redacted('operation') }}
            or {{ arrests_is_redacted('processing_disposition') }}
            or {{ arrests_is_redacted('citizenship') }}
            or {{ arrests_is_redacted('gender') }}
        ) as was_redacted,
        {{ arrests_is_redacted('apprehension_landmark') }} as is_landmark_redacted,
        {{ arrests_parse_date('apprehension_date') }} as apprehension_date
    from source
)

select * from renamed
