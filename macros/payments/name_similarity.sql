{% macro name_similarity(left, right) -%}
    {#- Similarity of two agency-name keys in [0, 1] (1 = identical). Dispatched: DuckDB uses
        jaro_winkler_similarity; other engines must supply their own implementation. -#}
    {{ return(adapter.dispatch('name_similarity')(left, right)) }}
{%- endmacro %}

{% macro duckdb__name_similarity(left, right) -%}
    jaro_winkler_similarity({{ left }}, {{ right }})
{%- endmacro %}

{% macro postgres__name_similarity(left, right) -%}
    {#- needs the fuzzystrmatch extension; levenshtein distance scaled to [0, 1] -#}
    1.0 - levenshtein({{ left }}, {{ right }})::numeric / greatest(length({{ left }}), length({{ right }}), 1)
{%- endmacro %}

{% macro default__name_similarity(left, right) -%}
    {{ exceptions.raise_compiler_error("name_similarity has no implementation for " ~ target.type) }}
{%- endmacro %}
