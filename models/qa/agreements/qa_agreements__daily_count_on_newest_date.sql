-- Check daily_count_on_newest_date_equals_listings: the daily mart on the newest date = its listings.
with

listings as (
    select
        agreement_id,
        publication_id
    from {{ ref('fct_agreement_listings') }}
),

newest_publication as (
    select
        publication_id,
        published_date
    from {{ ref('dim_publications') }}
    where kind = 'participating' and is_latest
),

daily as (
    select
        as_of_date,
        n_active_agreements
    from {{ ref('rpt_active_agreements_daily') }}
),

newest_listings as (
    select
        newest_publication.published_date,
        count(listings.agreement_id) as n_listings
    from newest_publication
    left join listings
        on newest_publication.publication_id = listings.publication_id
    group by newest_publication.publication_id, newest_publication.published_date
),

final as (
    select
        'daily_count_on_newest_date_equals_listings' as check_name,
        cast(newest_listings.published_date as {{ dbt.type_string() }}) as scope,
        cast(coalesce(sum(daily.n_active_agreements), 0) as {{ dbt.type_string() }}) as observed,
        cast(newest_listings.n_listings as {{ dbt.type_string() }}) as expected,
        case when coalesce(sum(daily.n_active_agreements), 0) = newest_listings.n_listings then 'pass' else 'fail' end as status
    from newest_listings
    left join daily
        on newest_listings.published_date = daily.as_of_date
    group by newest_listings.published_date, newest_listings.n_listings
)

select * from final
