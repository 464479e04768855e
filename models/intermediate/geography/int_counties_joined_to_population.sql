with

gazetteer_counties as (
    select * from {{ ref('stg_census__gazetteer_county') }}
    where {{ newest_file_filter(ref('stg_census__gazetteer_county')) }}
),

pep_counties as (
    select * from {{ ref('stg_census__pep_county') }}
    where
        not is_state_row
        and {{ newest_file_filter(ref('stg_census__pep_county')) }}
),

acs_counties as (
    select * from {{ ref('stg_census__acs_county') }}
    where {{ newest_file_filter(ref('stg_census__acs_county')) }}
),

final as (
    select
        gazetteer_counties.county_fips,
        gazetteer_counties.state_code,
        substr(gazetteer_counties.county_fips, 1, 2) as state_fips,
        gazetteer_counties.county_name,
        case
            when gazetteer_counties.county_name like '% Planning Region' then 'Planning Region'
            when gazetteer_counties.county_name like '% City and Borough' then 'City and Borough'
            when gazetteer_counties.county_name like '% Census Area' then 'Census Area'
            when gazetteer_counties.county_name like '% Borough' then 'Borough'
            when gazetteer_counties.county_name like '% Municipality' then 'Municipality'
            when gazetteer_counties.county_name like '% Parish' then 'Parish'
            when gazetteer_counties.county_name like '% Municipio' then 'Municipio'
            when gazetteer_counties.county_name like '% city' then 'Independent City'
            when gazetteer_counties.county_name like '% County' then 'County'
            else 'Other'
        end as county_type,
        pep_counties.population_2024 as population_pep_2024,
        pep_counties.population_2020 as population_pep_2020,
        acs_counties.population_acs,
        acs_counties.housing_units_acs,
        gazetteer_counties.land_area_m2,
        gazetteer_counties.latitude,
        gazetteer_counties.longitude
    from gazetteer_counties
    left join pep_counties
        on gazetteer_counties.county_fips = pep_counties.county_fips
    left join acs_counties
        on gazetteer_counties.county_fips = acs_counties.county_fips
)

select * from final
