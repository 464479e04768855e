with

arrests as (
    select * from {{ ref('int_arrests_agency_matched') }}
),

final as (
    select
        arrest_id,
        aor_code,
        apprehension_method,
        county_fips,
        state_code,
        agency_id,
        agency_ref,
        agency_link_status,
        agency_match_rule,
        link_method,
        link_confidence,
        source_layout,
        file_sha256,
        person_key,
        is_287g,
        was_redacted,
        apprehension_date
    from arrests
)

select * from final
