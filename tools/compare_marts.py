"""Compare two published marts files table by table: the same tables, columns, types and rows.

Each table is compared as a sorted multiset of rows (row order is not part of a mart's meaning), with
its column names and types in order. Differences are reported with sample rows; the exit code is 1 on
any difference, 0 when every table is identical. A refactor that keeps behaviour keeps every mart
identical (issue 13: "Every mart is identical, row for row, before and after").

Run-dependent values, legitimately different between two builds of the same files, are skipped (and
listed in the report): RUN_DEPENDENT_COLUMNS and RUN_DEPENDENT_BUILD_INFO_KEYS below. fct_arrests'
person_key is an HMAC keyed by the warehouse's own secret: build AFTER with BEFORE's key
(ICE287G_PERSON_KEY_FILE=BEFORE/secrets/person_key) and it compares exactly.

A table a change adds on purpose is named with --expect-new SCHEMA.TABLE: it is reported, not a
difference; any other table only on one side is.

Usage: python tools/compare_marts.py BEFORE/marts.duckdb AFTER/marts.duckdb [--samples N] [--expect-new S.T ...]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import duckdb

from ingest.sql import quote_ident, quote_literal

# (schema, table) -> columns whose values depend on the run, not on the data or the logic.
# (schema, table) -> {column: why it differs between two builds of the same raw files}
RUN_DEPENDENT_COLUMNS: dict[tuple[str, str], dict[str, str]] = {
    ("main", "dim_publications"): {"loaded_at": "when the ingest run landed the file"},
}
# build_info is key/value: these keys' values are run-dependent (its other rows — raw file hashes,
# tool versions — must match).
RUN_DEPENDENT_BUILD_INFO_KEYS: dict[str, str] = {
    "built_at": "the build's wall-clock time",
    "publication": "the publication folder's stamp (the build time)",
    "code_version": "the git commit the build ran from",
}


def _tables(con: duckdb.DuckDBPyConnection, db: str) -> list[tuple[str, str]]:
    return con.execute(
        "select schema_name, table_name from duckdb_tables() where database_name = ? order by 1, 2", [db]
    ).fetchall()


def _columns(con: duckdb.DuckDBPyConnection, db: str, schema: str, table: str) -> list[tuple[str, str]]:
    return con.execute(
        "select column_name, data_type from duckdb_columns() "
        "where database_name = ? and schema_name = ? and table_name = ? order by column_index",
        [db, schema, table],
    ).fetchall()


def _rows_sql(db: str, schema: str, table: str, columns: list[str], where: str = "") -> str:
    cols = ", ".join(quote_ident(c) for c in columns)
    return f"select {cols} from {db}.{quote_ident(schema)}.{quote_ident(table)} {where}"


def compare(before: Path, after: Path, samples: int = 5, expect_new: tuple[str, ...] = ()) -> list[str]:
    """Differences between the two files, as report lines (empty when identical)."""
    con = duckdb.connect()
    con.execute(f"attach {quote_literal(str(before))} as before_db (read_only)")
    con.execute(f"attach {quote_literal(str(after))} as after_db (read_only)")
    problems: list[str] = []
    tables_before = set(_tables(con, "before_db"))
    tables_after = set(_tables(con, "after_db"))
    for missing in sorted(tables_before - tables_after):
        problems.append(f"table {missing[0]}.{missing[1]} only in BEFORE")
    for extra in sorted(tables_after - tables_before):
        if f"{extra[0]}.{extra[1]}" in expect_new:
            print(f"expected new table in AFTER: {extra[0]}.{extra[1]}")
        else:
            problems.append(f"table {extra[0]}.{extra[1]} only in AFTER")
    for schema, table in sorted(tables_before & tables_after):
        name = f"{schema}.{table}"
        cols_before = _columns(con, "before_db", schema, table)
        cols_after = _columns(con, "after_db", schema, table)
        if cols_before != cols_after:
            problems.append(f"{name}: columns differ\n  before {cols_before}\n  after  {cols_after}")
            continue
        skip = RUN_DEPENDENT_COLUMNS.get((schema, table), {})
        columns = [c for c, _ in cols_before if c not in skip]
        where = ""
        if (schema, table) == ("main", "build_info"):
            keys = ", ".join(quote_literal(k) for k in RUN_DEPENDENT_BUILD_INFO_KEYS)
            where = f"where key not in ({keys})"
        sql_b = _rows_sql("before_db", schema, table, columns, where)
        sql_a = _rows_sql("after_db", schema, table, columns, where)
        # multiset difference both ways (except all keeps duplicates)
        only_b = con.execute(f"select * from ({sql_b} except all {sql_a}) order by all limit {samples}").fetchall()
        only_a = con.execute(f"select * from ({sql_a} except all {sql_b}) order by all limit {samples}").fetchall()
        n_b = con.execute(f"select count(*) from ({sql_b})").fetchone()[0]
        n_a = con.execute(f"select count(*) from ({sql_a})").fetchone()[0]
        if only_b or only_a or n_b != n_a:
            n_only_b = con.execute(f"select count(*) from ({sql_b} except all {sql_a})").fetchone()[0]
            n_only_a = con.execute(f"select count(*) from ({sql_a} except all {sql_b})").fetchone()[0]
            lines = [f"{name}: rows differ (before {n_b}, after {n_a}; {n_only_b} only before, {n_only_a} only after)"]
            lines += [f"  - {row}" for row in only_b]
            lines += [f"  + {row}" for row in only_a]
            problems.append("\n".join(lines))
    con.close()
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("before", type=Path)
    parser.add_argument("after", type=Path)
    parser.add_argument("--samples", type=int, default=5, help="sample rows shown per differing table")
    parser.add_argument(
        "--expect-new", action="append", default=[], metavar="SCHEMA.TABLE", help="a table added on purpose"
    )
    args = parser.parse_args(argv)
    for path in (args.before, args.after):
        if not path.exists():
            print(f"no such file: {path}", file=sys.stderr)
            return 2
    problems = compare(args.before.resolve(), args.after.resolve(), args.samples, tuple(args.expect_new))
    con = duckdb.connect()
    con.execute(f"attach {quote_literal(str(args.after.resolve()))} as after_db (read_only)")
    n_tables = len(_tables(con, "after_db"))
    con.close()
    for (schema, table), cols in RUN_DEPENDENT_COLUMNS.items():
        for col, why in cols.items():
            print(f"run-dependent, not compared: {schema}.{table}.{col} ({why})")
    for key, why in RUN_DEPENDENT_BUILD_INFO_KEYS.items():
        print(f"run-dependent, not compared: build_info row key={key!r} ({why})")
    if problems:
        print("\n".join(problems))
        print(f"DIFFERENT: {len(problems)} difference(s)")
        return 1
    print(f"IDENTICAL: {n_tables} tables, every column name, type and row (run-dependent values above excepted)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
