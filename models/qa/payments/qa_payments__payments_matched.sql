-- Checks share_of_payments_matched and fuzzy_matched_payments (info), over fct_payments.
with

payments as (
    select match_status
    from {{ ref('fct_payments') }}
),

facts as (
    select
        count(*) as n_payments,
        coalesce(sum(case when match_status <> 'unmatched' then 1 else 0 end), 0) as n_matched,
        coalesce(sum(case when match_status = 'fuzzy' then 1 else 0 end), 0) as n_fuzzy
    from payments
),

final as (
    select
        'share_of_payments_matched' as check_name,
        'payments' as scope,
        cast(cast(
            case when n_payments = 0 then 0 else 1.0 * n_matched / n_payments end
            as decimal(6, 4)
        ) as {{ dbt.type_string() }}) as observed,
        'share of accepted lines whose payee matched an agency' as expected,
        'info' as status
    from facts

    union all

    select
        'fuzzy_matched_payments' as check_name,
        'payments' as scope,
        cast(n_fuzzy as {{ dbt.type_string() }}) as observed,
        'review the fuzzy matches; confirm them with a payee alias' as expected,
        'info' as status
    from facts
)

select * from final
