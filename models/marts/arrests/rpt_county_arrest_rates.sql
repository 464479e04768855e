with

arrests as (
    select
        county_fips,
        agency_id,
        apprehension_date
    from {{ ref('fct_arrests') }}
    where is_287g and apprehension_date is not null
),

counties as (
    select
        county_fips,
        state_code,
        county_name,
        population_source,
        population
    from {{ ref('dim_counties') }}
),

agency_counties as (
    select
        agency_id,
        county_fips
    from {{ ref('int_agency_geography') }}
    where
        county_fips is not null
        and jurisdiction_level <> 'State'
),

agreements as (
    select
        agreement_id,
        agency_id,
        signed_date,
        removed_by_date
    from {{ ref('fct_agreements') }}
),

arrests_by_year as (
    select
        county_fips,
        cast({{ arrests_fiscal_year('apprehension_date') }} as integer) as fiscal_year,
        count(*) as n_287g_arrests,
        count(agency_id) as n_287g_arrests_agency_in_sheets
    from arrests
    group by county_fips, cast({{ arrests_fiscal_year('apprehension_date') }} as integer)
),

fiscal_years as (
    select distinct fiscal_year from arrests_by_year
),

county_years as (
    select
        counties.county_fips,
        counties.state_code,
        counties.county_name,
        counties.population_source,
        counties.population,
        fiscal_years.fiscal_year
    from counties
    cross join fiscal_years
),

county_agreements as (
    select
        agency_counties.county_fips,
        agreements.agreement_id,
        agreements.signed_date,
        agreements.removed_by_date
    from agency_counties
    inner join agreements
        on agency_counties.agency_id = agreements.agency_id
),

coverage as (
    select
        county_years.county_fips,
        county_years.fiscal_year,
        count(county_agreements.agreement_id) as n_agreements_ever,
        sum(
            case
                when
                    county_agreements.signed_date <= {{ arrests_fiscal_year_end('county_years.fiscal_year') }}
                    and (
                        county_agreements.removed_by_date is null
                        or county_agreements.removed_by_date >= {{ arrests_fiscal_year_start('county_years.fiscal_year') }}
                    )
                    then 1
                else 0
            end
        ) as n_agreements_in_year
    from county_years
    left join county_agreements
        on county_years.county_fips = county_agreements.county_fips
    group by county_years.county_fips, county_years.fiscal_year
),

final as (
    select
        county_years.county_fips,
        county_years.state_code,
        county_years.county_name,
        case
            when coverage.n_agreements_in_year > 0 then 'agreement_in_year'
            when coverage.n_agreements_ever > 0 then 'agreement_other_years'
            else 'no_agreement'
        end as coverage_status,
        county_years.population_source,
        county_years.fiscal_year,
        cast(coverage.n_agreements_in_year as bigint) as n_agreements_in_year,
        cast(coalesce(arrests_by_year.n_287g_arrests, 0) as bigint) as n_287g_arrests,
        cast(coalesce(arrests_by_year.n_287g_arrests_agency_in_sheets, 0) as bigint) as n_287g_arrests_agency_in_sheets,
        county_years.population,
        case
            when county_years.population > 0
                then cast(
                    round(
                        cast(coalesce(arrests_by_year.n_287g_arrests, 0) as decimal(18, 6)) * 100000
                        / county_years.population, 2
                    ) as decimal(12, 2
                    )
                )
        end as arrests_per_100k,
        coverage.n_agreements_in_year > 0 as has_agreement_in_year
    from county_years
    inner join coverage
        on
            county_years.county_fips = coverage.county_fips
            and county_years.fiscal_year = coverage.fiscal_year
    left join arrests_by_year
        on
            county_years.county_fips = arrests_by_year.county_fips
            and county_years.fiscal_year = arrests_by_year.fiscal_year
)

select * from final
