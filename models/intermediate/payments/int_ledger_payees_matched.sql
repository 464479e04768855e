{%- set min_similarity = 0.90 -%}
{%- set min_margin = 0.03 -%}

with

ledger_lines as (
    select
        payee_name,
        state_text
    from {{ ref('stg_ledger__lines') }}
    where parse_status = 'ok'
),

states as (
    select
        state_code,
        state_name
    from {{ ref('states') }}
),

agency_aliases as (
    select
        state_code,
        name_key,
        agency_id,
        match_rule,
        {{ slugify('name_key') }} as name_slug
    from {{ ref('int_agency_aliases') }}
),

payee_aliases as (
    select
        state_code,
        payee_name_printed,
        agency_id
    from {{ ref('payee_aliases') }}
),

payees as (
    select distinct
        payee_name,
        state_text
    from ledger_lines
),

payees_keyed as (
    select
        payees.payee_name,
        payees.state_text,
        coalesce(states_by_code.state_code, states_by_name.state_code) as state_code,
        {{ agency_name_key('payees.payee_name') }} as name_key,
        {{ slugify(agency_name_key('payees.payee_name')) }} as name_slug
    from payees
    left join states as states_by_code
        on payees.state_text = states_by_code.state_code
    left join states as states_by_name
        on payees.state_text = upper(states_by_name.state_name)
),

exact_or_alias as (
    select
        payees_keyed.payee_name,
        payees_keyed.state_text,
        agency_aliases.agency_id,
        case when agency_aliases.match_rule = 'exact_normalised' then 'exact' else 'alias' end as match_status
    from payees_keyed
    inner join agency_aliases
        on
            payees_keyed.state_code = agency_aliases.state_code
            and payees_keyed.name_key = agency_aliases.name_key
),

punctuation_candidates as (
    select distinct
        payees_keyed.payee_name,
        payees_keyed.state_text,
        agency_aliases.agency_id
    from payees_keyed
    inner join agency_aliases
        on
            payees_keyed.state_code = agency_aliases.state_code
            and payees_keyed.name_slug = agency_aliases.name_slug
),

punctuation_match as (
    {#- only when the slug points at a single agency -#}
    select
        payee_name,
        state_text,
        min(agency_id) as agency_id,
        'exact' as match_status
    from punctuation_candidates
    group by payee_name, state_text
    having count(*) = 1
),

ledger_alias as (
    select
        payees_keyed.payee_name,
        payees_keyed.state_text,
        payee_aliases.agency_id,
        'alias' as match_status
    from payees_keyed
    inner join payee_aliases
        on
            payees_keyed.state_code = payee_aliases.state_code
            and payees_keyed.payee_name = payee_aliases.payee_name_printed
),

fuzzy_scores as (
    select
        payees_keyed.payee_name,
        payees_keyed.state_text,
        agency_aliases.agency_id,
        max({{ name_similarity('payees_keyed.name_key', 'agency_aliases.name_key') }}) as similarity,
        min({{ edit_distance(
            "split_part(payees_keyed.name_key, ' ', 1)", "split_part(agency_aliases.name_key, ' ', 1)"
        ) }}) as first_word_distance
    from payees_keyed
    inner join agency_aliases
        on payees_keyed.state_code = agency_aliases.state_code
    group by payees_keyed.payee_name, payees_keyed.state_text, agency_aliases.agency_id
),

fuzzy_ranked as (
    select
        payee_name,
        state_text,
        agency_id,
        similarity,
        first_word_distance,
        row_number() over (
            partition by payee_name, state_text order by similarity desc, agency_id asc
        ) as candidate_rank,
        lead(similarity) over (
            partition by payee_name, state_text order by similarity desc, agency_id asc
        ) as runner_up_similarity
    from fuzzy_scores
),

fuzzy_best as (
    select
        payee_name,
        state_text,
        agency_id,
        cast(similarity as decimal(5, 4)) as similarity,
        (
            similarity >= {{ min_similarity }}
            and first_word_distance <= 1
            and similarity - coalesce(runner_up_similarity, 0) >= {{ min_margin }}
        ) as is_accepted
    from fuzzy_ranked
    where candidate_rank = 1
),

final as (
    select
        payees_keyed.payee_name,
        payees_keyed.state_text,
        payees_keyed.state_code,
        payees_keyed.name_key,
        coalesce(
            exact_or_alias.agency_id,
            punctuation_match.agency_id,
            ledger_alias.agency_id,
            case when fuzzy_best.is_accepted then fuzzy_best.agency_id end
        ) as agency_id,
        case
            when exact_or_alias.agency_id is not null then exact_or_alias.match_status
            when punctuation_match.agency_id is not null then punctuation_match.match_status
            when ledger_alias.agency_id is not null then ledger_alias.match_status
            when fuzzy_best.is_accepted then 'fuzzy'
            else 'unmatched'
        end as match_status,
        fuzzy_best.agency_id as best_candidate_agency_id,
        case
            when
                exact_or_alias.agency_id is not null
                or punctuation_match.agency_id is not null
                or ledger_alias.agency_id is not null
                then cast(1 as decimal(5, 4))
            when fuzzy_best.is_accepted then fuzzy_best.similarity
        end as match_confidence,
        fuzzy_best.similarity as best_candidate_similarity
    from payees_keyed
    left join exact_or_alias
        on
            payees_keyed.payee_name = exact_or_alias.payee_name
            and payees_keyed.state_text is not distinct from exact_or_alias.state_text
    left join punctuation_match
        on
            payees_keyed.payee_name = punctuation_match.payee_name
            and payees_keyed.state_text is not distinct from punctuation_match.state_text
    left join ledger_alias
        on
            payees_keyed.payee_name = ledger_alias.payee_name
            and payees_keyed.state_text is not distinct from ledger_alias.state_text
    left join fuzzy_best
        on
            payees_keyed.payee_name = fuzzy_best.payee_name
            and payees_keyed.state_text is not distinct from fuzzy_best.state_text
)

select * from final
