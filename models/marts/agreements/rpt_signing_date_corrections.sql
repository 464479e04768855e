with

corrections as (
    select * from {{ ref('int_signing_date_corrections_detected') }}
),

series_chained as (
    select
        agreement_id,
        agency_id,
        support_type,
        signed_date
    from {{ ref('int_agreement_series_chained') }}
),

final as (
    select
        series_chained.agreement_id,
        corrections.agency_id,
        corrections.support_type,
        corrections.correction_rule,
        corrections.signed_date_before,
        corrections.signed_date_after,
        corrections.last_listed_before_date,
        corrections.first_listed_after_date
    from corrections
    inner join series_chained
        on
            corrections.agency_id = series_chained.agency_id
            and corrections.support_type = series_chained.support_type
            and corrections.signed_date_before = series_chained.signed_date
)

select * from final
