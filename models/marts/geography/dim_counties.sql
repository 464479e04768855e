with

counties as (
    select * from {{ ref('int_counties_joined_to_population') }}
),

ct_legacy as (
    select
        planning_region_fips,
        {{ dbt.listagg('legacy_county_name', "', '", 'order by legacy_county_name') }} as legacy_county_names
    from {{ ref('ct_legacy_county_regions') }}
    group by planning_region_fips
),

final as (
    select
        counties.county_fips,
        counties.state_code,
        counties.state_fips,
        counties.county_name,
        counties.county_type,
        ct_legacy.legacy_county_names,
        case when counties.population_pep_2024 is not null then 'pep_2024' else 'acs_5yr' end as population_source,
        coalesce(counties.population_pep_2024, counties.population_acs) as population,
        counties.population_pep_2024,
        counties.population_acs,
        counties.housing_units_acs,
        counties.land_area_m2,
        counties.latitude,
        counties.longitude
    from counties
    left join ct_legacy
        on counties.county_fips = ct_legacy.planning_region_fips
)

select * from final
