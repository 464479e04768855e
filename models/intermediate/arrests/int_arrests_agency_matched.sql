-- sqlfluff:exclude_rules:AM04
-- (the final select keeps every column of the linked arrest and adds the agency match)
with

arrests as (
    select * from {{ ref('int_arrests_linked') }}
),

counties as (
    select
        county_fips,
        county_name_upper
    from {{ ref('int_arrest_counties_keyed') }}
),

aliases as (
    select
        state_code,
        name_key,
        agency_id
    from {{ ref('int_agency_aliases') }}
),

agency_ids as (
    select
        agency_id,
        min(agency_name) as agency_name
    from {{ ref('int_agency_aliases') }}
    group by agency_id
),

agency_geography as (
    select
        agency_id,
        county_fips,
        jurisdiction_level
    from {{ ref('int_agency_geography') }}
),

county_sheriffs as (
    select
        agency_geography.county_fips,
        min(agency_geography.agency_id) as agency_id
    from agency_geography
    inner join agency_ids
        on agency_geography.agency_id = agency_ids.agency_id
    where
        agency_geography.jurisdiction_level = 'County'
        and agency_geography.county_fips is not null
        and lower(agency_ids.agency_name) like '%sheriff%'
    group by agency_geography.county_fips
    having count(distinct agency_geography.agency_id) = 1
),

named as (
    select
        arrests.*,
        case
            when arrests.agency_name_printed is not null then arrests.agency_name_printed
            when arrests.implies_county_sheriff and counties.county_name_upper is not null
                then {{ dbt.concat(["counties.county_name_upper", "' SHERIFFS OFFICE'"]) }}
        end as agency_name_attributed,
        (arrests.agency_name_printed is null and arrests.implies_county_sheriff) as is_implied_sheriff
    from arrests
    left join counties
        on arrests.county_fips = counties.county_fips
),

referenced as (
    select
        named.*,
        case
            when named.agency_name_attributed is not null and named.state_code is not null
                then {{ dbt.concat(["state_code", "'-'", arrests_slug('agency_name_attributed')]) }}
        end as agency_ref
    from named
),

matched as (
    select
        referenced.arrest_id,
        by_name.agency_id as agency_id_by_name,
        by_slug.agency_id as agency_id_by_slug,
        case when referenced.is_implied_sheriff then county_sheriffs.agency_id end as agency_id_by_county
    from referenced
    left join aliases as by_name
        on
            referenced.state_code = by_name.state_code
            and {{ agency_name_key('referenced.agency_name_attributed') }} = by_name.name_key
    left join agency_ids as by_slug
        on referenced.agency_ref = by_slug.agency_id
    left join county_sheriffs
        on referenced.county_fips = county_sheriffs.county_fips
),

final as (
    select
        referenced.*,
        coalesce(matched.agency_id_by_name, matched.agency_id_by_slug, matched.agency_id_by_county) as agency_id,
        case
            when matched.agency_id_by_name is not null then 'name_key'
            when matched.agency_id_by_slug is not null then 'slug'
            when matched.agency_id_by_county is not null then 'county_sheriff'
        end as agency_match_rule,
        case
            when coalesce(matched.agency_id_by_name, matched.agency_id_by_slug, matched.agency_id_by_county) is not null
                then 'agency_in_sheets'
            when referenced.agency_name_attributed is null then 'no_agency'
            else 'agency_not_in_sheets'
        end as agency_link_status
    from referenced
    inner join matched
        on referenced.arrest_id = matched.arrest_id
)

select * from final
