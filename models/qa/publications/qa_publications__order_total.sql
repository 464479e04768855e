-- Check publication_order_total: no publication without published_at, none tied on (published_at, file name).
with

publications as (
    select
        publication_kind,
        file_name,
        published_at
    from {{ ref('int_publications_sequenced') }}
),

kinds as (
    select 'participating' as publication_kind
    union all
    select 'pending' as publication_kind
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

ties as (
    select
        kinds.publication_kind,
        (
            select count(*) from order_keys
            where order_keys.publication_kind = kinds.publication_kind
        )
        + (
            select count(*) from publications
            where publications.publication_kind = kinds.publication_kind and publications.published_at is null
        ) as n_order_ties
    from kinds
),

final as (
    select
        'publication_order_total' as check_name,
        publication_kind as scope,
        cast(n_order_ties as {{ dbt.type_string() }}) as observed,
        '0 (publications with no published_at, or tied on published_at and file name)' as expected,
        case when n_order_ties = 0 then 'pass' else 'fail' end as status
    from ties
)

select * from final
