{#- One transformation: attach the resolved agency_id and the publication date to every printed row.
    Grain: one printed participating or pending row (row_id). -#}
with

rows_corrected as (
    select * from {{ ref('int_ice_rows_corrected') }}
),

agency_aliases as (
    select
        state_code,
        name_key,
        agency_id
    from {{ ref('int_agency_aliases') }}
),

publications as (
    select
        publication_id,
        published_date
    from {{ ref('stg_ice__publications') }}
),

final as (
    select
        rows_corrected.*,
        agency_aliases.agency_id,
        publications.published_date
    from rows_corrected
    inner join publications
        on rows_corrected.publication_id = publications.publication_id
    left join agency_aliases
        on
            rows_corrected.state_code = agency_aliases.state_code
            and rows_corrected.resolved_name_key = agency_aliases.name_key
)

select * from final
