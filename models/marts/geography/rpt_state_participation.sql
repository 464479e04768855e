with recursive

publications as (
    select
        publication_id,
        published_date,
        publication_seq
    from {{ ref('dim_publications') }}
    where kind = 'participating'
),

months as (
    select cast({{ dbt.date_trunc('month', 'min(published_date)') }} as date) as month_start_date
    from publications
    union all
    select cast({{ dbt.dateadd('month', 1, 'months.month_start_date') }} as date) as month_start_date
    from months
    where {{ dbt.dateadd('month', 1, 'months.month_start_date') }} <= (select max(all_publications.published_date) from publications as all_publications)
),

month_sequences as (
    select
        months.month_start_date,
        max(publications.publication_seq) as publication_seq
    from months
    inner join publications
        on publications.published_date < {{ dbt.dateadd('month', 1, 'months.month_start_date') }}
    group by months.month_start_date
),

month_publication_ids as (
    select
        month_sequences.month_start_date,
        publications.publication_id,
        publications.published_date
    from month_sequences
    inner join publications
        on month_sequences.publication_seq = publications.publication_seq
),

listings as (
    select
        publication_id,
        agreement_id,
        agency_id,
        state_code,
        support_type
    from {{ ref('fct_agreement_listings') }}
),

agencies as (
    select
        agency_id,
        jurisdiction_level,
        county_fips,
        place_geoid
    from {{ ref('dim_agencies') }}
),

counties as (
    select
        county_fips,
        state_code,
        population
    from {{ ref('dim_counties') }}
),

places as (
    select
        place_geoid,
        population
    from {{ ref('dim_places') }}
),

states as (
    select
        state_code,
        population
    from {{ ref('dim_states') }}
),

month_listings as (
    select
        month_publication_ids.month_start_date,
        month_publication_ids.publication_id,
        month_publication_ids.published_date,
        listings.agreement_id,
        listings.agency_id,
        listings.state_code,
        listings.support_type,
        agencies.jurisdiction_level,
        agencies.county_fips,
        agencies.place_geoid
    from month_publication_ids
    inner join listings
        on month_publication_ids.publication_id = listings.publication_id
    inner join agencies
        on listings.agency_id = agencies.agency_id
),

covered_counties as (
    select distinct
        month_start_date,
        state_code,
        county_fips
    from month_listings
    where
        jurisdiction_level = 'County'
        and county_fips is not null
),

covered_county_population as (
    select
        covered_counties.month_start_date,
        covered_counties.state_code,
        count(*) as n_counties_covered,
        sum(counties.population) as population_counties
    from covered_counties
    inner join counties
        on covered_counties.county_fips = counties.county_fips
    group by covered_counties.month_start_date, covered_counties.state_code
),

municipal_places as (
    -- one row per place (several agencies or agreements in one place count once); a place is
    -- "in" the county ICE printed for its agency
    select
        month_start_date,
        state_code,
        place_geoid,
        min(county_fips) as county_fips,
        count(distinct county_fips) as n_county_values
    from month_listings
    where
        jurisdiction_level = 'Municipal'
        and place_geoid is not null
    group by month_start_date, state_code, place_geoid
),

municipal_classified as (
    select
        municipal_places.month_start_date,
        municipal_places.state_code,
        municipal_places.place_geoid,
        places.population,
        case
            when municipal_places.county_fips is null or municipal_places.n_county_values > 1 then 'county_unknown'
            when covered_counties.county_fips is not null then 'in_covered_county'
            else 'added'
        end as coverage_class
    from municipal_places
    inner join places
        on municipal_places.place_geoid = places.place_geoid
    left join covered_counties
        on
            municipal_places.month_start_date = covered_counties.month_start_date
            and municipal_places.county_fips = covered_counties.county_fips
),

municipal_population as (
    select
        month_start_date,
        state_code,
        count(*) as n_places_covered,
        sum(case when coverage_class = 'added' then population else 0 end) as population_places_added,
        sum(case when coverage_class = 'in_covered_county' then 1 else 0 end) as n_places_in_covered_counties,
        sum(case when coverage_class = 'county_unknown' then 1 else 0 end) as n_places_county_unknown
    from municipal_classified
    group by month_start_date, state_code
),

state_month_counts as (
    select
        month_start_date,
        state_code,
        min(publication_id) as publication_id,
        min(published_date) as published_date,
        count(distinct agency_id) as n_agencies,
        count(distinct agreement_id) as n_agreements,
        count(distinct case when support_type = 'Jail Enforcement Model' then agreement_id end) as n_jem_agreements,
        count(distinct case when support_type = 'Task Force Model' then agreement_id end) as n_tfm_agreements,
        count(distinct case when support_type = 'Warrant Service Officer' then agreement_id end) as n_wso_agreements,
        count(distinct case when jurisdiction_level = 'State' then agency_id end) as n_state_agencies
    from month_listings
    group by month_start_date, state_code
),

counties_per_state as (
    select
        state_code,
        count(*) as n_counties
    from counties
    group by state_code
),

final as (
    select
        state_month_counts.state_code,
        state_month_counts.publication_id,
        state_month_counts.n_agencies,
        state_month_counts.n_agreements,
        state_month_counts.n_jem_agreements,
        state_month_counts.n_tfm_agreements,
        state_month_counts.n_wso_agreements,
        state_month_counts.n_state_agencies,
        cast(coalesce(covered_county_population.n_counties_covered, 0) as bigint) as n_counties_covered,
        counties_per_state.n_counties,
        cast(
            coalesce(covered_county_population.n_counties_covered, 0) * 1.0 / nullif(counties_per_state.n_counties, 0)
            as decimal(7, 4)
        ) as county_share,
        cast(coalesce(municipal_population.n_places_covered, 0) as bigint) as n_places_covered,
        cast(coalesce(municipal_population.n_places_in_covered_counties, 0) as bigint) as n_places_in_covered_counties,
        cast(coalesce(municipal_population.n_places_county_unknown, 0) as bigint) as n_places_county_unknown,
        cast(coalesce(covered_county_population.population_counties, 0) as bigint) as population_covered_by_counties,
        cast(coalesce(municipal_population.population_places_added, 0) as bigint) as population_covered_by_places,
        cast(
            coalesce(covered_county_population.population_counties, 0)
            + coalesce(municipal_population.population_places_added, 0) as bigint
        ) as population_covered,
        states.population as state_population,
        cast(
            (
                coalesce(covered_county_population.population_counties, 0)
                + coalesce(municipal_population.population_places_added, 0)
            ) * 1.0 / nullif(states.population, 0
            )
            as decimal(7, 4)
        ) as population_covered_share,
        state_month_counts.n_state_agencies > 0 as has_statewide_agency,
        state_month_counts.month_start_date,
        state_month_counts.published_date
    from state_month_counts
    left join covered_county_population
        on
            state_month_counts.month_start_date = covered_county_population.month_start_date
            and state_month_counts.state_code = covered_county_population.state_code
    left join municipal_population
        on
            state_month_counts.month_start_date = municipal_population.month_start_date
            and state_month_counts.state_code = municipal_population.state_code
    left join counties_per_state
        on state_month_counts.state_code = counties_per_state.state_code
    left join states
        on state_month_counts.state_code = states.state_code
)

select * from final
