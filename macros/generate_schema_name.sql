{% macro generate_schema_name(custom_schema_name, node) -%}
    {#- Schemas are exactly raw, staging, intermediate, marts, reference: no `main_` prefixes. -#}
    {%- if custom_schema_name is none -%}
        {{ target.schema }}
    {%- else -%}
        {{ custom_schema_name | trim }}
    {%- endif -%}
{%- endmacro %}
