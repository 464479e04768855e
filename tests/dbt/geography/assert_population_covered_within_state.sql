-- Population covered never exceeds the state's population, and its parts add up.
select
    state_code,
    month_start_date,
    population_covered,
    state_population
from {{ ref('rpt_state_participation') }}
where
    population_covered > state_population
    or population_covered <> population_covered_by_counties + population_covered_by_places
    or n_places_covered < n_places_in_covered_counties + n_places_county_unknown
