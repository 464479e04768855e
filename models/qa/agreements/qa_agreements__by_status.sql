-- Check agreements_by_status (info): agreements per status.
with

agreements as (
    select status
    from {{ ref('fct_agreements') }}
),

final as (
    select
        'agreements_by_status' as check_name,
        status as scope,
        cast(count(*) as {{ dbt.type_string() }}) as observed,
        'Active/Superseded/Removed' as expected,
        'info' as status
    from agreements
    group by status
)

select * from final
