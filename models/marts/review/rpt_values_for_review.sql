-- One import CTE per int_review__<concern> model (same columns), unioned below: add a concern in both places.

with

review_ice_values as (
    select
        source_table,
        column_name,
        value_printed,
        state_printed,
        resolved_to,
        method,
        confidence,
        n_rows,
        first_published_date,
        last_published_date,
        example_file,
        example_row
    from {{ ref('int_review__ice_values') }}
),

review_unsafe_cells as (
    select
        source_table,
        column_name,
        value_printed,
        state_printed,
        resolved_to,
        method,
        confidence,
        n_rows,
        first_published_date,
        last_published_date,
        example_file,
        example_row
    from {{ ref('int_review__unsafe_cells') }}
),

unioned as (
    select * from review_ice_values
    union all
    select * from review_unsafe_cells
),

final as (
    select
        source_table,
        column_name,
        value_printed,
        state_printed,
        resolved_to,
        method,
        cast(confidence as decimal(5, 4)) as confidence,
        n_rows,
        first_published_date,
        last_published_date,
        example_file,
        example_row
    from unioned
)

select * from final
