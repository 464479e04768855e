"""A publication's marts.duckdb, written from the work file: every table of its ``marts`` and ``reference``
schemas with their table and column comments, and ``build_info``.

``ingest.publish`` decides what is published (the denied columns, the build info) and calls
``write_marts_file`` in the exports' process (ingest/exports.py), which then writes the exports from the
file it wrote, while the publishing process renders the site from the work file; a publish without
exports calls it in its own process.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from ingest import dictionary
from ingest.sql import quote_ident, quote_literal

# The oldest DuckDB storage format every client since DuckDB 1.1 reads (DuckDB 2.x writes v2 otherwise).
STORAGE_VERSION = "v1.0.0"
# The alias the new file is written under; readers attach it under any name they like.
WRITE_ALIAS = "marts"
# In marts.duckdb the marts live in the default schema: a file named marts.duckdb opens as catalog
# `marts`, so `select * from marts.dim_agencies` resolves to it (a schema also named `marts` would
# make that name ambiguous in DuckDB). Reference tables keep their schema: `reference.<seed>`.
PUBLISHED_SCHEMA_OF = dictionary.PUBLISHED_SCHEMA_OF  # {"marts": "main", "reference": "reference"}


def published_tables(con: duckdb.DuckDBPyConnection, database: str = "work") -> list[tuple[str, str, str | None]]:
    """(schema, table, comment) of every table the work file attached as ``database`` publishes."""
    return con.execute(
        "select schema_name, table_name, comment from duckdb_tables() "
        "where database_name = ? and schema_name in ('marts', 'reference') "
        "order by schema_name, table_name",
        [database],
    ).fetchall()


def write_marts_file(work: Path, marts: Path, build_info: dict[str, str]) -> dict[str, int]:
    """Write ``marts`` (a new file) from the work file at ``work`` (opened read-only) and checkpoint it;
    rows per published table (``<schema>.<table>``). ``build_info``: the rows of its ``build_info`` table."""
    counts: dict[str, int] = {}
    con = duckdb.connect()
    try:
        storage = quote_literal(STORAGE_VERSION)
        con.execute(f"attach {quote_literal(str(marts))} as {WRITE_ALIAS} (storage_version {storage})")
        con.execute(f"use {WRITE_ALIAS}")
        db = quote_ident(WRITE_ALIAS)
        con.execute(f"attach {quote_literal(str(work))} as work (read_only)")
        tables = published_tables(con)
        # one transaction for the tables, their comments and build_info: each statement on its own would
        # commit (and sync) separately — hundreds of column comments (the file is new; a failure
        # discards it whole)
        con.execute("begin transaction")
        con.execute(f"create schema if not exists {db}.reference")
        for schema, table, comment in tables:
            dest = f"{db}.{PUBLISHED_SCHEMA_OF[schema]}.{quote_ident(table)}"
            con.execute(f"create table {dest} as select * from work.{schema}.{quote_ident(table)}")
            if comment:
                con.execute(f"comment on table {dest} is {quote_literal(comment)}")
            for col, ccomment in con.execute(
                "select column_name, comment from duckdb_columns() where database_name='work' "
                "and schema_name=? and table_name=? and comment is not null",
                [schema, table],
            ).fetchall():
                con.execute(f"comment on column {dest}.{quote_ident(col)} is {quote_literal(ccomment)}")
            counts[f"{schema}.{table}"] = con.execute(f"select count(*) from {dest}").fetchone()[0]
        con.execute(f"create table {db}.main.build_info (key varchar primary key, value varchar)")
        con.executemany(f"insert into {db}.main.build_info values (?, ?)", [[k, v] for k, v in build_info.items()])
        con.execute("commit")
        con.execute("detach work")
        con.execute(f"checkpoint {db}")
        con.execute("use memory")
        con.execute(f"detach {db}")
    finally:
        con.close()
    return counts
