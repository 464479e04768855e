"""Compare the raw schema of two work files row for row (a refactor of ingestion must not change it).

    python tools/compare_raw.py BEFORE/work.duckdb AFTER/work.duckdb

Every table of ``raw`` (the landed tables and the control tables ``load_manifest``,
``load_file_names``, ``load_rejections``, ``validation_results``) is compared as a sorted multiset of
rows: same columns, same rows, same number of copies of each. Only columns that legitimately differ
between two runs on the same files are left out, and they are listed here:

- ``_loaded_at``, ``loaded_at``, ``first_seen_at``, ``rejected_at``, ``validated_at``: wall-clock times
  of the run;
- ``person_key``: a keyed hash whose key each warehouse creates for itself (``ingest/person_key.py``);
  instead, the rows are compared with each person key replaced by the rank of its first row, so the
  same people stay grouped the same way;
- in ``load_manifest.meta_json``: ``person_key_id`` (the key's id, per warehouse) and the checkout prefix
  of ``mapping_file`` (a packaged ledger mapping's absolute path).

Exit 0 when every table is equal, 1 otherwise (the differing tables and a few example rows printed).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import duckdb

from ingest.sql import quote_ident

RUN_COLUMNS = {"_loaded_at", "loaded_at", "first_seen_at", "rejected_at", "validated_at"}
KEYED_COLUMNS = {"person_key"}
PACKAGED = "/ingest/ledger_mappings/"


def tables(con: duckdb.DuckDBPyConnection, schema: str) -> list[str]:
    rows = con.execute(
        "select table_name from duckdb_tables() where schema_name = ? order by table_name", [schema]
    ).fetchall()
    return [r[0] for r in rows]


def _meta(text: str | None) -> str | None:
    if text is None:
        return None
    meta = json.loads(text)
    meta.pop("person_key_id", None)
    mapping_file = meta.get("mapping_file")
    if isinstance(mapping_file, str) and PACKAGED in mapping_file:
        meta["mapping_file"] = "<checkout>" + mapping_file[mapping_file.index(PACKAGED) :]
    return json.dumps(meta, sort_keys=True)


def table_rows(con: duckdb.DuckDBPyConnection, schema: str, table: str) -> tuple[list[str], Counter]:
    """The table's compared columns and its rows as a multiset (run-dependent columns normalised)."""
    qualified = f"{quote_ident(schema)}.{quote_ident(table)}"
    columns = [r[0] for r in con.execute(f"describe {qualified}").fetchall()]
    kept = [c for c in columns if c not in RUN_COLUMNS]
    rows = con.execute(f"select {', '.join(quote_ident(c) for c in kept)} from {qualified}").fetchall()
    keyed = [i for i, c in enumerate(kept) if c in KEYED_COLUMNS]
    meta = [i for i, c in enumerate(kept) if c == "meta_json"]
    if keyed or meta:
        other = [i for i in range(len(kept)) if i not in keyed]
        rows.sort(key=lambda r: tuple((r[i] is None, str(r[i])) for i in other))
        ranks: dict[Any, int] = {}
        out = []
        for row in rows:
            values = list(row)
            for i in keyed:
                if values[i] is not None:
                    values[i] = ranks.setdefault(values[i], len(ranks))
            for i in meta:
                values[i] = _meta(values[i])
            out.append(tuple(values))
        rows = out
    return kept, Counter(rows)


def compare(before: Path, after: Path, schema: str = "raw") -> list[str]:
    """One line per difference between the schema's tables of two DuckDB files (empty: equal)."""
    problems: list[str] = []
    a = duckdb.connect(str(before), read_only=True)
    b = duckdb.connect(str(after), read_only=True)
    try:
        names_a, names_b = tables(a, schema), tables(b, schema)
        if names_a != names_b:
            problems.append(
                f"tables differ: only before {sorted(set(names_a) - set(names_b))}, "
                f"only after {sorted(set(names_b) - set(names_a))}"
            )
        for name in sorted(set(names_a) & set(names_b)):
            cols_a, rows_a = table_rows(a, schema, name)
            cols_b, rows_b = table_rows(b, schema, name)
            if cols_a != cols_b:
                problems.append(f"{schema}.{name}: columns differ: {cols_a} vs {cols_b}")
                continue
            if rows_a != rows_b:
                only_a, only_b = rows_a - rows_b, rows_b - rows_a
                problems.append(
                    f"{schema}.{name}: {sum(only_a.values())} row(s) only before, {sum(only_b.values())} only after; "
                    f"e.g. before {list(only_a)[:2]} after {list(only_b)[:2]}"
                )
            else:
                print(f"equal  {schema}.{name}  {sum(rows_a.values())} rows, {len(cols_a)} columns compared")
    finally:
        a.close()
        b.close()
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("before", type=Path, help="work.duckdb built before the change")
    parser.add_argument("after", type=Path, help="work.duckdb built after the change")
    args = parser.parse_args(argv)
    problems = compare(args.before, args.after, "raw")
    for line in problems:
        print("DIFFERS", line)
    print("all raw tables equal" if not problems else f"{len(problems)} difference(s)")
    return 0 if not problems else 1


if __name__ == "__main__":
    sys.exit(main())
