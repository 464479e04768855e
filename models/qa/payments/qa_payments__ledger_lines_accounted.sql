-- Checks every_ledger_line_accepted_or_rejected and rejected_ledger_lines (info).
with

ledger_lines as (
    select parse_status
    from {{ ref('stg_ledger__lines') }}
),

staged as (
    select
        count(*) as n_lines,
        coalesce(sum(case when parse_status = 'ok' then 1 else 0 end), 0) as n_accepted,
        coalesce(sum(case when parse_status = 'rejected' then 1 else 0 end), 0) as n_rejected
    from ledger_lines
),

final as (
    select
        'every_ledger_line_accepted_or_rejected' as check_name,
        'payments' as scope,
        cast(n_accepted + n_rejected as {{ dbt.type_string() }}) as observed,
        cast(n_lines as {{ dbt.type_string() }}) as expected,
        case when n_accepted + n_rejected = n_lines then 'pass' else 'fail' end as status
    from staged

    union all

    select
        'rejected_ledger_lines' as check_name,
        'payments' as scope,
        cast(n_rejected as {{ dbt.type_string() }}) as observed,
        'listed in rpt_ledger_rejects' as expected,
        'info' as status
    from staged
)

select * from final
