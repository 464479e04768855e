-- Checks unmatched_county_by_reason and unmatched_place_by_reason (info), scope the reason.
with

geography as (
    select
        jurisdiction_level,
        county_fips,
        place_geoid,
        county_unmatched_reason,
        place_unmatched_reason
    from {{ ref('int_agency_geography') }}
),

final as (
    select
        'unmatched_county_by_reason' as check_name,
        coalesce(county_unmatched_reason, 'unknown') as scope,
        cast(count(*) as {{ dbt.type_string() }}) as observed,
        'see rpt_geography_unmatched' as expected,
        'info' as status
    from geography
    where
        county_fips is null
        and jurisdiction_level not in ('State', 'Municipal')
    group by county_unmatched_reason

    union all

    select
        'unmatched_place_by_reason' as check_name,
        coalesce(place_unmatched_reason, 'unknown') as scope,
        cast(count(*) as {{ dbt.type_string() }}) as observed,
        'see rpt_geography_unmatched' as expected,
        'info' as status
    from geography
    where
        place_geoid is null
        and jurisdiction_level = 'Municipal'
    group by place_unmatched_reason
)

select * from final
