{% macro qa_check_models(listed) -%}
    {#- The QA check models (every model named qa_*): returns `listed`, and at execution fails the
        build when a qa_* model of the project is not in it (or a listed one does not exist), so a new
        check cannot be left out of rpt_qa_summary. dbt records a ref only at parse time, when the graph
        is not yet known, so the list is explicit and this guard makes it complete. -#}
    {%- if execute -%}
        {%- set found = [] -%}
        {%- for node in graph.nodes.values() -%}
            {%- if node.resource_type == 'model' and node.package_name == project_name and node.name.startswith('qa_') -%}
                {%- do found.append(node.name) -%}
            {%- endif -%}
        {%- endfor -%}
        {%- set missing = [] -%}
        {%- for name in found | sort if name not in listed -%}
            {%- do missing.append(name) -%}
        {%- endfor -%}
        {%- set unknown = [] -%}
        {%- for name in listed if name not in found -%}
            {%- do unknown.append(name) -%}
        {%- endfor -%}
        {%- if missing or unknown -%}
            {{ exceptions.raise_compiler_error(
                "rpt_qa_summary: QA check models not listed: " ~ (missing | join(', ') or 'none')
                ~ "; listed but not found: " ~ (unknown | join(', ') or 'none')
                ~ " (edit the list in models/qa/rpt_qa_summary.sql)"
            ) }}
        {%- endif -%}
    {%- endif -%}
    {{ return(listed | sort) }}
{%- endmacro %}
