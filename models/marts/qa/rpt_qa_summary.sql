{#- One explicit import CTE per `int_qa__<area>` model, unioned below; add a new area in both places. -#}

with

qa_publications as (
    select
        check_name,
        scope,
        observed,
        expected,
        status
    from {{ ref('int_qa__publications') }}
),

qa_agreements as (
    select
        check_name,
        scope,
        observed,
        expected,
        status
    from {{ ref('int_qa__agreements') }}
),

qa_geography as (
    select
        check_name,
        scope,
        observed,
        expected,
        status
    from {{ ref('int_qa__geography') }}
),

qa_payments as (
    select
        check_name,
        scope,
        observed,
        expected,
        status
    from {{ ref('int_qa__payments') }}
),

qa_arrests as (
    select
        check_name,
        scope,
        observed,
        expected,
        status
    from {{ ref('int_qa__arrests') }}
),

unioned as (
    select * from qa_publications
    union all
    select * from qa_agreements
    union all
    select * from qa_geography
    union all
    select * from qa_payments
    union all
    select * from qa_arrests
),

final as (
    select
        cast(check_name as {{ dbt.type_string() }}) as check_name,
        cast(scope as {{ dbt.type_string() }}) as scope,
        cast(observed as {{ dbt.type_string() }}) as observed,
        cast(expected as {{ dbt.type_string() }}) as expected,
        cast(status as {{ dbt.type_string() }}) as status
    from unioned
)

select * from final
