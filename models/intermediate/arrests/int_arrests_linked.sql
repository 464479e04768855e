with

arrests as (
    select * from {{ ref('int_arrests_unioned') }}
),

landmarks as (
    select
        aor_code,
        landmark,
        county_fips,
        state_code,
        link_method,
        link_confidence,
        facility_type,
        has_custody_token
    from {{ ref('int_arrest_landmarks_linked') }}
),

counties as (
    select
        county_fips,
        state_code,
        county_key,
        county_name_upper
    from {{ ref('int_arrest_counties_keyed') }}
),

printed_counties as (
    select
        arrests.arrest_id,
        min(counties.county_fips) as county_fips,
        min(counties.county_name_upper) as county_name_upper
    from arrests
    inner join counties
        on
            arrests.state_code = counties.state_code
            and counties.county_key = {{ arrests_name_key(
            "case when upper(trim(arrests.county_printed)) like '% COUNTY' or upper(trim(arrests.county_printed)) like '% PARISH'
                then substring(upper(trim(arrests.county_printed)), 1, length(trim(arrests.county_printed)) - 7)
                else arrests.county_printed end") }}
    where arrests.county_printed is not null
    group by arrests.arrest_id
),

joined as (
    select
        arrests.arrest_id,
        arrests.file_sha256,
        arrests.source_layout,
        arrests.aor_code,
        arrests.apprehension_method,
        arrests.landmark,
        arrests.arresting_agency,
        arrests.person_key,
        arrests.state_code as printed_state_code,
        printed_counties.county_fips as printed_county_fips,
        printed_counties.county_name_upper as printed_county_name,
        landmarks.county_fips as landmark_county_fips,
        landmarks.state_code as landmark_state_code,
        landmarks.link_method as landmark_link_method,
        landmarks.link_confidence as landmark_link_confidence,
        landmarks.facility_type,
        coalesce(landmarks.has_custody_token, false) as has_custody_token,
        arrests.is_287g,
        arrests.was_redacted,
        arrests.apprehension_date,
        (
            arrests.arresting_agency is not null
            and upper(trim(arrests.arresting_agency)) not in (
                'ICE', 'ERO', 'HSI', 'CBP', 'USBP', 'BORDER PATROL', 'USMS', 'US MARSHALS', 'BOP', 'OTHER', 'UNKNOWN'
            )
        ) as has_local_agency
    from arrests
    left join printed_counties
        on arrests.arrest_id = printed_counties.arrest_id
    left join landmarks
        on
            arrests.landmark = landmarks.landmark
            and arrests.aor_code is not distinct from landmarks.aor_code
),

linked as (
    select
        arrest_id,
        file_sha256,
        source_layout,
        aor_code,
        apprehension_method,
        landmark,
        person_key,
        facility_type,
        case when has_local_agency then arresting_agency end as agency_name_printed,
        coalesce(
            case when has_local_agency then coalesce(printed_county_fips, landmark_county_fips) end,
            landmark_county_fips,
            printed_county_fips
        ) as county_fips,
        coalesce(
            case when has_local_agency then coalesce(printed_state_code, landmark_state_code) end,
            landmark_state_code,
            printed_state_code
        ) as state_code,
        case
            when has_local_agency then 'arresting_agency'
            when landmark_link_method is not null then landmark_link_method
            when printed_county_fips is not null then 'state_county_columns'
            else 'unlinked'
        end as link_method,
        case
            when has_local_agency and printed_county_fips is not null then 'high'
            when has_local_agency and landmark_county_fips is not null then landmark_link_confidence
            when has_local_agency then 'low'
            when landmark_link_method is not null then landmark_link_confidence
            when printed_county_fips is not null then 'medium'
            else 'none'
        end as link_confidence,
        -- a county jail / sheriff landmark placed in one county implies that county's sheriff's office
        (
            not has_local_agency and has_custody_token and landmark_link_method in ('landmark_county', 'landmark_facility')
            and facility_type in ('jail_or_sheriff', 'county_jail')
        ) as implies_county_sheriff,
        is_287g,
        was_redacted,
        apprehension_date
    from joined
)

select * from linked
