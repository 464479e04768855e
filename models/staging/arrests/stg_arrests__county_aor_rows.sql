with

source as (
    select * from {{ source('arrests', 'arrests_county_aor_rows') }}
),

renamed as (
    select
        {{ clean_text('geoid') }} as county_fips,
        {{ clean_text('geoid_state') }} as state_fips,
        {{ clean_text('name') }} as county_state_name,
        upper({{ clean_text('aor') }}) as aor_code
    from source
)

select * from renamed
