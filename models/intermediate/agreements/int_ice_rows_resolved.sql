-- Attach the resolved agency_id and the publication date to every printed row. A view, like
-- int_ice_rows_corrected: two small joins, which its readers run faster than a table of every printed
-- column is written.
{{ config(materialized='view') }}
with

rows_corrected as (
    select * from {{ ref('int_ice_rows_corrected') }}
),

agency_aliases as (
    select
        state_code,
        name_key,
        agency_id
    from {{ ref('int_agency_aliases') }}
),

publications as (
    select
        publication_id,
        published_date
    from {{ ref('stg_ice__publications') }}
),

final as (
    select
        rows_corrected.row_id,
        rows_corrected.row_kind,
        rows_corrected.publication_id,
        rows_corrected.state_code,
        rows_corrected.name_key,
        rows_corrected.agency_name_clean,
        rows_corrected.support_type,
        rows_corrected.support_type_code,
        rows_corrected.agency_type,
        rows_corrected.county_name,
        rows_corrected.state_match_rule,
        rows_corrected.state_printed,
        rows_corrected.agency_name_printed,
        rows_corrected.agency_type_printed,
        rows_corrected.county_printed,
        rows_corrected.support_type_printed,
        rows_corrected.signed_printed,
        rows_corrected.moa_printed,
        rows_corrected.addendum_printed,
        rows_corrected.moa_url,
        rows_corrected.addendum_url,
        rows_corrected.sheet_row_number,
        rows_corrected.is_moa_pending,
        rows_corrected.signed_date,
        rows_corrected.resolved_name_key,
        rows_corrected.resolved_agency_name,
        rows_corrected.agency_fix_rule,
        rows_corrected.has_agency_fix,
        agency_aliases.agency_id,
        publications.published_date
    from rows_corrected
    inner join publications
        on rows_corrected.publication_id = publications.publication_id
    left join agency_aliases
        on
            rows_corrected.state_code = agency_aliases.state_code
            and rows_corrected.resolved_name_key = agency_aliases.name_key
)

select * from final
