{#- One transformation: evaluate the named invariants of the agreement history.
    Grain: one check (check_name, scope). Unioned into marts.rpt_qa_summary by the quality gate. -#}
with

listings as (
    select
        agreement_id,
        publication_id,
        n_printed_rows,
        n_distinct_printed_rows
    from {{ ref('fct_agreement_listings') }}
),

agreements as (
    select
        agreement_id,
        agency_id,
        status,
        n_signing_date_corrections
    from {{ ref('fct_agreements') }}
),

publications as (
    select
        publication_id,
        published_date,
        n_rows,
        is_latest
    from {{ ref('dim_publications') }}
    where kind = 'participating'
),

aliases as (
    select
        agency_id,
        match_rule
    from {{ ref('int_agency_aliases') }}
),

agencies as (
    select agency_id from {{ ref('dim_agencies') }}
),

daily as (
    select
        as_of_date,
        n_active_agreements
    from {{ ref('rpt_active_agreements_daily') }}
),

per_publication as (
    select
        publications.publication_id,
        publications.published_date,
        publications.n_rows,
        publications.is_latest,
        coalesce(sum(listings.n_printed_rows), 0) as n_printed_rows,
        count(listings.agreement_id) as n_listings,
        coalesce(sum(case when listings.n_printed_rows > 1 then listings.n_printed_rows - 1 else 0 end), 0) as n_folded_rows
    from publications
    left join listings
        on publications.publication_id = listings.publication_id
    group by publications.publication_id, publications.published_date, publications.n_rows, publications.is_latest
),

active_count as (
    select count(*) as n_active
    from agreements
    where status = 'Active'
),

checks as (
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

    union all

    select
        'active_agreements_equal_newest_listings' as check_name,
        'newest participating publication' as scope,
        cast(active_count.n_active as {{ dbt.type_string() }}) as observed,
        cast(per_publication.n_listings as {{ dbt.type_string() }}) as expected,
        case when active_count.n_active = per_publication.n_listings then 'pass' else 'fail' end as status
    from per_publication
    cross join active_count
    where per_publication.is_latest

    union all

    select
        'daily_count_on_newest_date_equals_listings' as check_name,
        cast(per_publication.published_date as {{ dbt.type_string() }}) as scope,
        cast(coalesce(sum(daily.n_active_agreements), 0) as {{ dbt.type_string() }}) as observed,
        cast(per_publication.n_listings as {{ dbt.type_string() }}) as expected,
        case when coalesce(sum(daily.n_active_agreements), 0) = per_publication.n_listings then 'pass' else 'fail' end as status
    from per_publication
    left join daily
        on per_publication.published_date = daily.as_of_date
    where per_publication.is_latest
    group by per_publication.published_date, per_publication.n_listings

    union all

    select
        'listings_resolve_to_agreements' as check_name,
        'fct_agreement_listings' as scope,
        cast(count(*) as {{ dbt.type_string() }}) as observed,
        '0' as expected,
        case when count(*) = 0 then 'pass' else 'fail' end as status
    from listings
    left join agreements
        on listings.agreement_id = agreements.agreement_id
    where agreements.agreement_id is null

    union all

    select
        'agreements_resolve_to_agencies' as check_name,
        'fct_agreements' as scope,
        cast(count(*) as {{ dbt.type_string() }}) as observed,
        '0' as expected,
        case when count(*) = 0 then 'pass' else 'fail' end as status
    from agreements
    left join agencies
        on agreements.agency_id = agencies.agency_id
    where agencies.agency_id is null

    union all

    select
        'agency_spellings_by_match_rule' as check_name,
        match_rule as scope,
        cast(count(*) as {{ dbt.type_string() }}) as observed,
        'reviewed' as expected,
        'info' as status
    from aliases
    group by match_rule

    union all

    select
        'agreements_by_status' as check_name,
        status as scope,
        cast(count(*) as {{ dbt.type_string() }}) as observed,
        'Active/Superseded/Removed' as expected,
        'info' as status
    from agreements
    group by status

    union all

    select
        'signing_date_corrections' as check_name,
        'fct_agreements' as scope,
        cast(coalesce(sum(n_signing_date_corrections), 0) as {{ dbt.type_string() }}) as observed,
        'see rpt_signing_date_corrections' as expected,
        'info' as status
    from agreements
),

final as (
    select
        cast(check_name as {{ dbt.type_string() }}) as check_name,
        cast(scope as {{ dbt.type_string() }}) as scope,
        cast(observed as {{ dbt.type_string() }}) as observed,
        cast(expected as {{ dbt.type_string() }}) as expected,
        cast(status as {{ dbt.type_string() }}) as status
    from checks
)

select * from final
