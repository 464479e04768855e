with

gazetteer_places as (
    select * from {{ ref('stg_census__gazetteer_place') }}
    where {{ newest_file_filter(ref('stg_census__gazetteer_place')) }}
),

acs_places as (
    select * from {{ ref('stg_census__acs_place') }}
    where {{ newest_file_filter(ref('stg_census__acs_place')) }}
),

final as (
    select
        gazetteer_places.place_geoid,
        gazetteer_places.state_code,
        substr(gazetteer_places.place_geoid, 1, 2) as state_fips,
        gazetteer_places.place_name,
        gazetteer_places.lsad_code,
        case gazetteer_places.lsad_code
            when '21' then 'borough'
            when '25' then 'city'
            when '43' then 'town'
            when '47' then 'village'
            when '53' then 'city and borough'
            when '57' then 'CDP'
            else 'other'
        end as lsad_name,
        gazetteer_places.functional_status,
        gazetteer_places.lsad_code <> '57' as is_incorporated,
        acs_places.population_acs,
        acs_places.housing_units_acs,
        gazetteer_places.land_area_m2,
        gazetteer_places.latitude,
        gazetteer_places.longitude
    from gazetteer_places
    left join acs_places
        on gazetteer_places.place_geoid = acs_places.place_geoid
)

select * from final
