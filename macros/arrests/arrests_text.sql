{% macro arrests_redaction_key(column) -%}
    {#- A printed value reduced to its FOIA-exemption letters: '(B)(6);(B)(7)(C) ' and 'b(6), b(7)c' -> 'b6b7c'. -#}
    lower(replace(replace(replace(replace(replace(trim({{ column }}), ' ', ''), '(', ''), ')', ''), ';', ''), ',', ''))
{%- endmacro %}

{% macro arrests_is_redacted(column) -%}
    {#- True when the printed value is a FOIA redaction ((b)(6), (b)(7)(C), (b)(7)(E)) or the '--' placeholder. -#}
    coalesce(
        {{ arrests_redaction_key(column) }} in ('b6b7c', 'b7e', 'b6', 'b7c', 'b6b7cb7e', 'b7cb7e')
        or trim({{ column }}) in ('--', '-'),
        false
    )
{%- endmacro %}

{% macro arrests_unredacted(column) -%}
    {#- The printed value trimmed, null when empty or redacted. -#}
    case when {{ arrests_is_redacted(column) }} then null else nullif(trim({{ column }}), '') end
{%- endmacro %}

{% macro arrests_parse_date(column) -%}
    {{ return(adapter.dispatch('arrests_parse_date')(column)) }}
{%- endmacro %}

{% macro default__arrests_parse_date(column) -%}
    {#- M/D/YYYY (LESA) or ISO text (xlsx datetimes rendered at ingestion). -#}
    case
        when {{ column }} like '%/%' then to_date(trim({{ column }}), 'MM/DD/YYYY')
        else cast(substring(trim({{ column }}), 1, 10) as date)
    end
{%- endmacro %}

{% macro duckdb__arrests_parse_date(column) -%}
    cast(coalesce(
        try_strptime(trim({{ column }}), '%m/%d/%Y'),
        try_cast(substring(trim({{ column }}), 1, 10) as date)
    ) as date)
{%- endmacro %}

{% macro arrests_name_key(column) -%}
    {#- Upper-case words for matching: punctuation and separators become spaces, apostrophes and dots vanish. -#}
    trim(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(upper(
        {{ column }}), '''', ''), '’', ''), '.', ''), '-', ' '), '/', ' '), ',', ' '), '(', ' '), ')', ' '),
        '  ', ' '), '  ', ' '))
{%- endmacro %}

{% macro arrests_slug(column) -%}
    {{ return(adapter.dispatch('arrests_slug')(column)) }}
{%- endmacro %}

{% macro default__arrests_slug(column) -%}
    {#- lower-case words joined by '-' (the slug of agency_id). -#}
    trim(both '-' from regexp_replace(lower(replace(replace({{ column }}, '''', ''), '’', '')), '[^a-z0-9]+', '-', 'g'))
{%- endmacro %}

{% macro duckdb__arrests_slug(column) -%}
    trim(regexp_replace(lower(replace(replace({{ column }}, '''', ''), '’', '')), '[^a-z0-9]+', '-', 'g'), '-')
{%- endmacro %}

{% macro arrests_fiscal_year(column) -%}
    {#- Federal fiscal year of a date: October-December count toward the next calendar year. -#}
    (extract(year from {{ column }}) + case when extract(month from {{ column }}) >= 10 then 1 else 0 end)
{%- endmacro %}

{% macro arrests_fiscal_year_start(fiscal_year) -%}
    {#- First day (October 1 of the previous calendar year) of a federal fiscal year. -#}
    cast({{ dbt.concat(["cast(" ~ fiscal_year ~ " - 1 as " ~ dbt.type_string() ~ ")", "'-10-01'"]) }} as date)
{%- endmacro %}

{% macro arrests_fiscal_year_end(fiscal_year) -%}
    {#- Last day (September 30) of a federal fiscal year. -#}
    cast({{ dbt.concat(["cast(" ~ fiscal_year ~ " as " ~ dbt.type_string() ~ ")", "'-09-30'"]) }} as date)
{%- endmacro %}
