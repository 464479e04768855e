-- The landing SELECT of a ledger: the mapped fields as printed (text) plus their parsed values, and a
-- reject reason per line (a line that fails parsing still lands, parse_status = 'rejected').
-- Rendered by ingest/sources/ledger/parse_sql.py: each double-braced name is a SQL expression built
-- from the mapping, with identifiers and literals quoted by ingest.sql.
with source_rows as (
    {{ source_sql }}
),

mapped as (
    select
        _row_number,
        {{ mapped_fields }}
    from source_rows
),

trimmed as (
    select
        *,
        nullif(trim(payee_name), '') as payee_t,
        nullif(trim(payment_date), '') as d_t,
        nullif(trim(fiscal_year), '') as fiscal_year_t,
        nullif(trim(category), '') as category_t,
        nullif(trim(description), '') as description_t,
        nullif(trim(amount), '') as amount_t,
        nullif(trim(certified_officers), '') as certified_officers_t,
        nullif(trim(payee_name), '') as payee_name_t,
        nullif(trim(state), '') as state_t,
        nullif(trim(document_id), '') as document_id_t,
        nullif(trim(payment_date), '') as payment_date_t
    from mapped
),

money as (
    select
        *,
        regexp_extract(upper(amount_t), {{ money_shell }}, 2) as amount_body,
        (starts_with(amount_t, '(') and ends_with(amount_t, ')')) as amount_in_parens,
        (starts_with(amount_t, '(') <> ends_with(amount_t, ')')) as amount_unbalanced,
        contains(amount_t, '-') as amount_minus,
        length(amount_t) - length(replace(amount_t, '-', '')) as amount_n_minus
    from trimmed
),

parsed as (
    select
        *,
        case
            when
                amount_body <> '' and not amount_unbalanced
                and not (amount_in_parens and amount_minus) and amount_n_minus <= 1
                and regexp_full_match(amount_body, {{ money_body }})
                then
                    try_cast(
                        replace(replace(amount_body, {{ thousands }}, ''), {{ decimal_mark }}, '.') as decimal(14, 2)
                    )
                    * (case when amount_in_parens or amount_minus then -1 else 1 end)
        end as amount_value,
        list_distinct(list_filter({{ date_list }}, lambda x: x is not null)) as date_candidates,
        list_filter(list_zip({{ date_list }}, {{ method_list }}), lambda x: x[1] is not null) as date_hits,
        case
            when regexp_full_match(coalesce(fiscal_year_t, ''), '(?i)(FY)?\s*[0-9]{4}')
                then cast(regexp_extract(fiscal_year_t, '[0-9]{4}') as integer)
            when regexp_full_match(coalesce(fiscal_year_t, ''), '(?i)FY\s*[0-9]{2}')
                then 2000 + cast(regexp_extract(fiscal_year_t, '[0-9]{2}') as integer)
        end as fiscal_year_parsed,
        case
            when regexp_full_match(coalesce(certified_officers_t, ''), '[0-9]{1,6}(\.0+)?')
                then cast(cast(certified_officers_t as double) as integer)
        end as officers_parsed
    from money
),

checked as (
    select
        *,
        case
            when len(date_candidates) = 1 and year(date_candidates[1]) between {{ year_min }} and {{ year_max }}
                then date_candidates[1]
        end as date_value,
        list_value(
            case when payee_t is null then 'payee_name: blank' end,
            case
                when amount_t is null then 'amount: blank'
                when amount_value is not null then null
                when amount_n_minus > 1 or (amount_in_parens and amount_minus)
                    then 'amount: not a money value (more than one sign): ' || amount_t
                when
                    amount_body <> '' and not amount_unbalanced
                    and regexp_full_match(amount_body, {{ money_body }})
                    then 'amount: too large for DECIMAL(14,2) (at most 999,999,999,999.99): ' || amount_t
                when amount_body <> '' and regexp_full_match(amount_body, {{ money_other_style }})
                    then 'amount: ambiguous ' || amount_t || {{ ambiguous_note }}
                else 'amount: not a money value: ' || amount_t
            end,
            case
                when d_t is null then 'payment_date: blank'
                when len(date_candidates) > 1
                    then 'payment_date: ambiguous ' || d_t || ' (formats give different dates)'
                when len(date_candidates) = 0 then 'payment_date: not in any mapped format: ' || d_t
                when year(date_candidates[1]) not between {{ year_min }} and {{ year_max }}
                    then 'payment_date: implausible year: ' || d_t
            end,
            case
                when fiscal_year_t is not null and fiscal_year_parsed is null
                    then 'fiscal_year: not a fiscal year: ' || fiscal_year_t
            end,
            case
                when certified_officers_t is not null and officers_parsed is null
                    then 'certified_officers: not a whole number: ' || certified_officers_t
            end
        ) as problems
    from parsed
),

final as (
    select
        _row_number,
        {{ mapping_name }} as mapping_name,
        payee_name,
        state,
        payment_date,
        fiscal_year,
        category,
        amount,
        certified_officers,
        document_id,
        description,
        date_value as payment_date_value,
        case when date_value is not null then date_hits[1][2] end as date_parse_method,
        amount_value as amount_usd,
        fiscal_year_parsed as fiscal_year_value,
        officers_parsed as certified_officer_count,
        {{ category_code }} as category_code,
        {{ category_method }} as category_method,
        case when len(list_filter(problems, lambda x: x is not null)) = 0 then 'ok' else 'rejected' end
            as parse_status,
        nullif(array_to_string(list_filter(problems, lambda x: x is not null), '; '), '') as reject_reason,
        split_part(list_filter(problems, lambda x: x is not null)[1], ':', 1) as reject_column
    from checked
)

select * from final
