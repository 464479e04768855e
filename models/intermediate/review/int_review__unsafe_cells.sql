-- sqlfluff:exclude_rules:RF04
-- (`method` is the column name rpt_values_for_review defines)
{% set text_cells = {
    'ice_participating_rows': [
        ('state', 'state_printed', 'state_name'),
        ('law_enforcement_agency', 'agency_name_printed', 'agency_name'),
        ('agency_type', 'agency_type_printed', 'agency_type'),
        ('county', 'county_printed', 'county_name'),
        ('support_type', 'support_type_printed', 'support_type'),
        ('signed', 'signed_printed', 'signed_printed'),
        ('moa', 'moa_printed', 'moa_text'),
        ('addendum', 'addendum_printed', 'addendum_text'),
    ],
    'ice_pending_rows': [
        ('state', 'state_printed', 'state_name'),
        ('law_enforcement_agency', 'agency_name_printed', 'agency_name'),
        ('agency_type', 'agency_type_printed', 'agency_type'),
        ('county', 'county_printed', 'county_name'),
        ('support_type', 'support_type_printed', 'support_type'),
        ('moa', 'moa_printed', 'moa_text'),
    ],
    'ledger_lines': [
        ('payee_name', 'payee_name_printed', 'payee_name'),
        ('state', 'state_printed', 'state_text'),
        ('category', 'category_printed', 'category_printed'),
        ('document_id', 'document_id_printed', 'document_id'),
        ('description', 'description_printed', 'description'),
    ],
} -%}
{%- set link_cells = [('moa_link_target', 'moa_url'), ('addendum_link_target', 'addendum_url')] -%}

with

publications as (
    select
        publication_id,
        published_date
    from {{ ref('stg_ice__publications') }}
),

ice_participating_rows as (
    select
        participating.*,
        participating.sheet_row_number as source_row_number,
        publications.published_date
    from {{ ref('stg_ice__participating_rows') }} as participating
    left join publications
        on participating.publication_id = publications.publication_id
),

ice_pending_rows as (
    select
        pending.*,
        pending.sheet_row_number as source_row_number,
        publications.published_date
    from {{ ref('stg_ice__pending_rows') }} as pending
    left join publications
        on pending.publication_id = publications.publication_id
),

ledger_lines as (
    select
        *,
        cast(null as date) as published_date
    from {{ ref('stg_ledger__lines') }}
),

cells as (
    {%- for table, columns in text_cells.items() %}
        {%- for column, printed, cleaned in columns %}
            select
                '{{ table }}' as source_table,
                '{{ column }}' as column_name,
                {{ printed }} as value_printed,
                state_printed,
                {{ cleaned }} as resolved_to,
                'control_characters' as method,
                published_date,
                source_file,
                source_row_number
            from {{ table }}
            where {{ has_control_pictures(printed) }}
            union all
            select
                '{{ table }}' as source_table,
                '{{ column }}' as column_name,
                {{ printed }} as value_printed,
                state_printed,
                {{ dbt.concat(["''''", printed]) }} as resolved_to,
                'formula_prefix' as method,
                published_date,
                source_file,
                source_row_number
            from {{ table }}
            where {{ has_formula_prefix(printed) }} or {{ has_formula_prefix(cleaned) }}
            union all
        {%- endfor %}
    {%- endfor %}
    {%- for target, url in link_cells %}
        select
            'ice_participating_rows' as source_table,
            '{{ target }}' as column_name,
            {{ target }} as value_printed,
            state_printed,
            cast(null as {{ dbt.type_string() }}) as resolved_to,
            'unsafe_url_scheme' as method,
            published_date,
            source_file,
            source_row_number
        from ice_participating_rows
        where {{ target }} is not null and {{ url }} is null
        {%- if not loop.last %}
            union all
        {%- endif %}
    {%- endfor %}
),

examples as (
    select
        *,
        row_number() over (
            partition by source_table, column_name, value_printed, state_printed, method
            order by published_date, source_file, source_row_number
        ) as example_rank
    from cells
),

grouped as (
    select
        source_table,
        column_name,
        value_printed,
        state_printed,
        method,
        count(*) as n_rows,
        min(published_date) as first_published_date,
        max(published_date) as last_published_date
    from cells
    group by source_table, column_name, value_printed, state_printed, method
),

final as (
    select
        cast(grouped.source_table as {{ dbt.type_string() }}) as source_table,
        cast(grouped.column_name as {{ dbt.type_string() }}) as column_name,
        grouped.value_printed,
        grouped.state_printed,
        examples.resolved_to,
        cast(grouped.method as {{ dbt.type_string() }}) as method,
        cast(1.0 as double precision) as confidence,
        cast(grouped.n_rows as bigint) as n_rows,
        grouped.first_published_date,
        grouped.last_published_date,
        examples.source_file as example_file,
        cast(examples.source_row_number as integer) as example_row
    from grouped
    inner join examples
        on
            grouped.source_table = examples.source_table
            and grouped.column_name = examples.column_name
            and grouped.value_printed = examples.value_printed
            and grouped.state_printed is not distinct from examples.state_printed
            and grouped.method = examples.method
            and examples.example_rank = 1
)

select * from final
