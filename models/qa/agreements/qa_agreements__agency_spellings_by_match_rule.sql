-- Check agency_spellings_by_match_rule (info): agency spellings per rule that merged them.
with

aliases as (
    select match_rule
    from {{ ref('int_agency_aliases') }}
),

final as (
    select
        'agency_spellings_by_match_rule' as check_name,
        match_rule as scope,
        cast(count(*) as {{ dbt.type_string() }}) as observed,
        'reviewed' as expected,
        'info' as status
    from aliases
    group by match_rule
)

select * from final
