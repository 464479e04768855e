with

inputs as (
    select
        agency_id,
        state_code,
        agency_name,
        agency_type,
        name_tidy
    from {{ ref('int_agency_geography_inputs') }}
),

states as (
    select
        state_code,
        lower(state_name) as state_name_lower
    from {{ ref('states') }}
),

overrides as (
    select
        state_code,
        {{ geo_tidy('agency_name') }} as name_tidy,
        jurisdiction_level
    from {{ ref('agency_jurisdiction_overrides') }}
    where jurisdiction_level is not null
),

ruled as (
    select
        inputs.agency_id,
        inputs.agency_type,
        case
            when
                inputs.name_tidy like '%university%' or inputs.name_tidy like '%college%'
                or inputs.name_tidy like '%campus%' or inputs.name_tidy like '%school district%'
                or inputs.name_tidy like '% isd %' or inputs.name_tidy like '% isd'
                or inputs.name_tidy like '%schools police%' or inputs.name_tidy like '%school police%'
                then 'Campus|name_campus'
            when
                inputs.name_tidy like '%airport%' or inputs.name_tidy like '%port authority%'
                or inputs.name_tidy like '%port of %' or inputs.name_tidy like '%seaport%'
                or inputs.name_tidy like '%harbor police%' or inputs.name_tidy like '%aviation%'
                then 'Port/Airport|name_port_airport'
            when inputs.name_tidy like '%constable%'
                then 'Constable District|name_constable'
            when
                inputs.name_tidy like '%district attorney%' or inputs.name_tidy like '%prosecut%'
                or inputs.name_tidy like '%solicitor%' or inputs.name_tidy like '%judicial district%'
                then 'Judicial District|name_prosecutor'
            when
                inputs.name_tidy like '%regional%' or inputs.name_tidy like '%jail authority%'
                or inputs.name_tidy like '%multi-county%' or inputs.name_tidy like '%multicounty%'
                or inputs.name_tidy like '%joint %' or inputs.name_tidy like '%consolidated jail%'
                or inputs.name_tidy like '%district jail%' or inputs.name_tidy like '%task force%'
                then 'Regional|name_regional'
            when
                inputs.name_tidy like '%sheriff%' or inputs.name_tidy like '% county %'
                or inputs.name_tidy like '% county' or inputs.name_tidy like '% parish %'
                or (inputs.state_code = 'AK' and inputs.name_tidy like '% borough %')
                or inputs.name_tidy like 'county of %'
                then 'County|name_county'
            when
                inputs.name_tidy like states.state_name_lower || ' %'
                or inputs.name_tidy like '%state police%' or inputs.name_tidy like '%state patrol%'
                or inputs.name_tidy like '%highway patrol%' or inputs.name_tidy like '%state university%'
                or inputs.name_tidy like 'department of %' or inputs.name_tidy like '%attorney general%'
                or inputs.name_tidy like '%wildlife%' or inputs.name_tidy like '%commission%'
                or inputs.name_tidy like '%national guard%'
                or (inputs.agency_type = 'State Agency' and inputs.name_tidy like '%department of%')
                then 'State|name_state'
            when
                inputs.name_tidy like '%police%' or inputs.name_tidy like 'city of %'
                or inputs.name_tidy like 'town of %' or inputs.name_tidy like 'village of %'
                or inputs.name_tidy like '%township%' or inputs.name_tidy like '%marshal%'
                or inputs.name_tidy like '%public safety%'
                then 'Municipal|name_municipal'
            when inputs.agency_type = 'County' then 'County|type_county'
            when inputs.agency_type = 'Municipality' then 'Municipal|type_municipality'
            when inputs.agency_type = 'State Agency' then 'State|type_state'
            else 'Other|no_rule'
        end as level_and_rule
    from inputs
    left join states
        on inputs.state_code = states.state_code
),

final as (
    select
        ruled.agency_id,
        coalesce(overrides.jurisdiction_level, substr(ruled.level_and_rule, 1, strpos(ruled.level_and_rule, '|') - 1))
            as jurisdiction_level,
        case
            when overrides.jurisdiction_level is not null then 'override'
            else substr(ruled.level_and_rule, strpos(ruled.level_and_rule, '|') + 1)
        end as level_rule,
        ruled.agency_type
    from ruled
    inner join inputs
        on ruled.agency_id = inputs.agency_id
    left join overrides
        on
            inputs.state_code = overrides.state_code
            and inputs.name_tidy = overrides.name_tidy
)

select * from final
