{#-
    Normalisation rules for ICE's printed values. Every model that compares agency names, states,
    support types or agency types uses these macros, so one rule is applied the same way everywhere
    (agreements, payments, arrests). Portable SQL: translate, replace, chr, regexp_replace with the
    'g' flag, lower/upper and trim behave the same on DuckDB and PostgreSQL.
-#}

{% macro collapse_whitespace(expr) -%}
    {#- NBSP, narrow NBSP, zero-width space, tabs, newlines and runs of spaces -> one space; trimmed. -#}
    nullif(trim(regexp_replace(
        replace(replace(replace({{ expr }}, chr(160), ' '), chr(8239), ' '), chr(8203), ''),
        '\s+', ' ', 'g'
    )), '')
{%- endmacro %}

{% macro agency_name_key(expr) -%}
    {#- The one agency-name matching key: curly/right single quotes, acute accents and backticks to ',
        whitespace collapsed, trimmed, lower case. Join on (state_code, agency_name_key(name)). -#}
    lower({{ collapse_whitespace("translate(" ~ expr ~ ", chr(8217) || chr(8216) || chr(96) || chr(180), '''''''''')") }})
{%- endmacro %}

{% macro agency_display_name(expr) -%}
    {#- A printed agency name tidied for display: apostrophes straightened, whitespace collapsed. -#}
    {{ collapse_whitespace("translate(" ~ expr ~ ", chr(8217) || chr(8216) || chr(96) || chr(180), '''''''''')") }}
{%- endmacro %}

{% macro slugify(expr) -%}
    {#- Lower-case ASCII slug: apostrophes dropped, every other run of non [a-z0-9] -> '-', trimmed of '-'. -#}
    regexp_replace(
        regexp_replace(replace(lower({{ expr }}), '''', ''), '[^a-z0-9]+', '-', 'g'),
        '^-+|-+$', '', 'g'
    )
{%- endmacro %}

{% macro state_name_key(expr) -%}
    {#- Upper-case, whitespace-collapsed STATE as printed; looked up in reference.states and the
        reviewed typo seed ice.state_name_fixes (keyed the same way). -#}
    upper({{ collapse_whitespace(expr) }})
{%- endmacro %}

{% macro support_type_name(expr) -%}
    {#- SUPPORT TYPE -> one of the three full names; anything unrecognised -> null (and a failing test). -#}
    case {{ agency_name_key(expr) }}
        when 'jail enforcement model' then 'Jail Enforcement Model'
        when 'jail enforcement' then 'Jail Enforcement Model'
        when 'task force model' then 'Task Force Model'
        when 'task force' then 'Task Force Model'
        when 'warrant service officer' then 'Warrant Service Officer'
        when 'warrant services officer' then 'Warrant Service Officer'
        when 'warrant service office' then 'Warrant Service Officer'
        when 'warrant services office' then 'Warrant Service Officer'
        when 'warrant service officers' then 'Warrant Service Officer'
    end
{%- endmacro %}

{% macro support_type_code(expr) -%}
    {#- Full support type name -> JEM / TFM / WSO (used in agreement_id). -#}
    case {{ expr }}
        when 'Jail Enforcement Model' then 'JEM'
        when 'Task Force Model' then 'TFM'
        when 'Warrant Service Officer' then 'WSO'
    end
{%- endmacro %}

{% macro agency_type_name(expr) -%}
    {#- TYPE -> County / Municipality / State Agency ('State' and the 'Muncipality' typo folded). -#}
    case {{ agency_name_key(expr) }}
        when 'county' then 'County'
        when 'municipality' then 'Municipality'
        when 'muncipality' then 'Municipality'
        when 'municipal' then 'Municipality'
        when 'state agency' then 'State Agency'
        when 'state' then 'State Agency'
    end
{%- endmacro %}

{% macro county_name_clean(expr) -%}
    {#- COUNTY as printed, whitespace collapsed; the placeholders #N/A, #NA, N/A, NA and blank -> null. -#}
    case
        when upper({{ collapse_whitespace(expr) }}) in ('#N/A', '#NA', 'N/A', 'NA', '#N/A N/A', '-') then null
        else {{ collapse_whitespace(expr) }}
    end
{%- endmacro %}

{% macro edit_distance(left, right) -%}
    {{ return(adapter.dispatch('edit_distance')(left, right)) }}
{%- endmacro %}

{% macro default__edit_distance(left, right) -%}
    {#- PostgreSQL: needs the fuzzystrmatch extension. -#}
    levenshtein({{ left }}, {{ right }})
{%- endmacro %}

{% macro duckdb__edit_distance(left, right) -%}
    levenshtein({{ left }}, {{ right }})
{%- endmacro %}

{% macro moa_as_published(printed, url) -%}
    {#- An MOA cell printed as a Wayback capture address (HTML-era reconstructions) is the ICE address
        inside it (the wrapper is the capture's, not ICE's); any other printed value is kept. -#}
    case
        when lower({{ printed }}) like 'http%://web.archive.org/web/%' then {{ url }}
        else {{ printed }}
    end
{%- endmacro %}
