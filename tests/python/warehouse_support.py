"""Helpers for the bad-input, crash and concurrency suites: a built warehouse to copy, runs of the real
CLI, and what "nothing landed" and "the publication is untouched" mean, measured on the real files."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import duckdb

REPO = Path(__file__).resolve().parents[2]
SAMPLE = REPO / "data" / "sample"
ICE287G = Path(sys.executable).with_name("ice287g")


def sha256(path: Path) -> str:
    """sha256 of a file's bytes (following symlinks)."""
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def cli_env(**extra: str) -> dict[str, str]:
    """Environment for a CLI subprocess: wide console, no colours, GX analytics off."""
    env = dict(os.environ)
    env.update({"COLUMNS": "400", "NO_COLOR": "1", "GX_ANALYTICS_ENABLED": "False", "TERM": "dumb"})
    env.update(extra)
    return env


def run_cli(*args: str, timeout: float = 600, **env: str) -> subprocess.CompletedProcess:
    """Run ``ice287g <args>`` as a separate process; stdout and stderr as text."""
    return subprocess.run(
        [str(ICE287G), *args], capture_output=True, text=True, timeout=timeout, env=cli_env(**env), cwd=REPO
    )


def copy_raw(dest: Path) -> Path:
    """A private copy of the committed synthetic sample (the ICE sheets)."""
    shutil.copytree(SAMPLE, dest)
    return dest


def copy_warehouse(src: Path, dest: Path) -> Path:
    """A private copy of a built warehouse (symlinks kept: they are relative)."""
    # dbt_target keeps only manifest.json (the data dictionary's source); compiled SQL and logs are left
    shutil.copytree(
        src,
        dest,
        symlinks=True,
        ignore=shutil.ignore_patterns("dbt_logs", "compiled", "run", "*.gpickle", "*.msgpack", "run_results.json"),
    )
    return dest


def prebuilt_warehouse(path: str | None) -> Path | None:
    """A published warehouse built from exactly the committed sample files, none quarantined; else None."""
    if not path:
        return None
    warehouse = (REPO / path).resolve()
    marts, work = warehouse / "marts.duckdb", warehouse / "work.duckdb"
    if not (marts.exists() and work.exists()):
        return None
    from ingest.pipeline import scan
    from ingest.sources.base import sha256_file

    data_suffixes = {".xlsx", ".csv", ".txt", ".gz", ".json"}
    expected = sorted({sha256_file(p) for p in scan(SAMPLE) if p.suffix.lower() in data_suffixes})
    landed = json.loads(query(marts, "select value from build_info where key = 'raw_file_sha256'")[0][0])
    rejected = query(work, "select count(*) from raw.load_rejections")[0][0]
    return warehouse if sorted(landed) == expected and rejected == 0 else None


@dataclass(frozen=True)
class Publication:
    """What is published: the marts file's bytes and target, the exports' bytes and the site's index page."""

    target: str
    marts_sha256: str
    exports: dict[str, str]
    site_index_sha256: str = ""

    @classmethod
    def of(cls, warehouse: Path) -> Publication:
        marts = warehouse / "marts.duckdb"
        exports = warehouse / "exports"
        files = {p.name: sha256(p) for p in sorted(exports.iterdir())} if exports.exists() else {}
        index = warehouse / "site" / "index.html"
        return cls(str(marts.resolve()), sha256(marts), files, sha256(index) if index.exists() else "")


def mart_checksums(marts_file: Path) -> dict[str, tuple[int, str]]:
    """Row count and an order-independent content checksum of every published table except build_info."""
    con = duckdb.connect(str(marts_file), read_only=True)
    try:
        tables = con.execute(
            "select schema_name, table_name from duckdb_tables() where table_name <> 'build_info' "
            "order by schema_name, table_name"
        ).fetchall()
        out = {}
        for schema, table in tables:
            name = f'"{schema}"."{table}"'
            n, digest = con.execute(
                f"select count(*), md5(coalesce(string_agg(row_text, chr(10) order by row_text), '')) "
                f"from (select cast(t as varchar) as row_text from {name} as t)"
            ).fetchone()
            out[f"{schema}.{table}"] = (n, digest)
        return out
    finally:
        con.close()


def rows_from_file(work: Path, file_sha256: str) -> dict[str, int]:
    """Rows in every raw table (and the manifest) that came from the file with this sha256."""
    con = duckdb.connect(str(work), read_only=True)
    try:
        tables = [
            r[0]
            for r in con.execute(
                "select table_name from duckdb_columns() where schema_name = 'raw' and column_name = '_file_sha256'"
            ).fetchall()
        ]
        counts = {
            t: con.execute(f'select count(*) from raw."{t}" where _file_sha256 = ?', [file_sha256]).fetchone()[0]
            for t in tables
        }
        counts["load_manifest"] = con.execute(
            "select count(*) from raw.load_manifest where file_sha256 = ?", [file_sha256]
        ).fetchone()[0]
        return counts
    finally:
        con.close()


def rejections(work: Path) -> list[dict]:
    """raw.load_rejections as dicts."""
    con = duckdb.connect(str(work), read_only=True)
    try:
        cur = con.execute("select * from raw.load_rejections order by rejected_at")
        names = [d[0] for d in cur.description]
        return [dict(zip(names, r, strict=True)) for r in cur.fetchall()]
    finally:
        con.close()


def query(db: Path, sql: str, params: list | None = None) -> list[tuple]:
    """Run one read-only query on a DuckDB file."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()
