{% macro postgres__datediff(first_date, second_date, datepart) -%}
    {#- Days between two dates as bigint: the type DuckDB's date_diff returns and the marts' contracts
        declare (PostgreSQL's date - date is integer). The project only counts days. -#}
    {%- if datepart != 'day' -%}
        {{ exceptions.raise_compiler_error("postgres__datediff: only 'day' is implemented, got " ~ datepart) }}
    {%- endif -%}
    cast((({{ second_date }})::date - ({{ first_date }})::date) as bigint)
{%- endmacro %}

{% macro postgres__edit_distance(left, right) -%}
    {#- fuzzystrmatch's levenshtein (counts characters, like DuckDB's), as bigint like DuckDB's. -#}
    cast(levenshtein({{ left }}, {{ right }}) as bigint)
{%- endmacro %}
