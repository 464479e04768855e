-- Incremental by publication: ice287g build rebuilds it in full when the project changes (YAML).
{{ config(
    materialized='incremental',
    incremental_strategy='append',
    on_schema_change='fail'
) }}

with

participating as (
    select
        listing_row_id as row_id,
        'participating' as row_kind,
        publication_id,
        sheet_row_number,
        state_printed,
        agency_name_printed,
        agency_type_printed,
        county_printed,
        support_type_printed,
        signed_printed,
        moa_printed,
        addendum_printed,
        moa_url,
        addendum_url,
        signed_date
    from {{ ref('stg_ice__participating_rows') }}
    {% if is_incremental() -%}
        where publication_id not in (select distinct publication_id from {{ this }})
    {%- endif %}
),

pending as (
    select
        pending_row_id as row_id,
        'pending' as row_kind,
        publication_id,
        sheet_row_number,
        state_printed,
        agency_name_printed,
        agency_type_printed,
        county_printed,
        support_type_printed,
        cast(null as {{ dbt.type_string() }}) as signed_printed,
        moa_printed,
        cast(null as {{ dbt.type_string() }}) as addendum_printed,
        cast(null as {{ dbt.type_string() }}) as moa_url,
        cast(null as {{ dbt.type_string() }}) as addendum_url,
        cast(null as date) as signed_date
    from {{ ref('stg_ice__pending_rows') }}
    {% if is_incremental() -%}
        where publication_id not in (select distinct publication_id from {{ this }})
    {%- endif %}
),

values_resolved as (
    select
        column_name,
        value_printed,
        resolved_to,
        resolved_code,
        method
    from {{ ref('int_ice_values_resolved') }}
    where column_name in ('state', 'support_type', 'agency_type')
),

unioned as (
    select * from participating
    union all
    select * from pending
),

keyed as (
    select
        unioned.*,
        {{ agency_name_key('unioned.agency_name_printed') }} as name_key,
        {{ agency_display_name('unioned.agency_name_printed') }} as agency_name_clean,
        {{ county_name_clean('unioned.county_printed') }} as county_name,
        lower({{ collapse_whitespace('unioned.moa_printed') }}) like '%pending%' as is_moa_pending
    from unioned
),

final as (
    select
        keyed.row_id,
        keyed.row_kind,
        keyed.publication_id,
        coalesce(state_values.resolved_code, 'XX') as state_code,
        keyed.name_key,
        keyed.agency_name_clean,
        coalesce(support_type_values.resolved_to, 'Unknown') as support_type,
        coalesce(support_type_values.resolved_code, 'UNK') as support_type_code,
        agency_type_values.resolved_to as agency_type,
        keyed.county_name,
        coalesce(state_values.method, 'placeholder') as state_match_rule,
        keyed.state_printed,
        keyed.agency_name_printed,
        keyed.agency_type_printed,
        keyed.county_printed,
        keyed.support_type_printed,
        keyed.signed_printed,
        keyed.moa_printed,
        keyed.addendum_printed,
        keyed.moa_url,
        keyed.addendum_url,
        keyed.sheet_row_number,
        coalesce(keyed.is_moa_pending, false) as is_moa_pending,
        keyed.signed_date
    from keyed
    left join values_resolved as state_values
        on
            state_values.column_name = 'state'
            and coalesce(keyed.state_printed, '') = state_values.value_printed
    left join values_resolved as support_type_values
        on
            support_type_values.column_name = 'support_type'
            and coalesce(keyed.support_type_printed, '') = support_type_values.value_printed
    left join values_resolved as agency_type_values
        on
            agency_type_values.column_name = 'agency_type'
            and coalesce(keyed.agency_type_printed, '') = agency_type_values.value_printed
)

select * from final
