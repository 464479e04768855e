with

newest_participating as (
    select
        publication_id,
        published_date
    from {{ ref('dim_publications') }}
    where
        kind = 'participating'
        and is_latest
),

counties as (
    select
        county_fips,
        state_code,
        county_name,
        population
    from {{ ref('dim_counties') }}
),

listed_agencies as (
    select distinct listings.agency_id
    from {{ ref('fct_agreement_listings') }} as listings
    inner join newest_participating
        on listings.publication_id = newest_participating.publication_id
),

agencies as (
    select
        dim_agencies.agency_id,
        dim_agencies.state_code,
        dim_agencies.jurisdiction_level,
        dim_agencies.county_fips
    from {{ ref('dim_agencies') }} as dim_agencies
    inner join listed_agencies
        on dim_agencies.agency_id = listed_agencies.agency_id
),

county_counts as (
    select
        county_fips,
        sum(case when jurisdiction_level = 'County' then 1 else 0 end) as n_county_agencies,
        sum(case when jurisdiction_level = 'Municipal' then 1 else 0 end) as n_municipal_agencies,
        sum(case when jurisdiction_level not in ('County', 'Municipal', 'State') then 1 else 0 end)
            as n_other_local_agencies
    from agencies
    where county_fips is not null
    group by county_fips
),

state_counts as (
    select
        state_code,
        count(*) as n_state_agencies
    from agencies
    where jurisdiction_level = 'State'
    group by state_code
),

final as (
    select
        counties.county_fips,
        counties.state_code,
        counties.county_name,
        newest_participating.publication_id,
        case
            when coalesce(county_counts.n_county_agencies, 0) > 0 then 'county'
            when coalesce(county_counts.n_municipal_agencies, 0) > 0 then 'municipal'
            when coalesce(county_counts.n_other_local_agencies, 0) > 0 then 'other_local'
            when coalesce(state_counts.n_state_agencies, 0) > 0 then 'state_only'
            else 'none'
        end as coverage_level,
        counties.population,
        cast(coalesce(county_counts.n_county_agencies, 0) as bigint) as n_county_agencies,
        cast(coalesce(county_counts.n_municipal_agencies, 0) as bigint) as n_municipal_agencies,
        cast(coalesce(county_counts.n_other_local_agencies, 0) as bigint) as n_other_local_agencies,
        cast(coalesce(state_counts.n_state_agencies, 0) as bigint) as n_state_agencies,
        coalesce(county_counts.n_county_agencies, 0) > 0 as is_covered_by_county_agency,
        coalesce(county_counts.n_municipal_agencies, 0) > 0 as is_covered_by_municipal_agency,
        coalesce(state_counts.n_state_agencies, 0) > 0 as is_covered_by_state_agency,
        newest_participating.published_date
    from counties
    cross join newest_participating
    left join county_counts
        on counties.county_fips = county_counts.county_fips
    left join state_counts
        on counties.state_code = state_counts.state_code
)

select * from final
