-- Checks published_on_or_after_latest_signed (inferred dates) and given_dates_before_latest_signed (info).
with

publications as (
    select
        publication_kind,
        date_method,
        published_date,
        latest_signed_date
    from {{ ref('int_publications_sequenced') }}
),

kinds as (
    select 'participating' as publication_kind
    union all
    select 'pending' as publication_kind
),

before_signed as (
    select
        kinds.publication_kind,
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

final as (
    select
        'published_on_or_after_latest_signed' as check_name,
        publication_kind as scope,
        cast(n_inferred_before_signed as {{ dbt.type_string() }}) as observed,
        '0 (an inferred date is never before an agreement the sheet lists)' as expected,
        case when n_inferred_before_signed = 0 then 'pass' else 'fail' end as status
    from before_signed

    union all

    select
        'given_dates_before_latest_signed' as check_name,
        publication_kind as scope,
        cast(n_given_before_signed as {{ dbt.type_string() }}) as observed,
        '0 (an override or folder date before the latest SIGNED is kept, flagged)' as expected,
        'info' as status
    from before_signed
)

select * from final
