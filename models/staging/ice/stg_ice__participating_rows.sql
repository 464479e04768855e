with

source as (
    select * from {{ source('ice', 'ice_participating_rows') }}
),

renamed as (
    select
        {{ row_id() }} as listing_row_id,
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
        {{ printable_text('signed') }} as signed_printed,
        {{ printable_text('moa') }} as moa_printed,
        {{ printable_text('addendum') }} as addendum_printed,

        {{ clean_text('state') }} as state_name,
        {{ clean_text('law_enforcement_agency') }} as agency_name,
        {{ clean_text('type') }} as agency_type,
        {{ clean_text('county') }} as county_name,
        {{ clean_text('support_type') }} as support_type,
        {{ clean_text('moa') }} as moa_text,
        {{ clean_text('addendum') }} as addendum_text,
        signed_cell_type,
        signed_parse_status,
        moa_link_target,
        moa_link_origin,
        moa_url,
        addendum_link_target,
        addendum_link_origin,
        addendum_url,

        cast(signed_date as date) as signed_date,
        _loaded_at as loaded_at
    from source
)

select * from renamed
