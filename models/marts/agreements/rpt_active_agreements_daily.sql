-- Counts per publication first, then each date takes the latest publication on or before it.
with recursive

listings as (
    select
        publication_id,
        state_code,
        support_type
    from {{ ref('fct_agreement_listings') }}
),

publications as (
    select
        publication_id,
        published_date,
        publication_seq
    from {{ ref('int_publications_sequenced') }}
    where publication_kind = 'participating'
),

publication_dates as (
    select
        published_date,
        max(publication_seq) as publication_seq
    from publications
    group by published_date
),

effective_publications as (
    select
        publications.publication_id,
        publication_dates.published_date as effective_from_date,
        lead(publication_dates.published_date) over (order by publication_dates.published_date) as effective_to_date
    from publication_dates
    inner join publications
        on publication_dates.publication_seq = publications.publication_seq
),

calendar as (
    select min(published_date) as as_of_date
    from publications
    union all
    select cast({{ dbt.dateadd('day', 1, 'calendar.as_of_date') }} as date) as as_of_date
    from calendar
    where calendar.as_of_date < (select max(publications.published_date) from publications)
),

states as (
    select distinct state_code from listings
),

support_types as (
    -- the three models always (the vocabulary seed's exact support types), plus the placeholder
    -- Unknown when an unresolved SUPPORT TYPE is listed
    select vocabulary.resolved_to as support_type
    from {{ ref('value_vocabulary') }} as vocabulary
    where vocabulary.column_name = 'support_type' and vocabulary.tier = 'exact'
    union
    select distinct listings.support_type
    from listings
),

publication_counts as (
    select
        publication_id,
        state_code,
        support_type,
        count(*) as n_active_agreements
    from listings
    group by publication_id, state_code, support_type
),

grid as (
    select
        effective_publications.publication_id,
        states.state_code,
        support_types.support_type,
        coalesce(publication_counts.n_active_agreements, 0) as n_active_agreements
    from effective_publications
    cross join states
    cross join support_types
    left join publication_counts
        on
            effective_publications.publication_id = publication_counts.publication_id
            and states.state_code = publication_counts.state_code
            and support_types.support_type = publication_counts.support_type
),

calendar_publications as (
    -- each date's publication: a range join of the calendar with the few hundred publications, so the
    -- grid (publication x state x support type) then joins on the publication alone
    select
        calendar.as_of_date,
        effective_publications.publication_id
    from calendar
    inner join effective_publications
        on
            calendar.as_of_date >= effective_publications.effective_from_date
            and (
                effective_publications.effective_to_date is null
                or calendar.as_of_date < effective_publications.effective_to_date
            )
),

final as (
    select
        cast(calendar_publications.as_of_date as date) as as_of_date,
        grid.state_code,
        grid.support_type,
        grid.publication_id as as_of_publication_id,
        grid.n_active_agreements
    from calendar_publications
    inner join grid
        on calendar_publications.publication_id = grid.publication_id
)

select * from final
