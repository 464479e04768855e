"""Writes to the raw schema of the work file: one transaction per file, with the load manifest.

A file lands whole or not at all: its rows, its manifest row and its validation results are written
in one DuckDB transaction, so a failure (or a killed process) leaves the warehouse as it was.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import duckdb

from ingest import __version__
from ingest.errors import IngestError
from ingest.sources.base import FileInfo, Parsed, Source

LINEAGE_COLUMNS = [
    ("_file_sha256", "varchar not null"),
    ("_source_file", "varchar not null"),
    ("_sheet", "varchar"),
    ("_row_number", "bigint not null"),
    ("_loaded_at", "timestamp with time zone not null"),
]

CONTROL_DDL = [
    """
    create table if not exists raw.load_manifest (
        file_sha256 varchar primary key,
        source varchar not null,
        kind varchar not null,
        layout varchar not null,
        raw_table varchar not null,
        source_file varchar not null,
        file_name varchar not null,
        file_bytes bigint not null,
        sheet varchar,
        header_row integer,
        n_rows bigint not null,
        published_date date,
        date_method varchar,
        filename_date date,
        filename_pattern varchar,
        latest_signed_date date,
        date_flag varchar,
        meta_json varchar,
        ingest_version varchar not null,
        loaded_at timestamp with time zone not null
    )
    """,
    """
    create table if not exists raw.load_file_names (
        file_sha256 varchar not null,
        source_file varchar not null,
        file_name varchar not null,
        first_seen_at timestamp with time zone not null,
        primary key (file_sha256, source_file)
    )
    """,
    """
    create table if not exists raw.load_rejections (
        source_file varchar not null,
        file_sha256 varchar,
        file_name varchar not null,
        stage varchar not null,
        reason varchar not null,
        row_number bigint,
        column_name varchar,
        examples varchar,
        rejected_at timestamp with time zone not null
    )
    """,
    """
    create table if not exists raw.validation_results (
        file_sha256 varchar not null,
        source_file varchar not null,
        suite varchar not null,
        expectation varchar not null,
        column_name varchar,
        observed varchar,
        success boolean not null,
        landed boolean not null,
        validated_at timestamp with time zone not null
    )
    """,
]


def connect(db_path: Path, sources: list[Source]) -> duckdb.DuckDBPyConnection:
    """Open the work file and make sure the raw schema, control tables and every raw table exist."""
    db_path.parent.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(str(db_path))
    con.execute("create schema if not exists raw")
    for ddl in CONTROL_DDL:
        con.execute(ddl)
    for source in sources:
        for table, columns in source.tables.items():
            cols = ", ".join(f'"{c}" {t}' for c, t in LINEAGE_COLUMNS + list(columns))
            con.execute(f"create table if not exists raw.{table} ({cols})")
    return con


def loaded_shas(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """sha256 -> source_file of every file already landed."""
    return dict(con.execute("select file_sha256, source_file from raw.load_manifest").fetchall())


def record_name(con: duckdb.DuckDBPyConnection, file: FileInfo) -> None:
    """Remember another name under which already-landed bytes were found (same bytes = one file)."""
    con.execute(
        "insert or ignore into raw.load_file_names values (?, ?, ?, ?)",
        [file.sha256, file.rel_path, file.path.name, dt.datetime.now(dt.UTC)],
    )


def record_rejection(con: duckdb.DuckDBPyConnection, file: FileInfo | None, path: str, stage: str,
                     error: IngestError | Exception) -> None:
    """Log a refused file (its rows never land)."""
    if isinstance(error, IngestError):
        reason, row, column, examples = error.reason, error.row, error.column, "\n".join(error.examples)
    else:
        reason, row, column, examples = f"{type(error).__name__}: {error}", None, None, ""
    con.execute(
        "insert into raw.load_rejections values (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [path, file.sha256 if file else None, Path(path).name, stage, reason, row, column, examples,
         dt.datetime.now(dt.UTC)],
    )


def _json_default(value: Any) -> str:
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    return str(value)


def land(
    con: duckdb.DuckDBPyConnection,
    file: FileInfo,
    parsed: Parsed,
    validation_rows: list[dict[str, Any]] | None = None,
) -> int:
    """Insert a parsed file's rows with lineage, its manifest row and validation results; all or nothing."""
    loaded_at = dt.datetime.now(dt.UTC)
    meta = dict(parsed.meta)
    manifest_fields = ["published_date", "date_method", "filename_date", "filename_pattern",
                       "latest_signed_date", "date_flag"]
    manifest_values = [meta.pop(k, None) for k in manifest_fields]
    con.execute("begin transaction")
    try:
        columns = [c for c, _ in LINEAGE_COLUMNS[3:4]]  # _row_number comes from the parsed rows
        if parsed.frame is not None:
            con.register("_incoming", parsed.frame)
        if parsed.relation_sql is not None:
            # a DuckDB SELECT (may read a file itself, or the frame registered as _incoming)
            data_cols = parsed.meta.get("columns") or []
            select = parsed.relation_sql
        elif parsed.frame is not None:
            data_cols = [c for c in parsed.frame.columns if c != "_row_number"]
            select = "select " + ", ".join(f'"{c}"' for c in columns + data_cols) + " from _incoming"
        else:  # pragma: no cover - a source bug
            raise IngestError("source returned no rows object", file=file.rel_path)
        target_cols = ["_file_sha256", "_source_file", "_sheet", "_loaded_at", *columns, *data_cols]
        col_list = ", ".join(f'"{c}"' for c in target_cols)
        con.execute(
            f"insert into raw.{parsed.table} ({col_list}) "
            f"select ?, ?, ?, ?, * from ({select})",
            [file.sha256, file.rel_path, parsed.sheet, loaded_at],
        )
        n_rows = con.execute(
            f"select count(*) from raw.{parsed.table} where _file_sha256 = ?", [file.sha256]
        ).fetchone()[0]
        con.execute(
            "insert into raw.load_manifest values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [file.sha256, parsed.source, parsed.kind, parsed.layout, parsed.table, file.rel_path,
             file.path.name, file.size, parsed.sheet, parsed.header_row, n_rows, *manifest_values,
             json.dumps(meta, default=_json_default, sort_keys=True), __version__, loaded_at],
        )
        con.execute(
            "insert or ignore into raw.load_file_names values (?, ?, ?, ?)",
            [file.sha256, file.rel_path, file.path.name, loaded_at],
        )
        for v in validation_rows or []:
            con.execute(
                "insert into raw.validation_results values (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [file.sha256, file.rel_path, v["suite"], v["expectation"], v.get("column"),
                 v.get("observed"), bool(v["success"]), True, loaded_at],
            )
        con.execute("commit")
    except BaseException:
        con.execute("rollback")
        raise
    finally:
        if parsed.frame is not None:
            con.unregister("_incoming")
    return int(n_rows)


def record_validation(con: duckdb.DuckDBPyConnection, file: FileInfo, rows: list[dict[str, Any]]) -> None:
    """Store the results of a validation that refused a file (nothing else from it lands)."""
    now = dt.datetime.now(dt.UTC)
    for v in rows:
        con.execute(
            "insert into raw.validation_results values (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [file.sha256, file.rel_path, v["suite"], v["expectation"], v.get("column"), v.get("observed"),
             bool(v["success"]), False, now],
        )


def table_counts(con: duckdb.DuckDBPyConnection, sources: list[Source]) -> dict[str, int]:
    """Rows per raw table."""
    counts = {}
    for source in sources:
        for table in source.tables:
            counts[f"raw.{table}"] = con.execute(f"select count(*) from raw.{table}").fetchone()[0]
    return counts
