-- The union of every qa_<area>__<check> model; qa_check_models() fails the build if one is not listed.
{%- set checks = qa_check_models([
    'qa_agreements__active_equal_newest_listings',
    'qa_agreements__agency_spellings_by_match_rule',
    'qa_agreements__agreements_resolve_to_agencies',
    'qa_agreements__by_status',
    'qa_agreements__daily_count_on_newest_date',
    'qa_agreements__listings_account_for_printed_rows',
    'qa_agreements__listings_resolve_to_agreements',
    'qa_agreements__signing_date_corrections',
    'qa_arrests__by_layout',
    'qa_arrests__by_link_method',
    'qa_geography__agencies_by_jurisdiction_level',
    'qa_geography__agencies_placed_on_map',
    'qa_geography__pep_county_rows_sum_to_state_row',
    'qa_geography__pep_state_rows_are_reference_states',
    'qa_geography__placement_rates',
    'qa_geography__unmatched_by_reason',
    'qa_payments__ledger_lines_accounted',
    'qa_payments__payments_equal_accepted_lines',
    'qa_payments__payments_matched',
    'qa_payments__unmatched_payees',
    'qa_publications__date_conflicts',
    'qa_publications__dated_after_latest_signed',
    'qa_publications__days_with_several',
    'qa_publications__files_quarantined',
    'qa_publications__order_total',
    'qa_publications__row_counts',
    'qa_publications__validated_before_landing',
    'qa_publications__validation_results',
]) %}

with

unioned as (
    {%- for check in checks %}
        select
            check_name,
            scope,
            observed,
            expected,
            status
        from {{ ref(check) }}
        {%- if not loop.last %}
            union all
        {%- endif %}
    {%- endfor %}
),

final as (
    select
        cast(check_name as {{ dbt.type_string() }}) as check_name,
        cast(scope as {{ dbt.type_string() }}) as scope,
        cast(observed as {{ dbt.type_string() }}) as observed,
        cast(expected as {{ dbt.type_string() }}) as expected,
        cast(status as {{ dbt.type_string() }}) as status
    from unioned
)

select * from final
