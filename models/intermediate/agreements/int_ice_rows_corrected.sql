{#- One transformation: apply the reviewed agreement-level agency fixes (seed agreement_agency_fixes,
    keyed on the wrong printed value, support type and signing date) to the normalised rows, giving
    each row the agency name it is resolved under (`resolved_name_key`). -#}
with

rows_normalised as (
    select * from {{ ref('int_ice_rows_normalised') }}
),

agreement_agency_fixes as (
    select
        state_code,
        {{ agency_name_key('agency_name_printed') }} as name_key,
        support_type,
        cast(signed_date as date) as signed_date,
        {{ agency_display_name('agency_name_fixed') }} as agency_name_fixed
    from {{ ref('agreement_agency_fixes') }}
),

final as (
    select
        rows_normalised.*,
        coalesce({{ agency_name_key('agreement_agency_fixes.agency_name_fixed') }}, rows_normalised.name_key) as resolved_name_key,
        coalesce(agreement_agency_fixes.agency_name_fixed, rows_normalised.agency_name_clean) as resolved_agency_name,
        agreement_agency_fixes.agency_name_fixed is not null as has_agency_fix
    from rows_normalised
    left join agreement_agency_fixes
        on rows_normalised.state_code = agreement_agency_fixes.state_code
        and rows_normalised.name_key = agreement_agency_fixes.name_key
        and rows_normalised.support_type = agreement_agency_fixes.support_type
        and rows_normalised.signed_date = agreement_agency_fixes.signed_date
        and rows_normalised.row_kind = 'participating'
)

select * from final
