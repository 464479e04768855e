-- Check pep_county_rows_sum_to_state_row: the census PEP county rows of a state sum to its state row.
with

pep as (
    select
        state_fips,
        is_state_row,
        population_2024
    from {{ ref('stg_census__pep_county') }}
    where {{ newest_file_filter(ref('stg_census__pep_county')) }}
),

pep_state_sums as (
    select
        state_rows.state_fips,
        state_rows.population_2024 as state_population,
        sum(county_rows.population_2024) as county_sum
    from pep as state_rows
    inner join pep as county_rows
        on
            state_rows.state_fips = county_rows.state_fips
            and not county_rows.is_state_row
    where state_rows.is_state_row
    group by state_rows.state_fips, state_rows.population_2024
),

final as (
    select
        'pep_county_rows_sum_to_state_row' as check_name,
        'census PEP states' as scope,
        cast(sum(case when county_sum <> state_population then 1 else 0 end) as {{ dbt.type_string() }})
        || ' of ' || cast(count(*) as {{ dbt.type_string() }}) || ' states differ' as observed,
        '0 states differ' as expected,
        case
            when count(*) = 0 then 'info'
            when sum(case when county_sum <> state_population then 1 else 0 end) = 0 then 'pass'
            else 'fail'
        end as status
    from pep_state_sums
)

select * from final
