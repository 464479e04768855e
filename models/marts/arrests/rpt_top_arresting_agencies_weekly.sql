with

weekly as (
    select
        agency_ref,
        agency_id,
        agency_name,
        state_code,
        n_arrests,
        week_start_date
    from {{ ref('fct_agency_arrests_weekly') }}
),

ranked as (
    select
        week_start_date,
        agency_ref,
        agency_id,
        agency_name,
        state_code,
        n_arrests,
        rank() over (partition by week_start_date order by n_arrests desc) as arrest_rank,
        cast(n_arrests as decimal(18, 6)) / sum(n_arrests) over (partition by week_start_date) as share_of_week
    from weekly
),

final as (
    select
        week_start_date,
        agency_ref,
        agency_id,
        agency_name,
        state_code,
        cast(arrest_rank as bigint) as arrest_rank,
        cast(n_arrests as bigint) as n_arrests,
        cast(round(cast(share_of_week as decimal(18, 6)), 4) as decimal(9, 4)) as share_of_week
    from ranked
)

select * from final
