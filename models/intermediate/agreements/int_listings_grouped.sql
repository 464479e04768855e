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

ranked as (
    select
        rows_resolved.*,
        publications.publication_seq,
        row_number() over (
            partition by rows_resolved.publication_id, rows_resolved.agency_id, rows_resolved.support_type, rows_resolved.signed_date
            order by rows_resolved.sheet_row_number
        ) as row_rank
    from rows_resolved
    inner join publications
        on rows_resolved.publication_id = publications.publication_id
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
        max(case when has_agency_fix then 1 else 0 end) = 1 as has_agency_fix
    from rows_resolved
    group by publication_id, agency_id, support_type, signed_date
),

final as (
    select
        ranked.publication_id,
        ranked.agency_id,
        ranked.support_type,
        ranked.signed_date,
        ranked.publication_seq,
        ranked.row_id as first_row_id,
        ranked.state_code,
        ranked.support_type_code,
        ranked.name_key,
        ranked.state_printed,
        ranked.agency_name_printed,
        ranked.agency_type_printed,
        ranked.county_printed,
        ranked.support_type_printed,
        ranked.signed_printed,
        {{ moa_as_published('ranked.moa_printed', 'ranked.moa_url') }} as moa_printed,
        ranked.moa_url,
        ranked.addendum_printed,
        ranked.addendum_url,
        ranked.agency_type,
        ranked.county_name,
        ranked.sheet_row_number,
        distinct_printed.n_printed_rows,
        distinct_printed.n_distinct_printed_rows,
        distinct_printed.has_agency_fix,
        ranked.is_moa_pending,
        ranked.moa_url is not null as has_moa_url,
        ranked.published_date
    from ranked
    inner join distinct_printed
        on
            ranked.publication_id = distinct_printed.publication_id
            and ranked.agency_id = distinct_printed.agency_id
            and ranked.support_type = distinct_printed.support_type
            and ranked.signed_date is not distinct from distinct_printed.signed_date
    where ranked.row_rank = 1
)

select * from final
