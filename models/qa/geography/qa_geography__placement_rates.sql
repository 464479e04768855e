-- Checks county_level_agencies_with_county_fips (>= 95 %) and municipal_agencies_with_place_geoid (>= 85 %).
with

geography as (
    -- an agency whose state no rule knew (XX) cannot be placed; it is listed for review instead
    select
        jurisdiction_level,
        county_fips,
        place_geoid
    from {{ ref('int_agency_geography') }}
    where state_code <> 'XX'
),

census_counties as (
    select count(*) as n_counties
    from {{ ref('int_counties_joined_to_population') }}
),

rates as (
    select
        'County' as jurisdiction_level,
        'county_level_agencies_with_county_fips' as check_name,
        0.95 as threshold,
        count(*) as n_agencies,
        sum(case when county_fips is not null then 1 else 0 end) as n_matched
    from geography
    where jurisdiction_level = 'County'

    union all

    select
        'Municipal' as jurisdiction_level,
        'municipal_agencies_with_place_geoid' as check_name,
        0.85 as threshold,
        count(*) as n_agencies,
        sum(case when place_geoid is not null then 1 else 0 end) as n_matched
    from geography
    where jurisdiction_level = 'Municipal'
),

final as (
    select
        check_name,
        jurisdiction_level || ' agencies' as scope,
        cast(coalesce(n_matched, 0) as {{ dbt.type_string() }}) || '/' || cast(n_agencies as {{ dbt.type_string() }})
            as observed,
        '>= '
        || cast(cast(threshold * 100 as integer) as {{ dbt.type_string() }})
        || '% (judged from 50 agencies, census files loaded)' as expected,
        case
            when n_agencies < 50 then 'info'
            when (select census_counties.n_counties from census_counties) = 0 then 'info'
            when coalesce(n_matched, 0) >= threshold * n_agencies then 'pass'
            else 'fail'
        end as status
    from rates
)

select * from final
