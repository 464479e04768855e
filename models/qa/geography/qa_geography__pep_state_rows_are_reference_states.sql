-- Check pep_state_rows_are_reference_states: every census PEP state row is a state of the reference seed.
with

pep as (
    select
        state_fips,
        is_state_row
    from {{ ref('stg_census__pep_county') }}
    where {{ newest_file_filter(ref('stg_census__pep_county')) }}
),

states as (
    select state_fips
    from {{ ref('states') }}
),

final as (
    select
        'pep_state_rows_are_reference_states' as check_name,
        'census PEP states' as scope,
        cast(sum(case when states.state_fips is null then 1 else 0 end) as {{ dbt.type_string() }})
        || ' unknown of ' || cast(count(*) as {{ dbt.type_string() }}) as observed,
        '0 unknown' as expected,
        case
            when count(*) = 0 then 'info'
            when sum(case when states.state_fips is null then 1 else 0 end) = 0 then 'pass'
            else 'fail'
        end as status
    from pep
    left join states
        on pep.state_fips = states.state_fips
    where pep.is_state_row
)

select * from final
