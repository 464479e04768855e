-- Checks publications_have_rows, publication_rows_match_manifest, publications_listed (per kind).
with

publications as (
    select
        publication_id,
        publication_kind,
        n_rows
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

final as (
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
)

select * from final
