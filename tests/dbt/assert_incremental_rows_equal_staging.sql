-- int_ice_rows_normalised is incremental (by publication): it holds exactly the printed rows staging
-- holds, each once, with its row kind and publication. A row missing, stale or doubled fails the build.
with

staged as (
    select
        listing_row_id as row_id,
        'participating' as row_kind,
        publication_id
    from {{ ref('stg_ice__participating_rows') }}
    union all
    select
        pending_row_id as row_id,
        'pending' as row_kind,
        publication_id
    from {{ ref('stg_ice__pending_rows') }}
),

normalised as (
    select
        row_id,
        row_kind,
        publication_id,
        count(*) over (partition by row_id) as n_copies
    from {{ ref('int_ice_rows_normalised') }}
)

select
    coalesce(staged.row_id, normalised.row_id) as row_id,
    case
        when normalised.row_id is null then 'missing from int_ice_rows_normalised'
        when staged.row_id is null then 'not in staging (stale)'
        when normalised.n_copies > 1 then 'doubled'
        else 'row kind or publication differs'
    end as problem
from staged
full outer join normalised
    on staged.row_id = normalised.row_id
where
    staged.row_id is null
    or normalised.row_id is null
    or normalised.n_copies > 1
    or staged.row_kind <> normalised.row_kind
    or staged.publication_id <> normalised.publication_id
