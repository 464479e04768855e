with

states as (
    select
        state_code,
        state_fips,
        state_name
    from {{ ref('states') }}
),

pep_states as (
    select
        state_fips,
        population_2024,
        population_2020
    from {{ ref('stg_census__pep_county') }}
    where
        is_state_row
        and {{ newest_file_filter(ref('stg_census__pep_county')) }}
),

policies as (
    select
        policy_id,
        state_code,
        policy,
        citation,
        coalesce(effective_date, enacted_date) as policy_date,
        row_number() over (
            partition by state_code
            order by coalesce(effective_date, enacted_date) desc nulls last, policy_id desc
        ) as policy_rank,
        count(*) over (partition by state_code) as n_policies
    from {{ ref('state_policies') }}
),

final as (
    select
        states.state_code,
        states.state_fips,
        states.state_name,
        coalesce(policies.policy, 'none') as policy_status,
        policies.policy_id,
        policies.citation as policy_citation,
        pep_states.population_2024 as population,
        pep_states.population_2020,
        coalesce(policies.n_policies, 0) as n_policies,
        policies.policy_date
    from states
    left join pep_states
        on states.state_fips = pep_states.state_fips
    left join policies
        on
            states.state_code = policies.state_code
            and policies.policy_rank = 1
)

select * from final
