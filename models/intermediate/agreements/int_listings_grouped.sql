with

rows_resolved as (
    select * from {{ ref('int_ice_rows_resolved') }}
    where row_kind = 'participating'
),

publications as (
    select
        publication_id,
        published_date,
        publication_seq
    from {{ ref('int_publications_sequenced') }}
    where publication_kind = 'participating'
),

distinct_printed as (
    select
        publication_id,
        agency_id,
        support_type,
        signed_date,
        count(*) as n_printed_rows,
        count(
            distinct
            upper(trim(coalesce(state_printed, ''))) || '|' || lower(trim(coalesce(agency_name_printed, ''))) || '|'
            || lower(trim(coalesce(agency_type_printed, ''))) || '|' || lower(trim(coalesce(county_printed, ''))) || '|'
            || lower(trim(coalesce(support_type_printed, ''))) || '|' || coalesce(cast(signed_date as {{ dbt.type_string() }}), '') || '|'
            || coalesce(moa_url, '') || '|' || coalesce(addendum_url, '') || '|'
            || lower(trim(coalesce({{ moa_as_published('moa_printed', 'moa_url') }}, ''))) || '|'
            || lower(trim(coalesce(addendum_printed, '')))
        ) as n_distinct_printed_rows,
        max(case when has_agency_fix then 1 else 0 end) = 1 as has_agency_fix,
        -- the listing's first printed row (a row number is unique within its publication): the row the
        -- listing's printed values come from, found by one join instead of ranking every row
        min(sheet_row_number) as first_sheet_row_number
    from rows_resolved
    group by publication_id, agency_id, support_type, signed_date
),

sequenced_rows as (
    select
        rows_resolved.*,
        publications.publication_seq
    from rows_resolved
    inner join publications
        on rows_resolved.publication_id = publications.publication_id
),

final as (
    select
        sequenced_rows.publication_id,
        sequenced_rows.agency_id,
        sequenced_rows.support_type,
        sequenced_rows.signed_date,
        sequenced_rows.publication_seq,
        sequenced_rows.row_id as first_row_id,
        sequenced_rows.state_code,
        sequenced_rows.support_type_code,
        sequenced_rows.name_key,
        sequenced_rows.state_printed,
        sequenced_rows.agency_name_printed,
        sequenced_rows.agency_type_printed,
        sequenced_rows.county_printed,
        sequenced_rows.support_type_printed,
        sequenced_rows.signed_printed,
        {{ moa_as_published('sequenced_rows.moa_printed', 'sequenced_rows.moa_url') }} as moa_printed,
        sequenced_rows.moa_url,
        sequenced_rows.addendum_printed,
        sequenced_rows.addendum_url,
        sequenced_rows.agency_type,
        sequenced_rows.county_name,
        sequenced_rows.sheet_row_number,
        distinct_printed.n_printed_rows,
        distinct_printed.n_distinct_printed_rows,
        distinct_printed.has_agency_fix,
        sequenced_rows.is_moa_pending,
        sequenced_rows.moa_url is not null as has_moa_url,
        sequenced_rows.published_date
    from sequenced_rows
    inner join distinct_printed
        on
            sequenced_rows.publication_id = distinct_printed.publication_id
            and sequenced_rows.sheet_row_number = distinct_printed.first_sheet_row_number
)

select * from final
