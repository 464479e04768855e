with

arrests as (
    select
        aor_code,
        landmark
    from {{ ref('int_arrests_unioned') }}
    where landmark is not null
),

distinct_landmarks as (
    select
        aor_code,
        landmark,
        count(*) as n_arrests
    from arrests
    group by aor_code, landmark
),

keyed as (
    select
        aor_code,
        landmark,
        n_arrests,
        upper(trim(landmark)) as landmark_upper,
        {{ arrests_name_key("replace(replace(replace(upper(landmark), '287(G)', ' '), '287G', ' '), '287 G', ' ')") }}
            as landmark_key
    from distinct_landmarks
),

tokens as (
    select
        keyed.*,
        case
            when position(' COUNTY' in keyed.landmark_key) > 0
                then substring(keyed.landmark_key, 1, position(' COUNTY' in keyed.landmark_key) - 1)
            when position(' PARISH' in keyed.landmark_key) > 0
                then substring(keyed.landmark_key, 1, position(' PARISH' in keyed.landmark_key) - 1)
            when position(' CNTY' in keyed.landmark_key) > 0
                then substring(keyed.landmark_key, 1, position(' CNTY' in keyed.landmark_key) - 1)
            when position(' CTY ' in keyed.landmark_key) > 0
                then substring(keyed.landmark_key, 1, position(' CTY ' in keyed.landmark_key) - 1)
        end as county_prefix,
        case
            when keyed.landmark_key like '% GENERAL AREA%'
                then {{ dbt.split_part('landmark_key', "' '", 1) }}
        end as sub_office_code,
        (
            keyed.landmark_key like '%JAIL%' or keyed.landmark_key like '%SHERIFF%' or keyed.landmark_key like '%DETENTION%'
            or keyed.landmark_key like '%CORRECTION%' or keyed.landmark_key like '%PRISON%' or keyed.landmark_key like '% HOC%'
        ) as has_custody_token,
        (
            keyed.landmark_key like '%DEPARTMENT OF CORRECTION%' or keyed.landmark_key like '%DEPT OF CORR%'
            or keyed.landmark_key like '%STATE PRISON%' or keyed.landmark_key like '%NDOC%' or keyed.landmark_key like 'MCI %'
            or keyed.landmark_key like '%CORRECTIONAL INSTITUTION%'
        ) as has_state_prison_token,
        (keyed.landmark_key like '%REGIONAL JAIL%' or keyed.landmark_key like '%REGIONAL DETENTION%') as has_regional_jail_token
    from keyed
)

select * from tokens
