with

source as (
    select * from {{ source('census', 'census_gazetteer_place') }}
),

renamed as (
    select
        {{ row_id() }} as census_row_id,
        _file_sha256 as file_sha256,
        _source_file as source_file,
        _row_number as file_line_number,

        trim(geoid) as place_geoid,
        trim(geoidfq) as geoid_qualified,
        trim(ansicode) as ansi_code,
        trim(usps) as state_code,
        trim(name) as place_name,
        trim(lsad) as lsad_code,
        trim(funcstat) as functional_status,

        {{ dbt.safe_cast('trim(aland)', api.Column.translate_type('bigint')) }} as land_area_m2,
        {{ dbt.safe_cast('trim(awater)', api.Column.translate_type('bigint')) }} as water_area_m2,
        {{ dbt.safe_cast('trim(intptlat)', 'decimal(10, 6)') }} as latitude,
        {{ dbt.safe_cast('trim(intptlong)', 'decimal(10, 6)') }} as longitude,

        _loaded_at as loaded_at
    from source
)

select * from renamed
