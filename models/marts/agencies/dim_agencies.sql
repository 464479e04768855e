with

rows_resolved as (
    select
        agency_id,
        row_kind,
        state_code,
        agency_type,
        agency_type_printed,
        name_key,
        published_date,
        sheet_row_number
    from {{ ref('int_ice_rows_resolved') }}
    where agency_id is not null
),

agency_aliases as (
    select
        agency_id,
        state_code,
        agency_name,
        name_key
    from {{ ref('int_agency_aliases') }}
),

agency_type_fixes as (
    select
        state_code,
        {{ agency_name_key('agency_name') }} as name_key,
        {{ agency_type_name('agency_type_printed') }} as agency_type_printed,
        agency_type_fixed
    from {{ ref('agency_type_fixes') }}
),

newest_participating as (
    select max(published_date) as published_date
    from {{ ref('stg_ice__publications') }}
    where publication_kind = 'participating'
),

agencies as (
    select
        agency_id,
        min(state_code) as state_code,
        min(agency_name) as agency_name,
        count(*) as n_spellings
    from agency_aliases
    group by agency_id
),

typed_rows as (
    select
        rows_resolved.agency_id,
        coalesce(agency_type_fixes.agency_type_fixed, rows_resolved.agency_type) as agency_type,
        row_number() over (
            partition by rows_resolved.agency_id
            order by
                case when rows_resolved.agency_type is null then 1 else 0 end asc,
                case when rows_resolved.row_kind = 'participating' then 0 else 1 end asc,
                rows_resolved.published_date desc,
                rows_resolved.sheet_row_number asc
        ) as type_rank
    from rows_resolved
    left join agency_type_fixes
        on
            rows_resolved.state_code = agency_type_fixes.state_code
            and rows_resolved.name_key = agency_type_fixes.name_key
            and rows_resolved.agency_type = agency_type_fixes.agency_type_printed
),

listing_dates as (
    select
        agency_id,
        min(case when row_kind = 'participating' then published_date end) as first_listed_date,
        max(case when row_kind = 'participating' then published_date end) as last_listed_date,
        min(case when row_kind = 'pending' then published_date end) as first_pending_date,
        max(case when row_kind = 'pending' then published_date end) as last_pending_date
    from rows_resolved
    group by agency_id
),

agency_geography as (
    select
        agency_id,
        jurisdiction_level,
        county_fips,
        place_geoid
    from {{ ref('int_agency_geography') }}
),

final as (
    select
        agencies.agency_id,
        agencies.state_code,
        agencies.agency_name,
        typed_rows.agency_type,
        agency_geography.jurisdiction_level,
        agency_geography.county_fips,
        agency_geography.place_geoid,
        agencies.n_spellings,
        coalesce(listing_dates.last_listed_date = newest_participating.published_date, false) as is_currently_listed,
        listing_dates.first_listed_date,
        listing_dates.last_listed_date,
        listing_dates.first_pending_date,
        listing_dates.last_pending_date
    from agencies
    cross join newest_participating
    left join typed_rows
        on
            agencies.agency_id = typed_rows.agency_id
            and typed_rows.type_rank = 1
    left join listing_dates
        on agencies.agency_id = listing_dates.agency_id
    left join agency_geography
        on agencies.agency_id = agency_geography.agency_id
)

select * from final
