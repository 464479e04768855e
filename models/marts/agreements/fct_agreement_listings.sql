with

listings as (
    select * from {{ ref('int_listings_grouped') }}
),

series_chained as (
    select
        agreement_id,
        agency_id,
        support_type,
        signed_date
    from {{ ref('int_agreement_series_chained') }}
),

final as (
    select
        series_chained.agreement_id,
        listings.publication_id,
        listings.agency_id,
        listings.first_row_id as listing_row_id,
        listings.state_code,
        listings.support_type,
        listings.state_printed,
        listings.agency_name_printed,
        listings.agency_type_printed,
        listings.county_printed,
        listings.support_type_printed,
        listings.signed_printed,
        listings.moa_printed,
        listings.moa_url,
        listings.addendum_printed,
        listings.addendum_url,
        listings.publication_seq,
        listings.sheet_row_number,
        listings.n_printed_rows,
        listings.n_distinct_printed_rows,
        listings.has_moa_url,
        listings.is_moa_pending,
        listings.has_agency_fix,
        listings.published_date,
        listings.signed_date
    from listings
    inner join series_chained
        on
            listings.agency_id = series_chained.agency_id
            and listings.support_type = series_chained.support_type
            and listings.signed_date is not distinct from series_chained.signed_date
)

select * from final
