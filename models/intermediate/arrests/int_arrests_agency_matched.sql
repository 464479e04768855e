{#- One row per arrest: the agency the arrest is attributed to (named in Arresting Agency, or the county
    sheriff's office implied by a county jail/sheriff landmark), with a provisional agency id in the
    warehouse's format (<USPS>-<slug>). agency_id is set only when that agency exists in the ICE sheets
    (dim_agencies, once the agreements work lands); otherwise agency_link_status says agency_not_in_sheets. -#}
with

arrests as (
    select * from {{ ref('int_arrests_linked') }}
),

counties as (
    select county_fips, county_name_upper from {{ ref('int_arrest_counties_keyed') }}
),

named as (
    select
        arrests.*,
        case
            when arrests.agency_name_printed is not null then arrests.agency_name_printed
            when arrests.implies_county_sheriff and counties.county_name_upper is not null
                then {{ dbt.concat(["counties.county_name_upper", "' SHERIFFS OFFICE'"]) }}
        end as agency_name_attributed
    from arrests
    left join counties
        on arrests.county_fips = counties.county_fips
),

matched as (
    select
        named.*,
        case
            when agency_name_attributed is not null and state_code is not null
                then {{ dbt.concat(["state_code", "'-'", arrests_slug('agency_name_attributed')]) }}
        end as agency_ref,
        cast(null as {{ dbt.type_string() }}) as agency_id,
        case
            when agency_name_attributed is null then 'no_agency'
            else 'agency_not_in_sheets'
        end as agency_link_status
    from named
)

select * from matched
