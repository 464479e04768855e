{% macro row_id(separator=':', sheet=none) -%}
    {#- A landed row's id from its lineage: the file's sha256 prefix (16 hex digits), then the sheet
        (when `sheet` names its column; a null sheet counts as ''), then the Excel row number, joined by
        `separator`. row_id() = '<sha16>:<row>'; row_id('-', sheet='_sheet') = '<sha16>-<sheet>-<row>'. -#}
    {%- set parts = ["substr(_file_sha256, 1, 16)", "'" ~ separator ~ "'"] -%}
    {%- if sheet is not none -%}
        {%- do parts.extend(["coalesce(" ~ sheet ~ ", '')", "'" ~ separator ~ "'"]) -%}
    {%- endif -%}
    {%- do parts.append("cast(_row_number as " ~ dbt.type_string() ~ ")") -%}
    {{ dbt.concat(parts) }}
{%- endmacro %}
