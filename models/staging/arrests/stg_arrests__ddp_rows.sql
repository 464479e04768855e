-- sqlfluff:exclude_rules:RF04
-- (`operation` is the column name ICE prints)
with

source as (
    select * from {{ source('arrests', 'arrests_ddp_rows') }}
),

renamed as (
    select
        {{ row_id('-', sheet='_sheet') }} as arrest_id,
        _file_sha256 as file_sha256,
        _source_file as source_file,
        'ddp_2025' as source_layout,
        {{ arrests_unredacted('toa_current_duty_aor') }} as aor_printed,
        {{ arrests_unredacted('apprehension_method') }} as apprehension_method,
        {{ arrests_unredacted('apprehension_site_landmark') }} as landmark,
        {{ arrests_unredacted('operation') }} as operation,
        {{ arrests_unredacted('apprehension_type') }} as apprehension_type,
        {{ arrests_unredacted('apprehension_final_program') }} as final_program,
        {{ arrests_unredacted('toa_current_duty_site') }} as duty_site,
        {{ arrests_unredacted('apprehension_criminality') }} as apprehension_criminality,
        {{ arrests_unredacted('citizenship_country') }} as citizenship_country,
        {{ arrests_unredacted('gender') }} as gender,
        {{ arrests_unredacted('state') }} as state_printed,
        {{ arrests_unredacted('county') }} as county_printed,
        {{ arrests_unredacted('arresting_agency') }} as arresting_agency,
        person_key,
        _row_number as source_row_number,
        coalesce(trim(apprehension_method) = '287(g) Program', false) as is_287g,
        (
            {{ arrests_is_redacted('toa_current_duty_aor') }}
            or {{ arrests_is_redacted('apprehension_method') }}
            or {{ arrests_is_redacted('apprehension_site_landmark') }}
            or {{ arrests_is_redacted('operation') }}
            or {{ arrests_is_redacted('state') }}
            or {{ arrests_is_redacted('county') }}
            or {{ arrests_is_redacted('arresting_agency') }}
            or {{ arrests_is_redacted('anonymized_identifier') }}
        ) as was_redacted,
        {{ arrests_is_redacted('apprehension_site_landmark') }} as is_landmark_redacted,
        {{ arrests_parse_date('apprehension_date') }} as apprehension_date
    from source
)

select * from renamed
