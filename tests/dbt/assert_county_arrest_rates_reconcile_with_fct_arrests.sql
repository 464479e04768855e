{#- rpt_county_arrest_rates counts every dated 287(g) arrest attributed to a county of dim_counties exactly once,
    per fiscal year; returns the fiscal years where the report and fct_arrests disagree. -#}
with

report as (
    select
        fiscal_year,
        sum(n_287g_arrests) as n_report,
        sum(n_287g_arrests_agency_in_sheets) as n_report_agency
    from {{ ref('rpt_county_arrest_rates') }}
    group by fiscal_year
),

arrests as (
    select
        cast({{ arrests_fiscal_year('fct_arrests.apprehension_date') }} as integer) as fiscal_year,
        count(*) as n_facts,
        count(fct_arrests.agency_id) as n_facts_agency
    from {{ ref('fct_arrests') }} as fct_arrests
    inner join {{ ref('dim_counties') }} as dim_counties
        on fct_arrests.county_fips = dim_counties.county_fips
    where fct_arrests.is_287g and fct_arrests.apprehension_date is not null
    group by cast({{ arrests_fiscal_year('fct_arrests.apprehension_date') }} as integer)
)

select
    coalesce(report.fiscal_year, arrests.fiscal_year) as fiscal_year,
    report.n_report,
    arrests.n_facts
from report
full outer join arrests
    on report.fiscal_year = arrests.fiscal_year
where
    coalesce(report.n_report, 0) <> coalesce(arrests.n_facts, 0)
    or coalesce(report.n_report_agency, 0) <> coalesce(arrests.n_facts_agency, 0)
