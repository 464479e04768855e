-- Check files_quarantined (info): files with validation results that never landed.
with

validation_results as (
    select
        file_sha256,
        is_landed
    from {{ ref('stg_ingest__validation_results') }}
),

validated_files as (
    select distinct file_sha256
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

final as (
    select
        'files_quarantined' as check_name,
        'all sources' as scope,
        cast(n_quarantined as {{ dbt.type_string() }}) as observed,
        '0 (see raw.load_rejections)' as expected,
        'info' as status
    from quarantined
)

select * from final
