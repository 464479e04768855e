"""Snapshot every raw.* table of a fresh ingest, row for row, to compare two versions of the ingest code.

Ingests the given raw directories into a temporary warehouse, then writes each raw table ordered by
its lineage (data tables) or by every column (control tables) to ``<out>/<table>.csv``, leaving out
only the wall-clock columns (``_loaded_at``, ``loaded_at``, ``validated_at``, ``first_seen_at``,
``rejected_at``), and ``<out>/hashes.json`` (rows and sha256 per table).

Usage:
  .venv/bin/python bench/raw_snapshot.py snapshot --raw-dir DIR [--raw-dir DIR ...] --out OUT
  .venv/bin/python bench/raw_snapshot.py compare OUT_BEFORE OUT_AFTER
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CLOCK_COLUMNS = {"_loaded_at", "loaded_at", "validated_at", "first_seen_at", "rejected_at"}
LINEAGE_ORDER = ["_file_sha256", "_sheet", "_row_number"]


def snapshot(raw_dirs: list[Path], out: Path) -> dict[str, dict[str, object]]:
    """Ingest raw_dirs into a temporary warehouse and dump every raw table; returns rows and hash per table."""
    sys.path.insert(0, str(REPO))
    import duckdb

    from ingest.pipeline import ingest_dir

    out.mkdir(parents=True, exist_ok=True)
    hashes: dict[str, dict[str, object]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "work.duckdb"
        ingest_dir(raw_dirs, db)
        con = duckdb.connect(str(db), read_only=True)
        tables = [
            r[0]
            for r in con.execute(
                "select table_name from information_schema.tables where table_schema = 'raw' order by 1"
            ).fetchall()
        ]
        for table in tables:
            cols = [
                r[0]
                for r in con.execute(
                    "select column_name from information_schema.columns "
                    "where table_schema = 'raw' and table_name = ? order by ordinal_position",
                    [table],
                ).fetchall()
            ]
            kept = [c for c in cols if c not in CLOCK_COLUMNS]
            lineage = [c for c in LINEAGE_ORDER if c in kept]
            order = lineage + [c for c in kept if c not in lineage]
            select = ", ".join(f'"{c}"' for c in kept)
            order_by = ", ".join(f'"{c}"' for c in order)
            path = out / f"{table}.csv"
            con.execute(f"copy (select {select} from raw.{table} order by {order_by}) to '{path}' (header)")
            data = path.read_bytes()
            n_rows = con.execute(f"select count(*) from raw.{table}").fetchone()[0]
            hashes[table] = {"rows": n_rows, "sha256": hashlib.sha256(data).hexdigest()}
        con.close()
    (out / "hashes.json").write_text(json.dumps(hashes, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    return hashes


def compare(before: Path, after: Path) -> int:
    """Print each table as identical or different (with the first differing line); 1 when any differs."""
    a = json.loads((before / "hashes.json").read_text(encoding="utf-8"))
    b = json.loads((after / "hashes.json").read_text(encoding="utf-8"))
    status = 0
    for table in sorted(set(a) | set(b)):
        if a.get(table) == b.get(table):
            print(f"identical  raw.{table}: {a[table]['rows']:,} rows")
            continue
        status = 1
        print(f"DIFFERENT  raw.{table}: before {a.get(table)}, after {b.get(table)}")
        if table in a and table in b:
            lines_a = (before / f"{table}.csv").read_text(encoding="utf-8").splitlines()
            lines_b = (after / f"{table}.csv").read_text(encoding="utf-8").splitlines()
            for i, (la, lb) in enumerate(zip(lines_a, lines_b, strict=False)):
                if la != lb:
                    print(f"  first difference at line {i + 1}:\n  - {la[:300]}\n  + {lb[:300]}")
                    break
    return status


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    snap = sub.add_parser("snapshot")
    snap.add_argument("--raw-dir", type=Path, action="append", required=True)
    snap.add_argument("--out", type=Path, required=True)
    cmp_ = sub.add_parser("compare")
    cmp_.add_argument("before", type=Path)
    cmp_.add_argument("after", type=Path)
    args = parser.parse_args()
    if args.command == "snapshot":
        for table, h in snapshot(args.raw_dir, args.out).items():
            print(f"raw.{table}: {h['rows']:,} rows {h['sha256'][:16]}")
        return 0
    return compare(args.before, args.after)


if __name__ == "__main__":
    raise SystemExit(main())
