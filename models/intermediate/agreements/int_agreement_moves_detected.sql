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
        publication_seq,
        n_publications_of_kind
    from {{ ref('int_publications_sequenced') }}
    where publication_kind = 'participating'
),

spellings as (
    {{ agreement_spellings('rows_normalised', 'publications', extra_keys=['moa_file']) }}
),

ranked as (
    select
        spellings.*,
        count(*) over (partition by spellings.state_code, spellings.support_type, spellings.signed_date, spellings.moa_file) as n_names,
        row_number() over (
            partition by spellings.state_code, spellings.support_type, spellings.signed_date, spellings.moa_file
            order by spellings.last_seq desc, spellings.name_key asc
        ) as recency_rank,
        lag(spellings.last_seq) over (
            partition by spellings.state_code, spellings.support_type, spellings.signed_date, spellings.moa_file
            order by spellings.first_seq, spellings.name_key
        ) as previous_name_last_seq
    from spellings
),

moa_groups as (
    select
        state_code,
        support_type,
        signed_date,
        moa_file,
        max(case when recency_rank = 1 then name_key end) as moved_to_name_key,
        max(case when recency_rank = 1 then agency_name_clean end) as moved_to_agency_name,
        max(case when recency_rank = 1 then last_seq end) as moved_to_last_seq,
        sum(case when previous_name_last_seq >= first_seq then 1 else 0 end) as n_overlaps
    from ranked
    where n_names > 1
    group by state_code, support_type, signed_date, moa_file
),

moves as (
    select
        ranked.state_code,
        ranked.support_type,
        ranked.signed_date,
        ranked.name_key,
        moa_groups.moved_to_name_key,
        moa_groups.moved_to_agency_name,
        ranked.first_seq,
        ranked.last_seq,
        row_number() over (
            partition by ranked.state_code, ranked.support_type, ranked.signed_date, ranked.name_key
            order by moa_groups.moved_to_last_seq desc, moa_groups.moved_to_name_key asc
        ) as destination_rank
    from ranked
    inner join moa_groups
        on
            ranked.state_code = moa_groups.state_code
            and ranked.support_type = moa_groups.support_type
            and ranked.signed_date = moa_groups.signed_date
            and ranked.moa_file = moa_groups.moa_file
    where
        moa_groups.n_overlaps = 0
        and ranked.name_key <> moa_groups.moved_to_name_key
),

renames as (
    select
        state_code,
        support_type,
        signed_date,
        leaving_name_key as name_key,
        arriving_name_key as moved_to_name_key,
        arriving_agency_name as moved_to_agency_name,
        change_seq
    from {{ ref('int_agreement_renames_detected') }}
    where rename_rule = 'one_to_one_rename'
),

candidates as (
    select
        state_code,
        support_type,
        signed_date,
        name_key,
        moved_to_name_key,
        moved_to_agency_name,
        'same_moa_file_moved' as move_rule,
        1 as rule_priority
    from moves
    where destination_rank = 1
    union all
    select
        state_code,
        support_type,
        signed_date,
        name_key,
        moved_to_name_key,
        moved_to_agency_name,
        'one_to_one_rename' as move_rule,
        2 as rule_priority
    from renames
),

candidates_ranked as (
    select
        candidates.state_code,
        candidates.support_type,
        candidates.signed_date,
        candidates.name_key,
        candidates.moved_to_name_key,
        candidates.moved_to_agency_name,
        candidates.move_rule,
        row_number() over (
            partition by candidates.state_code, candidates.support_type, candidates.signed_date, candidates.name_key
            order by candidates.rule_priority asc, candidates.moved_to_name_key asc
        ) as rule_rank
    from candidates
),

one_step as (
    select
        state_code,
        support_type,
        signed_date,
        name_key,
        moved_to_name_key,
        moved_to_agency_name,
        move_rule
    from candidates_ranked
    where rule_rank = 1
),

{#- follow chains A -> B -> C (a bounded number of hops keeps it portable; longer chains are not seen) -#}
{%- set hops = 4 %}

chained as (
    select
        step0.state_code,
        step0.support_type,
        step0.signed_date,
        step0.name_key,
        step0.move_rule,
        coalesce(
            {%- for i in range(hops, 0, -1) %}
                step{{ i }}.moved_to_name_key,
            {%- endfor %}
            step0.moved_to_name_key
        ) as moved_to_name_key,
        coalesce(
            {%- for i in range(hops, 0, -1) %}
                step{{ i }}.moved_to_agency_name,
            {%- endfor %}
            step0.moved_to_agency_name
        ) as moved_to_agency_name
    from
        one_step as step0
        {%- for i in range(1, hops + 1) %}
        left join one_step as step{{ i }}
            on
                step{{ i - 1 }}.state_code = step{{ i }}.state_code
                and step{{ i - 1 }}.support_type = step{{ i }}.support_type
                and step{{ i - 1 }}.signed_date = step{{ i }}.signed_date
                and step{{ i - 1 }}.moved_to_name_key = step{{ i }}.name_key
            {%- endfor %}
),

spans as (
    select
        state_code,
        support_type,
        signed_date,
        name_key,
        min(first_seq) as first_seq,
        max(last_seq) as last_seq
    from spellings
    group by state_code, support_type, signed_date, name_key
),

final as (
    select
        chained.state_code,
        chained.support_type,
        chained.signed_date,
        chained.name_key,
        chained.moved_to_name_key,
        chained.moved_to_agency_name,
        chained.move_rule,
        spans.first_seq as first_printed_seq,
        spans.last_seq as last_printed_seq
    from chained
    left join spans
        on
            chained.state_code = spans.state_code
            and chained.support_type = spans.support_type
            and chained.signed_date = spans.signed_date
            and chained.name_key = spans.name_key
    where chained.name_key <> chained.moved_to_name_key
)

select * from final
