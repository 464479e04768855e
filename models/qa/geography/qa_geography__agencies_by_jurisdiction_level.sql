-- Check agencies_by_jurisdiction_level (info): agencies per level (scope 'unknown' when the level is).
with

geography as (
    select jurisdiction_level
    from {{ ref('int_agency_geography') }}
),

final as (
    select
        'agencies_by_jurisdiction_level' as check_name,
        coalesce(jurisdiction_level, 'unknown') as scope,
        cast(count(*) as {{ dbt.type_string() }}) as observed,
        'count' as expected,
        'info' as status
    from geography
    group by jurisdiction_level
)

select * from final
