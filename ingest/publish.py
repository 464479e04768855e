"""Publish the marts: a separate read-only DuckDB file and Parquet/CSV exports, swapped in atomically.

BI tools never open the work file (DuckDB allows one writer and no readers while it is written).
The new publication is written beside the old one under a temporary name and then renamed over it:
``os.replace`` is atomic, so a reader sees either the old file or the new one, and a reader that
holds the old file open keeps reading it. Exports are written to a new versioned folder and the
``exports`` symlink is switched atomically. A failure at any step leaves the previous publication.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import platform
import shutil
import subprocess
from pathlib import Path

import duckdb

from ingest import __version__

PUBLISHED_SCHEMAS = ("marts", "reference")
# In marts.duckdb the marts live in the default schema: a file named marts.duckdb opens as catalog
# `marts`, so `select * from marts.dim_agencies` resolves to it (a schema also named `marts` would
# make that name ambiguous in DuckDB). Reference tables keep their schema: `reference.<seed>`.
PUBLISHED_SCHEMA_OF = {"marts": "main", "reference": "reference"}
# Columns that must never leave the warehouse (personal fields of arrest records).
DENY_COLUMNS = {
    "birth_date", "birth_year", "date_of_birth", "alien_file_number", "a_number", "eid_case_id",
    "eid_subject_id", "unique_identifier", "anonymized_identifier", "person_id", "subject_id",
    # arrests releases: every personal field a layout carries, under its raw name
    "birthdate", "dob", "alien_number", "anumber", "a_file_number", "eid_id", "unique_id", "case_id",
    "fins_number", "fbi_number", "first_name", "last_name", "full_name", "officer_id", "supervisor_id",
    "arrest_created_by",
}


class PublishError(RuntimeError):
    """Publishing refused or failed; the previous publication is untouched."""


def _code_version(project: Path) -> str:
    try:
        out = subprocess.run(["git", "-C", str(project), "rev-parse", "--short", "HEAD"],
                             capture_output=True, text=True, timeout=10)
        return out.stdout.strip() or __version__
    except (OSError, subprocess.SubprocessError):
        return __version__


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _lit(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def publish(warehouse_dir: Path, project: Path, *, exports: bool = True) -> dict[str, int]:
    """Copy marts and reference tables from work.duckdb into marts.duckdb (+ exports). Returns rows per table."""
    warehouse_dir = warehouse_dir.resolve()
    work = warehouse_dir / "work.duckdb"
    if not work.exists():
        raise PublishError(f"nothing to publish: {work} does not exist (run `ice287g build` first)")
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S%fZ")
    tmp_db = warehouse_dir / f".publish-{stamp}.duckdb.tmp"
    final_db = warehouse_dir / "marts.duckdb"
    export_dir = warehouse_dir / f".exports-{stamp}"
    counts: dict[str, int] = {}
    try:
        con = duckdb.connect(str(tmp_db))
        try:
            db = _q(con.execute("select current_database()").fetchone()[0])
            con.execute(f"attach '{work}' as work (read_only)")
            tables = con.execute(
                "select schema_name, table_name, comment from duckdb_tables() "
                "where database_name = 'work' and schema_name in ('marts', 'reference') "
                "order by schema_name, table_name"
            ).fetchall()
            for schema, table, _ in tables:
                cols = [r[0].lower() for r in con.execute(
                    "select column_name from duckdb_columns() where database_name='work' "
                    "and schema_name=? and table_name=?", [schema, table]).fetchall()]
                denied = sorted(set(cols) & DENY_COLUMNS)
                if denied:
                    raise PublishError(f"{schema}.{table} carries denied personal column(s) {denied}")
            con.execute(f"create schema if not exists {db}.reference")
            for schema, table, comment in tables:
                dest = f"{db}.{PUBLISHED_SCHEMA_OF[schema]}.{_q(table)}"
                con.execute(f"create table {dest} as select * from work.{schema}.{_q(table)}")
                if comment:
                    con.execute(f"comment on table {dest} is {_lit(comment)}")
                for col, ccomment in con.execute(
                    "select column_name, comment from duckdb_columns() where database_name='work' "
                    "and schema_name=? and table_name=? and comment is not null", [schema, table]
                ).fetchall():
                    con.execute(f"comment on column {dest}.{_q(col)} is {_lit(ccomment)}")
                counts[f"{schema}.{table}"] = con.execute(f"select count(*) from {dest}").fetchone()[0]
            raw_hashes = []
            if con.execute("select count(*) from duckdb_tables() where database_name='work' "
                           "and schema_name='raw' and table_name='load_manifest'").fetchone()[0]:
                raw_hashes = [r[0] for r in con.execute(
                    "select file_sha256 from work.raw.load_manifest order by file_sha256").fetchall()]
            info = {
                "built_at": dt.datetime.now(dt.UTC).isoformat(),
                "code_version": _code_version(project),
                "ingest_version": __version__,
                "duckdb_version": duckdb.__version__,
                "python_version": platform.python_version(),
                "raw_file_sha256": json.dumps(raw_hashes),
                "n_raw_files": len(raw_hashes),
            }
            try:
                from importlib.metadata import version

                info["dbt_core_version"] = version("dbt-core")
                info["dbt_duckdb_version"] = version("dbt-duckdb")
            except Exception:  # pragma: no cover
                pass
            con.execute(f"create table {db}.main.build_info (key varchar primary key, value varchar)")
            con.executemany(f"insert into {db}.main.build_info values (?, ?)", [[k, str(v)] for k, v in info.items()])
            con.execute("detach work")
            if exports:
                export_dir.mkdir(parents=True)
                for schema, table, _ in tables:
                    if schema != "marts":
                        continue
                    base = export_dir / table
                    con.execute(f"copy {db}.main.{_q(table)} to '{base}.parquet' (format parquet)")
                    con.execute(f"copy {db}.main.{_q(table)} to '{base}.csv' (format csv, header true)")
            con.execute("checkpoint")
        finally:
            con.close()
        os.replace(tmp_db, final_db)
        if exports:
            _swap_exports(warehouse_dir, export_dir)
    except BaseException:
        tmp_db.unlink(missing_ok=True)
        Path(str(tmp_db) + ".wal").unlink(missing_ok=True)
        shutil.rmtree(export_dir, ignore_errors=True)
        raise
    return counts


def _swap_exports(warehouse_dir: Path, new_dir: Path) -> None:
    """Point ``exports`` at new_dir with an atomic symlink replace, then drop older export folders."""
    link = warehouse_dir / "exports"
    final = warehouse_dir / ("exports-" + new_dir.name.removeprefix(".exports-"))
    new_dir.rename(final)
    tmp_link = warehouse_dir / f".exports-link-{final.name}"
    tmp_link.symlink_to(final.name)
    if link.exists() and not link.is_symlink():
        shutil.rmtree(link)
    os.replace(tmp_link, link)
    for old in warehouse_dir.glob("exports-*"):
        if old != final and old.is_dir():
            shutil.rmtree(old, ignore_errors=True)
