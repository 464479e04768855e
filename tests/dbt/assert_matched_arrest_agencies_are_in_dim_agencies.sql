{#- Arrests and weekly rows that carry an agency_id say agency_in_sheets (and the reverse), so the
    agency_not_in_sheets label and the id never disagree. Returns the disagreeing rows. -#}
select
    arrest_id as row_id,
    agency_id,
    agency_link_status
from {{ ref('fct_arrests') }}
where (agency_id is not null) <> (agency_link_status = 'agency_in_sheets')
union all
select
    {{ dbt.concat(["agency_ref", "'@'", "cast(week_start_date as " ~ dbt.type_string() ~ ")"]) }} as row_id,
    agency_id,
    cast(is_agency_in_sheets as {{ dbt.type_string() }}) as agency_link_status
from {{ ref('fct_agency_arrests_weekly') }}
where (agency_id is not null) <> is_agency_in_sheets
