with

pending as (
    select * from {{ ref('int_pending_listings_grouped') }}
),

agreements as (
    select
        agreement_id,
        agency_id,
        support_type,
        signed_date,
        first_listed_date
    from {{ ref('fct_agreements') }}
),

pending_publications as (
    select max(published_date) as newest_pending_date
    from {{ ref('stg_ice__publications') }}
    where publication_kind = 'pending'
),

pending_spells as (
    select
        agency_id,
        support_type,
        min(state_code) as state_code,
        min(agency_name_printed) as agency_name_printed,
        count(distinct publication_id) as n_pending_listings,
        min(published_date) as first_pending_date,
        max(published_date) as last_pending_date
    from pending
    group by agency_id, support_type
),

followers as (
    select
        pending_spells.agency_id,
        pending_spells.support_type,
        agreements.agreement_id,
        agreements.signed_date,
        agreements.first_listed_date,
        row_number() over (
            partition by pending_spells.agency_id, pending_spells.support_type
            order by agreements.first_listed_date, agreements.agreement_id
        ) as follower_rank
    from pending_spells
    inner join agreements
        on
            pending_spells.agency_id = agreements.agency_id
            and pending_spells.support_type = agreements.support_type
            and pending_spells.first_pending_date <= agreements.first_listed_date
),

final as (
    select
        pending_spells.agency_id,
        pending_spells.support_type,
        followers.agreement_id,
        pending_spells.state_code,
        pending_spells.agency_name_printed,
        case
            when followers.agreement_id is not null then 'became_agreement'
            when pending_spells.last_pending_date = pending_publications.newest_pending_date then 'still_pending'
            else 'dropped_from_pending'
        end as transition_status,
        pending_spells.n_pending_listings,
        {{ dbt.datediff('pending_spells.first_pending_date', 'followers.first_listed_date', 'day') }} as n_days_pending_to_listed,
        {{ dbt.datediff('pending_spells.first_pending_date', 'followers.signed_date', 'day') }} as n_days_pending_to_signed,
        pending_spells.first_pending_date,
        pending_spells.last_pending_date,
        followers.signed_date,
        followers.first_listed_date
    from pending_spells
    cross join pending_publications
    left join followers
        on
            pending_spells.agency_id = followers.agency_id
            and pending_spells.support_type = followers.support_type
            and followers.follower_rank = 1
)

select * from final
