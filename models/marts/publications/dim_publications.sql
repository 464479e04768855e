with

publications as (
    select * from {{ ref('int_publications_sequenced') }}
),

file_names as (
    select
        publication_id,
        count(*) as n_file_names
    from {{ ref('stg_ice__file_names') }}
    group by publication_id
),

same_date as (
    select
        publication_kind,
        published_date,
        count(*) as n_publications_same_date
    from publications
    group by publication_kind, published_date
),

final as (
    select
        publications.publication_id,
        publications.publication_kind as kind,
        publications.layout,
        publications.source_file,
        publications.file_name,
        publications.file_sha256,
        publications.sheet_name,
        publications.date_method,
        publications.date_flag,
        publications.n_rows,
        publications.publication_seq,
        coalesce(file_names.n_file_names, 1) as n_file_names,
        same_date.n_publications_same_date,
        publications.has_date_conflict,
        publications.publication_seq = publications.n_publications_of_kind as is_latest,
        publications.published_date,
        publications.published_at,
        publications.filename_date,
        publications.latest_signed_date,
        publications.loaded_at
    from publications
    left join file_names
        on publications.publication_id = file_names.publication_id
    left join same_date
        on
            publications.publication_kind = same_date.publication_kind
            and publications.published_date = same_date.published_date
)

select * from final
