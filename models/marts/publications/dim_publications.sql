with

publications as (
    select * from {{ ref('stg_ice__publications') }}
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

sequenced as (
    select
        publications.*,
        row_number() over (
            partition by publications.publication_kind
            order by publications.published_date, publications.file_name, publications.publication_id
        ) as publication_seq,
        count(*) over (partition by publications.publication_kind) as n_publications_of_kind
    from publications
),

final as (
    select
        sequenced.publication_id,
        sequenced.publication_kind as kind,
        sequenced.layout,
        sequenced.source_file,
        sequenced.file_name,
        sequenced.file_sha256,
        sequenced.sheet_name,
        sequenced.date_method,
        sequenced.date_flag,
        sequenced.n_rows,
        sequenced.publication_seq,
        coalesce(file_names.n_file_names, 1) as n_file_names,
        same_date.n_publications_same_date,
        sequenced.has_date_conflict,
        sequenced.publication_seq = sequenced.n_publications_of_kind as is_latest,
        sequenced.published_date,
        sequenced.filename_date,
        sequenced.latest_signed_date,
        sequenced.loaded_at
    from sequenced
    left join file_names
        on sequenced.publication_id = file_names.publication_id
    left join same_date
        on
            sequenced.publication_kind = same_date.publication_kind
            and sequenced.published_date = same_date.published_date
)

select * from final
