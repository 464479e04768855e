-- Checks validation_errors_in_landed_files, validation_expectations_passed and validation_warnings_counted.
with

validation_results as (
    select
        severity,
        is_success
    from {{ ref('stg_ingest__validation_results') }}
    where is_landed
),

validation_summary as (
    select
        count(*) as n_evaluated,
        coalesce(sum(case when is_success then 1 else 0 end), 0) as n_passed,
        coalesce(sum(case when not is_success and severity = 'error' then 1 else 0 end), 0) as n_errors,
        coalesce(sum(case when not is_success and severity = 'warn' then 1 else 0 end), 0) as n_warnings
    from validation_results
),

final as (
    select
        'validation_errors_in_landed_files' as check_name,
        'all sources' as scope,
        cast(n_errors as {{ dbt.type_string() }}) as observed,
        '0' as expected,
        case when n_errors = 0 then 'pass' else 'fail' end as status
    from validation_summary

    union all

    select
        'validation_expectations_passed' as check_name,
        'all sources' as scope,
        cast(n_passed as {{ dbt.type_string() }}) as observed,
        {{ dbt.concat(["'of '", "cast(n_evaluated as " ~ dbt.type_string() ~ ")"]) }} as expected,
        'info' as status
    from validation_summary

    union all

    select
        'validation_warnings_counted' as check_name,
        'all sources' as scope,
        cast(n_warnings as {{ dbt.type_string() }}) as observed,
        'typo variants and repaired values, landed as printed' as expected,
        'info' as status
    from validation_summary
)

select * from final
