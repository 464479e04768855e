{#- Named invariants of the payments area (check_name, scope, observed, expected, status pass/fail/info);
    the quality gate unions every int_qa__* model into rpt_qa_summary. -#}
with

ledger_lines as (
    select
        parse_status,
        amount_usd
    from {{ ref('stg_ledger__lines') }}
),

payments as (
    select
        match_status,
        amount_usd
    from {{ ref('fct_payments') }}
),

payees as (
    select match_status
    from {{ ref('int_ledger_payees_matched') }}
),

staged as (
    select
        count(*) as n_lines,
        coalesce(sum(case when parse_status = 'ok' then 1 else 0 end), 0) as n_accepted,
        coalesce(sum(case when parse_status = 'rejected' then 1 else 0 end), 0) as n_rejected,
        coalesce(sum(case when parse_status = 'ok' then amount_usd end), 0) as accepted_usd
    from ledger_lines
),

facts as (
    select
        count(*) as n_payments,
        coalesce(sum(amount_usd), 0) as total_usd,
        coalesce(sum(case when match_status <> 'unmatched' then 1 else 0 end), 0) as n_matched,
        coalesce(sum(case when match_status = 'fuzzy' then 1 else 0 end), 0) as n_fuzzy
    from payments
),

payee_counts as (
    select
        count(*) as n_payees,
        coalesce(sum(case when match_status = 'unmatched' then 1 else 0 end), 0) as n_unmatched
    from payees
),

checks as (
    select
        'payments_count_equals_accepted_lines' as check_name,
        cast(facts.n_payments as {{ dbt.type_string() }}) as observed,
        cast(staged.n_accepted as {{ dbt.type_string() }}) as expected,
        case when facts.n_payments = staged.n_accepted then 'pass' else 'fail' end as status
    from facts cross join staged
    union all
    select
        'payments_sum_equals_accepted_lines_sum' as check_name,
        cast(facts.total_usd as {{ dbt.type_string() }}) as observed,
        cast(staged.accepted_usd as {{ dbt.type_string() }}) as expected,
        case when facts.total_usd = staged.accepted_usd then 'pass' else 'fail' end as status
    from facts cross join staged
    union all
    select
        'every_ledger_line_accepted_or_rejected' as check_name,
        cast(staged.n_accepted + staged.n_rejected as {{ dbt.type_string() }}) as observed,
        cast(staged.n_lines as {{ dbt.type_string() }}) as expected,
        case when staged.n_accepted + staged.n_rejected = staged.n_lines then 'pass' else 'fail' end as status
    from staged
    union all
    select
        'rejected_ledger_lines' as check_name,
        cast(staged.n_rejected as {{ dbt.type_string() }}) as observed,
        'listed in rpt_ledger_rejects' as expected,
        'info' as status
    from staged
    union all
    select
        'share_of_payments_matched' as check_name,
        cast(cast(
            case when facts.n_payments = 0 then 0 else 1.0 * facts.n_matched / facts.n_payments end
            as decimal(6, 4)
        ) as {{ dbt.type_string() }}) as observed,
        'share of accepted lines whose payee matched an agency' as expected,
        'info' as status
    from facts
    union all
    select
        'fuzzy_matched_payments' as check_name,
        cast(facts.n_fuzzy as {{ dbt.type_string() }}) as observed,
        'review the fuzzy matches; confirm them with a payee alias' as expected,
        'info' as status
    from facts
    union all
    select
        'unmatched_payees' as check_name,
        cast(payee_counts.n_unmatched as {{ dbt.type_string() }}) as observed,
        'of ' || cast(payee_counts.n_payees as {{ dbt.type_string() }}) || ' payees; listed in rpt_payment_anomalies'
            as expected,
        'info' as status
    from payee_counts
),

final as (
    select
        check_name,
        'payments' as scope,
        observed,
        expected,
        status
    from checks
)

select * from final
