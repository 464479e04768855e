-- Check publication_date_conflicts (info): publications whose file-name or folder date was flagged.
with

publications as (
    select
        publication_kind,
        date_flag
    from {{ ref('int_publications_sequenced') }}
),

kinds as (
    select 'participating' as publication_kind
    union all
    select 'pending' as publication_kind
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

final as (
    select
        'publication_date_conflicts' as check_name,
        publication_kind as scope,
        cast(n_date_conflicts as {{ dbt.type_string() }}) as observed,
        'count of file-name/folder dates before the latest SIGNED' as expected,
        'info' as status
    from date_conflicts
)

select * from final
