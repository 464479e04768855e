{#- One row per county of the county -> AOR lookup, with its state and a name key for landmark matching. -#}
with

counties as (
    select
        county_fips,
        state_fips,
        county_state_name,
        aor_code
    from {{ ref('stg_arrests__county_aor_rows') }}
),

states as (
    select
        state_code,
        state_fips,
        state_name
    from {{ ref('states') }}
),

named as (
    select
        counties.county_fips,
        states.state_code,
        counties.aor_code,
        upper(states.state_name) as state_name_upper,
        upper(trim(substring(
            counties.county_state_name, 1,
            length(counties.county_state_name) - length(states.state_name) - 2
        ))) as county_name_upper
    from counties
    inner join states
        on counties.state_fips = states.state_fips
),

keyed as (
    select
        county_fips,
        state_code,
        aor_code,
        state_name_upper,
        county_name_upper,
        case
            when county_name_upper like '% COUNTY' then 'county'
            when county_name_upper like '% PARISH' then 'parish'
            when county_name_upper like '% CITY' then 'city'
            when county_name_upper like '% BOROUGH' then 'borough'
            else 'other'
        end as county_kind,
        {{ arrests_name_key("case when county_name_upper like '% COUNTY' or county_name_upper like '% PARISH'
            then substring(county_name_upper, 1, length(county_name_upper) - 7) else county_name_upper end") }}
            as county_key
    from named
)

select * from keyed
