with

rows_normalised as (
    select
        state_code,
        name_key,
        agency_name_clean,
        support_type,
        signed_date,
        publication_id
    from {{ ref('int_ice_rows_normalised') }}
    where
        row_kind = 'participating'
        and signed_date is not null
        and state_code is not null
        and support_type is not null
),

publications as (
    select
        publication_id,
        publication_seq,
        n_publications_of_kind
    from {{ ref('int_publications_sequenced') }}
    where publication_kind = 'participating'
),

spellings as (
    {{ agreement_spellings('rows_normalised', 'publications') }}
),

leaving as (
    select
        state_code,
        support_type,
        signed_date,
        name_key,
        agency_name_clean,
        last_seq + 1 as change_seq
    from spellings
    where last_seq < n_publications
),

arriving as (
    select
        state_code,
        support_type,
        signed_date,
        name_key,
        agency_name_clean,
        first_seq as change_seq
    from spellings
    where first_seq > 1
),

pairs as (
    select
        leaving.state_code,
        leaving.support_type,
        leaving.signed_date,
        leaving.change_seq,
        leaving.name_key as leaving_name_key,
        leaving.agency_name_clean as leaving_agency_name,
        arriving.name_key as arriving_name_key,
        arriving.agency_name_clean as arriving_agency_name
    from leaving
    inner join arriving
        on
            leaving.state_code = arriving.state_code
            and leaving.support_type = arriving.support_type
            and leaving.signed_date = arriving.signed_date
            and leaving.change_seq = arriving.change_seq
            and leaving.name_key <> arriving.name_key
),

groups as (
    select
        state_code,
        support_type,
        signed_date,
        change_seq,
        count(distinct leaving_name_key) as n_leaving_in_group,
        count(distinct arriving_name_key) as n_arriving_in_group
    from pairs
    group by state_code, support_type, signed_date, change_seq
),

final as (
    select
        pairs.state_code,
        pairs.support_type,
        pairs.signed_date,
        pairs.change_seq,
        publications.publication_id as change_publication_id,
        pairs.leaving_name_key,
        pairs.leaving_agency_name,
        pairs.arriving_name_key,
        pairs.arriving_agency_name,
        groups.n_leaving_in_group,
        groups.n_arriving_in_group,
        case
            when groups.n_leaving_in_group = 1 and groups.n_arriving_in_group = 1 then 'one_to_one_rename'
            else 'possible_rename'
        end as rename_rule
    from pairs
    inner join groups
        on
            pairs.state_code = groups.state_code
            and pairs.support_type = groups.support_type
            and pairs.signed_date = groups.signed_date
            and pairs.change_seq = groups.change_seq
    inner join publications
        on pairs.change_seq = publications.publication_seq
)

select * from final
