-- A view: every printed row with the reviewed agreement-level agency fixes joined on. Its three
-- readers read only a few of its columns, so a table bought nothing but writing every printed column
-- of every row once more (~0.6 s of each build of the archive, on the build's critical path).
{{ config(materialized='view') }}

with

rows_normalised as (
    select * from {{ ref('int_ice_rows_normalised') }}
),

agreement_agency_fixes as (
    select
        state_code,
        {{ agency_name_key('agency_name_printed') }} as name_key,
        support_type,
        cast(signed_date as date) as signed_date,
        {{ agency_display_name('agency_name_fixed') }} as agency_name_fixed
    from {{ ref('agreement_agency_fixes') }}
),

agreement_moves as (
    select
        state_code,
        support_type,
        signed_date,
        name_key,
        moved_to_name_key,
        moved_to_agency_name
    from {{ ref('int_agreement_moves_detected') }}
),

final as (
    select
        rows_normalised.row_id,
        rows_normalised.row_kind,
        rows_normalised.publication_id,
        rows_normalised.state_code,
        rows_normalised.name_key,
        rows_normalised.agency_name_clean,
        rows_normalised.support_type,
        rows_normalised.support_type_code,
        rows_normalised.agency_type,
        rows_normalised.county_name,
        rows_normalised.state_match_rule,
        rows_normalised.state_printed,
        rows_normalised.agency_name_printed,
        rows_normalised.agency_type_printed,
        rows_normalised.county_printed,
        rows_normalised.support_type_printed,
        rows_normalised.signed_printed,
        rows_normalised.moa_printed,
        rows_normalised.addendum_printed,
        rows_normalised.moa_url,
        rows_normalised.addendum_url,
        rows_normalised.sheet_row_number,
        rows_normalised.is_moa_pending,
        rows_normalised.signed_date,
        coalesce(
            {{ agency_name_key('agreement_agency_fixes.agency_name_fixed') }},
            agreement_moves.moved_to_name_key,
            rows_normalised.name_key
        ) as resolved_name_key,
        coalesce(
            agreement_agency_fixes.agency_name_fixed,
            agreement_moves.moved_to_agency_name,
            rows_normalised.agency_name_clean
        ) as resolved_agency_name,
        case
            when agreement_agency_fixes.agency_name_fixed is not null then 'agreement_agency_fixes'
            when agreement_moves.moved_to_name_key is not null then 'same_moa_file_moved'
        end as agency_fix_rule,
        agreement_agency_fixes.agency_name_fixed is not null or agreement_moves.moved_to_name_key is not null as has_agency_fix
    from rows_normalised
    left join agreement_agency_fixes
        on
            rows_normalised.state_code = agreement_agency_fixes.state_code
            and rows_normalised.name_key = agreement_agency_fixes.name_key
            and rows_normalised.support_type = agreement_agency_fixes.support_type
            and rows_normalised.signed_date = agreement_agency_fixes.signed_date
            and rows_normalised.row_kind = 'participating'
    left join agreement_moves
        on
            rows_normalised.state_code = agreement_moves.state_code
            and rows_normalised.name_key = agreement_moves.name_key
            and rows_normalised.support_type = agreement_moves.support_type
            and rows_normalised.signed_date = agreement_moves.signed_date
            and rows_normalised.row_kind = 'participating'
)

select * from final
