with

source as (
    select * from {{ source('census', 'census_pep_county') }}
),

renamed as (
    select
        substr(_file_sha256, 1, 16) || ':' || cast(_row_number as {{ dbt.type_string() }}) as census_row_id,
        _file_sha256 as file_sha256,
        _source_file as source_file,
        _row_number as file_line_number,

        trim("SUMLEV") as summary_level,
        trim("REGION") as region_code,
        trim("DIVISION") as division_code,
        trim("STATE") as state_fips,
        trim("COUNTY") as county_fips3,
        trim("STATE") || trim("COUNTY") as county_fips,
        trim("STNAME") as state_name,
        trim("CTYNAME") as geography_name,

        {{ dbt.safe_cast('"ESTIMATESBASE2020"', api.Column.translate_type('bigint')) }} as estimates_base_2020,
        {{ dbt.safe_cast('"POPESTIMATE2020"', api.Column.translate_type('bigint')) }} as population_2020,
        {{ dbt.safe_cast('"POPESTIMATE2021"', api.Column.translate_type('bigint')) }} as population_2021,
        {{ dbt.safe_cast('"POPESTIMATE2022"', api.Column.translate_type('bigint')) }} as population_2022,
        {{ dbt.safe_cast('"POPESTIMATE2023"', api.Column.translate_type('bigint')) }} as population_2023,
        {{ dbt.safe_cast('"POPESTIMATE2024"', api.Column.translate_type('bigint')) }} as population_2024,
        {{ dbt.safe_cast('"GQESTIMATES2024"', api.Column.translate_type('bigint')) }} as group_quarters_2024,

        trim("SUMLEV") = '040' as is_state_row,
        _loaded_at as loaded_at
    from source
)

select * from renamed
