-- Group the printed pending rows into pending listings.
with

rows_resolved as (
    select * from {{ ref('int_ice_rows_resolved') }}
    where row_kind = 'pending'
),

final as (
    select
        publication_id,
        agency_id,
        support_type,
        min(state_code) as state_code,
        min(agency_name_printed) as agency_name_printed,
        count(*) as n_printed_rows,
        min(published_date) as published_date
    from rows_resolved
    group by publication_id, agency_id, support_type
)

select * from final
