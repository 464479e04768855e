with

arrests as (
    select
        agency_ref,
        agency_id,
        agency_name_attributed,
        state_code,
        apprehension_date
    from {{ ref('int_arrests_agency_matched') }}
    where is_287g and agency_ref is not null
),

snapshots as (
    select
        agency_name,
        state_printed,
        week_start_date,
        n_arrests
    from {{ ref('stg_arrests__weekly_rows') }}
),

states as (
    select
        state_code,
        state_name
    from {{ ref('states') }}
),

aliases as (
    select
        state_code,
        name_key,
        agency_id
    from {{ ref('int_agency_aliases') }}
),

from_records as (
    select
        agency_ref,
        max(agency_id) as agency_id,
        max(agency_name_attributed) as agency_name,
        max(state_code) as state_code,
        cast({{ dbt.date_trunc('week', 'apprehension_date') }} as date) as week_start_date,
        count(*) as n_arrests_records
    from arrests
    group by agency_ref, cast({{ dbt.date_trunc('week', 'apprehension_date') }} as date)
),

from_snapshots as (
    select
        {{ dbt.concat(["states.state_code", "'-'", arrests_slug('snapshots.agency_name')]) }} as agency_ref,
        max(aliases.agency_id) as agency_id,
        max(snapshots.agency_name) as agency_name,
        max(states.state_code) as state_code,
        snapshots.week_start_date,
        cast(sum(snapshots.n_arrests) as bigint) as n_arrests_reported
    from snapshots
    inner join states
        on snapshots.state_printed in (states.state_code, upper(states.state_name))
    left join aliases
        on
            states.state_code = aliases.state_code
            and {{ agency_name_key('snapshots.agency_name') }} = aliases.name_key
    group by
        {{ dbt.concat(["states.state_code", "'-'", arrests_slug('snapshots.agency_name')]) }},
        snapshots.week_start_date
),

final as (
    select
        coalesce(from_records.agency_ref, from_snapshots.agency_ref) as agency_ref,
        coalesce(from_records.agency_id, from_snapshots.agency_id) as agency_id,
        coalesce(from_records.agency_name, from_snapshots.agency_name) as agency_name,
        coalesce(from_records.state_code, from_snapshots.state_code) as state_code,
        case
            when from_records.agency_ref is not null and from_snapshots.agency_ref is not null then 'both'
            when from_records.agency_ref is not null then 'arrest_records'
            else 'weekly_snapshot'
        end as arrests_source,
        coalesce(from_records.n_arrests_records, from_snapshots.n_arrests_reported) as n_arrests,
        from_records.n_arrests_records,
        from_snapshots.n_arrests_reported,
        (coalesce(from_records.agency_id, from_snapshots.agency_id) is not null) as is_agency_in_sheets,
        coalesce(from_records.week_start_date, from_snapshots.week_start_date) as week_start_date
    from from_records
    full outer join from_snapshots
        on
            from_records.agency_ref = from_snapshots.agency_ref
            and from_records.week_start_date = from_snapshots.week_start_date
)

select * from final
