-- Check unmatched_payees (info): ledger payees no tier matched to an agency.
with

payees as (
    select match_status
    from {{ ref('int_ledger_payees_matched') }}
),

payee_counts as (
    select
        count(*) as n_payees,
        coalesce(sum(case when match_status = 'unmatched' then 1 else 0 end), 0) as n_unmatched
    from payees
),

final as (
    select
        'unmatched_payees' as check_name,
        'payments' as scope,
        cast(n_unmatched as {{ dbt.type_string() }}) as observed,
        'of ' || cast(n_payees as {{ dbt.type_string() }}) || ' payees; listed in rpt_payment_anomalies'
            as expected,
        'info' as status
    from payee_counts
)

select * from final
