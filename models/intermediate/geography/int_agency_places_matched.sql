with

inputs as (
    select * from {{ ref('int_agency_geography_inputs') }}
),

levels as (
    select
        agency_id,
        jurisdiction_level
    from {{ ref('int_agency_jurisdiction_levels') }}
    where jurisdiction_level = 'Municipal'
),

municipal as (
    select inputs.*
    from inputs
    inner join levels
        on inputs.agency_id = levels.agency_id
),

places as (
    select
        place_geoid,
        state_code,
        is_incorporated,
        {{ place_name_key('place_name') }} as place_key
    from {{ ref('int_places_joined_to_population') }}
),

overrides as (
    select
        state_code,
        {{ geo_tidy('agency_name') }} as name_tidy,
        place_geoid
    from {{ ref('agency_jurisdiction_overrides') }}
    where place_geoid is not null
),

candidates as (
    select
        municipal.agency_id,
        overrides.place_geoid,
        'override' as match_method,
        1.00 as match_confidence,
        1 as priority
    from municipal
    inner join overrides
        on
            municipal.state_code = overrides.state_code
            and municipal.name_tidy = overrides.name_tidy
    inner join places
        on overrides.place_geoid = places.place_geoid

    union all

    select
        municipal.agency_id,
        places.place_geoid,
        'incorporated' as match_method,
        0.95 as match_confidence,
        2 as priority
    from municipal
    inner join places
        on
            municipal.state_code = places.state_code
            and places.place_key in (municipal.place_key_from_name, {{ strip_place_unit('municipal.place_key_from_name') }})
            and places.is_incorporated

    union all

    select
        municipal.agency_id,
        places.place_geoid,
        'cdp' as match_method,
        0.75 as match_confidence,
        3 as priority
    from municipal
    inner join places
        on
            municipal.state_code = places.state_code
            and places.place_key in (municipal.place_key_from_name, {{ strip_place_unit('municipal.place_key_from_name') }})
            and not places.is_incorporated

    union all

    select
        municipal.agency_id,
        places.place_geoid,
        'fuzzy' as match_method,
        0.60 as match_confidence,
        4 as priority
    from municipal
    inner join places
        on
            municipal.state_code = places.state_code
            and places.is_incorporated
            and length(municipal.place_key_from_name) >= 6
            and {{ geo_edit_distance(strip_place_unit('municipal.place_key_from_name'), 'places.place_key') }} = 1
),

resolved as (
    {{ best_match('candidates', 'agency_id', 'place_geoid') }}
),

final as (
    select
        municipal.agency_id,
        case when resolved.n_candidates = 1 then resolved.place_geoid end as place_geoid,
        case when resolved.n_candidates = 1 then resolved.match_method end as place_match_method,
        case when resolved.n_candidates = 1 then cast(resolved.match_confidence as decimal(3, 2)) end
            as place_match_confidence,
        case
            when resolved.n_candidates > 1 then 'ambiguous_place_name'
            when resolved.agency_id is not null then null
            when municipal.place_key_from_name is null then 'no_place_name'
            when municipal.place_key_from_name like '%township%' then 'township_not_a_census_place'
            when municipal.state_code in ('CT', 'MA', 'ME', 'NH', 'RI', 'VT') then 'new_england_town_not_a_census_place'
            else 'place_name_not_found'
        end as place_unmatched_reason
    from municipal
    left join resolved
        on municipal.agency_id = resolved.agency_id
)

select * from final
