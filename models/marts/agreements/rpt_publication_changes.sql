{%- set max_gap = var('max_gap_publications') %}
with

grouped_listings as (
    select
        first_row_id,
        name_key
    from {{ ref('int_listings_grouped') }}
),

listings as (
    select
        agreement_listings.agreement_id,
        agreement_listings.agency_id,
        agreement_listings.state_code,
        agreement_listings.support_type,
        agreement_listings.publication_id,
        agreement_listings.publication_seq,
        agreement_listings.published_date,
        agreement_listings.signed_date,
        agreement_listings.agency_name_printed,
        agreement_listings.moa_url,
        grouped_listings.name_key,
        lag(agreement_listings.publication_seq) over (
            partition by agreement_listings.agreement_id order by agreement_listings.publication_seq
        ) as previous_listed_seq,
        lead(agreement_listings.publication_seq) over (
            partition by agreement_listings.agreement_id order by agreement_listings.publication_seq
        ) as next_listed_seq
    from {{ ref('fct_agreement_listings') }} as agreement_listings
    inner join grouped_listings
        on agreement_listings.listing_row_id = grouped_listings.first_row_id
),

possible_renames as (
    select distinct
        state_code,
        support_type,
        signed_date,
        change_seq,
        leaving_name_key
    from {{ ref('int_agreement_renames_detected') }}
    where rename_rule = 'possible_rename'
),

publications as (
    select
        publication_id,
        published_date,
        publication_seq
    from {{ ref('int_publications_sequenced') }}
    where publication_kind = 'participating'
),

publication_pairs as (
    select
        current_publication.publication_id,
        current_publication.published_date,
        current_publication.publication_seq,
        previous_publication.publication_id as previous_publication_id
    from publications as current_publication
    left join publications as previous_publication
        on current_publication.publication_seq = previous_publication.publication_seq + 1
),

current_listings as (
    select
        listings.*,
        publication_pairs.previous_publication_id
    from listings
    inner join publication_pairs
        on listings.publication_id = publication_pairs.publication_id
),

added as (
    select
        current_listings.publication_id,
        current_listings.agreement_id,
        case
            when
                current_listings.previous_listed_seq is not null
                and current_listings.publication_seq - current_listings.previous_listed_seq - 1 <= {{ max_gap }}
                then 'returned'
            else 'added'
        end as change_type,
        cast(null as {{ dbt.type_string() }}) as value_before,
        current_listings.agency_name_printed as value_after
    from current_listings
    left join listings as previous_listings
        on
            current_listings.previous_publication_id = previous_listings.publication_id
            and current_listings.agreement_id = previous_listings.agreement_id
    where previous_listings.agreement_id is null
),

removed as (
    select
        publication_pairs.publication_id,
        previous_listings.agreement_id,
        case
            when
                previous_listings.next_listed_seq is not null
                and previous_listings.next_listed_seq - previous_listings.publication_seq - 1 <= {{ max_gap }}
                then 'missing'
            when possible_renames.leaving_name_key is not null then 'possible_rename'
            else 'removed'
        end as change_type,
        previous_listings.agency_name_printed as value_before,
        cast(null as {{ dbt.type_string() }}) as value_after
    from publication_pairs
    inner join listings as previous_listings
        on publication_pairs.previous_publication_id = previous_listings.publication_id
    left join listings as current_listings
        on
            publication_pairs.publication_id = current_listings.publication_id
            and previous_listings.agreement_id = current_listings.agreement_id
    left join possible_renames
        on
            previous_listings.state_code = possible_renames.state_code
            and previous_listings.support_type = possible_renames.support_type
            and previous_listings.signed_date = possible_renames.signed_date
            and previous_listings.name_key = possible_renames.leaving_name_key
            and publication_pairs.publication_seq = possible_renames.change_seq
    where current_listings.agreement_id is null
),

kept as (
    select
        current_listings.publication_id,
        current_listings.agreement_id,
        previous_listings.signed_date as signed_date_before,
        current_listings.signed_date as signed_date_after,
        previous_listings.agency_name_printed as name_before,
        current_listings.agency_name_printed as name_after,
        previous_listings.moa_url as moa_url_before,
        current_listings.moa_url as moa_url_after
    from current_listings
    inner join listings as previous_listings
        on
            current_listings.previous_publication_id = previous_listings.publication_id
            and current_listings.agreement_id = previous_listings.agreement_id
),

redated as (
    select
        publication_id,
        agreement_id,
        'redated' as change_type,
        cast(signed_date_before as {{ dbt.type_string() }}) as value_before,
        cast(signed_date_after as {{ dbt.type_string() }}) as value_after
    from kept
    where signed_date_before <> signed_date_after
),

renamed as (
    select
        publication_id,
        agreement_id,
        'renamed' as change_type,
        name_before as value_before,
        name_after as value_after
    from kept
    where
        -- the printed names differ (cheap, and false for ~all of the ~110k kept listings) before their
        -- matching keys are compared: equal names have equal keys, and a null name is never a rename
        name_before <> name_after
        and {{ agency_name_key('name_before') }} <> {{ agency_name_key('name_after') }}
),

moa_posted as (
    select
        publication_id,
        agreement_id,
        'moa_posted' as change_type,
        moa_url_before as value_before,
        moa_url_after as value_after
    from kept
    where
        moa_url_before is null
        and moa_url_after is not null
),

changes as (
    select * from added
    union all
    select * from removed
    union all
    select * from redated
    union all
    select * from renamed
    union all
    select * from moa_posted
),

agreements as (
    select distinct
        agreement_id,
        agency_id,
        state_code,
        support_type
    from listings
),

final as (
    select
        changes.publication_id,
        changes.agreement_id,
        changes.change_type,
        agreements.agency_id,
        agreements.state_code,
        agreements.support_type,
        publication_pairs.previous_publication_id,
        changes.value_before,
        changes.value_after,
        publication_pairs.previous_publication_id is null as is_first_publication,
        publication_pairs.published_date
    from changes
    inner join publication_pairs
        on changes.publication_id = publication_pairs.publication_id
    inner join agreements
        on changes.agreement_id = agreements.agreement_id
)

select * from final
