-- sqlfluff:exclude_rules:LT05,ST06,RF04
-- (`method` is the review mart's contract column name)
with

participating as (
    select
        state_printed,
        support_type_printed,
        agency_type_printed,
        signed_printed,
        signed_parse_status,
        signed_date
    from {{ ref('stg_ice__participating_rows') }}
),

pending as (
    select
        state_printed,
        support_type_printed,
        agency_type_printed
    from {{ ref('stg_ice__pending_rows') }}
),

states as (
    select
        state_code,
        state_name
    from {{ ref('states') }}
),

state_name_fixes as (
    select
        state_code,
        {{ state_name_key('state_name_printed') }} as state_name_key
    from {{ ref('state_name_fixes') }}
),

vocabulary_seed as (
    select
        column_name,
        word,
        resolved_to,
        tier
    from {{ ref('value_vocabulary') }}
),

printed_values as (
    select distinct
        'state' as column_name,
        coalesce(state_printed, '') as value_printed
    from participating
    union
    select distinct
        'state' as column_name,
        coalesce(state_printed, '') as value_printed
    from pending
    union
    select distinct
        'support_type' as column_name,
        coalesce(support_type_printed, '') as value_printed
    from participating
    union
    select distinct
        'support_type' as column_name,
        coalesce(support_type_printed, '') as value_printed
    from pending
    union
    select distinct
        'agency_type' as column_name,
        coalesce(agency_type_printed, '') as value_printed
    from participating
    union
    select distinct
        'agency_type' as column_name,
        coalesce(agency_type_printed, '') as value_printed
    from pending
),

keyed as (
    select
        column_name,
        value_printed,
        {{ state_name_key('value_printed') }} as exact_key,
        {{ vocabulary_key('value_printed') }} as letters_key,
        {{ is_error_cell('value_printed') }} as is_error_cell
    from printed_values
),

vocabulary as (
    -- the reference vocabulary each column resolves to: (column_name, word, resolved_to)
    select
        'state' as column_name,
        upper(state_name) as vocabulary_word,
        state_code as resolved_to,
        true as is_exact_word
    from states
    union all
    select
        'state' as column_name,
        upper(state_code) as vocabulary_word,
        state_code as resolved_to,
        true as is_exact_word
    from states
    union all
    select
        column_name,
        upper(word) as vocabulary_word,
        resolved_to,
        tier = 'exact' as is_exact_word
    from vocabulary_seed
    where tier in ('exact', 'short_form')
),

exact_matches as (
    select
        keyed.column_name,
        keyed.value_printed,
        min(vocabulary.resolved_to) as resolved_to
    from keyed
    inner join vocabulary
        on
            keyed.column_name = vocabulary.column_name
            and keyed.exact_key = vocabulary.vocabulary_word
            and vocabulary.is_exact_word
    group by keyed.column_name, keyed.value_printed
),

reviewed_rules as (
    select
        keyed.column_name,
        keyed.value_printed,
        case keyed.column_name
            when 'state' then state_name_fixes.state_code
            when 'support_type' then {{ support_type_name('keyed.value_printed') }}
            when 'agency_type' then {{ agency_type_name('keyed.value_printed') }}
        end as resolved_to,
        case when keyed.column_name = 'state' then 'exact_seed' else 'known_variant' end as method
    from keyed
    left join state_name_fixes
        on
            keyed.column_name = 'state'
            and keyed.exact_key = state_name_fixes.state_name_key
),

letters_matches as (
    select
        keyed.column_name,
        keyed.value_printed,
        min(vocabulary.resolved_to) as resolved_to,
        count(distinct vocabulary.resolved_to) as n_resolutions
    from keyed
    inner join vocabulary
        on
            keyed.column_name = vocabulary.column_name
            and keyed.letters_key = vocabulary.vocabulary_word
    group by keyed.column_name, keyed.value_printed
),

word_distances as (
    select
        keyed.column_name,
        keyed.value_printed,
        vocabulary.resolved_to,
        {{ edit_distance('keyed.letters_key', 'vocabulary.vocabulary_word') }} as edit_distance,
        length(vocabulary.vocabulary_word) as word_length
    from keyed
    inner join vocabulary
        on keyed.column_name = vocabulary.column_name
    where keyed.letters_key is not null
),

distances as (
    -- each printed value's closest word of each resolution (ties: the longer word)
    select
        column_name,
        value_printed,
        resolved_to,
        edit_distance,
        word_length,
        row_number() over (
            partition by column_name, value_printed, resolved_to order by edit_distance asc, word_length desc
        ) as word_rank
    from word_distances
),

distances_ranked as (
    -- resolutions by distance; the runner-up is the closest *other* resolution
    select
        column_name,
        value_printed,
        resolved_to,
        edit_distance,
        word_length,
        row_number() over (
            partition by column_name, value_printed order by edit_distance asc, resolved_to asc
        ) as distance_rank,
        lead(edit_distance) over (
            partition by column_name, value_printed order by edit_distance asc, resolved_to asc
        ) as runner_up_distance
    from distances
    where word_rank = 1
),

fuzzy_matches as (
    select
        column_name,
        value_printed,
        resolved_to,
        edit_distance,
        {{ fuzzy_confidence('edit_distance', 'word_length') }} as confidence
    from distances_ranked
    where
        distance_rank = 1
        and {{ fuzzy_accepts('edit_distance', 'runner_up_distance', 'word_length') }}
),

text_resolved as (
    select
        keyed.column_name,
        keyed.value_printed,
        case
            when exact_matches.resolved_to is not null then exact_matches.resolved_to
            when reviewed_rules.resolved_to is not null then reviewed_rules.resolved_to
            when keyed.is_error_cell then null
            when letters_matches.n_resolutions = 1 then letters_matches.resolved_to
            when fuzzy_matches.resolved_to is not null then fuzzy_matches.resolved_to
            when keyed.column_name = 'support_type' then {{ support_type_keyword('keyed.letters_key') }}
        end as resolved_to,
        case
            when exact_matches.resolved_to is not null then 'exact'
            when reviewed_rules.resolved_to is not null then reviewed_rules.method
            when keyed.is_error_cell then 'error_cell'
            when letters_matches.n_resolutions = 1 then 'normalised'
            when fuzzy_matches.resolved_to is not null then 'fuzzy_edit_distance'
            when
                keyed.column_name = 'support_type'
                and {{ support_type_keyword('keyed.letters_key') }} is not null then 'keyword'
            else 'placeholder'
        end as method,
        case
            when exact_matches.resolved_to is not null then 1.0
            when reviewed_rules.resolved_to is not null then 1.0
            when keyed.is_error_cell then 0.0
            when letters_matches.n_resolutions = 1 then 0.95
            when fuzzy_matches.resolved_to is not null then fuzzy_matches.confidence
            when
                keyed.column_name = 'support_type'
                and {{ support_type_keyword('keyed.letters_key') }} is not null then 0.8
            else 0.0
        end as confidence
    from keyed
    left join exact_matches
        on
            keyed.column_name = exact_matches.column_name
            and keyed.value_printed = exact_matches.value_printed
    left join reviewed_rules
        on
            keyed.column_name = reviewed_rules.column_name
            and keyed.value_printed = reviewed_rules.value_printed
    left join letters_matches
        on
            keyed.column_name = letters_matches.column_name
            and keyed.value_printed = letters_matches.value_printed
    left join fuzzy_matches
        on
            keyed.column_name = fuzzy_matches.column_name
            and keyed.value_printed = fuzzy_matches.value_printed
),

text_final as (
    -- placeholders: the state and support type still form keys (XX, Unknown / UNK); TYPE stays null
    select
        column_name,
        value_printed,
        case
            when resolved_to is not null then resolved_to
            when column_name = 'state' then 'XX'
            when column_name = 'support_type' then 'Unknown'
        end as resolved_to,
        case
            when column_name = 'support_type' then coalesce({{ support_type_code('resolved_to') }}, 'UNK')
            when column_name = 'state' then coalesce(resolved_to, 'XX')
            else resolved_to
        end as resolved_code,
        method,
        cast(confidence as double precision) as confidence
    from text_resolved
),

signed_values as (
    select
        coalesce(signed_printed, '') as value_printed,
        min(signed_parse_status) as signed_parse_status,
        min(signed_date) as signed_date
    from participating
    group by coalesce(signed_printed, '')
),

signed_final as (
    select
        'signed' as column_name,
        value_printed,
        cast(signed_date as {{ dbt.type_string() }}) as resolved_to,
        coalesce(cast(signed_date as {{ dbt.type_string() }}), 'unknown') as resolved_code,
        case
            when signed_parse_status in ('excel_date', 'iso_text', 'text_date') then 'exact'
            when signed_date is not null then signed_parse_status
            when {{ is_error_cell('value_printed') }} then 'error_cell'
            else 'placeholder'
        end as method,
        cast(case
            when signed_parse_status in ('excel_date', 'iso_text', 'text_date') then 1.0
            when signed_date is not null then 0.9
            else 0.0
        end as double precision) as confidence
    from signed_values
),

final as (
    select * from text_final
    union all
    select * from signed_final
)

select * from final
