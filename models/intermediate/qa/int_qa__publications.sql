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
        date_method,
        n_rows,
        published_date,
        published_at,
        latest_signed_date,
        publication_seq
    from {{ ref('int_publications_sequenced') }}
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
        published_date
    from publications
    group by publication_kind, published_date
    having count(*) > 1
),

order_keys as (
    select
        publication_kind,
        published_at,
        file_name
    from publications
    group by publication_kind, published_at, file_name
    having count(*) > 1
),

date_checks as (
    select
        kinds.publication_kind,
        (
            select count(*) from shared_dates
            where shared_dates.publication_kind = kinds.publication_kind)
            as n_shared_dates,
        (
            select count(*) from order_keys
            where order_keys.publication_kind = kinds.publication_kind
        )
        + (
            select count(*) from publications
            where publications.publication_kind = kinds.publication_kind and publications.published_at is null
        ) as n_order_ties,
        (
            select count(*) from publications
            where
                publications.publication_kind = kinds.publication_kind
                and publications.published_date < publications.latest_signed_date
                and publications.date_method not in ('override', 'folder')
        ) as n_inferred_before_signed,
        (
            select count(*) from publications
            where
                publications.publication_kind = kinds.publication_kind
                and publications.published_date < publications.latest_signed_date
                and publications.date_method in ('override', 'folder')
        ) as n_given_before_signed
    from kinds
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
        'publication_order_total' as check_name,
        publication_kind as scope,
        cast(n_order_ties as {{ dbt.type_string() }}) as observed,
        '0 (publications with no published_at, or tied on published_at and file name)' as expected,
        case when n_order_ties = 0 then 'pass' else 'fail' end as status
    from date_checks

    union all

    select
        'published_on_or_after_latest_signed' as check_name,
        publication_kind as scope,
        cast(n_inferred_before_signed as {{ dbt.type_string() }}) as observed,
        '0 (an inferred date is never before an agreement the sheet lists)' as expected,
        case when n_inferred_before_signed = 0 then 'pass' else 'fail' end as status
    from date_checks

    union all

    select
        'given_dates_before_latest_signed' as check_name,
        publication_kind as scope,
        cast(n_given_before_signed as {{ dbt.type_string() }}) as observed,
        '0 (an override or folder date before the latest SIGNED is kept, flagged)' as expected,
        'info' as status
    from date_checks

    union all

    select
        'days_with_several_publications' as check_name,
        publication_kind as scope,
        cast(n_shared_dates as {{ dbt.type_string() }}) as observed,
        'count (am, mid and pm versions; captures several times a day)' as expected,
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
