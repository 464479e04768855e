with

listings as (
    select
        agency_id,
        support_type,
        signed_date,
        publication_seq,
        published_date,
        moa_url,
        has_moa_url
    from {{ ref('int_listings_grouped') }}
    where signed_date is not null
),

series as (
    select
        agency_id,
        support_type,
        signed_date,
        min(publication_seq) as first_seq,
        max(publication_seq) as last_seq,
        min(published_date) as first_listed_date,
        max(published_date) as last_listed_date
    from listings
    group by agency_id, support_type, signed_date
),

series_ends as (
    select
        series.*,
        last_listing.has_moa_url as last_has_moa_url,
        first_listing.has_moa_url as first_has_moa_url
    from series
    inner join listings as last_listing
        on
            series.agency_id = last_listing.agency_id
            and series.support_type = last_listing.support_type
            and series.signed_date = last_listing.signed_date
            and series.last_seq = last_listing.publication_seq
    inner join listings as first_listing
        on
            series.agency_id = first_listing.agency_id
            and series.support_type = first_listing.support_type
            and series.signed_date = first_listing.signed_date
            and series.first_seq = first_listing.publication_seq
),

moa_files as (
    select distinct
        agency_id,
        support_type,
        signed_date,
        lower(regexp_replace(moa_url, '^.*/', '')) as moa_file
    from listings
    where moa_url is not null
),

same_file_edges as (
    select
        older.agency_id,
        older.support_type,
        older.signed_date as signed_date_before,
        newer.signed_date as signed_date_after,
        'same_moa_file' as correction_rule
    from series_ends as older
    inner join series_ends as newer
        on
            older.agency_id = newer.agency_id
            and older.support_type = newer.support_type
            and older.signed_date <> newer.signed_date
            and older.last_seq < newer.first_seq
    where exists (
        select 1
        from moa_files as older_file
        inner join moa_files as newer_file
            on older_file.moa_file = newer_file.moa_file
        where
            older_file.agency_id = older.agency_id
            and older_file.support_type = older.support_type
            and older_file.signed_date = older.signed_date
            and newer_file.agency_id = newer.agency_id
            and newer_file.support_type = newer.support_type
            and newer_file.signed_date = newer.signed_date
    )
),

transition_counts as (
    select
        agency_id,
        support_type,
        last_seq + 1 as transition_seq,
        count(*) as n_ending
    from series
    group by agency_id, support_type, last_seq + 1
),

start_counts as (
    select
        agency_id,
        support_type,
        first_seq as transition_seq,
        count(*) as n_starting
    from series
    group by agency_id, support_type, first_seq
),

pending_edges as (
    select
        older.agency_id,
        older.support_type,
        older.signed_date as signed_date_before,
        newer.signed_date as signed_date_after,
        case when newer.first_has_moa_url then 'link_pending_then_posted' else 'link_pending_redated' end as correction_rule
    from series_ends as older
    inner join series_ends as newer
        on
            older.agency_id = newer.agency_id
            and older.support_type = newer.support_type
            and older.last_seq + 1 = newer.first_seq
            and older.signed_date <> newer.signed_date
    inner join transition_counts
        on
            older.agency_id = transition_counts.agency_id
            and older.support_type = transition_counts.support_type
            and newer.first_seq = transition_counts.transition_seq
    inner join start_counts
        on
            newer.agency_id = start_counts.agency_id
            and newer.support_type = start_counts.support_type
            and newer.first_seq = start_counts.transition_seq
    where
        not older.last_has_moa_url
        and transition_counts.n_ending = 1
        and start_counts.n_starting = 1
        and abs({{ dbt.datediff('older.signed_date', 'newer.signed_date', 'day') }}) <= 120
),

all_edges as (
    select * from same_file_edges
    union all
    select pending_edges.*
    from pending_edges
    left join same_file_edges
        on
            pending_edges.agency_id = same_file_edges.agency_id
            and pending_edges.support_type = same_file_edges.support_type
            and pending_edges.signed_date_before = same_file_edges.signed_date_before
            and pending_edges.signed_date_after = same_file_edges.signed_date_after
    where same_file_edges.agency_id is null
),

edge_counts as (
    select
        all_edges.*,
        count(*) over (partition by all_edges.agency_id, all_edges.support_type, all_edges.signed_date_before) as n_successors,
        count(*) over (partition by all_edges.agency_id, all_edges.support_type, all_edges.signed_date_after) as n_predecessors
    from all_edges
),

final as (
    select
        edge_counts.agency_id,
        edge_counts.support_type,
        edge_counts.signed_date_before,
        edge_counts.signed_date_after,
        edge_counts.correction_rule,
        older.last_listed_date as last_listed_before_date,
        newer.first_listed_date as first_listed_after_date
    from edge_counts
    inner join series as older
        on
            edge_counts.agency_id = older.agency_id
            and edge_counts.support_type = older.support_type
            and edge_counts.signed_date_before = older.signed_date
    inner join series as newer
        on
            edge_counts.agency_id = newer.agency_id
            and edge_counts.support_type = newer.support_type
            and edge_counts.signed_date_after = newer.signed_date
    where
        edge_counts.n_successors = 1
        and edge_counts.n_predecessors = 1
)

select * from final
