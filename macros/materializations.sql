{#-
  DuckDB's table and view materializations, rebuilt in place in one transaction.

  dbt-duckdb's (and dbt's view) build `<model>__dbt_tmp`, rename the old relation to `__dbt_backup`,
  rename the new one into place, commit, then drop the backup; a mart then asks DuckDB for its columns
  (DESCRIBE) and comments its relation and columns in two more statements. Each of those is a macro call
  with a fresh context and a query through dbt's connection: on a new sheet's build, py-spy put 1.5 s of
  the dbt process's 9.8 s holding the interpreter lock in them (bench/README.md, session 12).

  DuckDB's DDL is transactional and the warehouse has one writer, so nothing gains from the swap: the
  old relation is dropped and the new one created in the model's own transaction, in one statement, and
  a failure rolls both back (the old relation stays, as with the swap). A model whose contract is
  enforced has exactly its documented columns, so its comments go in that statement too, without the
  DESCRIBE; any other model's docs are persisted as dbt does. Only DuckDB takes these (PostgreSQL keeps
  dbt's own), and only SQL models (the project has no others).
-#}

{% materialization table, adapter='duckdb', supported_languages=['sql'] %}
  {{ return(ice287g_rebuild_in_place('table')) }}
{% endmaterialization %}


{% materialization view, adapter='duckdb', supported_languages=['sql'] %}
  {{ return(ice287g_rebuild_in_place('view')) }}
{% endmaterialization %}


{#- The body of both materializations: the model's relation (``kind``: table or view) dropped and created
    anew in one statement of its transaction, between its hooks; grants, indexes (a table's) and docs as
    dbt-duckdb's materializations apply them. -#}
{% macro ice287g_rebuild_in_place(kind) %}
  {%- set existing_relation = load_cached_relation(this) -%}
  {%- set target_relation = this.incorporate(type=kind) -%}
  {%- set grant_config = config.get('grants') -%}
  {%- set comments_inline = ice287g_comments_inline(model) -%}

  {{ run_hooks(pre_hooks, inside_transaction=False) }}
  {{ run_hooks(pre_hooks, inside_transaction=True) }}
  {%- set drop_first = ice287g_drop_for_rebuild(existing_relation, target_relation) -%}
  {% call statement('main') -%}
    {{ drop_first }}
    {%- if kind == 'table' %}
    {%- set partitioned_by = duckdb__get_partitioned_by(target_relation, false) %}
    {%- set sorted_by = duckdb__get_sorted_by(target_relation, false) %}
    {{ create_table_as(False, target_relation, compiled_code, partitioned_by=partitioned_by, sorted_by=sorted_by) }}
    {%- else %}
    {{ get_create_view_as_sql(target_relation, compiled_code) }}
    {%- endif %}
    {%- if comments_inline %}
    {{ ice287g_comment_statements(target_relation, model) }}
    {%- endif %}
  {%- endcall %}
  {%- if kind == 'table' %}
    {% do create_indexes(target_relation) %}
  {%- endif %}
  {{ run_hooks(post_hooks, inside_transaction=True) }}
  {% do apply_grants(target_relation, grant_config, should_revoke=should_revoke(existing_relation, full_refresh_mode=True)) %}
  {% if not comments_inline %}
    {% do persist_docs(target_relation, model) %}
  {% endif %}
  {{ adapter.commit() }}
  {{ run_hooks(post_hooks, inside_transaction=False) }}
  {{ return({'relations': [target_relation]}) }}
{% endmacro %}


{#- The statement that drops the relation a rebuild replaces, for the model's main statement (empty
    when there is none). A relation of another type (a model that was a view and is now a table) is
    dropped here, through the adapter, so dbt's relation cache forgets it too. As dbt-duckdb's drop:
    with ``cascade`` except in DuckLake. -#}
{% macro ice287g_drop_for_rebuild(existing_relation, target_relation) %}
  {%- if existing_relation is none -%}
    {{- return('') -}}
  {%- elif existing_relation.type != target_relation.type -%}
    {%- do adapter.drop_relation(existing_relation) -%}
    {{- return('') -}}
  {%- else -%}
    {%- set cascade = '' if adapter.is_ducklake(existing_relation) else ' cascade' -%}
    {{- return('drop ' ~ existing_relation.type ~ ' if exists ' ~ existing_relation ~ cascade ~ ';') -}}
  {%- endif -%}
{% endmacro %}


{#- True when a model's docs go in its main statement: docs persisted and the contract enforced (the
    relation then has exactly the documented columns, which dbt's persist_docs asks DuckDB for). -#}
{% macro ice287g_comments_inline(model) %}
  {%- set persist = config.persist_relation_docs() or config.persist_column_docs() -%}
  {{- return(persist and config.get('contract').enforced) -}}
{% endmacro %}


{#- `comment on` statements for a relation and its columns: what dbt-duckdb's persist_docs writes
    (the relation's comment when it has a description, every documented column's). -#}
{% macro ice287g_comment_statements(relation, model) %}
  {%- if config.persist_relation_docs() and model.description %}
    {{ duckdb__alter_relation_comment(relation, model.description) }}
  {%- endif %}
  {%- if config.persist_column_docs() %}
    {%- for column_name, column in model.columns.items() %}
    comment on column {{ relation }}.{{ adapter.quote(column_name) if column['quote'] else column_name }} is {{ duckdb_escape_comment(column['description']) }};
    {%- endfor %}
  {%- endif %}
{% endmacro %}
