-- Checks listings_account_for_every_printed_row and rows_folded_into_one_listing (info), per publication.
with

listings as (
    select
        publication_id,
        n_printed_rows
    from {{ ref('fct_agreement_listings') }}
),

publications as (
    select
        publication_id,
        published_date,
        n_rows
    from {{ ref('dim_publications') }}
    where kind = 'participating'
),

per_publication as (
    select
        publications.publication_id,
        publications.published_date,
        publications.n_rows,
        coalesce(sum(listings.n_printed_rows), 0) as n_printed_rows,
        coalesce(sum(case when listings.n_printed_rows > 1 then listings.n_printed_rows - 1 else 0 end), 0) as n_folded_rows
    from publications
    left join listings
        on publications.publication_id = listings.publication_id
    group by publications.publication_id, publications.published_date, publications.n_rows
),

final as (
    select
        'listings_account_for_every_printed_row' as check_name,
        {{ dbt.concat(["cast(published_date as " ~ dbt.type_string() ~ ")", "' '", "publication_id"]) }} as scope,
        cast(n_printed_rows as {{ dbt.type_string() }}) as observed,
        cast(n_rows as {{ dbt.type_string() }}) as expected,
        case when n_printed_rows = n_rows then 'pass' else 'fail' end as status
    from per_publication

    union all

    select
        'rows_folded_into_one_listing' as check_name,
        {{ dbt.concat(["cast(published_date as " ~ dbt.type_string() ~ ")", "' '", "publication_id"]) }} as scope,
        cast(n_folded_rows as {{ dbt.type_string() }}) as observed,
        'exact duplicates or reviewed folds' as expected,
        'info' as status
    from per_publication
    where n_folded_rows > 0
)

select * from final
