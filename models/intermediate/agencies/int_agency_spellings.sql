with

rows_corrected as (
    select * from {{ ref('int_ice_rows_corrected') }}
),

publications as (
    select
        publication_id,
        published_date
    from {{ ref('stg_ice__publications') }}
),

states as (
    select
        state_code,
        {{ slugify('state_name') }} as state_slug
    from {{ ref('states') }}
),

agency_aliases_seed as (
    select
        state_code,
        {{ agency_name_key('alias_name') }} as alias_name_key,
        {{ agency_name_key('canonical_name') }} as canonical_name_key,
        {{ agency_display_name('canonical_name') }} as canonical_name
    from {{ ref('agency_aliases') }}
),

printed as (
    select
        rows_corrected.state_code,
        rows_corrected.name_key,
        rows_corrected.agency_name_clean,
        rows_corrected.row_kind,
        publications.published_date
    from rows_corrected
    inner join publications
        on rows_corrected.publication_id = publications.publication_id
    where
        rows_corrected.state_code is not null
        and rows_corrected.name_key is not null
),

moved_spellings as (
    select
        state_code,
        name_key,
        min(resolved_name_key) as moved_to_name_key,
        min(agency_fix_rule) as moved_by_rule
    from rows_corrected
    where
        row_kind = 'participating'
        and state_code is not null
    group by state_code, name_key
    having
        count(*) = sum(case when has_agency_fix then 1 else 0 end)
        and count(distinct resolved_name_key) = 1
        and count(distinct agency_fix_rule) = 1
),

named_by_seeds as (
    select
        state_code,
        alias_name_key as name_key
    from agency_aliases_seed
    union
    select
        state_code,
        canonical_name_key as name_key
    from agency_aliases_seed
    union
    select distinct
        state_code,
        resolved_name_key as name_key
    from rows_corrected
    where has_agency_fix
),

latest_spelling as (
    select
        state_code,
        name_key,
        agency_name_clean,
        row_number() over (
            partition by state_code, name_key
            order by published_date desc, case when row_kind = 'participating' then 0 else 1 end asc, agency_name_clean asc
        ) as spelling_rank
    from printed
),

printed_summary as (
    select
        state_code,
        name_key,
        min(case when row_kind = 'participating' then published_date end) as first_participating_date,
        max(case when row_kind = 'participating' then published_date end) as last_participating_date,
        min(case when row_kind = 'pending' then published_date end) as first_pending_date,
        max(case when row_kind = 'pending' then published_date end) as last_pending_date,
        min(published_date) as first_printed_date,
        max(published_date) as last_printed_date,
        count(*) as n_rows_printed
    from printed
    group by state_code, name_key
),

spellings as (
    select
        state_code,
        name_key
    from printed_summary
    union
    select
        state_code,
        name_key
    from named_by_seeds
),

grouped as (
    select
        spellings.state_code,
        spellings.name_key,
        {{ slugify('spellings.name_key') }} as name_slug,
        coalesce(latest_spelling.agency_name_clean, agency_aliases_seed.canonical_name) as latest_printed_name,
        coalesce(agency_aliases_seed.canonical_name_key, target_alias.canonical_name_key) as alias_canonical_name_key,
        coalesce(agency_aliases_seed.canonical_name, target_alias.canonical_name) as alias_canonical_name,
        agency_aliases_seed.alias_name_key is not null as is_alias_seed_spelling,
        moved_spellings.moved_to_name_key,
        moved_spellings.moved_by_rule,
        {{ slugify('coalesce(agency_aliases_seed.canonical_name_key, target_alias.canonical_name_key, moved_spellings.moved_to_name_key, spellings.name_key)') }} as alias_slug,
        coalesce(printed_summary.n_rows_printed, 0) as n_rows_printed,
        printed_summary.first_participating_date,
        printed_summary.last_participating_date,
        printed_summary.first_pending_date,
        printed_summary.last_pending_date,
        printed_summary.first_printed_date,
        printed_summary.last_printed_date
    from spellings
    left join printed_summary
        on
            spellings.state_code = printed_summary.state_code
            and spellings.name_key = printed_summary.name_key
    left join latest_spelling
        on
            spellings.state_code = latest_spelling.state_code
            and spellings.name_key = latest_spelling.name_key
            and latest_spelling.spelling_rank = 1
    left join agency_aliases_seed
        on
            spellings.state_code = agency_aliases_seed.state_code
            and spellings.name_key = agency_aliases_seed.alias_name_key
    left join moved_spellings
        on
            spellings.state_code = moved_spellings.state_code
            and spellings.name_key = moved_spellings.name_key
    left join agency_aliases_seed as target_alias
        on
            moved_spellings.state_code = target_alias.state_code
            and moved_spellings.moved_to_name_key = target_alias.alias_name_key
),

abbreviations_expanded as (
    select
        grouped.*,
        regexp_replace(
            regexp_replace(
                regexp_replace(grouped.alias_slug, '(^|-)pd(-|$)', '\1police-department\2', 'g'),
                '(^|-)dept(-|$)', '\1department\2', 'g'
            ),
            '^(the|city-of|town-of|village-of)-', ''
        ) as expanded_slug,
        states.state_slug
    from grouped
    left join states
        on grouped.state_code = states.state_code
),

final as (
    select
        abbreviations_expanded.*,
        case
            when abbreviations_expanded.expanded_slug like abbreviations_expanded.state_slug || '-%'
                then substr(abbreviations_expanded.expanded_slug, length(abbreviations_expanded.state_slug) + 2)
            else abbreviations_expanded.expanded_slug
        end as group_slug
    from abbreviations_expanded
)

select * from final
