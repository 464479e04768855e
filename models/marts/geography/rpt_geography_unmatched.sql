with

geography as (
    select * from {{ ref('int_agency_geography') }}
),

inputs as (
    select
        agency_id,
        agency_name,
        agency_type,
        county_printed
    from {{ ref('int_agency_geography_inputs') }}
),

missing_county as (
    select
        agency_id,
        'county' as missing_geography,
        county_unmatched_reason as reason
    from geography
    where
        county_fips is null
        and jurisdiction_level not in ('State', 'Municipal')
),

missing_place as (
    select
        agency_id,
        'place' as missing_geography,
        place_unmatched_reason as reason
    from geography
    where
        place_geoid is null
        and jurisdiction_level = 'Municipal'
),

unioned as (
    select * from missing_county
    union all
    select * from missing_place
),

final as (
    select
        unioned.agency_id || ':' || unioned.missing_geography as unmatched_id,
        unioned.agency_id,
        geography.state_code,
        inputs.agency_name,
        geography.jurisdiction_level,
        inputs.agency_type,
        inputs.county_printed,
        unioned.missing_geography,
        unioned.reason,
        geography.county_fips
    from unioned
    inner join geography
        on unioned.agency_id = geography.agency_id
    inner join inputs
        on unioned.agency_id = inputs.agency_id
)

select * from final
