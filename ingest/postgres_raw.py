"""Land the raw tables of the local work file in PostgreSQL, for the dbt ``postgres`` target.

Ingestion always writes the local DuckDB work file (``<warehouse>/work.duckdb``); this copies its
``raw`` schema into the ``raw`` schema of a PostgreSQL database so the same dbt project can build
there. The privacy rule holds on the way out: the personal fields of arrest records (the publish
deny-list: birth dates, A-numbers, EID and person identifiers) never leave the work file. Their
columns are kept so the staging models compile unchanged, but hold only a FOIA redaction marker
(``(b)(6)``, ``--``: not personal data, and what staging's ``was_redacted`` flag reads) and null for
every real value. Repeat arrests are counted through ``person_key``, the keyed hash made at ingestion.
"""

from __future__ import annotations

import getpass
import os
from pathlib import Path

import duckdb

from ingest.postgres_copy import Column, CopyInto, PostgresCopyError, copy_select, create_table_sql, duckdb_columns
from ingest.publish import DENY_COLUMNS
from ingest.sql import quote_ident, quote_literal

RAW_SCHEMA = "raw"
# The redaction markers of macros/arrests/arrests_text.sql::arrests_is_redacted (kept in step with it).
_REDACTION_KEYS = ("b6b7c", "b7e", "b6", "b7c", "b6b7cb7e", "b7cb7e")


def _masked(column: str, duckdb_type: str) -> str:
    """A personal column as it may leave the work file: the redaction marker, else null."""
    col = quote_ident(column)
    if duckdb_type.upper() != "VARCHAR":
        return f"cast(null as {duckdb_type})"
    key = (
        f"lower(replace(replace(replace(replace(replace(trim({col}), ' ', ''), '(', ''), ')', ''), ';', ''), ',', ''))"
    )
    keys = ", ".join(quote_literal(k) for k in _REDACTION_KEYS)
    return f"case when {key} in ({keys}) or trim({col}) in ('--', '-') then {col} end"


def raw_select(con: duckdb.DuckDBPyConnection, table: str, database: str = "work") -> tuple[str, list]:
    """The SELECT that reads one raw table for PostgreSQL (personal columns masked) and its columns."""
    columns = duckdb_columns(con, database, RAW_SCHEMA, table)
    # DuckDB matches names case-insensitively, PostgreSQL folds unquoted names to lower case: the
    # census files' NAME / GEOID / SUMLEV land lower-cased so the staging SQL reads them on both.
    lowered = [Column(c.name.lower(), c.duckdb_type, c.comment) for c in columns]
    if len({c.name for c in lowered}) != len(lowered):
        raise PostgresCopyError(f"raw.{table} has column names that differ only by case")
    exprs = [
        f"{_masked(c.name, c.duckdb_type) if c.name.lower() in DENY_COLUMNS else quote_ident(c.name)} "
        f"as {quote_ident(low.name)}"
        for c, low in zip(columns, lowered, strict=True)
    ]
    return f"select {', '.join(exprs)} from {quote_ident(database)}.{RAW_SCHEMA}.{quote_ident(table)}", lowered


def land_raw(work: Path, url: str, *, tmp_dir: Path | None = None) -> dict[str, int]:
    """Replace the ``raw`` schema in PostgreSQL with the work file's raw tables, in one transaction.

    Returns rows per table. dbt's staging views depend on raw and are dropped with it; the next
    ``dbt build`` recreates them.
    """
    import psycopg

    duck = duckdb.connect()
    counts: dict[str, int] = {}
    try:
        duck.execute(f"attach '{Path(work).resolve().as_posix()}' as work (read_only)")
        tables = [
            r[0]
            for r in duck.execute(
                "select table_name from duckdb_tables() where database_name = 'work' and schema_name = ? "
                "order by table_name",
                [RAW_SCHEMA],
            ).fetchall()
        ]
        with psycopg.connect(url) as pg, pg.cursor() as cur:
            cur.execute(f"drop schema if exists {RAW_SCHEMA} cascade")
            cur.execute(f"create schema {RAW_SCHEMA}")
            for table in tables:
                select_sql, columns = raw_select(duck, table)
                qualified = f"{RAW_SCHEMA}.{quote_ident(table)}"
                cur.execute(create_table_sql(qualified, columns))
                into = CopyInto(qualified, [c.name for c in columns])
                counts[table] = copy_select(duck, select_sql, cur, into, tmp_dir)
            cur.execute("analyze")
    finally:
        duck.close()
    return counts


def dbt_env(url: str) -> dict[str, str]:
    """The variables the profile's ``postgres`` target reads, from a libpq URL or conninfo string."""
    from psycopg.conninfo import conninfo_to_dict

    params = conninfo_to_dict(url)
    env = {
        "ICE287G_PG_HOST": str(params.get("host") or "localhost"),
        "ICE287G_PG_PORT": str(params.get("port") or "5432"),
        "ICE287G_PG_USER": str(params.get("user") or os.environ.get("PGUSER") or getpass.getuser()),
        "ICE287G_PG_DBNAME": str(params.get("dbname") or "ice287g"),
    }
    if params.get("password"):
        env["ICE287G_PG_PASSWORD"] = str(params["password"])
    return env
