with

spellings as (
    select * from {{ ref('int_agency_spellings') }}
),

typo_merges as (
    select
        state_code,
        older_group_slug,
        newer_group_slug
    from {{ ref('int_agency_typo_matches') }}
    where decision = 'typo_tier'
),

resolved as (
    select
        spellings.*,
        coalesce(second_hop.newer_group_slug, first_hop.newer_group_slug, spellings.group_slug) as agency_slug,
        first_hop.newer_group_slug is not null as is_typo_merged
    from spellings
    left join typo_merges as first_hop
        on
            spellings.state_code = first_hop.state_code
            and spellings.group_slug = first_hop.older_group_slug
    left join typo_merges as second_hop
        on
            first_hop.state_code = second_hop.state_code
            and first_hop.newer_group_slug = second_hop.older_group_slug
),

canonical_candidates as (
    select
        state_code,
        agency_slug,
        coalesce(alias_canonical_name, latest_printed_name) as candidate_name,
        row_number() over (
            partition by state_code, agency_slug
            order by
                case when alias_canonical_name is not null and moved_to_name_key is null then 0 else 1 end asc,
                last_printed_date desc nulls last,
                n_rows_printed desc,
                latest_printed_name asc
        ) as canonical_rank
    from resolved
),

canonical as (
    select
        state_code,
        agency_slug,
        candidate_name as agency_name
    from canonical_candidates
    where canonical_rank = 1
),

final as (
    select
        resolved.state_code,
        resolved.name_key,
        resolved.state_code || '-' || {{ slugify('canonical.agency_name') }} as agency_id,
        canonical.agency_name,
        case
            when resolved.is_typo_merged then 'typo_tier'
            when resolved.is_alias_seed_spelling then 'alias_seed'
            when resolved.moved_by_rule = 'same_moa_file_moved' then 'moa_file_rename'
            when resolved.moved_by_rule = 'agreement_agency_fixes' then 'alias_seed'
            when resolved.alias_canonical_name_key is not null and resolved.name_key <> resolved.alias_canonical_name_key
                then 'alias_seed'
            else 'exact_normalised'
        end as match_rule,
        resolved.latest_printed_name,
        resolved.n_rows_printed,
        resolved.first_printed_date,
        resolved.last_printed_date
    from resolved
    inner join canonical
        on
            resolved.state_code = canonical.state_code
            and resolved.agency_slug = canonical.agency_slug
)

select * from final
