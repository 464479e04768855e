-- Check agreements_resolve_to_agencies: every agreement's agency_id is a dim_agencies agency.
with

agreements as (
    select agency_id
    from {{ ref('fct_agreements') }}
),

agencies as (
    select agency_id
    from {{ ref('dim_agencies') }}
),

final as (
    select
        'agreements_resolve_to_agencies' as check_name,
        'fct_agreements' as scope,
        cast(count(*) as {{ dbt.type_string() }}) as observed,
        '0' as expected,
        case when count(*) = 0 then 'pass' else 'fail' end as status
    from agreements
    left join agencies
        on agreements.agency_id = agencies.agency_id
    where agencies.agency_id is null
)

select * from final
