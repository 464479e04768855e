-- Check days_with_several_publications (info): dates shared by more than one publication of a kind.
with

publications as (
    select
        publication_kind,
        published_date
    from {{ ref('int_publications_sequenced') }}
),

kinds as (
    select 'participating' as publication_kind
    union all
    select 'pending' as publication_kind
),

shared_dates as (
    select
        publication_kind,
        published_date
    from publications
    group by publication_kind, published_date
    having count(*) > 1
),

counted as (
    select
        kinds.publication_kind,
        (
            select count(*) from shared_dates
            where shared_dates.publication_kind = kinds.publication_kind)
            as n_shared_dates
    from kinds
),

final as (
    select
        'days_with_several_publications' as check_name,
        publication_kind as scope,
        cast(n_shared_dates as {{ dbt.type_string() }}) as observed,
        'count (am, mid and pm versions; captures several times a day)' as expected,
        'info' as status
    from counted
)

select * from final
