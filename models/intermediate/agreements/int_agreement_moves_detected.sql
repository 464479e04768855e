{#- One transformation: detect agreements ICE moved from one agency name to another.
    Grain: one (state_code, support_type, signed_date, name_key) printed spelling that is moved.
    Rule same_moa_file_moved: the same MOA file, support type and signing date were printed under two
    or more agency names of one state, never together in one publication; every earlier name's rows
    move to the most recently printed name (the agreement, not the agency, is renamed: the earlier
    agency keeps its other agreements). Reviewed seeds (agreement_agency_fixes) cover moves that
    happened while the MOA link was pending. -#}
with

rows_normalised as (
    select
        state_code,
        name_key,
        agency_name_clean,
        support_type,
        signed_date,
        publication_id,
        lower(regexp_replace(moa_url, '^.*/', '')) as moa_file
    from {{ ref('int_ice_rows_normalised') }}
    where
        row_kind = 'participating'
        and moa_url is not null
        and signed_date is not null
        and state_code is not null
),

publications as (
    select
        publication_id,
        published_date
    from {{ ref('stg_ice__publications') }}
),

spellings as (
    select
        rows_normalised.state_code,
        rows_normalised.support_type,
        rows_normalised.signed_date,
        rows_normalised.moa_file,
        rows_normalised.name_key,
        min(publications.published_date) as first_printed_date,
        max(publications.published_date) as last_printed_date,
        max(rows_normalised.agency_name_clean) as agency_name_clean
    from rows_normalised
    inner join publications
        on rows_normalised.publication_id = publications.publication_id
    group by
        rows_normalised.state_code, rows_normalised.support_type, rows_normalised.signed_date,
        rows_normalised.moa_file, rows_normalised.name_key
),

ranked as (
    select
        spellings.*,
        count(*) over (partition by spellings.state_code, spellings.support_type, spellings.signed_date, spellings.moa_file) as n_names,
        row_number() over (
            partition by spellings.state_code, spellings.support_type, spellings.signed_date, spellings.moa_file
            order by spellings.last_printed_date desc, spellings.name_key asc
        ) as recency_rank,
        lag(spellings.last_printed_date) over (
            partition by spellings.state_code, spellings.support_type, spellings.signed_date, spellings.moa_file
            order by spellings.first_printed_date, spellings.name_key
        ) as previous_name_last_printed_date
    from spellings
),

groups as (
    select
        state_code,
        support_type,
        signed_date,
        moa_file,
        max(case when recency_rank = 1 then name_key end) as moved_to_name_key,
        max(case when recency_rank = 1 then agency_name_clean end) as moved_to_agency_name,
        sum(case when previous_name_last_printed_date >= first_printed_date then 1 else 0 end) as n_overlaps
    from ranked
    where n_names > 1
    group by state_code, support_type, signed_date, moa_file
),

final as (
    select distinct
        ranked.state_code,
        ranked.support_type,
        ranked.signed_date,
        ranked.name_key,
        groups.moved_to_name_key,
        groups.moved_to_agency_name,
        'same_moa_file_moved' as move_rule,
        ranked.first_printed_date,
        ranked.last_printed_date
    from ranked
    inner join groups
        on
            ranked.state_code = groups.state_code
            and ranked.support_type = groups.support_type
            and ranked.signed_date = groups.signed_date
            and ranked.moa_file = groups.moa_file
    where
        groups.n_overlaps = 0
        and ranked.name_key <> groups.moved_to_name_key
)

select * from final
