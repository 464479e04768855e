-- Check agencies_placed_on_map (info): agencies whose state, county or place is known.
with

geography as (
    select
        jurisdiction_level,
        county_fips,
        place_geoid
    from {{ ref('int_agency_geography') }}
),

final as (
    select
        'agencies_placed_on_map' as check_name,
        'all agencies' as scope,
        cast(sum(case
            when county_fips is not null or place_geoid is not null or jurisdiction_level = 'State'
                then 1
            else 0
        end) as {{ dbt.type_string() }}) || '/' || cast(count(*) as {{ dbt.type_string() }})
            as observed,
        'state, county or place known' as expected,
        'info' as status
    from geography
)

select * from final
