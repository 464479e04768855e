{#- Named invariants of the geography work: agencies placed on the census map (acceptance thresholds:
    >= 95% of County-level agencies with a county, >= 85% of municipal agencies with a place, judged
    when there are at least 50 such agencies; smaller sets report info), counts by level and unmatched
    reason, and the census files' own consistency (PEP county rows sum to their state row; every PEP
    state row is a reference state). One row per check and scope; status pass, fail or info. -#}
with

geography as (
    select
        agency_id,
        state_code,
        jurisdiction_level,
        county_fips,
        place_geoid,
        county_unmatched_reason,
        place_unmatched_reason
    from {{ ref('int_agency_geography') }}
),

pep as (
    select
        state_fips,
        county_fips,
        is_state_row,
        population_2024
    from {{ ref('stg_census__pep_county') }}
    where {{ newest_file_filter(ref('stg_census__pep_county')) }}
),

states as (
    select state_fips
    from {{ ref('states') }}
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

pep_state_sums as (
    select
        state_rows.state_fips,
        state_rows.population_2024 as state_population,
        sum(county_rows.population_2024) as county_sum
    from pep as state_rows
    inner join pep as county_rows
        on
            state_rows.state_fips = county_rows.state_fips
            and not county_rows.is_state_row
    where state_rows.is_state_row
    group by state_rows.state_fips, state_rows.population_2024
),

checks as (
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

    union all

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

    union all

    select
        'agencies_by_jurisdiction_level' as check_name,
        jurisdiction_level as scope,
        cast(count(*) as {{ dbt.type_string() }}) as observed,
        'count' as expected,
        'info' as status
    from geography
    group by jurisdiction_level

    union all

    select
        'unmatched_county_by_reason' as check_name,
        county_unmatched_reason as scope,
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
        place_unmatched_reason as scope,
        cast(count(*) as {{ dbt.type_string() }}) as observed,
        'see rpt_geography_unmatched' as expected,
        'info' as status
    from geography
    where
        place_geoid is null
        and jurisdiction_level = 'Municipal'
    group by place_unmatched_reason

    union all

    select
        'pep_county_rows_sum_to_state_row' as check_name,
        'census PEP states' as scope,
        cast(sum(case when county_sum <> state_population then 1 else 0 end) as {{ dbt.type_string() }})
        || ' of ' || cast(count(*) as {{ dbt.type_string() }}) || ' states differ' as observed,
        '0 states differ' as expected,
        case
            when count(*) = 0 then 'info'
            when sum(case when county_sum <> state_population then 1 else 0 end) = 0 then 'pass'
            else 'fail'
        end as status
    from pep_state_sums

    union all

    select
        'pep_state_rows_are_reference_states' as check_name,
        'census PEP states' as scope,
        cast(sum(case when states.state_fips is null then 1 else 0 end) as {{ dbt.type_string() }})
        || ' unknown of ' || cast(count(*) as {{ dbt.type_string() }}) as observed,
        '0 unknown' as expected,
        case
            when count(*) = 0 then 'info'
            when sum(case when states.state_fips is null then 1 else 0 end) = 0 then 'pass'
            else 'fail'
        end as status
    from pep
    left join states
        on pep.state_fips = states.state_fips
    where pep.is_state_row
),

final as (
    select
        check_name,
        coalesce(scope, 'unknown') as scope,
        observed,
        expected,
        status
    from checks
)

select * from final
