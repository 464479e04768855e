-- Within one publication, one printed agency (state, name key) resolves to one agency_id
-- (rows moved to another agency by a reviewed agreement_agency_fixes row excepted), and no
-- agency_id is printed under two spellings unless a reviewed alias says so.
with

rows_resolved as (
    select * from {{ ref('int_ice_rows_resolved') }}
),

split_spellings as (
    select
        publication_id,
        state_code,
        name_key,
        count(distinct agency_id) as n_agency_ids
    from rows_resolved
    where not has_agency_fix
    group by publication_id, state_code, name_key
    having count(distinct agency_id) > 1
),

aliases as (
    select
        state_code,
        name_key,
        match_rule
    from {{ ref('int_agency_aliases') }}
),

merged_spellings as (
    select
        rows_resolved.publication_id,
        rows_resolved.agency_id,
        count(distinct rows_resolved.name_key) as n_spellings
    from rows_resolved
    inner join aliases
        on
            rows_resolved.state_code = aliases.state_code
            and rows_resolved.name_key = aliases.name_key
    where aliases.match_rule = 'typo_tier'
    group by rows_resolved.publication_id, rows_resolved.agency_id
    having count(distinct rows_resolved.name_key) > 1
)

select
    publication_id,
    name_key as detail,
    'one spelling, several agency ids' as problem
from split_spellings
union all
select
    publication_id,
    agency_id as detail,
    'typo-tier spellings printed together' as problem
from merged_spellings
