-- Check signing_date_corrections (info): ICE re-datings folded into agreements.
with

agreements as (
    select n_signing_date_corrections
    from {{ ref('fct_agreements') }}
),

final as (
    select
        'signing_date_corrections' as check_name,
        'fct_agreements' as scope,
        cast(coalesce(sum(n_signing_date_corrections), 0) as {{ dbt.type_string() }}) as observed,
        'see rpt_signing_date_corrections' as expected,
        'info' as status
    from agreements
)

select * from final
