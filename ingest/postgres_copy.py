"""Copy DuckDB tables into PostgreSQL with COPY: the type mapping, the DDL and the bulk load.

Shared by ``ingest/postgres_publish.py`` (the published marts for a team) and
``ingest/postgres_raw.py`` (the raw tables the dbt ``postgres`` target reads). DuckDB writes each table
as CSV into a temporary file (its own writer: empty strings quoted, NULLs bare) and psycopg streams
the file into ``COPY … FROM STDIN (FORMAT csv)``, so nothing is inserted row by row.
"""

from __future__ import annotations

import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

import duckdb

from ingest.sql import quote_ident, quote_literal

# DuckDB type -> PostgreSQL type (the published marts and raw tables use only these).
_SIMPLE_TYPES = {
    "VARCHAR": "text",
    "BIGINT": "bigint",
    "INTEGER": "integer",
    "SMALLINT": "smallint",
    "TINYINT": "smallint",
    "UBIGINT": "numeric(20,0)",
    "UINTEGER": "bigint",
    "USMALLINT": "integer",
    "UTINYINT": "smallint",
    "HUGEINT": "numeric(38,0)",
    "DOUBLE": "double precision",
    "FLOAT": "real",
    "BOOLEAN": "boolean",
    "DATE": "date",
    "TIMESTAMP": "timestamp",
    "TIMESTAMP WITH TIME ZONE": "timestamptz",
    "TIME": "time",
    "INTERVAL": "interval",
    "UUID": "uuid",
    "BLOB": "bytea",
}
_DECIMAL = re.compile(r"DECIMAL\((\d+),\s*(\d+)\)")


class PostgresCopyError(RuntimeError):
    """A table cannot be copied (an unsupported type, a failed COPY)."""


def pg_type(duckdb_type: str) -> str:
    """The PostgreSQL column type for a DuckDB column type; raises for types the copy does not carry."""
    t = duckdb_type.upper().strip()
    if t in _SIMPLE_TYPES:
        return _SIMPLE_TYPES[t]
    m = _DECIMAL.fullmatch(t)
    if m:
        return f"numeric({m.group(1)},{m.group(2)})"
    raise PostgresCopyError(f"no PostgreSQL mapping for DuckDB type {duckdb_type}")


@dataclass(frozen=True)
class Column:
    """One column as DuckDB reports it, with its PostgreSQL type."""

    name: str
    duckdb_type: str
    comment: str | None = None

    @property
    def pg_type(self) -> str:
        return pg_type(self.duckdb_type)


def duckdb_columns(con: duckdb.DuckDBPyConnection, database: str, schema: str, table: str) -> list[Column]:
    """The columns of a DuckDB table in order, with their comments."""
    rows = con.execute(
        "select column_name, data_type, comment from duckdb_columns() "
        "where database_name = ? and schema_name = ? and table_name = ? order by column_index",
        [database, schema, table],
    ).fetchall()
    return [Column(name, dtype, comment) for name, dtype, comment in rows]


def create_table_sql(qualified: str, columns: list[Column], primary_key: list[str] | None = None) -> str:
    """``create table`` DDL for PostgreSQL (primary key added when given)."""
    parts = [f"{quote_ident(c.name)} {c.pg_type}" for c in columns]
    if primary_key:
        parts.append(f"primary key ({', '.join(quote_ident(c) for c in primary_key)})")
    return f"create table {qualified} ({', '.join(parts)})"


@dataclass(frozen=True)
class CopyInto:
    """A PostgreSQL table a COPY writes: its quoted qualified name and the columns, in the SELECT's order."""

    qualified: str
    columns: list[str]


def copy_select(
    duck: duckdb.DuckDBPyConnection,
    select_sql: str,
    pg_cursor,
    into: CopyInto,
    tmp_dir: Path | None = None,
) -> int:
    """Write ``select_sql``'s rows into the PostgreSQL table ``into`` with COPY; returns rows copied."""
    fd, name = tempfile.mkstemp(suffix=".csv", dir=tmp_dir)
    os.close(fd)
    path = Path(name)
    try:
        duck.execute(f"copy ({select_sql}) to {quote_literal(path.as_posix())} (format csv, header false)")
        cols = ", ".join(quote_ident(c) for c in into.columns)
        with pg_cursor.copy(f"copy {into.qualified} ({cols}) from stdin (format csv)") as copy, open(path, "rb") as fh:
            while chunk := fh.read(1 << 20):
                copy.write(chunk)
        return pg_cursor.rowcount
    finally:
        path.unlink(missing_ok=True)
