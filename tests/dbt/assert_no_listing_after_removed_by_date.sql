-- An agreement is never listed in or after the publication that removed it (compared by publication
-- order: several sheets are published on one day, so a same-day removal is not a listing after it).
select
    agreements.agreement_id,
    agreements.removed_by_date,
    listings.published_date
from {{ ref('fct_agreements') }} as agreements
inner join {{ ref('dim_publications') }} as removed_by
    on agreements.removed_by_publication_id = removed_by.publication_id
inner join {{ ref('fct_agreement_listings') }} as listings
    on agreements.agreement_id = listings.agreement_id
where listings.publication_seq >= removed_by.publication_seq
