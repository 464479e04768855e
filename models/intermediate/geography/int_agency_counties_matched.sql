with

inputs as (
    select * from {{ ref('int_agency_geography_inputs') }}
),

levels as (
    select
        agency_id,
        jurisdiction_level
    from {{ ref('int_agency_jurisdiction_levels') }}
),

counties as (
    select
        county_fips,
        state_code,
        county_name,
        county_type,
        {{ geo_tidy('county_name') }} as name_tidy,
        {{ county_name_key('county_name') }} as county_key,
        case when county_type = 'Independent City' then 'city' else 'county' end as county_unit
    from {{ ref('int_counties_joined_to_population') }}
),

ct_towns as (
    select
        {{ geo_tidy('town_name') }} as town_key,
        planning_region_fips
    from {{ ref('ct_town_regions') }}
),

ct_legacy as (
    select
        {{ county_name_key('legacy_county_name') }} as legacy_key,
        planning_region_fips
    from {{ ref('ct_legacy_county_regions') }}
    where is_primary
),

overrides as (
    select
        state_code,
        {{ geo_tidy('agency_name') }} as name_tidy,
        county_fips
    from {{ ref('agency_jurisdiction_overrides') }}
    where county_fips is not null
),

candidates as (
    select
        inputs.agency_id,
        overrides.county_fips,
        'override' as match_method,
        1.00 as match_confidence,
        1 as priority
    from inputs
    inner join overrides
        on
            inputs.state_code = overrides.state_code
            and inputs.name_tidy = overrides.name_tidy

    union all

    select
        inputs.agency_id,
        ct_towns.planning_region_fips as county_fips,
        'ct_town_region' as match_method,
        0.95 as match_confidence,
        2 as priority
    from inputs
    inner join ct_towns
        on
            inputs.state_code = 'CT'
            and inputs.place_key_from_name = ct_towns.town_key

    union all

    select
        inputs.agency_id,
        ct_legacy.planning_region_fips as county_fips,
        'ct_legacy_primary' as match_method,
        0.50 as match_confidence,
        3 as priority
    from inputs
    inner join ct_legacy
        on
            inputs.state_code = 'CT'
            and coalesce(inputs.county_key_from_column, inputs.county_key_from_name) = ct_legacy.legacy_key

    union all

    {{ county_column_candidates('inputs', 'agency_id') }}

    union all

    select
        inputs.agency_id,
        counties.county_fips,
        'name_county' as match_method,
        0.85 as match_confidence,
        7 as priority
    from inputs
    inner join counties
        on
            inputs.state_code = counties.state_code
            and inputs.county_key_from_name = counties.county_key
            and counties.county_unit = 'county'

    union all

    select
        inputs.agency_id,
        counties.county_fips,
        'name_city' as match_method,
        0.80 as match_confidence,
        8 as priority
    from inputs
    inner join levels
        on
            inputs.agency_id = levels.agency_id
            and levels.jurisdiction_level = 'County'
    inner join counties
        on
            inputs.state_code = counties.state_code
            and inputs.county_key_from_name is null
            and inputs.place_key_from_name is not null
            and {{ county_name_key('inputs.place_key_from_name') }} = counties.county_key
            and counties.county_unit = 'city'
),

scored as (
    -- where a rule offers a county and a city of the same name (Fairfax County / Fairfax city),
    -- the unit printed by ICE (or 'county' when none) decides; a seed FIPS absent from the census
    -- files (files not loaded) offers nothing
    select
        candidates.agency_id,
        candidates.county_fips,
        candidates.match_method,
        candidates.match_confidence,
        candidates.priority,
        case
            when counties.county_unit = coalesce(inputs.county_unit_from_column, 'county') then 0
            else 1
        end as unit_penalty
    from candidates
    inner join inputs
        on candidates.agency_id = inputs.agency_id
    inner join counties
        on candidates.county_fips = counties.county_fips
),

resolved as (
    -- a unit mismatch (ICE's 'Hopewell County' for Hopewell city) lowers confidence (final)
    {{ best_match('scored', 'agency_id', 'county_fips', 'unit_penalty') }}
),

final as (
    select
        inputs.agency_id,
        case when resolved.n_candidates = 1 then resolved.county_fips end as county_fips,
        case when resolved.n_candidates = 1 then resolved.match_method end as county_match_method,
        case
            when resolved.n_candidates = 1 and resolved.unit_penalty = 1
                then cast(resolved.match_confidence - 0.10 as decimal(3, 2))
            when resolved.n_candidates = 1 then cast(resolved.match_confidence as decimal(3, 2))
        end as county_match_confidence,
        case
            when resolved.n_candidates > 1 then 'ambiguous_county_name'
            when resolved.agency_id is not null then null
            when inputs.state_code = 'CT' then 'ct_town_not_in_seed'
            when inputs.county_printed is null and inputs.county_key_from_name is null then 'no_county_name'
            when exists (
                select 1 from counties as elsewhere
                where
                    elsewhere.county_key = coalesce(inputs.county_key_from_column, inputs.county_key_from_name)
                    and elsewhere.state_code <> inputs.state_code
            ) then 'county_in_another_state'
            else 'county_name_not_found'
        end as county_unmatched_reason
    from inputs
    left join resolved
        on inputs.agency_id = resolved.agency_id
)

select * from final
