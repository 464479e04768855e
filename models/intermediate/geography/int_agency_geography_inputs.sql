with

rows_resolved as (
    select
        agency_id,
        state_code,
        resolved_agency_name,
        agency_type,
        county_name,
        row_kind,
        published_date
    from {{ ref('int_ice_rows_resolved') }}
    where agency_id is not null
),

ranked as (
    select
        agency_id,
        state_code,
        resolved_agency_name,
        agency_type,
        county_name,
        row_number() over (
            partition by agency_id
            order by published_date desc, case when row_kind = 'participating' then 0 else 1 end, resolved_agency_name asc
        ) as name_rank,
        row_number() over (
            partition by agency_id
            order by
                case when agency_type is null then 1 else 0 end, published_date desc,
                case when row_kind = 'participating' then 0 else 1 end
        ) as type_rank,
        row_number() over (
            partition by agency_id
            order by
                case when county_name is null then 1 else 0 end, published_date desc,
                case when row_kind = 'participating' then 0 else 1 end
        ) as county_rank
    from rows_resolved
),

agencies as (
    select
        agency_id,
        min(state_code) as state_code,
        max(case when name_rank = 1 then resolved_agency_name end) as agency_name,
        max(case when type_rank = 1 then agency_type end) as agency_type,
        max(case when county_rank = 1 then county_name end) as county_printed
    from ranked
    group by agency_id
),

final as (
    select
        agency_id,
        state_code,
        agency_name,
        agency_type,
        county_printed,
        {{ geo_tidy('agency_name') }} as name_tidy,
        {{ agency_county_key('agency_name') }} as county_key_from_name,
        {{ agency_place_key('agency_name') }} as place_key_from_name,
        {{ county_name_key('county_printed') }} as county_key_from_column,
        {{ county_name_unit('county_printed') }} as county_unit_from_column
    from agencies
)

select * from final
