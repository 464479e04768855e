{#- Named invariants of the ICE publications and of the ingestion gate; one row per check and scope.
    status: fail breaks the build (tests/dbt/assert_qa_summary_has_no_failures.sql), info only reports. -#}

with

publications as (
    select
        publication_id,
        file_sha256,
        publication_kind,
        file_name,
        date_flag,
        n_rows,
        published_date
    from {{ ref('stg_ice__publications') }}
),

participating_rows as (
    select publication_id
    from {{ ref('stg_ice__participating_rows') }}
),

pending_rows as (
    select publication_id
    from {{ ref('stg_ice__pending_rows') }}
),

validation_results as (
    select
        file_sha256,
        severity,
        is_success,
        is_landed
    from {{ ref('stg_ingest__validation_results') }}
),

kinds as (
    select 'participating' as publication_kind
    union all
    select 'pending' as publication_kind
),

staged_rows as (
    select
        publication_id,
        count(*) as n_staged_rows
    from participating_rows
    group by publication_id
    union all
    select
        publication_id,
        count(*) as n_staged_rows
    from pending_rows
    group by publication_id
),

publication_rows as (
    select
        publications.publication_id,
        publications.publication_kind,
        publications.n_rows as n_manifest_rows,
        coalesce(staged_rows.n_staged_rows, 0) as n_staged_rows
    from publications
    left join staged_rows
        on publications.publication_id = staged_rows.publication_id
),

row_checks as (
    select
        kinds.publication_kind,
        count(publication_rows.publication_id) as n_publications,
        coalesce(sum(case when publication_rows.n_staged_rows = 0 then 1 else 0 end), 0) as n_empty,
        coalesce(sum(
            case when publication_rows.n_staged_rows <> publication_rows.n_manifest_rows then 1 else 0 end
        ), 0) as n_row_mismatches
    from kinds
    left join publication_rows
        on kinds.publication_kind = publication_rows.publication_kind
    group by kinds.publication_kind
),

shared_dates as (
    select
        publication_kind,
        published_date,
        count(*) as n_publications,
        sum(case when date_flag is not null then 1 else 0 end) as n_flagged,
        {{ dbt.listagg('file_name', "', '", 'order by file_name') }} as file_names
    from publications
    where published_date is not null
    group by publication_kind, published_date
    having count(*) > 1
),

date_checks as (
    select
        kinds.publication_kind,
        coalesce(sum(case when shared_dates.n_flagged = 0 then 1 else 0 end), 0) as n_unflagged_shared,
        coalesce(sum(case when shared_dates.n_flagged > 0 then 1 else 0 end), 0) as n_flagged_shared
    from kinds
    left join shared_dates
        on kinds.publication_kind = shared_dates.publication_kind
    group by kinds.publication_kind
),

unflagged_shared_dates as (
    select
        publication_kind,
        {{ dbt.listagg(
            dbt.concat(["cast(published_date as " ~ dbt.type_string() ~ ")", "': '", 'file_names']),
            "'; '",
            'order by published_date'
        ) }} as detail
    from shared_dates
    where n_flagged = 0
    group by publication_kind
),

date_conflicts as (
    select
        kinds.publication_kind,
        count(publications.date_flag) as n_date_conflicts
    from kinds
    left join publications
        on kinds.publication_kind = publications.publication_kind
    group by kinds.publication_kind
),

validated_files as (
    select distinct file_sha256
    from validation_results
    where is_landed
),

unvalidated as (
    select count(*) as n_unvalidated
    from publications
    left join validated_files
        on publications.file_sha256 = validated_files.file_sha256
    where validated_files.file_sha256 is null
),

validation_summary as (
    select
        count(*) as n_evaluated,
        coalesce(sum(case when is_success then 1 else 0 end), 0) as n_passed,
        coalesce(sum(case when not is_success and severity = 'error' then 1 else 0 end), 0) as n_errors,
        coalesce(sum(case when not is_success and severity = 'warn' then 1 else 0 end), 0) as n_warnings
    from validation_results
    where is_landed
),

quarantined as (
    select count(distinct validation_results.file_sha256) as n_quarantined
    from validation_results
    left join validated_files
        on validation_results.file_sha256 = validated_files.file_sha256
    where
        not validation_results.is_landed
        and validated_files.file_sha256 is null
),

checks as (
    select
        'publications_have_rows' as check_name,
        publication_kind as scope,
        cast(n_empty as {{ dbt.type_string() }}) as observed,
        '0' as expected,
        case when n_empty = 0 then 'pass' else 'fail' end as status
    from row_checks

    union all

    select
        'publication_rows_match_manifest' as check_name,
        publication_kind as scope,
        cast(n_row_mismatches as {{ dbt.type_string() }}) as observed,
        '0' as expected,
        case when n_row_mismatches = 0 then 'pass' else 'fail' end as status
    from row_checks

    union all

    select
        'publications_listed' as check_name,
        publication_kind as scope,
        cast(n_publications as {{ dbt.type_string() }}) as observed,
        'count' as expected,
        'info' as status
    from row_checks

    union all

    select
        'published_dates_unique_unless_flagged' as check_name,
        date_checks.publication_kind as scope,
        coalesce(
            {{ dbt.concat([
                "cast(date_checks.n_unflagged_shared as " ~ dbt.type_string() ~ ")",
                "' ('", "unflagged_shared_dates.detail", "')'"
            ]) }},
            cast(date_checks.n_unflagged_shared as {{ dbt.type_string() }})
        ) as observed,
        '0' as expected,
        case when date_checks.n_unflagged_shared = 0 then 'pass' else 'fail' end as status
    from date_checks
    left join unflagged_shared_dates
        on date_checks.publication_kind = unflagged_shared_dates.publication_kind

    union all

    select
        'published_dates_shared_with_flag' as check_name,
        publication_kind as scope,
        cast(n_flagged_shared as {{ dbt.type_string() }}) as observed,
        '0 (flagged conflicts are reported, not failed)' as expected,
        'info' as status
    from date_checks

    union all

    select
        'publication_date_conflicts' as check_name,
        publication_kind as scope,
        cast(n_date_conflicts as {{ dbt.type_string() }}) as observed,
        'count of file-name/folder dates before the latest SIGNED' as expected,
        'info' as status
    from date_conflicts

    union all

    select
        'publications_validated_before_landing' as check_name,
        'ice' as scope,
        cast(n_unvalidated as {{ dbt.type_string() }}) as observed,
        '0' as expected,
        case when n_unvalidated = 0 then 'pass' else 'fail' end as status
    from unvalidated

    union all

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

    union all

    select
        'files_quarantined' as check_name,
        'all sources' as scope,
        cast(n_quarantined as {{ dbt.type_string() }}) as observed,
        '0 (see raw.load_rejections)' as expected,
        'info' as status
    from quarantined
),

final as (
    select
        check_name,
        scope,
        observed,
        expected,
        status
    from checks
)

select * from final
