with

listings as (
    select
        agreement_id,
        agency_id,
        state_code,
        support_type,
        publication_id,
        publication_seq,
        published_date,
        signed_date,
        agency_name_printed,
        moa_url
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
        'added' as change_type,
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
        'removed' as change_type,
        previous_listings.agency_name_printed as value_before,
        cast(null as {{ dbt.type_string() }}) as value_after
    from publication_pairs
    inner join listings as previous_listings
        on publication_pairs.previous_publication_id = previous_listings.publication_id
    left join listings as current_listings
        on
            publication_pairs.publication_id = current_listings.publication_id
            and previous_listings.agreement_id = current_listings.agreement_id
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
    where {{ agency_name_key('name_before') }} <> {{ agency_name_key('name_after') }}
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
