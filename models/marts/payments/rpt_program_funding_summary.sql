with

payments as (
    select
        agency_id,
        match_status,
        payee_state_code,
        amount_usd,
        certified_officer_count,
        payment_date
    from {{ ref('fct_payments') }}
),

agreements as (
    select
        agency_id,
        removed_by_date,
        coalesce(signed_date, first_listed_date) as active_from_date
    from {{ ref('fct_agreements') }}
),

agencies as (
    select
        agency_id,
        state_code
    from {{ ref('dim_agencies') }}
),

as_of as (
    select max(payment_date) as as_of_date
    from payments
),

agencies_with_agreement as (
    select distinct agreements.agency_id
    from agreements
    cross join as_of
    where
        agreements.active_from_date <= as_of.as_of_date
        and (agreements.removed_by_date is null or as_of.as_of_date < agreements.removed_by_date)
),

agency_payments as (
    select
        agency_id,
        sum(amount_usd) as net_paid_usd,
        max(certified_officer_count) as n_certified_officers
    from payments
    where agency_id is not null
    group by agency_id
),

agency_flags as (
    select
        agencies.agency_id,
        agencies.state_code,
        agencies_with_agreement.agency_id is not null as has_agreement,
        coalesce(agency_payments.net_paid_usd, 0) > 0 as has_payment,
        coalesce(agency_payments.n_certified_officers, 0) > 0 as has_certified_officer,
        coalesce(agency_payments.net_paid_usd, 0) as net_paid_usd
    from agencies
    left join agencies_with_agreement
        on agencies.agency_id = agencies_with_agreement.agency_id
    left join agency_payments
        on agencies.agency_id = agency_payments.agency_id
),

unmatched as (
    select
        coalesce(payee_state_code, '??') as state_code,
        sum(amount_usd) as unmatched_paid_usd,
        count(*) as n_unmatched_payments
    from payments
    where match_status = 'unmatched'
    group by coalesce(payee_state_code, '??')
),

scoped as (
    select
        'US' as scope_code,
        agency_id,
        has_agreement,
        has_payment,
        has_certified_officer,
        net_paid_usd
    from agency_flags
    union all
    select
        state_code as scope_code,
        agency_id,
        has_agreement,
        has_payment,
        has_certified_officer,
        net_paid_usd
    from agency_flags
),

unmatched_scoped as (
    select
        'US' as scope_code,
        sum(unmatched_paid_usd) as unmatched_paid_usd,
        sum(n_unmatched_payments) as n_unmatched_payments
    from unmatched
    union all
    select
        state_code as scope_code,
        unmatched_paid_usd,
        n_unmatched_payments
    from unmatched
),

counted as (
    select
        scope_code,
        sum(case when has_agreement then 1 else 0 end) as n_agencies_with_agreement,
        sum(case when has_payment then 1 else 0 end) as n_agencies_with_payment,
        sum(case when has_agreement and has_payment then 1 else 0 end) as n_agencies_with_both,
        sum(case when has_payment and not has_agreement then 1 else 0 end) as n_agencies_paid_without_agreement,
        sum(case when has_agreement and has_payment and has_certified_officer then 1 else 0 end)
            as n_agencies_with_agreement_officer_and_payment,
        sum(net_paid_usd) as matched_paid_usd
    from scoped
    group by scope_code
),

final as (
    select
        coalesce(counted.scope_code, unmatched_scoped.scope_code) as scope_code,
        cast(coalesce(counted.n_agencies_with_agreement, 0) as integer) as n_agencies_with_agreement,
        cast(coalesce(counted.n_agencies_with_payment, 0) as integer) as n_agencies_with_payment,
        cast(coalesce(counted.n_agencies_with_both, 0) as integer) as n_agencies_with_both,
        cast(coalesce(counted.n_agencies_paid_without_agreement, 0) as integer) as n_agencies_paid_without_agreement,
        cast(coalesce(counted.n_agencies_with_agreement_officer_and_payment, 0) as integer)
            as n_agencies_with_agreement_officer_and_payment,
        cast(coalesce(unmatched_scoped.n_unmatched_payments, 0) as integer) as n_unmatched_payments,
        cast(coalesce(counted.matched_paid_usd, 0) as decimal(14, 2)) as matched_paid_usd,
        cast(coalesce(unmatched_scoped.unmatched_paid_usd, 0) as decimal(14, 2)) as unmatched_paid_usd,
        as_of.as_of_date
    from counted
    full outer join unmatched_scoped
        on counted.scope_code = unmatched_scoped.scope_code
    cross join as_of
)

select * from final
