-- Checks arrests_287g_county_share (>= 70 %), arrests_rows_without_date, arrests_rows_without_aor (info), per layout.
with

arrests as (
    select
        source_layout,
        is_287g,
        county_fips,
        aor_code,
        apprehension_date
    from {{ ref('int_arrests_agency_matched') }}
),

by_layout as (
    select
        source_layout,
        sum(case when is_287g then 1 else 0 end) as n_287g,
        sum(case when is_287g and county_fips is not null then 1 else 0 end) as n_287g_with_county,
        sum(case when aor_code is null then 1 else 0 end) as n_without_aor,
        sum(case when apprehension_date is null then 1 else 0 end) as n_without_date
    from arrests
    group by source_layout
),

final as (
    select
        'arrests_287g_county_share' as check_name,
        source_layout as scope,
        cast(round(cast(100.0 * n_287g_with_county / nullif(n_287g, 0) as decimal(9, 2)), 1) as {{ dbt.type_string() }})
            as observed,
        '>= 70' as expected,
        case when n_287g = 0 then 'info' when 100.0 * n_287g_with_county / n_287g >= 70 then 'pass' else 'fail' end
            as status
    from by_layout

    union all

    select
        'arrests_rows_without_date' as check_name,
        source_layout as scope,
        cast(n_without_date as {{ dbt.type_string() }}) as observed,
        '0' as expected,
        case when n_without_date = 0 then 'pass' else 'fail' end as status
    from by_layout

    union all

    select
        'arrests_rows_without_aor' as check_name,
        source_layout as scope,
        cast(n_without_aor as {{ dbt.type_string() }}) as observed,
        'few (printed blank)' as expected,
        'info' as status
    from by_layout
)

select * from final
