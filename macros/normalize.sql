{#-
    Normalisation rules for ICE's printed values. Every model that compares agency names, states,
    support types or agency types uses these macros, so one rule is applied the same way everywhere
    (agreements, payments, arrests). Portable SQL: translate, replace, chr, regexp_replace with the
    'g' flag, lower/upper and trim behave the same on DuckDB and PostgreSQL.
-#}

{% macro collapse_whitespace(expr) -%}
    {#- NBSP, narrow NBSP, zero-width space, tabs, newlines and runs of spaces -> one space; trimmed. -#}
    nullif(trim(regexp_replace(
        replace(replace(replace({{ expr }}, chr(160), ' '), chr(8239), ' '), chr(8203), ''),
        '\s+', ' ', 'g'
    )), '')
{%- endmacro %}

{% macro agency_name_key(expr) -%}
    {#- The one agency-name matching key: curly/right single quotes, acute accents and backticks to ',
        whitespace collapsed, trimmed, lower case. Join on (state_code, agency_name_key(name)). -#}
    lower({{ collapse_whitespace("translate(" ~ expr ~ ", chr(8217) || chr(8216) || chr(96) || chr(180), '''''''''')") }})
{%- endmacro %}

{% macro agency_display_name(expr) -%}
    {#- A printed agency name tidied for display: apostrophes straightened, whitespace collapsed. -#}
    {{ collapse_whitespace("translate(" ~ expr ~ ", chr(8217) || chr(8216) || chr(96) || chr(180), '''''''''')") }}
{%- endmacro %}

{% macro slugify(expr) -%}
    {#- Lower-case ASCII slug: apostrophes dropped, every other run of non [a-z0-9] -> '-', trimmed of '-'. -#}
    regexp_replace(
        regexp_replace(replace(lower({{ expr }}), '''', ''), '[^a-z0-9]+', '-', 'g'),
        '^-+|-+$', '', 'g'
    )
{%- endmacro %}

{% macro state_name_key(expr) -%}
    {#- Upper-case, whitespace-collapsed STATE as printed; looked up in reference.states and the
        reviewed typo seed ice.state_name_fixes (keyed the same way). -#}
    upper({{ collapse_whitespace(expr) }})
{%- endmacro %}

{% macro vocabulary_lookup(column_name, key_expr, match_on, value_column, exact_only=false) -%}
    {#- A scalar subquery on the vocabulary seed (seeds/ice/value_vocabulary.csv, also read by the GX
        suites): value_column of the one word of column_name that key_expr matches, null when none.
        match_on: 'word_key' (agency_name_key of the word, i.e. lower case) or 'resolved_to'. The seed's
        columns are renamed vocabulary_* inside, so key_expr never binds to them. -#}
    cast((
        select vocabulary.vocabulary_{{ value_column }}
        from (
            select
                column_name as vocabulary_column_name,
                lower(word) as vocabulary_word_key,
                resolved_to as vocabulary_resolved_to,
                resolved_code as vocabulary_resolved_code,
                tier as vocabulary_tier
            from {{ ref('value_vocabulary') }}
        ) as vocabulary
        where
            vocabulary.vocabulary_column_name = '{{ column_name }}'
            and vocabulary.vocabulary_{{ match_on }} = {{ key_expr }}
            {%- if exact_only %}
            and vocabulary.vocabulary_tier = 'exact'
            {%- endif %}
    ) as {{ dbt.type_string() }})
{%- endmacro %}

{% macro support_type_name(expr) -%}
    {#- SUPPORT TYPE -> one of the three full names, by any word of the vocabulary seed (exact, short
        form or reviewed variant, compared with agency_name_key); anything else -> null. -#}
    {{ vocabulary_lookup('support_type', agency_name_key(expr), 'word_key', 'resolved_to') }}
{%- endmacro %}

{% macro support_type_code(expr) -%}
    {#- Full support type name -> JEM / TFM / WSO (used in agreement_id), from the vocabulary seed. -#}
    {{ vocabulary_lookup('support_type', expr, 'resolved_to', 'resolved_code', exact_only=true) }}
{%- endmacro %}

{% macro agency_type_name(expr) -%}
    {#- TYPE -> County / Municipality / State Agency by any word of the vocabulary seed ('State', the
        short form 'Municipal' and the 'Muncipality' typo folded); anything else -> null. -#}
    {{ vocabulary_lookup('agency_type', agency_name_key(expr), 'word_key', 'resolved_to') }}
{%- endmacro %}

{% macro county_name_clean(expr) -%}
    {#- COUNTY as printed, whitespace collapsed; the placeholders #N/A, #NA, N/A, NA and blank -> null. -#}
    case
        when upper({{ collapse_whitespace(expr) }}) in ('#N/A', '#NA', 'N/A', 'NA', '#N/A N/A', '-') then null
        else {{ collapse_whitespace(expr) }}
    end
{%- endmacro %}

{% macro edit_distance(left, right) -%}
    {{ return(adapter.dispatch('edit_distance')(left, right)) }}
{%- endmacro %}

{% macro default__edit_distance(left, right) -%}
    {#- PostgreSQL: needs the fuzzystrmatch extension. -#}
    levenshtein({{ left }}, {{ right }})
{%- endmacro %}

{% macro duckdb__edit_distance(left, right) -%}
    levenshtein({{ left }}, {{ right }})
{%- endmacro %}

{% macro moa_as_published(printed, url) -%}
    {#- An MOA cell printed as a Wayback capture address (HTML-era reconstructions) is the ICE address
        inside it (the wrapper is the capture's, not ICE's); any other printed value is kept. -#}
    case
        when lower({{ printed }}) like 'http%://web.archive.org/web/%' then {{ url }}
        else {{ printed }}
    end
{%- endmacro %}
