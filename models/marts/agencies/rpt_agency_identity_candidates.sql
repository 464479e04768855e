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

renames_detected as (
    select
        state_code,
        support_type,
        signed_date,
        change_seq,
        leaving_name_key,
        arriving_name_key
    from {{ ref('int_agreement_renames_detected') }}
    where rename_rule = 'possible_rename'
),

{# a spelling of a batch whose agreement continues under another spelling of the same agency (merged
    by the spelling rules) is no rename candidate: keep pairs where neither side is so matched #}
renames_resolved as (
    select
        renames_detected.state_code,
        renames_detected.leaving_name_key,
        renames_detected.arriving_name_key,
        leaving_alias.agency_id as leaving_agency_id,
        arriving_alias.agency_id as arriving_agency_id,
        max(case when leaving_alias.agency_id = arriving_alias.agency_id then 1 else 0 end) over (
            partition by
                renames_detected.state_code, renames_detected.support_type, renames_detected.signed_date,
                renames_detected.change_seq, renames_detected.leaving_name_key
        ) as is_leaving_matched,
        max(case when leaving_alias.agency_id = arriving_alias.agency_id then 1 else 0 end) over (
            partition by
                renames_detected.state_code, renames_detected.support_type, renames_detected.signed_date,
                renames_detected.change_seq, renames_detected.arriving_name_key
        ) as is_arriving_matched
    from renames_detected
    inner join agency_aliases as leaving_alias
        on
            renames_detected.state_code = leaving_alias.state_code
            and renames_detected.leaving_name_key = leaving_alias.name_key
    inner join agency_aliases as arriving_alias
        on
            renames_detected.state_code = arriving_alias.state_code
            and renames_detected.arriving_name_key = arriving_alias.name_key
),

possible_renames as (
    select
        state_code,
        leaving_name_key,
        arriving_name_key,
        count(*) as n_sheets
    from renames_resolved
    where is_leaving_matched = 0 and is_arriving_matched = 0
    group by state_code, leaving_name_key, arriving_name_key
),

typo_pairs as (
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
),

rename_pairs as (
    select
        leaving_alias.agency_id as older_agency_id,
        arriving_alias.agency_id as newer_agency_id,
        possible_renames.state_code,
        leaving_alias.latest_printed_name as older_printed_name,
        arriving_alias.latest_printed_name as newer_printed_name,
        'possible_rename: left a sheet as this spelling arrived with the same state, support type and signing date, among several (not merged)'
            as reason,
        cast({{ edit_distance('possible_renames.leaving_name_key', 'possible_renames.arriving_name_key') }} as bigint)
            as n_edits,
        cast(1 as bigint) as n_shared_signatures,
        cast(0 as bigint) as n_shared_publications,
        leaving_alias.first_printed_date as older_first_printed_date,
        leaving_alias.last_printed_date as older_last_printed_date,
        arriving_alias.first_printed_date as newer_first_printed_date,
        arriving_alias.last_printed_date as newer_last_printed_date
    from possible_renames
    inner join agency_aliases as leaving_alias
        on
            possible_renames.state_code = leaving_alias.state_code
            and possible_renames.leaving_name_key = leaving_alias.name_key
    inner join agency_aliases as arriving_alias
        on
            possible_renames.state_code = arriving_alias.state_code
            and possible_renames.arriving_name_key = arriving_alias.name_key
    where leaving_alias.agency_id <> arriving_alias.agency_id
),

ranked as (
    select
        *,
        row_number() over (partition by older_agency_id, newer_agency_id order by source_rank, reason) as pair_rank
    from (
        select
            typo_pairs.*,
            1 as source_rank
        from typo_pairs
        union all
        select
            rename_pairs.*,
            2 as source_rank
        from rename_pairs
    ) as unioned
),

final as (
    select
        older_agency_id,
        newer_agency_id,
        state_code,
        older_printed_name,
        newer_printed_name,
        reason,
        n_edits,
        n_shared_signatures,
        n_shared_publications,
        older_first_printed_date,
        older_last_printed_date,
        newer_first_printed_date,
        newer_last_printed_date
    from ranked
    where pair_rank = 1
)

select * from final
