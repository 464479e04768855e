{#-
    Resolution of ICE's printed values that no exact rule knows (README "Three kinds of problem").
    Tiers, in order: exact vocabulary match, reviewed rule (seed or normalize.sql variant), letters-only
    key, conservative fuzzy match, keyword (support types only), else a documented placeholder.
    Portable SQL; the edit distance goes through adapter.dispatch (macros/normalize.sql).
-#}

{% macro vocabulary_key(expr) -%}
    {#- Upper case, letters and spaces only: '-', '/', '_' become spaces, every other non-letter
        (footnote marks, digits, periods, parentheses) is dropped; whitespace collapsed. -#}
    nullif(trim(regexp_replace(regexp_replace(regexp_replace(
        upper({{ collapse_whitespace(expr) }}), '[-/_]', ' ', 'g'), '[^A-Z ]', '', 'g'), '\s+', ' ', 'g')), '')
{%- endmacro %}

{% macro is_error_cell(expr) -%}
    {#- An Excel error value printed in the cell (#N/A, #NA, #N/A N/A, #VALUE!, #REF!, #NAME?, #DIV/0!,
        #NULL!, #NUM!, #SPILL!, #CALC!), case and whitespace ignored. -#}
    coalesce(upper({{ collapse_whitespace(expr) }}) in (
        '#N/A', '#NA', '#N/A N/A', '#VALUE!', '#REF!', '#NAME?', '#DIV/0!', '#NULL!', '#NUM!', '#SPILL!', '#CALC!'
    ), false)
{%- endmacro %}

{% macro fuzzy_accepts(best_distance, runner_up_distance, candidate_length) -%}
    {#- The conservative fuzzy rule: 1 or 2 edits, at most 20 % of the vocabulary word's length, and the
        runner-up (best distance to any *other* resolution) at least twice as far (null: no other). -#}
    (
        {{ best_distance }} between 1 and 2
        and {{ best_distance }} * 5 <= {{ candidate_length }}
        and coalesce({{ runner_up_distance }}, 99) >= 2 * {{ best_distance }}
    )
{%- endmacro %}

{% macro fuzzy_confidence(best_distance, candidate_length) -%}
    {#- 1 - edits / length of the vocabulary word, as a double (0.8 for one edit in five letters). -#}
    cast(1.0 - cast({{ best_distance }} as double precision) / {{ candidate_length }} as double precision)
{%- endmacro %}

{% macro support_type_keyword(key) -%}
    {#- The support type a letters-only key names by keyword, when exactly one family matches:
        JAIL / JEM -> Jail Enforcement Model; TASK FORCE / TASKFORCE / TFM / TFO -> Task Force Model;
        WARRANT / WSO -> Warrant Service Officer. Two families or none -> null (never guessed). -#}
    case
        when (
            case when ' ' || {{ key }} || ' ' like '% JAIL%' or ' ' || {{ key }} || ' ' like '% JEM %' then 1 else 0 end
            + case
                when {{ key }} like '%TASK FORCE%' or {{ key }} like '%TASKFORCE%'
                    or ' ' || {{ key }} || ' ' like '% TFM %' or ' ' || {{ key }} || ' ' like '% TFO %' then 1
                else 0
            end
            + case when {{ key }} like '%WARRANT%' or ' ' || {{ key }} || ' ' like '% WSO %' then 1 else 0 end
        ) <> 1 then null
        when ' ' || {{ key }} || ' ' like '% JAIL%' or ' ' || {{ key }} || ' ' like '% JEM %' then 'Jail Enforcement Model'
        when {{ key }} like '%WARRANT%' or ' ' || {{ key }} || ' ' like '% WSO %' then 'Warrant Service Officer'
        else 'Task Force Model'
    end
{%- endmacro %}
