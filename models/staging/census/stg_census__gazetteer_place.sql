with

source as (
    select * from {{ source('census', 'census_gazetteer_place') }}
),

renamed as (
    select
        substr(_file_sha256, 1, 16) || ':' || cast(_row_number as {{ dbt.type_string() }}) as census_row_id,
        _file_sha256 as file_sha256,
        _source_file as source_file,
        _row_number as file_line_number,

        trim("GEOID") as place_geoid,
        trim("GEOIDFQ") as geoid_qualified,
        trim("ANSICODE") as ansi_code,
        trim("USPS") as state_code,
        trim("NAME") as place_name,
        trim("LSAD") as lsad_code,
        trim("FUNCSTAT") as functional_status,

        {{ dbt.safe_cast('trim("ALAND")', api.Column.translate_type('bigint')) }} as land_area_m2,
        {{ dbt.safe_cast('trim("AWATER")', api.Column.translate_type('bigint')) }} as water_area_m2,
        {{ dbt.safe_cast('trim("INTPTLAT")', 'decimal(10, 6)') }} as latitude,
        {{ dbt.safe_cast('trim("INTPTLONG")', 'decimal(10, 6)') }} as longitude,

        _loaded_at as loaded_at
    from source
)

select * from renamed
