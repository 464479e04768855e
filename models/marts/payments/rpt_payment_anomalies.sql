with

payments as (
    select
        payment_id,
        agency_id,
        match_status,
        payee_name,
        payee_state_code,
        category,
        amount_usd,
        payment_date
    from {{ ref('fct_payments') }}
),

agreements as (
    select
        agreement_id,
        agency_id,
        removed_by_date,
        coalesce(signed_date, first_listed_date) as active_from_date
    from {{ ref('fct_agreements') }}
),

agreement_coverage as (
    select
        payments.payment_id,
        count(agreements.agreement_id) as n_agreements,
        sum(
            case
                when
                    agreements.active_from_date <= payments.payment_date
                    and (agreements.removed_by_date is null or payments.payment_date < agreements.removed_by_date)
                    then 1
                else 0
            end
        ) as n_active_on_date,
        min(agreements.active_from_date) as first_active_from_date,
        max(agreements.removed_by_date) as last_removed_by_date
    from payments
    left join agreements
        on payments.agency_id = agreements.agency_id
    where payments.agency_id is not null
    group by payments.payment_id
),

no_active_agreement as (
    select
        'no_active_agreement' as anomaly_type,
        payments.payment_id,
        case
            when agreement_coverage.n_agreements = 0 then 'no agreement of this agency is known'
            when payments.payment_date < agreement_coverage.first_active_from_date
                then
                    'paid before the first agreement was signed ('
                    || cast(agreement_coverage.first_active_from_date as {{ dbt.type_string() }}) || ')'
            else
                'paid after the agreement was removed (removed by '
                || cast(agreement_coverage.last_removed_by_date as {{ dbt.type_string() }}) || ')'
        end as detail
    from payments
    inner join agreement_coverage
        on payments.payment_id = agreement_coverage.payment_id
    where agreement_coverage.n_active_on_date = 0
),

vehicle_totals as (
    select
        agency_id,
        sum(case when amount_usd > 0 then 1 else 0 end) as n_vehicle_payments,
        sum(case when amount_usd < 0 then 1 else 0 end) as n_vehicle_reversals,
        sum(amount_usd) as net_vehicle_usd,
        max(amount_usd) as largest_vehicle_payment_usd
    from payments
    where category = 'vehicle' and agency_id is not null
    group by agency_id
),

duplicate_vehicle as (
    select
        'duplicate_vehicle_payment' as anomaly_type,
        payments.payment_id,
        cast(vehicle_totals.n_vehicle_payments as {{ dbt.type_string() }}) || ' vehicle payments, '
        || cast(vehicle_totals.n_vehicle_reversals as {{ dbt.type_string() }}) || ' reversals, net '
        || cast(vehicle_totals.net_vehicle_usd as {{ dbt.type_string() }}) || ' USD' as detail
    from payments
    inner join vehicle_totals
        on payments.agency_id = vehicle_totals.agency_id
    where
        payments.category = 'vehicle'
        and payments.amount_usd > 0
        and vehicle_totals.n_vehicle_payments > 1
        and vehicle_totals.net_vehicle_usd > vehicle_totals.largest_vehicle_payment_usd
),

unmatched_payee as (
    select
        'unmatched_payee' as anomaly_type,
        payment_id,
        'no agency in ' || coalesce(payee_state_code, 'an unknown state') || ' matches this payee' as detail
    from payments
    where match_status = 'unmatched'
),

anomalies as (
    select * from no_active_agreement
    union all
    select * from duplicate_vehicle
    union all
    select * from unmatched_payee
),

final as (
    select
        anomalies.anomaly_type || ':' || anomalies.payment_id as anomaly_id,
        anomalies.payment_id,
        payments.agency_id,
        anomalies.anomaly_type,
        payments.payee_name,
        payments.payee_state_code,
        payments.category,
        anomalies.detail,
        payments.amount_usd,
        payments.payment_date
    from anomalies
    inner join payments
        on anomalies.payment_id = payments.payment_id
)

select * from final
