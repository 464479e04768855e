with

printed as (
    select distinct
        state_code,
        county_name as county_printed
    from {{ ref('int_ice_rows_normalised') }}
    where county_name is not null
),

counties as (
    select
        county_fips,
        state_code,
        county_name,
        {{ geo_tidy('county_name') }} as name_tidy,
        {{ county_name_key('county_name') }} as county_key,
        case when county_type = 'Independent City' then 'city' else 'county' end as county_unit
    from {{ ref('int_counties_joined_to_population') }}
),

inputs as (
    select
        state_code || '|' || county_printed as county_value_id,
        state_code,
        county_printed,
        {{ county_name_key('county_printed') }} as county_key_from_column,
        {{ county_name_unit('county_printed') }} as county_unit_from_column
    from printed
),

candidates as (
    {{ county_column_candidates('inputs', 'county_value_id') }}
),

scored as (
    select
        candidates.county_value_id,
        candidates.county_fips,
        candidates.match_method,
        candidates.match_confidence,
        candidates.priority,
        case when counties.county_unit = inputs.county_unit_from_column then 0 else 1 end as unit_penalty
    from candidates
    inner join inputs
        on candidates.county_value_id = inputs.county_value_id
    inner join counties
        on candidates.county_fips = counties.county_fips
),

resolved as (
    {{ best_match('scored', 'county_value_id', 'county_fips', 'unit_penalty') }}
),

final as (
    select
        inputs.state_code,
        inputs.county_printed,
        case when resolved.n_candidates = 1 then resolved.county_fips end as county_fips,
        case when resolved.n_candidates = 1 then counties.county_name end as county_name,
        case when resolved.n_candidates = 1 then resolved.match_method end as county_match_method,
        cast(case
            when resolved.n_candidates = 1 and resolved.unit_penalty = 1 then resolved.match_confidence - 0.10
            when resolved.n_candidates = 1 then resolved.match_confidence
            else 0.0
        end as double precision) as county_match_confidence,
        coalesce(resolved.unit_penalty = 1, false) as is_unit_mismatch,
        case
            when resolved.n_candidates > 1 then 'ambiguous_county_name'
            when resolved.county_value_id is not null then null
            when not exists (
                select 1 from counties as state_counties
                where state_counties.state_code = inputs.state_code
            ) then 'no_census_counties'
            else 'county_name_not_found'
        end as county_unmatched_reason
    from inputs
    left join resolved
        on inputs.county_value_id = resolved.county_value_id
    left join counties
        on resolved.county_fips = counties.county_fips
)

select * from final
