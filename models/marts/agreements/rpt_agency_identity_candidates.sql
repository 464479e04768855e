with

typo_matches as (
    select * from {{ ref('int_agency_typo_matches') }}
    where decision = 'candidate'
),

agency_aliases as (
    select
        state_code,
        name_key,
        agency_id,
        agency_name,
        latest_printed_name,
        first_printed_date,
        last_printed_date
    from {{ ref('int_agency_aliases') }}
),

final as (
    select
        older_alias.agency_id as older_agency_id,
        newer_alias.agency_id as newer_agency_id,
        typo_matches.state_code,
        older_alias.latest_printed_name as older_printed_name,
        newer_alias.latest_printed_name as newer_printed_name,
        typo_matches.reason,
        typo_matches.n_edits,
        typo_matches.n_shared_signatures,
        typo_matches.n_shared_publications,
        older_alias.first_printed_date as older_first_printed_date,
        older_alias.last_printed_date as older_last_printed_date,
        newer_alias.first_printed_date as newer_first_printed_date,
        newer_alias.last_printed_date as newer_last_printed_date
    from typo_matches
    inner join agency_aliases as older_alias
        on
            typo_matches.state_code = older_alias.state_code
            and typo_matches.older_name_key = older_alias.name_key
    inner join agency_aliases as newer_alias
        on
            typo_matches.state_code = newer_alias.state_code
            and typo_matches.newer_name_key = newer_alias.name_key
    where older_alias.agency_id <> newer_alias.agency_id
)

select * from final
