with

source as (
    select * from {{ source('census', 'census_acs_place') }}
),

renamed as (
    select
        {{ row_id() }} as census_row_id,
        _file_sha256 as file_sha256,
        _source_file as source_file,
        _row_number as file_line_number,

        trim(state) || trim(place) as place_geoid,
        trim(state) as state_fips,
        trim(place) as place_fips5,
        trim(name) as geography_name,

        {{ dbt.safe_cast('b01003_001e', api.Column.translate_type('bigint')) }} as population_acs,
        {{ dbt.safe_cast('b25001_001e', api.Column.translate_type('bigint')) }} as housing_units_acs,

        _loaded_at as loaded_at
    from source
)

select * from renamed
