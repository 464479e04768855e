{% macro clean_text(column) -%}
    {#- Trim a printed value; empty or blank text becomes null. Staging's only string clean-up. -#}
    nullif(trim({{ column }}), '')
{%- endmacro %}
