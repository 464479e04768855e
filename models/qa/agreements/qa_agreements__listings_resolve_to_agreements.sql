-- Check listings_resolve_to_agreements: every listing's agreement_id is an agreement.
with

listings as (
    select agreement_id
    from {{ ref('fct_agreement_listings') }}
),

agreements as (
    select agreement_id
    from {{ ref('fct_agreements') }}
),

final as (
    select
        'listings_resolve_to_agreements' as check_name,
        'fct_agreement_listings' as scope,
        cast(count(*) as {{ dbt.type_string() }}) as observed,
        '0' as expected,
        case when count(*) = 0 then 'pass' else 'fail' end as status
    from listings
    left join agreements
        on listings.agreement_id = agreements.agreement_id
    where agreements.agreement_id is null
)

select * from final
