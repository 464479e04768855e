{#- One transformation: normalise every printed participating and pending row (state -> USPS code,
    agency name key, support type, agency type, county placeholders), values as printed kept. -#}
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
),

states as (
    select
        state_code,
        upper(state_name) as state_name_key
    from {{ ref('states') }}
),

state_name_fixes as (
    select
        state_code,
        {{ state_name_key('state_name_printed') }} as state_name_key
    from {{ ref('state_name_fixes') }}
),

unioned as (
    select * from participating
    union all
    select * from pending
),

keyed as (
    select
        unioned.*,
        {{ state_name_key('unioned.state_printed') }} as state_name_key,
        {{ agency_name_key('unioned.agency_name_printed') }} as name_key,
        {{ agency_display_name('unioned.agency_name_printed') }} as agency_name_clean,
        {{ support_type_name('unioned.support_type_printed') }} as support_type,
        {{ agency_type_name('unioned.agency_type_printed') }} as agency_type,
        {{ county_name_clean('unioned.county_printed') }} as county_name,
        lower({{ collapse_whitespace('unioned.moa_printed') }}) like '%pending%' as is_moa_pending
    from unioned
),

final as (
    select
        keyed.row_id,
        keyed.row_kind,
        keyed.publication_id,
        coalesce(states.state_code, state_name_fixes.state_code) as state_code,
        keyed.name_key,
        keyed.agency_name_clean,
        keyed.support_type,
        {{ support_type_code('keyed.support_type') }} as support_type_code,
        keyed.agency_type,
        keyed.county_name,
        case
            when states.state_code is not null then 'exact'
            when state_name_fixes.state_code is not null then 'state_name_fixes'
        end as state_match_rule,
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
    left join states
        on keyed.state_name_key = states.state_name_key
    left join state_name_fixes
        on keyed.state_name_key = state_name_fixes.state_name_key
)

select * from final
