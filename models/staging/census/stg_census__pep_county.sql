with

source as (
    select * from {{ source('census', 'census_pep_county') }}
),

renamed as (
    select
        {{ row_id() }} as census_row_id,
        _file_sha256 as file_sha256,
        _source_file as source_file,
        _row_number as file_line_number,

        trim(sumlev) as summary_level,
        trim(region) as region_code,
        trim(division) as division_code,
        trim(state) as state_fips,
        trim(county) as county_fips3,
        trim(state) || trim(county) as county_fips,
        trim(stname) as state_name,
        trim(ctyname) as geography_name,

        {{ dbt.safe_cast('estimatesbase2020', api.Column.translate_type('bigint')) }} as estimates_base_2020,
        {{ dbt.safe_cast('popestimate2020', api.Column.translate_type('bigint')) }} as population_2020,
        {{ dbt.safe_cast('popestimate2021', api.Column.translate_type('bigint')) }} as population_2021,
        {{ dbt.safe_cast('popestimate2022', api.Column.translate_type('bigint')) }} as population_2022,
        {{ dbt.safe_cast('popestimate2023', api.Column.translate_type('bigint')) }} as population_2023,
        {{ dbt.safe_cast('popestimate2024', api.Column.translate_type('bigint')) }} as population_2024,
        {{ dbt.safe_cast('gqestimates2024', api.Column.translate_type('bigint')) }} as group_quarters_2024,

        trim(sumlev) = '040' as is_state_row,
        _loaded_at as loaded_at
    from source
)

select * from renamed
