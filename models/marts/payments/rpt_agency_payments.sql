with

payments as (
    select
        agency_id,
        category,
        amount_usd,
        certified_officer_count,
        is_reversal,
        payment_date
    from {{ ref('fct_payments') }}
    where agency_id is not null
),

agencies as (
    select
        agency_id,
        state_code,
        agency_name
    from {{ ref('dim_agencies') }}
),

agreements as (
    select
        agency_id,
        support_type,
        is_active
    from {{ ref('fct_agreements') }}
),

payment_totals as (
    select
        agency_id,
        count(*) as n_payments,
        sum(case when is_reversal then 1 else 0 end) as n_reversals,
        {% for category in ['vehicle', 'equipment', 'salary_benefits', 'overtime', 'performance_award', 'other'] -%}
            sum(case when category = '{{ category }}' then amount_usd else 0 end) as {{ category }}_usd,
        {% endfor -%}
        sum(amount_usd) as total_paid_usd,
        max(certified_officer_count) as n_certified_officers,
        min(payment_date) as first_payment_date,
        max(payment_date) as last_payment_date
    from payments
    group by agency_id
),

agreement_counts as (
    select
        agency_id,
        count(*) as n_agreements,
        sum(case when is_active then 1 else 0 end) as n_active_agreements,
        max(case when support_type = 'Task Force Model' then 1 else 0 end) as has_task_force_agreement
    from agreements
    group by agency_id
),

final as (
    select
        payment_totals.agency_id,
        agencies.state_code,
        agencies.agency_name,
        cast(payment_totals.n_payments as integer) as n_payments,
        cast(payment_totals.n_reversals as integer) as n_reversals,
        {% for category in ['vehicle', 'equipment', 'salary_benefits', 'overtime', 'performance_award', 'other'] -%}
            cast(payment_totals.{{ category }}_usd as decimal(14, 2)) as {{ category }}_usd,
        {% endfor -%}
        cast(payment_totals.total_paid_usd as decimal(14, 2)) as total_paid_usd,
        cast(payment_totals.n_certified_officers as integer) as n_certified_officers,
        cast(
            payment_totals.total_paid_usd / nullif(payment_totals.n_certified_officers, 0) as decimal(14, 2)
        ) as paid_per_officer_usd,
        cast(coalesce(agreement_counts.n_agreements, 0) as integer) as n_agreements,
        cast(coalesce(agreement_counts.n_active_agreements, 0) as integer) as n_active_agreements,
        coalesce(agreement_counts.has_task_force_agreement, 0) = 1 as has_task_force_agreement,
        payment_totals.first_payment_date,
        payment_totals.last_payment_date
    from payment_totals
    inner join agencies
        on payment_totals.agency_id = agencies.agency_id
    left join agreement_counts
        on payment_totals.agency_id = agreement_counts.agency_id
)

select * from final
