with recursive

listings as (
    select
        agency_id,
        support_type,
        support_type_code,
        signed_date
    from {{ ref('int_listings_grouped') }}
),

corrections as (
    select
        agency_id,
        support_type,
        signed_date_before,
        signed_date_after
    from {{ ref('int_signing_date_corrections_detected') }}
),

series as (
    select distinct
        agency_id,
        support_type,
        support_type_code,
        signed_date
    from listings
),

heads as (
    select series.*
    from series
    left join corrections
        on
            series.agency_id = corrections.agency_id
            and series.support_type = corrections.support_type
            and series.signed_date = corrections.signed_date_before
    where corrections.agency_id is null
),

chain as (
    select
        agency_id,
        support_type,
        support_type_code,
        signed_date,
        signed_date as head_signed_date,
        0 as n_corrections_after
    from heads
    union all
    select
        chain.agency_id,
        chain.support_type,
        chain.support_type_code,
        corrections.signed_date_before as signed_date,
        chain.head_signed_date,
        chain.n_corrections_after + 1 as n_corrections_after
    from chain
    inner join corrections
        on
            chain.agency_id = corrections.agency_id
            and chain.support_type = corrections.support_type
            and chain.signed_date = corrections.signed_date_after
),

final as (
    select
        agency_id || '#' || support_type_code || '#' || coalesce(cast(head_signed_date as {{ dbt.type_string() }}), 'unknown') as agreement_id,
        agency_id,
        support_type,
        support_type_code,
        signed_date,
        head_signed_date as agreement_signed_date,
        n_corrections_after
    from chain
)

select * from final
