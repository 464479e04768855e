-- Every participating publication: its listings account for exactly its distinct printed rows
-- (rows equal after trimming count once) and all of its printed rows.
with

printed as (
    select
        publication_id,
        count(*) as n_rows,
        count(
            distinct
            upper(trim(coalesce(state_printed, ''))) || '|' || lower(trim(coalesce(agency_name_printed, ''))) || '|'
            || lower(trim(coalesce(agency_type_printed, ''))) || '|' || lower(trim(coalesce(county_printed, ''))) || '|'
            || lower(trim(coalesce(support_type_printed, ''))) || '|' || coalesce(cast(signed_date as {{ dbt.type_string() }}), '') || '|'
            || coalesce(moa_url, '') || '|' || coalesce(addendum_url, '') || '|'
            || lower(trim(coalesce(moa_printed, ''))) || '|' || lower(trim(coalesce(addendum_printed, '')))
        ) as n_distinct_rows
    from {{ ref('stg_ice__participating_rows') }}
    group by publication_id
),

listed as (
    select
        publication_id,
        sum(n_printed_rows) as n_printed_rows,
        sum(n_distinct_printed_rows) as n_distinct_printed_rows
    from {{ ref('fct_agreement_listings') }}
    group by publication_id
)

select
    printed.publication_id,
    printed.n_rows,
    printed.n_distinct_rows,
    listed.n_printed_rows,
    listed.n_distinct_printed_rows
from printed
left join listed
    on printed.publication_id = listed.publication_id
where
    listed.publication_id is null
    or printed.n_rows <> listed.n_printed_rows
    or printed.n_distinct_rows <> listed.n_distinct_printed_rows
