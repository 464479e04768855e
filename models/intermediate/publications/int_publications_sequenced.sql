{# One transformation: order ICE's publications of each kind by publication time (published_at: the
   capture stamp's time or the am/mid/pm convention, see ingest/sources/ice_dates.py; ties by file name,
   then id) — a total order, the one every history model compares publications in. #}

with

publications as (
    select
        publication_id,
        file_sha256,
        publication_kind,
        layout,
        raw_table,
        source_file,
        file_name,
        sheet_name,
        date_method,
        filename_pattern,
        date_flag,
        file_bytes,
        header_row,
        n_rows,
        has_date_conflict,
        published_date,
        coalesce(published_at, cast(published_date as timestamp)) as published_at,
        filename_date,
        latest_signed_date,
        loaded_at
    from {{ ref('stg_ice__publications') }}
),

sequenced as (
    select
        publications.publication_id,
        publications.file_sha256,
        publications.publication_kind,
        publications.layout,
        publications.raw_table,
        publications.source_file,
        publications.file_name,
        publications.sheet_name,
        publications.date_method,
        publications.filename_pattern,
        publications.date_flag,
        publications.file_bytes,
        publications.header_row,
        publications.n_rows,
        publications.has_date_conflict,
        publications.published_date,
        publications.published_at,
        publications.filename_date,
        publications.latest_signed_date,
        publications.loaded_at,
        row_number() over (
            partition by publications.publication_kind
            order by publications.published_at, publications.file_name, publications.publication_id
        ) as publication_seq,
        count(*) over (partition by publications.publication_kind) as n_publications_of_kind
    from publications
)

select * from sequenced
