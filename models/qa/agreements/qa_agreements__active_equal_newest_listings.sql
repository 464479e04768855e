-- Check active_agreements_equal_newest_listings: Active agreements = listings of the newest sheet.
with

listings as (
    select
        agreement_id,
        publication_id
    from {{ ref('fct_agreement_listings') }}
),

agreements as (
    select status
    from {{ ref('fct_agreements') }}
),

newest_publication as (
    select publication_id
    from {{ ref('dim_publications') }}
    where kind = 'participating' and is_latest
),

newest_listings as (
    select count(listings.agreement_id) as n_listings
    from newest_publication
    left join listings
        on newest_publication.publication_id = listings.publication_id
    group by newest_publication.publication_id
),

active_count as (
    select count(*) as n_active
    from agreements
    where status = 'Active'
),

final as (
    select
        'active_agreements_equal_newest_listings' as check_name,
        'newest participating publication' as scope,
        cast(active_count.n_active as {{ dbt.type_string() }}) as observed,
        cast(newest_listings.n_listings as {{ dbt.type_string() }}) as expected,
        case when active_count.n_active = newest_listings.n_listings then 'pass' else 'fail' end as status
    from newest_listings
    cross join active_count
)

select * from final
