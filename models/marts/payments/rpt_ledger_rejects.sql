with

ledger_lines as (
    select
        payment_line_id,
        ledger_file_id,
        source_file,
        sheet_name,
        source_row_number,
        mapping_name,
        reject_column,
        reject_reason,
        payee_name_printed,
        state_printed,
        payment_date_printed,
        category_printed,
        amount_printed,
        document_id_printed,
        parse_status
    from {{ ref('stg_ledger__lines') }}
),

final as (
    select
        payment_line_id,
        ledger_file_id,
        source_file,
        sheet_name,
        mapping_name,
        reject_column,
        reject_reason,
        payee_name_printed,
        state_printed,
        payment_date_printed,
        category_printed,
        amount_printed,
        document_id_printed,
        source_row_number
    from ledger_lines
    where parse_status = 'rejected'
)

select * from final
