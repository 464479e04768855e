{% macro name_similarity(left, right) -%}
    {#- Similarity of two agency-name keys in [0, 1] (1 = identical). Dispatched: DuckDB uses
        jaro_winkler_similarity, PostgreSQL the same function in PL/pgSQL (macros/postgres/postgres_setup.sql);
        other engines must supply their own. -#}
    {#- Rounded to 12 decimals: engines' floating-point Jaro-Winkler can differ in the last bit
        (0.805 vs 0.8049999999999999), which must not decide a threshold or a tie. -#}
    {{ return("round(cast(" ~ adapter.dispatch('name_similarity')(left, right) ~ " as decimal(18, 15)), 12)") }}
{%- endmacro %}

{% macro duckdb__name_similarity(left, right) -%}
    jaro_winkler_similarity({{ left }}, {{ right }})
{%- endmacro %}

{% macro postgres__name_similarity(left, right) -%}
    {#- the Jaro-Winkler function created by postgres__ice287g_on_run_start (same values as DuckDB's) -#}
    {{ target.schema }}.ice287g_jaro_winkler({{ left }}, {{ right }})
{%- endmacro %}

{% macro default__name_similarity(left, right) -%}
    {{ exceptions.raise_compiler_error("name_similarity has no implementation for " ~ target.type) }}
{%- endmacro %}
