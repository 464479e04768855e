-- Every Texas county at or above SB 8's population threshold (PEP 2024) appears in the compliance report.
select counties.county_fips
from {{ ref('dim_counties') }} as counties
left join {{ ref('rpt_texas_sb8_compliance') }} as report
    on counties.county_fips = report.county_fips
where
    counties.state_code = 'TX'
    and counties.population_pep_2024 >= (
        select policies.population_threshold from {{ ref('state_policies') }} as policies
        where policies.policy_id = 'TX-SB8-2025'
    )
    and report.county_fips is null
