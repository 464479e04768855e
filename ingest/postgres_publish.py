"""Publish the current publication into PostgreSQL for a team: ``ice287g publish --postgres URL``.

The same tables as ``marts.duckdb`` — marts (and ``build_info``) in schema ``marts``, reference tables
in ``reference`` — with the same column types (DuckDB -> PostgreSQL, see ``postgres_copy.pg_type``),
primary keys (from the data dictionary, i.e. the dbt docs) and table and column comments, loaded with
COPY. BI users never see a half-loaded schema:

1. every table is created and loaded into fresh schemas ``<schema>__load_<token>`` and committed
   (invisible to readers, who query ``marts``);
2. one short transaction renames the current schemas to ``<schema>__old_<token>`` and the loaded ones
   to their public names, and grants the read-only role (``ice287g_reader``, NOLOGIN: grant it to
   the BI users' login roles) USAGE and SELECT on them. Renaming a schema takes no lock on its tables,
   so a reader inside an open transaction keeps reading the old tables and is not blocked;
3. the old schemas are dropped, each with a lock timeout: one still read by an open transaction is
   left and dropped by the next publish.

A failure before step 2 drops the loading schemas and leaves the previous publication in place.
Re-publishing the same publication gives the same schemas again (idempotent).
"""

from __future__ import annotations

import secrets
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from ingest import dictionary
from ingest.postgres_copy import Column, CopyInto, copy_select, create_table_sql, duckdb_columns
from ingest.sql import quote_ident, quote_literal

DEFAULT_SCHEMA = "marts"
DEFAULT_REFERENCE_SCHEMA = "reference"
DEFAULT_READER_ROLE = "ice287g_reader"
# How long the swap waits for a reader's lock on an old schema before leaving it for the next run.
LOCK_TIMEOUT = "5s"


class PostgresPublishError(RuntimeError):
    """The PostgreSQL publish failed; what BI users see there is unchanged."""


@dataclass
class PostgresPublishResult:
    """What a PostgreSQL publish did."""

    publication: str
    counts: dict[str, int] = field(default_factory=dict)
    left_old_schemas: list[str] = field(default_factory=list)  # still in use by a reader; dropped next time
    seconds: float = 0.0


def _drop_schemas(cur, pg, names: list[str], lock_timeout: str) -> list[str]:
    """Drop each schema (cascade) with a lock timeout; returns those that could not be dropped yet."""
    import psycopg

    left = []
    for name in names:
        try:
            with pg.transaction():
                cur.execute(f"set local lock_timeout = {quote_literal(lock_timeout)}")
                cur.execute(f"drop schema if exists {quote_ident(name)} cascade")
        except psycopg.errors.LockNotAvailable:
            left.append(name)
    return left


def _schemas_like(cur, prefixes: list[str]) -> list[str]:
    cur.execute(
        "select nspname from pg_namespace where " + " or ".join("starts_with(nspname, %s)" for _ in prefixes),
        prefixes,
    )
    return sorted(r[0] for r in cur.fetchall())


def publish_postgres(
    warehouse_dir: Path,
    url: str,
    *,
    schema: str = DEFAULT_SCHEMA,
    reference_schema: str = DEFAULT_REFERENCE_SCHEMA,
    reader_role: str = DEFAULT_READER_ROLE,
) -> PostgresPublishResult:
    """Copy the current publication of warehouse_dir into PostgreSQL at url (see the module docstring)."""
    import psycopg

    from ingest.publish import _manifest, publication_dir

    lock_timeout = LOCK_TIMEOUT

    start = time.perf_counter()
    warehouse_dir = Path(warehouse_dir).resolve()
    pub = publication_dir(warehouse_dir)
    if pub is None or not (pub / "marts.duckdb").exists():
        raise PostgresPublishError(f"no publication in {warehouse_dir} (run `ice287g build` first)")
    marts_db = pub / "marts.duckdb"
    docs = {(d.published_schema, d.name): d for d in dictionary.build(_manifest(warehouse_dir), marts_db)}
    target_of = {"main": schema, "reference": reference_schema}
    token = secrets.token_hex(4)
    loading = {src: f"{dst}__load_{token}" for src, dst in target_of.items()}
    duck = duckdb.connect()
    try:
        duck.execute(f"attach {quote_literal(marts_db.as_posix())} as published (read_only)")
        publication = duck.execute("select value from published.main.build_info where key = 'publication'").fetchone()[
            0
        ]
        tables = duck.execute(
            "select schema_name, table_name, comment from duckdb_tables() where database_name = 'published' "
            "order by schema_name, table_name"
        ).fetchall()
        result = PostgresPublishResult(publication)
        try:
            pg = psycopg.connect(url)
        except psycopg.Error as exc:
            raise PostgresPublishError(f"cannot connect to PostgreSQL: {exc}") from exc
        with pg, pg.cursor() as cur:
            prefixes = [f"{name}__load_" for name in target_of.values()] + [f"{n}__old_" for n in target_of.values()]
            _drop_schemas(cur, pg, _schemas_like(cur, prefixes), lock_timeout)  # left by earlier runs
            pg.commit()
            try:
                cur.execute("select 1 from pg_roles where rolname = %s", [reader_role])
                if cur.fetchone() is None:
                    cur.execute(f"create role {quote_ident(reader_role)} nologin")
                for src, name in loading.items():
                    cur.execute(f"create schema {quote_ident(name)}")
                    cur.execute(
                        f"comment on schema {quote_ident(name)} is "
                        f"{quote_literal(f'ice287g publication {publication} ({target_of[src]}); read-only for BI')}"
                    )
                with tempfile.TemporaryDirectory(prefix="ice287g-pgcopy-") as tmp:
                    for src_schema, table, comment in tables:
                        columns = duckdb_columns(duck, "published", src_schema, table)
                        doc = docs.get((src_schema, table))
                        key = ["key"] if table == "build_info" else (doc.primary_key if doc else [])
                        qualified = f"{quote_ident(loading[src_schema])}.{quote_ident(table)}"
                        cur.execute(create_table_sql(qualified, columns, key))
                        _comment(cur, qualified, comment or (doc.description if doc else ""), columns, doc)
                        select = f"select * from published.{quote_ident(src_schema)}.{quote_ident(table)}"
                        n = copy_select(duck, select, cur, CopyInto(qualified, [c.name for c in columns]), Path(tmp))
                        expected = duck.execute(f"select count(*) from ({select})").fetchone()[0]
                        if n != expected:
                            raise PostgresPublishError(f"{table}: copied {n} rows, expected {expected}")
                        result.counts[f"{target_of[src_schema]}.{table}"] = n
                for name in loading.values():
                    cur.execute(f"grant usage on schema {quote_ident(name)} to {quote_ident(reader_role)}")
                    cur.execute(
                        f"grant select on all tables in schema {quote_ident(name)} to {quote_ident(reader_role)}"
                    )
                pg.commit()
                # the swap: one short transaction
                cur.execute(f"set local lock_timeout = {quote_literal(lock_timeout)}")
                cur.execute("select nspname from pg_namespace")
                existing = {r[0] for r in cur.fetchall()}
                old = []
                for src, name in target_of.items():
                    if name in existing:
                        cur.execute(f"alter schema {quote_ident(name)} rename to {quote_ident(f'{name}__old_{token}')}")
                        old.append(f"{name}__old_{token}")
                    cur.execute(f"alter schema {quote_ident(loading[src])} rename to {quote_ident(name)}")
                pg.commit()
            except BaseException:
                pg.rollback()
                _drop_schemas(cur, pg, list(loading.values()), lock_timeout)
                pg.commit()
                raise
            result.left_old_schemas = _drop_schemas(cur, pg, old, lock_timeout)
            pg.commit()
    except psycopg.Error as exc:
        raise PostgresPublishError(f"PostgreSQL publish failed: {exc}") from exc
    finally:
        duck.close()
    result.seconds = time.perf_counter() - start
    return result


def _comment(cur, qualified: str, table_comment: str, columns: list[Column], doc) -> None:
    """Table and column comments: the publication's (persisted dbt docs), else the dictionary's."""
    if table_comment:
        cur.execute(f"comment on table {qualified} is {quote_literal(table_comment)}")
    described = {c.name: c.description for c in doc.columns} if doc else {}
    for col in columns:
        text = col.comment or described.get(col.name, "")
        if text:
            cur.execute(f"comment on column {qualified}.{quote_ident(col.name)} is {quote_literal(text)}")
