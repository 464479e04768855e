{#- One row per arrest from every release layout, with the AOR and state coded (seeds aor_codes, states). -#}
{%- set common = ['arrest_id', 'file_sha256', 'source_layout', 'aor_printed', 'apprehension_method', 'landmark',
                  'state_printed', 'county_printed', 'arresting_agency', 'person_key', 'source_row_number',
                  'is_287g', 'was_redacted', 'is_landmark_redacted', 'apprehension_date'] -%}
with

lesa as (
    select {{ common | join(', ') }} from {{ ref('stg_arrests__lesa_rows') }}
),

ddp as (
    select {{ common | join(', ') }} from {{ ref('stg_arrests__ddp_rows') }}
),

ddp_early as (
    select {{ common | join(', ') }} from {{ ref('stg_arrests__ddp_early_rows') }}
),

aor_codes as (
    select
        aor_code,
        aor_name,
        aor_long_name
    from {{ ref('aor_codes') }}
),

states as (
    select
        state_code,
        state_name
    from {{ ref('states') }}
),

unioned as (
    select * from lesa
    union all
    select * from ddp
    union all
    select * from ddp_early
),

coded as (
    select
        unioned.*,
        aor_codes.aor_code,
        states.state_code
    from unioned
    left join aor_codes
        on upper(unioned.aor_printed) in (upper(aor_codes.aor_long_name), upper(aor_codes.aor_name), aor_codes.aor_code)
    left join states
        on upper(unioned.state_printed) in (states.state_code, upper(states.state_name))
)

select * from coded
