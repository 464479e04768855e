with

inputs as (
    select
        agency_id,
        state_code
    from {{ ref('int_agency_geography_inputs') }}
),

levels as (
    select * from {{ ref('int_agency_jurisdiction_levels') }}
),

counties as (
    select * from {{ ref('int_agency_counties_matched') }}
),

places as (
    select * from {{ ref('int_agency_places_matched') }}
),

final as (
    select
        inputs.agency_id,
        inputs.state_code,
        levels.jurisdiction_level,
        levels.level_rule,
        counties.county_fips,
        places.place_geoid,
        case
            when levels.jurisdiction_level = 'State' then 'state'
            when levels.jurisdiction_level = 'Municipal' and places.place_geoid is not null
                then 'place_' || places.place_match_method
            when counties.county_fips is not null then 'county_' || counties.county_match_method
            else 'unmatched'
        end as match_method,
        case
            when levels.jurisdiction_level = 'State' then cast(1.00 as decimal(3, 2))
            when levels.jurisdiction_level = 'Municipal' and places.place_geoid is not null
                then places.place_match_confidence
            when counties.county_fips is not null then counties.county_match_confidence
            else cast(0.00 as decimal(3, 2))
        end as match_confidence,
        counties.county_match_method,
        counties.county_match_confidence,
        counties.county_unmatched_reason,
        places.place_match_method,
        places.place_match_confidence,
        places.place_unmatched_reason
    from inputs
    inner join levels
        on inputs.agency_id = levels.agency_id
    inner join counties
        on inputs.agency_id = counties.agency_id
    left join places
        on inputs.agency_id = places.agency_id
)

select * from final
