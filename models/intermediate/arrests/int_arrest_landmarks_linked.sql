with

landmarks as (
    select * from {{ ref('int_arrest_landmarks_parsed') }}
),

counties as (
    select
        county_fips,
        state_code,
        aor_code,
        state_name_upper,
        county_key
    from {{ ref('int_arrest_counties_keyed') }}
),

aor_states as (
    select
        aor_code,
        state_code
    from {{ ref('aor_states') }}
),

places as (
    select
        landmark,
        aor_code,
        county_fips,
        state_code,
        facility_type,
        link_confidence
    from {{ ref('landmark_places') }}
),

sub_offices as (
    select
        office_code,
        aor_code,
        county_fips,
        state_code,
        link_confidence
    from {{ ref('ero_sub_offices') }}
),

county_candidates as (
    select
        landmarks.aor_code,
        landmarks.landmark,
        counties.county_fips,
        counties.state_code,
        (counties.aor_code = landmarks.aor_code) as is_same_aor,
        (
            landmarks.landmark_upper like '%(' || counties.state_code || ')%'
            or landmarks.landmark_upper like '%, ' || counties.state_code
            or landmarks.landmark_upper like '%, ' || counties.state_code || ' %'
            or landmarks.landmark_upper like '%, ' || counties.state_code || ',%'
            or landmarks.landmark_upper like '% - ' || counties.state_code
            or landmarks.landmark_key like '% ' || counties.state_code
            or landmarks.landmark_key like '%' || counties.state_name_upper || '%'
        ) as has_state_hint,
        length(counties.county_key) as key_length
    from landmarks
    inner join counties
        on (' ' || landmarks.county_prefix) like '% ' || counties.county_key
    where
        landmarks.county_prefix is not null
        and (
            landmarks.aor_code is null
            or counties.state_code in (
                select aor_states.state_code from aor_states
                where aor_states.aor_code = landmarks.aor_code
            )
        )
),

county_ranked as (
    select
        county_candidates.*,
        count(*) over (partition by county_candidates.aor_code, county_candidates.landmark) as n_candidates,
        rank() over (
            partition by county_candidates.aor_code, county_candidates.landmark
            order by county_candidates.has_state_hint desc, county_candidates.key_length desc, county_candidates.is_same_aor desc
        ) as candidate_rank
    from county_candidates
),

county_best as (
    select
        aor_code,
        landmark,
        min(county_fips) as county_fips,
        min(state_code) as state_code,
        count(*) as n_best,
        max(n_candidates) as n_candidates,
        max(case when has_state_hint then 1 else 0 end) as has_state_hint
    from county_ranked
    where candidate_rank = 1
    group by aor_code, landmark
),

place_matches as (
    select
        landmarks.aor_code,
        landmarks.landmark,
        places.county_fips,
        places.state_code,
        places.facility_type,
        places.link_confidence,
        row_number() over (
            partition by landmarks.aor_code, landmarks.landmark
            order by case when places.aor_code = landmarks.aor_code then 0 else 1 end
        ) as match_rank
    from landmarks
    inner join places
        on
            landmarks.landmark_upper = upper(trim(places.landmark))
            and (landmarks.aor_code = places.aor_code or landmarks.aor_code is null)
),

office_matches as (
    select
        landmarks.aor_code,
        landmarks.landmark,
        sub_offices.county_fips,
        sub_offices.state_code,
        sub_offices.link_confidence,
        row_number() over (
            partition by landmarks.aor_code, landmarks.landmark
            order by case when sub_offices.aor_code = landmarks.aor_code then 0 else 1 end
        ) as match_rank
    from landmarks
    inner join sub_offices
        on
            landmarks.sub_office_code = sub_offices.office_code
            and (landmarks.aor_code = sub_offices.aor_code or landmarks.aor_code is null)
),

linked as (
    select
        landmarks.aor_code,
        landmarks.landmark,
        landmarks.n_arrests,
        landmarks.sub_office_code,
        landmarks.has_custody_token,
        landmarks.has_state_prison_token,
        landmarks.has_regional_jail_token,
        case
            when place_matches.landmark is not null then place_matches.county_fips
            when county_best.n_best = 1 then county_best.county_fips
            when office_matches.landmark is not null then office_matches.county_fips
        end as county_fips,
        case
            when place_matches.landmark is not null then place_matches.state_code
            when county_best.n_best = 1 then county_best.state_code
            when office_matches.landmark is not null then office_matches.state_code
        end as state_code,
        case
            when place_matches.landmark is not null and place_matches.county_fips is not null then 'landmark_facility'
            when county_best.n_best = 1 then 'landmark_county'
            when office_matches.landmark is not null then 'landmark_sub_office'
        end as link_method,
        case
            when place_matches.landmark is not null and place_matches.county_fips is not null
                then place_matches.link_confidence
            when county_best.n_best = 1 and (county_best.n_candidates = 1 or county_best.has_state_hint = 1)
                then 'high'
            when county_best.n_best = 1 then 'medium'
            when office_matches.landmark is not null then office_matches.link_confidence
        end as link_confidence,
        case
            when place_matches.facility_type is not null then place_matches.facility_type
            when landmarks.has_state_prison_token then 'state_prison'
            when landmarks.has_regional_jail_token then 'regional_jail'
            when landmarks.has_custody_token then 'jail_or_sheriff'
            when landmarks.sub_office_code is not null then 'ero_sub_office_area'
        end as facility_type,
        case
            when place_matches.landmark is not null and place_matches.county_fips is null then 'no_single_county'
            when place_matches.landmark is not null or county_best.n_best = 1 or office_matches.landmark is not null
                then null
            when county_best.n_best > 1 then 'ambiguous_county'
            when landmarks.county_prefix is not null then 'county_not_in_aor_states'
            when landmarks.sub_office_code is not null then 'sub_office_unknown'
            else 'no_place_named'
        end as unlinked_reason
    from landmarks
    left join place_matches
        on
            landmarks.landmark = place_matches.landmark
            and landmarks.aor_code is not distinct from place_matches.aor_code
            and place_matches.match_rank = 1
    left join county_best
        on
            landmarks.landmark = county_best.landmark
            and landmarks.aor_code is not distinct from county_best.aor_code
    left join office_matches
        on
            landmarks.landmark = office_matches.landmark
            and landmarks.aor_code is not distinct from office_matches.aor_code
            and office_matches.match_rank = 1
)

select * from linked
