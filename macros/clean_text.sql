{% macro clean_text(column) -%}
    {#- Trim a printed value, control characters (ANSI escapes, NUL, ...) stripped; empty or blank text
        becomes null. Staging's only string clean-up. -#}
    nullif(trim({{ strip_control_characters(column) }}), '')
{%- endmacro %}
