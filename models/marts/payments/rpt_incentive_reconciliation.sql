with

payments as (
    select
        agency_id,
        category,
        amount_usd,
        certified_officer_count,
        payment_date
    from {{ ref('fct_payments') }}
    where agency_id is not null
),

schedule as (
    select
        category,
        amount_usd,
        share_of_salary,
        source
    from {{ ref('incentive_schedule') }}
),

agreements as (
    select
        agency_id,
        support_type
    from {{ ref('fct_agreements') }}
),

schedule_amounts as (
    select
        max(case when category = 'vehicle' then amount_usd end) as vehicle_usd,
        max(case when category = 'equipment' then amount_usd end) as equipment_per_officer_usd,
        max(case when category = 'performance_award' then amount_usd end) as award_top_tier_usd,
        max(case when category = 'overtime' then share_of_salary end) as overtime_share_cap
    from schedule
),

schedule_categories as (
    select
        category,
        min(source) as schedule_source
    from schedule
    group by category
),

task_force_agencies as (
    select distinct agency_id
    from agreements
    where support_type = 'Task Force Model'
),

agency_officers as (
    select
        agency_id,
        max(certified_officer_count) as n_certified_officers
    from payments
    group by agency_id
),

paid as (
    select
        agency_id,
        category,
        count(*) as n_payments,
        sum(amount_usd) as paid_usd,
        count(
            distinct
            cast(extract(year from payment_date) as integer) * 10 + cast(extract(quarter from payment_date) as integer)
        ) as n_quarters_paid
    from payments
    group by agency_id, category
),

agency_categories as (
    select
        agency_officers.agency_id,
        agency_officers.n_certified_officers,
        schedule_categories.category,
        schedule_categories.schedule_source
    from agency_officers
    cross join schedule_categories
),

joined as (
    select
        agency_categories.agency_id,
        agency_categories.category,
        agency_categories.schedule_source,
        agency_categories.n_certified_officers,
        coalesce(paid.n_payments, 0) as n_payments,
        coalesce(paid.n_quarters_paid, 0) as n_quarters_paid,
        coalesce(paid.paid_usd, 0) as paid_usd,
        salary.paid_usd as salary_benefits_paid_usd,
        task_force_agencies.agency_id is not null as has_task_force_agreement,
        schedule_amounts.vehicle_usd,
        schedule_amounts.equipment_per_officer_usd,
        schedule_amounts.award_top_tier_usd,
        schedule_amounts.overtime_share_cap
    from agency_categories
    cross join schedule_amounts
    left join paid
        on
            agency_categories.agency_id = paid.agency_id
            and agency_categories.category = paid.category
    left join paid as salary
        on
            agency_categories.agency_id = salary.agency_id
            and salary.category = 'salary_benefits'
    left join task_force_agencies
        on agency_categories.agency_id = task_force_agencies.agency_id
),

expectations as (
    select
        *,
        case
            when category = 'vehicle' and has_task_force_agreement then vehicle_usd
            when category = 'equipment' and has_task_force_agreement
                then equipment_per_officer_usd * n_certified_officers
        end as expected_usd,
        case
            when category = 'overtime' then overtime_share_cap * coalesce(salary_benefits_paid_usd, 0)
            when category = 'performance_award' then award_top_tier_usd * n_certified_officers * n_quarters_paid
        end as max_allowed_usd
    from joined
    where n_payments > 0 or (category in ('vehicle', 'equipment') and has_task_force_agreement)
),

final as (
    select
        agency_id,
        category,
        case
            when category in ('vehicle', 'equipment') and not has_task_force_agreement then 'not_task_force'
            when category = 'equipment' and n_certified_officers is null then 'no_officer_count'
            when category in ('vehicle', 'equipment') and paid_usd = expected_usd then 'as_expected'
            when category in ('vehicle', 'equipment') and paid_usd < expected_usd then 'underpaid'
            when category in ('vehicle', 'equipment') then 'overpaid'
            when category = 'salary_benefits' then 'at_cost'
            when max_allowed_usd is null then 'no_officer_count'
            when paid_usd <= max_allowed_usd then 'within_cap'
            else 'over_cap'
        end as reconciliation_status,
        schedule_source,
        cast(n_certified_officers as integer) as n_certified_officers,
        cast(n_payments as integer) as n_payments,
        cast(expected_usd as decimal(14, 2)) as expected_usd,
        cast(max_allowed_usd as decimal(14, 2)) as max_allowed_usd,
        cast(paid_usd as decimal(14, 2)) as paid_usd,
        cast(paid_usd - coalesce(expected_usd, max_allowed_usd) as decimal(14, 2)) as difference_usd,
        has_task_force_agreement
    from expectations
)

select * from final
