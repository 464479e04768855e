with

sb8 as (
    select
        population_threshold,
        deadline_date
    from {{ ref('state_policies') }}
    where policy_id = 'TX-SB8-2025'
),

newest_participating as (
    select
        publication_id,
        published_date
    from {{ ref('dim_publications') }}
    where
        kind = 'participating'
        and is_latest
),

newest_pending as (
    select
        publication_id,
        published_date
    from {{ ref('dim_publications') }}
    where
        kind = 'pending'
        and is_latest
),

counties as (
    select
        county_fips,
        county_name,
        population_pep_2024
    from {{ ref('dim_counties') }}
    where
        state_code = 'TX'
        and population_pep_2024 >= (select sb8.population_threshold from sb8)
),

sheriffs as (
    select
        agency_id,
        agency_name,
        county_fips,
        last_pending_date
    from {{ ref('dim_agencies') }}
    where
        state_code = 'TX'
        and jurisdiction_level = 'County'
        and lower(agency_name) like '%sheriff%'
        and county_fips is not null
),

active_agreements as (
    select
        agency_id,
        support_type,
        signed_date
    from {{ ref('fct_agreements') }}
    where is_active
),

county_agreements as (
    select
        sheriffs.county_fips,
        count(distinct active_agreements.support_type) as n_support_types,
        count(*) as n_active_agreements,
        {{ dbt.listagg('distinct active_agreements.support_type', "', '", 'order by active_agreements.support_type') }}
            as support_types,
        min(active_agreements.signed_date) as first_signed_date,
        max(active_agreements.signed_date) as latest_signed_date
    from sheriffs
    inner join active_agreements
        on sheriffs.agency_id = active_agreements.agency_id
    group by sheriffs.county_fips
),

county_sheriffs as (
    select
        county_fips,
        min(agency_id) as sheriff_agency_id,
        min(agency_name) as sheriff_agency_name,
        max(last_pending_date) as last_pending_date
    from sheriffs
    group by county_fips
),

final as (
    select
        counties.county_fips,
        counties.county_name,
        county_sheriffs.sheriff_agency_id,
        county_sheriffs.sheriff_agency_name,
        county_agreements.support_types,
        newest_participating.publication_id as as_of_publication_id,
        case
            when county_agreements.county_fips is not null then 'agreement_active'
            when county_sheriffs.last_pending_date = newest_pending.published_date then 'pending'
            else 'no_agreement'
        end as compliance_status,
        counties.population_pep_2024 as population,
        coalesce(county_agreements.n_active_agreements, 0) as n_active_agreements,
        {{ dbt.datediff('newest_participating.published_date', 'sb8.deadline_date', 'day') }} as days_to_deadline,
        county_agreements.county_fips is not null as has_active_agreement,
        coalesce(county_sheriffs.last_pending_date = newest_pending.published_date, false) as is_on_newest_pending_sheet,
        county_agreements.first_signed_date,
        county_agreements.latest_signed_date,
        newest_participating.published_date as as_of_date,
        sb8.deadline_date
    from counties
    cross join sb8
    cross join newest_participating
    left join newest_pending
        on 1 = 1
    left join county_agreements
        on counties.county_fips = county_agreements.county_fips
    left join county_sheriffs
        on counties.county_fips = county_sheriffs.county_fips
)

select * from final
