{#-
    Name keys for matching ICE's agency and county names to census geography. Portable SQL
    (lower, trim, replace, regexp_replace with the 'g' flag); the two engine-specific functions
    (regular-expression group extraction, edit distance) go through adapter.dispatch.
-#}

{% macro geo_regexp_extract(expr, pattern, group=1) -%}
    {{ return(adapter.dispatch('geo_regexp_extract')(expr, pattern, group)) }}
{%- endmacro %}

{% macro default__geo_regexp_extract(expr, pattern, group) -%}
    (regexp_match({{ expr }}, '{{ pattern }}'))[{{ group }}]
{%- endmacro %}

{% macro duckdb__geo_regexp_extract(expr, pattern, group) -%}
    nullif(regexp_extract({{ expr }}, '{{ pattern }}', {{ group }}), '')
{%- endmacro %}

{% macro geo_edit_distance(left, right) -%}
    {{ return(adapter.dispatch('geo_edit_distance')(left, right)) }}
{%- endmacro %}

{% macro default__geo_edit_distance(left, right) -%}
    levenshtein({{ left }}, {{ right }})
{%- endmacro %}

{% macro geo_tidy(expr) -%}
    {#- lower case; curly apostrophes, periods and apostrophes dropped; hyphens to spaces; 'saint' -> 'st',
        'ft' -> 'fort', 'mt' -> 'mount'; whitespace collapsed. -#}
    nullif(trim(regexp_replace(regexp_replace(regexp_replace(regexp_replace(
        replace(replace(replace(replace(replace(lower({{ expr }}), chr(8217), ''), '''', ''), '.', ''), chr(160), ' '), '-', ' '),
        '(^|\s)saint\s', '\1st ', 'g'),
        '(^|\s)ft\s', '\1fort ', 'g'),
        '(^|\s)mt\s', '\1mount ', 'g'),
        '\s+', ' ', 'g')), '')
{%- endmacro %}

{% macro county_name_key(expr) -%}
    {#- A county name without its unit: 'Lafourche Parish' / 'Lafourche County' -> 'lafourche',
        'Lynchburg city' -> 'lynchburg', 'Juneau City and Borough' -> 'juneau'. -#}
    nullif(trim(regexp_replace(
        {{ geo_tidy(expr) }},
        '\s+(city and borough|census area|planning region|county|parish|borough|municipality|municipio|city)$',
        '')), '')
{%- endmacro %}

{% macro county_name_unit(expr) -%}
    {#- 'city' when the name ends in "city" (a Virginia-style independent city), 'county' otherwise. -#}
    case when {{ geo_tidy(expr) }} like '% city' and {{ geo_tidy(expr) }} not like '% city and borough'
        then 'city' else 'county' end
{%- endmacro %}

{% macro place_name_key(expr) -%}
    {#- A Gazetteer place name without its LSAD and '(balance)': 'Palm Bay city' -> 'palm bay'. -#}
    nullif(trim(regexp_replace(regexp_replace(
        {{ geo_tidy(expr) }}, '\s*\([^)]*\)', '', 'g'),
        '\s+(city and borough|metropolitan government|metro government|consolidated government|unified government|urban county|city|town|village|borough|cdp|municipality|township|corporation)$',
        '')), '')
{%- endmacro %}

{% macro agency_place_key(expr) -%}
    {#- The place an agency is named after: 'City of Miami Police Department' -> 'miami',
        'Palm Bay Police Department' -> 'palm bay', 'Upper Makefield Township Police Department'
        -> 'upper makefield township'. -#}
    nullif(trim(regexp_replace(regexp_replace(
        {{ geo_tidy(expr) }},
        '^(the )?(city|town|village|borough|township|municipality) of ', ''),
        '\s+(police|marshals?|marshals office|department of public safety|public safety|dept|department|division of police|pd)(\s.*)?$',
        '')), '')
{%- endmacro %}

{% macro agency_county_key(expr) -%}
    {#- The county an agency is named after: "Laramie County Sheriff's Office" -> 'laramie',
        'Lafourche Parish Sheriff' -> 'lafourche'; null when the name names no county. -#}
    {{ geo_regexp_extract(geo_tidy(expr), '^(?:the )?([a-z][a-z -]*?)\\s+(?:county|parish|borough)(?:\\s|$)') }}
{%- endmacro %}

{% macro strip_place_unit(expr) -%}
    {#- An agency's place key without a trailing unit word: 'manheim borough' -> 'manheim'. -#}
    nullif(trim(regexp_replace({{ expr }}, '\s+(city|town|village|borough|township)$', '')), '')
{%- endmacro %}

{% macro newest_file_filter(relation) -%}
    {#- `file_sha256 in (...)`: keeps only the rows of the most recently loaded file of a census table
        (a newer vintage replaces an older one; older files stay in raw for lineage). -#}
    file_sha256 = (
        select newest.file_sha256
        from {{ relation }} as newest
        order by newest.loaded_at desc, newest.file_sha256 asc
        limit 1
    )
{%- endmacro %}

{% macro county_column_candidates(inputs, id_column) -%}
    {#- The COUNTY-column tiers of county matching, shared by int_agency_counties_matched (per agency)
        and int_ice_county_values_matched (per printed value): column_exact (priority 4), column_key (5),
        column_fuzzy (6). `inputs` has id_column, state_code, county_printed, county_key_from_column;
        a CTE `counties` (county_fips, state_code, name_tidy, county_key) must be in scope. -#}
    select
        {{ inputs }}.{{ id_column }},
        counties.county_fips,
        'column_exact' as match_method,
        1.00 as match_confidence,
        4 as priority
    from {{ inputs }}
    inner join counties
        on
            {{ inputs }}.state_code = counties.state_code
            and {{ geo_tidy(inputs ~ '.county_printed') }} = counties.name_tidy

    union all

    select
        {{ inputs }}.{{ id_column }},
        counties.county_fips,
        'column_key' as match_method,
        0.90 as match_confidence,
        5 as priority
    from {{ inputs }}
    inner join counties
        on
            {{ inputs }}.state_code = counties.state_code
            and {{ inputs }}.county_key_from_column = counties.county_key

    union all

    select
        {{ inputs }}.{{ id_column }},
        counties.county_fips,
        'column_fuzzy' as match_method,
        0.70 as match_confidence,
        6 as priority
    from {{ inputs }}
    inner join counties
        on
            {{ inputs }}.state_code = counties.state_code
            and {{ inputs }}.county_key_from_column is not null
            and length({{ inputs }}.county_key_from_column) >= 5
            and {{ geo_edit_distance(inputs ~ '.county_key_from_column', 'counties.county_key') }}
            between 1 and case when length({{ inputs }}.county_key_from_column) >= 8 then 2 else 1 end
{%- endmacro %}

{% macro best_match(candidates, id_column, match_column, penalty_column=none) -%}
    {#- The one selection rule of the geography matchers (counties, places, printed COUNTY values):
        per id, keep the candidates of the best rule (lowest priority), then those with the lowest
        penalty (the unit rule; none: no penalty), and report how many distinct matches remain
        (n_candidates: 1 is a match, more is ambiguous), the smallest of them, its method and
        confidence. `candidates` has id_column, match_column, match_method, match_confidence, priority
        and penalty_column. -#}
    select
        penalised.{{ id_column }},
        min(penalised.match_method) as match_method,
        min(penalised.match_confidence) as match_confidence,
        count(distinct penalised.{{ match_column }}) as n_candidates,
        min(penalised.{{ match_column }}) as {{ match_column }}
        {%- if penalty_column %},
        min(penalised.penalty) as {{ penalty_column }}
        {%- endif %}
    from (
        select
            in_best_rule.*,
            min(in_best_rule.penalty) over (partition by in_best_rule.{{ id_column }}) as best_penalty
        from (
            select
                ranked.{{ id_column }},
                ranked.{{ match_column }},
                ranked.match_method,
                ranked.match_confidence,
                ranked.priority,
                {{ 'ranked.' ~ penalty_column if penalty_column else '0' }} as penalty,
                min(ranked.priority) over (partition by ranked.{{ id_column }}) as best_priority
            from {{ candidates }} as ranked
        ) as in_best_rule
        where in_best_rule.priority = in_best_rule.best_priority
    ) as penalised
    where penalised.penalty = penalised.best_penalty
    group by penalised.{{ id_column }}
{%- endmacro %}
