with

source as (
    select * from {{ source('ice', 'ice_pending_rows') }}
),

renamed as (
    select
        {{ row_id() }} as pending_row_id,
        substr(_file_sha256, 1, 16) as publication_id,
        _file_sha256 as file_sha256,
        _source_file as source_file,
        _sheet as sheet_name,
        _row_number as sheet_row_number,

        {{ printable_text('state') }} as state_printed,
        {{ printable_text('law_enforcement_agency') }} as agency_name_printed,
        {{ printable_text('type') }} as agency_type_printed,
        {{ printable_text('county') }} as county_printed,
        {{ printable_text('support_type') }} as support_type_printed,
        {{ printable_text('moa') }} as moa_printed,

        {{ clean_text('state') }} as state_name,
        {{ clean_text('law_enforcement_agency') }} as agency_name,
        {{ clean_text('type') }} as agency_type,
        {{ clean_text('county') }} as county_name,
        {{ clean_text('support_type') }} as support_type,
        {{ clean_text('moa') }} as moa_text,

        _loaded_at as loaded_at
    from source
)

select * from renamed
