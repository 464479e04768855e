with

listings as (
    select
        agreement_id,
        agency_id,
        state_code,
        support_type,
        publication_id,
        publication_seq,
        published_date,
        signed_date,
        moa_url,
        addendum_url,
        agency_name_printed
    from {{ ref('fct_agreement_listings') }}
),

series_chained as (
    select distinct
        agreement_id,
        support_type_code,
        agreement_signed_date
    from {{ ref('int_agreement_series_chained') }}
),

publications as (
    select
        publication_id,
        published_date,
        publication_seq
    from {{ ref('int_publications_sequenced') }}
    where publication_kind = 'participating'
),

newest as (
    select max(publication_seq) as newest_seq
    from publications
),

spans as (
    select
        agreement_id,
        min(agency_id) as agency_id,
        min(state_code) as state_code,
        min(support_type) as support_type,
        min(publication_seq) as first_seq,
        max(publication_seq) as last_seq,
        count(*) as n_listings,
        count(distinct signed_date) as n_signed_dates,
        min(published_date) as first_listed_date,
        max(published_date) as last_listed_date
    from listings
    group by agreement_id
),

latest_values as (
    select
        listings.agreement_id,
        listings.moa_url,
        listings.addendum_url,
        listings.agency_name_printed
    from listings
    inner join spans
        on
            listings.agreement_id = spans.agreement_id
            and listings.publication_seq = spans.last_seq
),

first_moa as (
    select
        agreement_id,
        min(published_date) as moa_posted_date
    from listings
    where moa_url is not null
    group by agreement_id
),

removal as (
    select
        spans.*,
        removed_by.publication_id as removed_by_publication_id,
        removed_by.published_date as removed_by_date,
        spans.last_seq = newest.newest_seq as is_active
    from spans
    cross join newest
    left join publications as removed_by
        on spans.last_seq + 1 = removed_by.publication_seq
),

successor_candidates as (
    select
        removal.agreement_id,
        later.agreement_id as successor_agreement_id,
        row_number() over (
            partition by removal.agreement_id
            order by later.first_seq, later.agreement_id
        ) as successor_rank
    from removal
    inner join spans as later
        on
            removal.agency_id = later.agency_id
            and removal.support_type = later.support_type
            and removal.agreement_id <> later.agreement_id
            and removal.last_seq + 1 >= later.first_seq
            and removal.last_seq + 1 <= later.last_seq
            and removal.first_seq < later.first_seq
    where not removal.is_active
),

final as (
    select
        removal.agreement_id,
        removal.agency_id,
        removal.state_code,
        removal.support_type,
        series_chained.support_type_code,
        case
            when removal.is_active then 'Active'
            when successor_candidates.successor_agreement_id is not null then 'Superseded'
            else 'Removed'
        end as status,
        successor_candidates.successor_agreement_id,
        removal.removed_by_publication_id,
        latest_values.agency_name_printed as latest_agency_name_printed,
        latest_values.moa_url,
        latest_values.addendum_url,
        removal.n_listings,
        removal.n_signed_dates - 1 as n_signing_date_corrections,
        removal.is_active,
        series_chained.agreement_signed_date as signed_date,
        removal.first_listed_date,
        removal.last_listed_date,
        removal.removed_by_date,
        first_moa.moa_posted_date,
        removal.first_listed_date as valid_from,
        removal.removed_by_date as valid_to
    from removal
    inner join series_chained
        on removal.agreement_id = series_chained.agreement_id
    inner join latest_values
        on removal.agreement_id = latest_values.agreement_id
    left join first_moa
        on removal.agreement_id = first_moa.agreement_id
    left join successor_candidates
        on
            removal.agreement_id = successor_candidates.agreement_id
            and successor_candidates.successor_rank = 1
)

select * from final
