with

ledger_lines as (
    select
        payment_line_id,
        ledger_file_id,
        document_id,
        payee_name,
        state_text,
        category,
        description,
        mapping_name,
        source_file,
        source_row_number,
        fiscal_year,
        amount_usd,
        certified_officer_count,
        is_reversal,
        payment_date
    from {{ ref('stg_ledger__lines') }}
    where parse_status = 'ok'
),

payees_matched as (
    select
        payee_name,
        state_text,
        state_code,
        agency_id,
        match_status,
        match_confidence
    from {{ ref('int_ledger_payees_matched') }}
),

final as (
    select
        ledger_lines.payment_line_id as payment_id,
        payees_matched.agency_id,
        ledger_lines.ledger_file_id,
        ledger_lines.document_id,
        payees_matched.match_status,
        ledger_lines.payee_name,
        payees_matched.state_code as payee_state_code,
        ledger_lines.category,
        ledger_lines.description,
        ledger_lines.mapping_name,
        ledger_lines.source_file,
        cast(ledger_lines.source_row_number as bigint) as source_row_number,
        cast(ledger_lines.fiscal_year as integer) as fiscal_year,
        cast(ledger_lines.amount_usd as decimal(14, 2)) as amount_usd,
        cast(ledger_lines.certified_officer_count as integer) as certified_officer_count,
        cast(payees_matched.match_confidence as decimal(5, 4)) as match_confidence,
        ledger_lines.is_reversal,
        ledger_lines.payment_date
    from ledger_lines
    left join payees_matched
        on
            ledger_lines.payee_name = payees_matched.payee_name
            and ledger_lines.state_text is not distinct from payees_matched.state_text
)

select * from final
