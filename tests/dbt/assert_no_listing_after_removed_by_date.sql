-- An agreement is never listed on or after its removed_by_date.
select
    agreements.agreement_id,
    agreements.removed_by_date,
    listings.published_date
from {{ ref('fct_agreements') }} as agreements
inner join {{ ref('fct_agreement_listings') }} as listings
    on agreements.agreement_id = listings.agreement_id
where
    agreements.removed_by_date is not null
    and listings.published_date >= agreements.removed_by_date
