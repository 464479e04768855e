"""Row-for-row comparison of the marts of two engines (DuckDB work file vs a PostgreSQL database)."""

from __future__ import annotations

import datetime as dt
import decimal
import math
from pathlib import Path

import duckdb


def normalise(value):
    """One value in a form both engines' drivers agree on (UTC timestamps, numbers by value)."""
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        return value.astimezone(dt.UTC)
    if isinstance(value, float):
        return float(f"{value:.12g}") if math.isfinite(value) else value
    if isinstance(value, decimal.Decimal):
        return value.normalize() if value != 0 else decimal.Decimal(0)
    return value


def _sort_key(row: tuple) -> tuple:
    return tuple((v is None, str(v)) for v in row)


def rows_of(cursor, sql: str) -> tuple[list[str], list[tuple]]:
    cursor.execute(sql)
    names = [d[0] for d in cursor.description]
    rows = sorted((tuple(normalise(v) for v in r) for r in cursor.fetchall()), key=_sort_key)
    return names, rows


def compare_marts(work: Path, pg_url: str, schema: str = "marts") -> dict[str, str]:
    """Every table of ``schema`` in the DuckDB work file against the same table in PostgreSQL.

    Returns table -> "" when equal row for row (same columns, same multiset of rows), else a reason.
    """
    import psycopg

    out: dict[str, str] = {}
    duck = duckdb.connect(str(work), read_only=True)
    try:
        tables = [
            r[0]
            for r in duck.execute(
                "select table_name from duckdb_tables() where schema_name = ? order by table_name", [schema]
            ).fetchall()
        ]
        with psycopg.connect(pg_url) as pg, pg.cursor() as pcur:
            for table in tables:
                dnames, drows = rows_of(duck.cursor(), f'select * from {schema}."{table}"')
                cols = ", ".join(f'"{c}"' for c in dnames)
                try:
                    _, prows = rows_of(pcur, f'select {cols} from {schema}."{table}"')
                except psycopg.Error as exc:
                    pg.rollback()
                    out[table] = f"PostgreSQL: {exc}"
                    continue
                if drows == prows:
                    out[table] = ""
                    continue
                only_d = [r for r in drows if r not in set(prows)][:3]
                only_p = [r for r in prows if r not in set(drows)][:3]
                out[table] = f"{len(drows)} vs {len(prows)} rows; DuckDB only {only_d}; PostgreSQL only {only_p}"
    finally:
        duck.close()
    return out
