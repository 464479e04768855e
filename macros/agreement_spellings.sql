{% macro agreement_spellings(rows, publications, extra_keys=[]) -%}
    {#- The spellings of an agreement (state_code, support_type, signed_date[, extra_keys], name_key)
        across the participating publications: `rows` (state_code, support_type, signed_date, name_key,
        agency_name_clean, publication_id, extra_keys) joined to `publications` (publication_id,
        publication_seq, n_publications_of_kind). Shared by int_agreement_renames_detected and
        int_agreement_moves_detected: first_seq / last_seq, the name printed and n_publications. -#}
    {%- set keys = ['state_code', 'support_type', 'signed_date'] + extra_keys + ['name_key'] %}
    select
        {%- for key in keys %}
        {{ rows }}.{{ key }},
        {%- endfor %}
        max({{ rows }}.agency_name_clean) as agency_name_clean,
        min({{ publications }}.publication_seq) as first_seq,
        max({{ publications }}.publication_seq) as last_seq,
        max({{ publications }}.n_publications_of_kind) as n_publications
    from {{ rows }}
    inner join {{ publications }}
        on {{ rows }}.publication_id = {{ publications }}.publication_id
    group by
        {%- for key in keys %}
        {{ rows }}.{{ key }}{{ ',' if not loop.last }}
        {%- endfor %}
{%- endmacro %}
