-- Check arrests_287g_by_link_method (info): 287(g) arrests per rule that linked them to an agency.
with

arrests as (
    select link_method
    from {{ ref('int_arrests_agency_matched') }}
    where is_287g
),

final as (
    select
        'arrests_287g_by_link_method' as check_name,
        link_method as scope,
        cast(count(*) as {{ dbt.type_string() }}) as observed,
        'info' as expected,
        'info' as status
    from arrests
    group by link_method
)

select * from final
