{% test column_checks(model, unique_combinations=none, relationships=none) %}
{#- Every plain check of one model, seed or source table in one test: each column's `checks`
    (config.meta: not_null, accepted_values, value_between in one scan; unique: one grouped count) and
    the test's own arguments: `unique_combinations` (lists of columns: the unique_combination macro's
    composite keys, nulls grouping together) and `relationships` ({column, to: ref(...), field}: dbt's
    relationships test; the ref in the argument is what makes dbt build the parent first). A not_null
    check ({not_null: {where: ...}}) and a relationship may carry a `where`: the test's where config they
    replace (the rows they check). One row per
    broken check (model_name, column_name, check_name, n_failing_rows, example_value). CONTRIBUTING
    "Tests and contracts". -#}
{%- set node = column_checks_node(model) if execute else none -%}
{%- set checks = column_checks_of(model) if execute else [] -%}
{%- set scanned = checks | selectattr("failing") | list -%}
{%- set parts = [] -%}
{%- for check in checks -%}
    {%- if check.failing -%}
        {%- set i = scanned.index(check) + 1 -%}
        {%- do parts.append({"column_name": check.column_name, "check_name": check.check_name, "cte": "counted",
                             "n": "n_failing_" ~ i, "example": "example_" ~ i}) -%}
    {%- else -%}
        {%- do parts.append({"column_name": check.column_name, "check_name": check.check_name, "cte": "check_" ~ (parts | length + 1),
                             "n": "n_failing", "example": "example", "keys": [check.column], "nulls": false}) -%}
    {%- endif -%}
{%- endfor -%}
{%- for columns in (unique_combinations or []) if execute -%}
    {%- do parts.append({"column_name": "(" ~ columns | join(", ") ~ ")", "check_name": "unique_combination", "cte": "check_" ~ (parts | length + 1),
                         "n": "n_failing", "example": "example", "keys": columns, "nulls": true}) -%}
{%- endfor -%}
{%- for relationship in (relationships or []) if execute -%}
    {%- do parts.append({"column_name": relationship.column, "check_name": "relationships(" ~ relationship.to.identifier ~ "." ~ relationship.field ~ ")",
                         "cte": "check_" ~ (parts | length + 1), "n": "n_failing", "example": "example", "relationship": relationship}) -%}
{%- endfor -%}
{%- set model_name = ((node.source_name ~ ".") if node.resource_type == "source" else "") ~ node.name if execute else "" -%}
{%- if parts | length == 0 %}
select
    cast(null as {{ dbt.type_string() }}) as model_name,
    cast(null as {{ dbt.type_string() }}) as column_name,
    cast(null as {{ dbt.type_string() }}) as check_name,
    0 as n_failing_rows,
    cast(null as {{ dbt.type_string() }}) as example_value
where 1 = 0
{%- else %}
with
{%- if scanned %}
counted as (
    select
    {%- for check in scanned %}
        sum(case when {{ check.failing }} then 1 else 0 end) as n_failing_{{ loop.index }},
        min(case when {{ check.failing }} then cast({{ check.column }} as {{ dbt.type_string() }}) end) as example_{{ loop.index }}{{ "," if not loop.last }}
    {%- endfor %}
    from {{ model }}
){{ "," if parts | rejectattr("cte", "equalto", "counted") | list }}
{%- endif %}
{%- for part in parts | rejectattr("cte", "equalto", "counted") %}
{%- if part.relationship %}
{%- set rel = part.relationship %}
{{ part.cte }} as (
    select
        count(*) as n_failing,
        min(cast(child.{{ rel.column }} as {{ dbt.type_string() }})) as example
    from {% if rel.where %}(select * from {{ model }} where {{ rel.where }}){% else %}{{ model }}{% endif %} as child
    left join {{ rel.to }} as parent on child.{{ rel.column }} = parent.{{ rel.field }}
    where child.{{ rel.column }} is not null and parent.{{ rel.field }} is null
){{ "," if not loop.last }}
{%- else %}
{%- set shown = [] -%}
{%- for key in part["keys"] -%}
    {%- do shown.append("coalesce(cast(" ~ key ~ " as " ~ dbt.type_string() ~ "), 'null')") -%}
{%- endfor %}
{{ part.cte }} as (
    select
        coalesce(sum(n_rows), 0) as n_failing,
        min({{ shown | join(" || ', ' || ") }}) as example
    from (
        select {{ part["keys"] | join(", ") }}, count(*) as n_rows
        from {{ model }}
        {%- if not part.nulls %}
        where {{ part["keys"][0] }} is not null
        {%- endif %}
        group by {{ part["keys"] | join(", ") }}
        having count(*) > 1
    ) as duplicated
){{ "," if not loop.last }}
{%- endif %}
{%- endfor %}

{% for part in parts -%}
select
    '{{ model_name }}' as model_name,
    '{{ part.column_name }}' as column_name,
    '{{ part.check_name }}' as check_name,
    {{ part.n }} as n_failing_rows,
    {{ part.example }} as example_value
from {{ part.cte }}
where {{ part.n }} > 0
{% if not loop.last %}union all
{% endif -%}
{%- endfor %}
{%- endif %}
{% endtest %}


{% macro column_checks_of(relation) %}
{#- The checks declared in the `checks` meta of the columns of the model, seed or source `relation` is
    built from: a list of {column_name, column (quoted), check_name, failing (a condition; none for unique, which
    counts groups)}. -#}
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
        {%- if name == 'not_null' and arguments is mapping and arguments.where -%}
            {%- set failing = quoted ~ " is null and (" ~ arguments.where ~ ")" -%}
        {%- elif name == 'not_null' -%}
            {%- set failing = quoted ~ " is null" -%}
        {%- elif name == 'accepted_values' -%}
            {%- set quoted_values = [] -%}
            {%- for value in arguments -%}
                {%- do quoted_values.append("'" ~ (value | string | replace("'", "''")) ~ "'") -%}
            {%- endfor -%}
            {%- set failing = "cast(" ~ quoted ~ " as " ~ dbt.type_string() ~ ") not in (" ~ quoted_values | join(", ") ~ ")" -%}
        {%- elif name == 'value_between' -%}
            {%- set failing = quoted ~ " < " ~ arguments.min_value ~ " or " ~ quoted ~ " > " ~ arguments.max_value -%}
        {%- elif name == 'unique' -%}
            {%- set failing = none -%}
        {%- else -%}
            {%- do exceptions.raise_compiler_error(node.name ~ "." ~ column_name ~ ": unknown check " ~ name ~ " (not_null, accepted_values, value_between, unique)") -%}
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
