with

landmarks as (
    select
        aor_code,
        landmark,
        n_arrests,
        sub_office_code,
        facility_type,
        unlinked_reason
    from {{ ref('int_arrest_landmarks_linked') }}
    where county_fips is null
),

arrests_287g as (
    select
        aor_code,
        landmark,
        count(*) as n_287g_arrests
    from {{ ref('int_arrests_unioned') }}
    where is_287g and landmark is not null
    group by aor_code, landmark
),

final as (
    select
        landmarks.aor_code,
        landmarks.landmark,
        landmarks.sub_office_code,
        landmarks.facility_type,
        landmarks.unlinked_reason,
        landmarks.n_arrests,
        coalesce(arrests_287g.n_287g_arrests, 0) as n_287g_arrests
    from landmarks
    left join arrests_287g
        on
            landmarks.landmark = arrests_287g.landmark
            and landmarks.aor_code is not distinct from arrests_287g.aor_code
)

select * from final
