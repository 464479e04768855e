with

source as (
    select * from {{ source('ledger', 'ledger_lines') }}
),

renamed as (
    select
        {{ row_id() }} as payment_line_id,
        substr(_file_sha256, 1, 16) as ledger_file_id,
        _file_sha256 as file_sha256,
        _source_file as source_file,
        _sheet as sheet_name,
        _row_number as source_row_number,
        mapping_name,

        {{ printable_text('payee_name') }} as payee_name_printed,
        {{ printable_text('state') }} as state_printed,
        {{ printable_text('payment_date') }} as payment_date_printed,
        {{ printable_text('fiscal_year') }} as fiscal_year_printed,
        {{ printable_text('category') }} as category_printed,
        {{ printable_text('amount') }} as amount_printed,
        {{ printable_text('certified_officers') }} as certified_officers_printed,
        {{ printable_text('document_id') }} as document_id_printed,
        {{ printable_text('description') }} as description_printed,

        {{ clean_text('payee_name') }} as payee_name,
        upper({{ clean_text('state') }}) as state_text,
        {{ clean_text('document_id') }} as document_id,
        {{ clean_text('description') }} as description,
        category_code as category,
        category_method,
        date_parse_method,
        parse_status,
        reject_reason,
        reject_column,

        cast(amount_usd as decimal(14, 2)) as amount_usd,
        cast(certified_officer_count as integer) as certified_officer_count,
        cast(fiscal_year_value as integer) as fiscal_year_printed_value,
        -- federal fiscal year: October starts the next year's FY; a printed fiscal year wins
        cast(coalesce(
            fiscal_year_value,
            case
                when extract(month from payment_date_value) >= 10 then extract(year from payment_date_value) + 1
                else extract(year from payment_date_value)
            end
        ) as integer) as fiscal_year,
        case
            when fiscal_year_value is not null then 'printed'
            when payment_date_value is not null then 'from_payment_date'
        end as fiscal_year_method,

        parse_status = 'rejected' as is_rejected,
        coalesce(amount_usd < 0, false) as is_reversal,

        cast(payment_date_value as date) as payment_date,
        _loaded_at as loaded_at
    from source
)

select * from renamed
