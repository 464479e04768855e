-- On each publication date, the daily active counts equal that publication's listings
-- (by state and support type, and in total).
with

daily as (
    select
        as_of_date,
        state_code,
        support_type,
        n_active_agreements
    from {{ ref('rpt_active_agreements_daily') }}
),

publications as (
    select
        publication_id,
        published_date
    from {{ ref('dim_publications') }}
    where
        kind = 'participating'
        and n_publications_same_date = 1
),

listed as (
    select
        publications.published_date,
        listings.state_code,
        listings.support_type,
        count(*) as n_listings
    from {{ ref('fct_agreement_listings') }} as listings
    inner join publications
        on listings.publication_id = publications.publication_id
    group by publications.published_date, listings.state_code, listings.support_type
)

select
    coalesce(daily.as_of_date, listed.published_date) as as_of_date,
    coalesce(daily.state_code, listed.state_code) as state_code,
    coalesce(daily.support_type, listed.support_type) as support_type,
    daily.n_active_agreements,
    listed.n_listings
from daily
inner join publications
    on daily.as_of_date = publications.published_date
full outer join listed
    on
        daily.as_of_date = listed.published_date
        and daily.state_code = listed.state_code
        and daily.support_type = listed.support_type
where coalesce(daily.n_active_agreements, 0) <> coalesce(listed.n_listings, 0)
