{% test column_checks(model) %}
{#- Every plain column check of one model, seed or source table in one scan: each column's `checks`
    (config.meta: not_null, accepted_values, value_between) is one count; one row per broken check
    (column_name, check_name, n_failing_rows, example_value). CONTRIBUTING "Tests and contracts". -#}
{%- set checks = column_checks_of(model) if execute else [] -%}
{%- if checks | length == 0 %}
select
    cast(null as {{ dbt.type_string() }}) as column_name,
    cast(null as {{ dbt.type_string() }}) as check_name,
    0 as n_failing_rows,
    cast(null as {{ dbt.type_string() }}) as example_value
where 1 = 0
{%- else %}
with counted as (
    select
    {%- for check in checks %}
        sum(case when {{ check.failing }} then 1 else 0 end) as n_failing_{{ loop.index }},
        min(case when {{ check.failing }} then cast({{ check.column }} as {{ dbt.type_string() }}) end) as example_{{ loop.index }}{{ "," if not loop.last }}
    {%- endfor %}
    from {{ model }}
)

{% for check in checks -%}
select
    '{{ check.column_name }}' as column_name,
    '{{ check.check_name }}' as check_name,
    n_failing_{{ loop.index }} as n_failing_rows,
    example_{{ loop.index }} as example_value
from counted
where n_failing_{{ loop.index }} > 0
{% if not loop.last %}union all
{% endif -%}
{%- endfor %}
{%- endif %}
{% endtest %}


{% macro column_checks_of(relation) %}
{#- The checks declared in the `checks` meta of the columns of the model, seed or source `relation` is
    built from: a list of {column_name, column (quoted), check_name, failing (a condition)}. -#}
{%- set node = column_checks_node(relation) -%}
{%- set out = [] -%}
{%- for column_name, column in node.columns.items() -%}
    {%- set meta = (column.config or {}).get('meta') or column.meta or {} -%}
    {%- set quoted = adapter.quote(column_name) if column.quote else column_name -%}
    {%- for check in meta.get('checks') or [] -%}
        {%- if check is string -%}
            {%- set name, arguments = check, none -%}
        {%- elif check is mapping and check | length == 1 -%}
            {%- set name, arguments = (check.items() | list)[0] -%}
        {%- else -%}
            {%- do exceptions.raise_compiler_error(node.name ~ "." ~ column_name ~ ": a check is a name or {name: arguments}, not " ~ check) -%}
        {%- endif -%}
        {%- if name == 'not_null' -%}
            {%- set failing = quoted ~ " is null" -%}
        {%- elif name == 'accepted_values' -%}
            {%- set quoted_values = [] -%}
            {%- for value in arguments -%}
                {%- do quoted_values.append("'" ~ (value | string | replace("'", "''")) ~ "'") -%}
            {%- endfor -%}
            {%- set failing = "cast(" ~ quoted ~ " as " ~ dbt.type_string() ~ ") not in (" ~ quoted_values | join(", ") ~ ")" -%}
        {%- elif name == 'value_between' -%}
            {%- set failing = quoted ~ " < " ~ arguments.min_value ~ " or " ~ quoted ~ " > " ~ arguments.max_value -%}
        {%- else -%}
            {%- do exceptions.raise_compiler_error(node.name ~ "." ~ column_name ~ ": unknown check " ~ name ~ " (not_null, accepted_values, value_between)") -%}
        {%- endif -%}
        {%- do out.append({"column_name": column_name, "column": quoted, "check_name": name, "failing": failing}) -%}
    {%- endfor -%}
{%- endfor -%}
{{ return(out) }}
{% endmacro %}


{% macro column_checks_node(relation) %}
{#- The graph node (model, seed or source table) that `relation` is built from. -#}
{%- for node in (graph.nodes.values() | list) + (graph.sources.values() | list) -%}
    {%- if node.resource_type in ('model', 'seed', 'source')
        and (node.identifier or node.alias or node.name) | lower == relation.identifier | lower
        and node.schema | lower == relation.schema | lower -%}
        {{ return(node) }}
    {%- endif -%}
{%- endfor -%}
{%- do exceptions.raise_compiler_error("column_checks: no model, seed or source is built as " ~ relation) -%}
{% endmacro %}
