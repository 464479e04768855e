-- sqlfluff:exclude_rules:LT05,ST06,RF04
-- (`method` is the review mart's contract column name)
with

rows_normalised as (
    select
        row_kind,
        publication_id,
        sheet_row_number,
        state_code,
        state_printed,
        support_type_printed,
        agency_type_printed,
        county_printed,
        county_name,
        signed_printed
    from {{ ref('int_ice_rows_normalised') }}
),

publications as (
    select
        publication_id,
        source_file,
        published_date
    from {{ ref('int_publications_sequenced') }}
),

values_resolved as (
    select
        column_name,
        value_printed,
        resolved_to,
        method,
        confidence
    from {{ ref('int_ice_values_resolved') }}
    where method <> 'exact'
),

county_values as (
    select
        state_code,
        county_printed,
        county_fips,
        county_name,
        county_match_method,
        county_match_confidence,
        is_unit_mismatch,
        county_unmatched_reason
    from {{ ref('int_ice_county_values_matched') }}
),

rows_keyed as (
    select
        case
            when rows_normalised.row_kind = 'participating' then 'ice_participating_rows'
            else 'ice_pending_rows'
        end as source_table,
        coalesce({{ collapse_whitespace('rows_normalised.state_printed') }}, '') as state_key,
        rows_normalised.row_kind,
        rows_normalised.sheet_row_number,
        rows_normalised.state_code,
        rows_normalised.state_printed,
        rows_normalised.support_type_printed,
        rows_normalised.agency_type_printed,
        rows_normalised.county_printed,
        rows_normalised.county_name,
        rows_normalised.signed_printed,
        publications.source_file,
        publications.published_date
    from rows_normalised
    left join publications
        on rows_normalised.publication_id = publications.publication_id
),

text_cells as (
    select
        rows_keyed.source_table,
        'state' as column_name,
        coalesce(rows_keyed.state_printed, '') as value_printed,
        rows_keyed.state_key,
        rows_keyed.source_file,
        rows_keyed.published_date,
        rows_keyed.sheet_row_number
    from rows_keyed
    union all
    select
        rows_keyed.source_table,
        'support_type' as column_name,
        coalesce(rows_keyed.support_type_printed, '') as value_printed,
        rows_keyed.state_key,
        rows_keyed.source_file,
        rows_keyed.published_date,
        rows_keyed.sheet_row_number
    from rows_keyed
    union all
    select
        rows_keyed.source_table,
        'agency_type' as column_name,
        rows_keyed.agency_type_printed as value_printed,
        rows_keyed.state_key,
        rows_keyed.source_file,
        rows_keyed.published_date,
        rows_keyed.sheet_row_number
    from rows_keyed
    where {{ collapse_whitespace('rows_keyed.agency_type_printed') }} is not null
    union all
    select
        rows_keyed.source_table,
        'signed' as column_name,
        coalesce(rows_keyed.signed_printed, '') as value_printed,
        rows_keyed.state_key,
        rows_keyed.source_file,
        rows_keyed.published_date,
        rows_keyed.sheet_row_number
    from rows_keyed
    where rows_keyed.row_kind = 'participating'
),

text_for_review as (
    select
        text_cells.source_table,
        text_cells.column_name,
        text_cells.value_printed,
        text_cells.state_key as state_printed,
        values_resolved.resolved_to,
        values_resolved.method,
        values_resolved.confidence,
        text_cells.source_file,
        text_cells.published_date,
        text_cells.sheet_row_number
    from text_cells
    inner join values_resolved
        on
            text_cells.column_name = values_resolved.column_name
            and text_cells.value_printed = values_resolved.value_printed
),

county_for_review as (
    select
        rows_keyed.source_table,
        'county' as column_name,
        rows_keyed.county_printed as value_printed,
        rows_keyed.state_key as state_printed,
        case
            when county_values.county_fips is not null
                then county_values.county_name || ' (' || county_values.county_fips || ')'
        end as resolved_to,
        case
            when {{ is_error_cell('rows_keyed.county_printed') }} then 'error_cell'
            when county_values.county_fips is null then 'unmatched'
            else county_values.county_match_method
        end as method,
        coalesce(county_values.county_match_confidence, 0.0) as confidence,
        rows_keyed.source_file,
        rows_keyed.published_date,
        rows_keyed.sheet_row_number
    from rows_keyed
    left join county_values
        on
            rows_keyed.state_code = county_values.state_code
            and rows_keyed.county_name = county_values.county_printed
    where
        {{ is_error_cell('rows_keyed.county_printed') }}
        or (
            rows_keyed.county_name is not null
            and coalesce(county_values.county_unmatched_reason, '') <> 'no_census_counties'
            and (
                county_values.county_fips is null
                or county_values.county_match_method not in ('column_exact', 'column_key')
                or county_values.is_unit_mismatch
            )
        )
),

cells_for_review as (
    select * from text_for_review
    union all
    select * from county_for_review
),

ranked as (
    select
        cells_for_review.*,
        row_number() over (
            partition by
                cells_for_review.source_table,
                cells_for_review.column_name,
                cells_for_review.value_printed,
                cells_for_review.state_printed
            order by
                cells_for_review.published_date desc,
                cells_for_review.source_file asc,
                cells_for_review.sheet_row_number asc
        ) as example_rank
    from cells_for_review
),

final as (
    select
        source_table,
        column_name,
        value_printed,
        state_printed,
        max(resolved_to) as resolved_to,
        max(method) as method,
        cast(max(confidence) as double precision) as confidence,
        count(*) as n_rows,
        min(published_date) as first_published_date,
        max(published_date) as last_published_date,
        max(case when example_rank = 1 then source_file end) as example_file,
        max(case when example_rank = 1 then sheet_row_number end) as example_row
    from ranked
    group by source_table, column_name, value_printed, state_printed
)

select * from final
