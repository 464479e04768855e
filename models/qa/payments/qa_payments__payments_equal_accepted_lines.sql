-- Checks payments_count_equals_accepted_lines and payments_sum_equals_accepted_lines_sum (fct_payments vs ledger).
with

ledger_lines as (
    select
        parse_status,
        amount_usd
    from {{ ref('stg_ledger__lines') }}
),

payments as (
    select amount_usd
    from {{ ref('fct_payments') }}
),

staged as (
    select
        coalesce(sum(case when parse_status = 'ok' then 1 else 0 end), 0) as n_accepted,
        coalesce(sum(case when parse_status = 'ok' then amount_usd end), 0) as accepted_usd
    from ledger_lines
),

facts as (
    select
        count(*) as n_payments,
        coalesce(sum(amount_usd), 0) as total_usd
    from payments
),

final as (
    select
        'payments_count_equals_accepted_lines' as check_name,
        'payments' as scope,
        cast(facts.n_payments as {{ dbt.type_string() }}) as observed,
        cast(staged.n_accepted as {{ dbt.type_string() }}) as expected,
        case when facts.n_payments = staged.n_accepted then 'pass' else 'fail' end as status
    from facts cross join staged

    union all

    select
        'payments_sum_equals_accepted_lines_sum' as check_name,
        'payments' as scope,
        cast(facts.total_usd as {{ dbt.type_string() }}) as observed,
        cast(staged.accepted_usd as {{ dbt.type_string() }}) as expected,
        case when facts.total_usd = staged.accepted_usd then 'pass' else 'fail' end as status
    from facts cross join staged
)

select * from final
