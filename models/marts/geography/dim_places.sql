with

places as (
    select * from {{ ref('int_places_joined_to_population') }}
),

final as (
    select
        place_geoid,
        state_code,
        state_fips,
        place_name,
        lsad_code,
        lsad_name,
        functional_status,
        population_acs as population,
        housing_units_acs,
        land_area_m2,
        is_incorporated,
        latitude,
        longitude
    from places
)

select * from final
