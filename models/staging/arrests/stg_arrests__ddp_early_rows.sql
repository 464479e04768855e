with

source as (
    select * from {{ source('arrests', 'arrests_ddp_early_rows') }}
),

renamed as (
    select
        {{ row_id('-', sheet='_sheet') }} as arrest_id,
        _file_sha256 as file_sha256,
        _source_file as source_file,
        'ddp_early' as source_layout,
        {{ arrests_unredacted('apprehension_aor') }} as aor_printed,
        {{ arrests_unredacted('apprehension_method') }} as apprehension_method,
        {{ arrests_unredacted('apprehension_site_landmark') }} as landmark,
        {{ arrests_unredacted('final_program') }} as final_program,
        {{ arrests_unredacted('apprehension_criminality') }} as apprehension_criminality,
        {{ arrests_unredacted('citizenship_country') }} as citizenship_country,
        {{ arrests_unredacted('gender') }} as gender,
        {{ arrests_unredacted('apprehension_state') }} as state_printed,
        {{ arrests_unredacted('apprehension_county') }} as county_printed,
        cast(null as {{ dbt.type_string() }}) as arresting_agency,
        person_key,
        _row_number as source_row_number,
        coalesce(trim(apprehension_method) = '287(g) Program', false) as is_287g,
        (
            {{ arrests_is_redacted('apprehension_aor') }}
            or {{ arrests_is_redacted('apprehension_method') }}
            or {{ arrests_is_redacted('apprehension_site_landmark') }}
            or {{ arrests_is_redacted('apprehension_state') }}
            or {{ arrests_is_redacted('apprehension_county') }}
            or {{ arrests_is_redacted('unique_identifier') }}
        ) as was_redacted,
        {{ arrests_is_redacted('apprehension_site_landmark') }} as is_landmark_redacted,
        {{ arrests_parse_date('apprehension_date') }} as apprehension_date
    from source
)

select * from renamed
