-- Check publications_validated_before_landing: every ICE publication has landed validation results.
with

publications as (
    select file_sha256
    from {{ ref('int_publications_sequenced') }}
),

validation_results as (
    select file_sha256
    from {{ ref('stg_ingest__validation_results') }}
    where is_landed
),

validated_files as (
    select distinct file_sha256
    from validation_results
),

unvalidated as (
    select count(*) as n_unvalidated
    from publications
    left join validated_files
        on publications.file_sha256 = validated_files.file_sha256
    where validated_files.file_sha256 is null
),

final as (
    select
        'publications_validated_before_landing' as check_name,
        'ice' as scope,
        cast(n_unvalidated as {{ dbt.type_string() }}) as observed,
        '0' as expected,
        case when n_unvalidated = 0 then 'pass' else 'fail' end as status
    from unvalidated
)

select * from final
