-- Active agreements are exactly the agreements listed in the newest participating publication.
with

newest as (
    select publication_id
    from {{ ref('dim_publications') }}
    where kind = 'participating' and is_latest
),

newest_listed as (
    select distinct listings.agreement_id
    from {{ ref('fct_agreement_listings') }} as listings
    inner join newest
        on listings.publication_id = newest.publication_id
),

active as (
    select agreement_id
    from {{ ref('fct_agreements') }}
    where status = 'Active'
)

select coalesce(newest_listed.agreement_id, active.agreement_id) as agreement_id
from newest_listed
full outer join active
    on newest_listed.agreement_id = active.agreement_id
where
    newest_listed.agreement_id is null
    or active.agreement_id is null
