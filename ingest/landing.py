"""Writes to the raw schema of the work file: one transaction per file, with the load manifest.

A file lands whole or not at all: its rows, its manifest row and its validation results are written
in one DuckDB transaction, so a failure (or a killed process) leaves the warehouse as it was.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

import duckdb
import pandas as pd
import pyarrow as pa

from ingest import __version__
from ingest.errors import IngestError, WarehouseBusyError, WarehouseWriteError, first_line, reader_error
from ingest.faults import pause_point
from ingest.safe_text import storable
from ingest.sources.base import FileInfo, Parsed, Source
from ingest.sql import quote_ident

if TYPE_CHECKING:
    from ingest.validation.results import CheckResult

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
        loaded_at timestamp with time zone not null,
        published_at timestamp
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
    # Added by the quality gate: error (guards landing) or warn (counted only), and example rows.
    "alter table raw.validation_results add column if not exists severity varchar",
    "alter table raw.validation_results add column if not exists examples varchar",
]

VALIDATION_INSERT = (
    "insert into raw.validation_results (file_sha256, source_file, suite, expectation, column_name, "
    "observed, success, landed, validated_at, severity, examples) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)


def _validation_params(file: FileInfo, v: CheckResult, landed: bool, at: dt.datetime) -> list[Any]:
    return [
        file.sha256,
        file.rel_path,
        v.suite,
        v.expectation,
        v.column,
        v.observed,
        bool(v.success),
        landed,
        at,
        v.severity,
        "\n".join(v.examples),
    ]


# Columns added after a release: warehouses built before get them on their next ingest.
MIGRATIONS = ["alter table raw.load_manifest add column if not exists published_at timestamp"]


# Words in DuckDB's and the OS's messages that mean the warehouse's storage failed, not a raw file.
_STORAGE_FAILURE = re.compile(
    r"(?i)no space left|file too large|read-only file system|disk quota|permission denied|"
    r"could not (write|fsync|truncate)|failed to write"
)


def is_storage_failure(exc: BaseException) -> bool:
    """True when an error says the warehouse's own files could not be written (disk full, read-only)."""
    if isinstance(exc, OSError):
        return True
    # DuckDB reports a failed write as IOException, FatalException (checkpoint) or TransactionException
    # (commit), so the message decides; raw files are only read, so these words never come from them.
    return isinstance(exc, duckdb.Error) and bool(_STORAGE_FAILURE.search(str(exc)))


def connect(db_path: Path, sources: list[Source]) -> duckdb.DuckDBPyConnection:
    """Open the work file and make sure the raw schema, control tables and every raw table exist.

    Raises WarehouseBusyError when another process holds the file, WarehouseWriteError when it
    cannot be created or written (read-only, disk full) or is not a DuckDB database.
    """
    try:
        db_path.parent.mkdir(parents=True, exist_ok=True)
        con = duckdb.connect(str(db_path))
    except duckdb.IOException as exc:
        if "lock" in str(exc).lower():
            raise WarehouseBusyError(
                f"another build holds this warehouse ({db_path}): {first_line(exc)}; wait for it to finish"
            ) from exc
        raise WarehouseWriteError(f"cannot open the work file {db_path}: {first_line(exc)}") from exc
    except (duckdb.Error, OSError) as exc:
        raise WarehouseWriteError(f"cannot open the work file {db_path}: {first_line(exc)}") from exc
    try:
        con.execute("create schema if not exists raw")
        for ddl in CONTROL_DDL:
            con.execute(ddl)
        for ddl in MIGRATIONS:
            con.execute(ddl)
        for source in sources:
            for table, columns in source.tables.items():
                cols = ", ".join(f"{quote_ident(c)} {t}" for c, t in LINEAGE_COLUMNS + list(columns))
                con.execute(f"create table if not exists raw.{table} ({cols})")
    except duckdb.Error as exc:
        con.close()
        raise WarehouseWriteError(f"cannot write the work file {db_path}: {first_line(exc)}") from exc
    return con


def loaded_shas(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """sha256 -> source_file of every file already landed."""
    return dict(con.execute("select file_sha256, source_file from raw.load_manifest").fetchall())


def record_name(con: duckdb.DuckDBPyConnection, file: FileInfo) -> None:
    """Remember another name under which already-landed bytes were found (same bytes = one file)."""
    _insert_name(con, file, dt.datetime.now(dt.UTC))


def _insert_name(con: duckdb.DuckDBPyConnection, file: FileInfo, at: dt.datetime) -> None:
    # `where not exists` rather than `insert or ignore`: the same rows, half DuckDB's cost per call
    con.execute(
        "insert into raw.load_file_names select ?, ?, ?, ? where not exists "
        "(select 1 from raw.load_file_names where file_sha256 = ? and source_file = ?)",
        [file.sha256, file.rel_path, file.name, at, file.sha256, file.rel_path],
    )


def record_rejection(
    con: duckdb.DuckDBPyConnection, file: FileInfo | None, path: str, stage: str, error: IngestError | Exception
) -> None:
    """Log a refused file (its rows never land)."""
    if isinstance(error, IngestError):
        reason, row, column, examples = error.reason, error.row, error.column, "\n".join(error.examples)
    else:
        reason, row, column, examples = f"{type(error).__name__}: {error}", None, None, ""
    con.execute(
        "insert into raw.load_rejections values (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            storable(path),
            file.sha256 if file else None,
            storable(Path(path).name),
            stage,
            storable(reason),
            row,
            storable(column),
            storable(examples),
            dt.datetime.now(dt.UTC),
        ],
    )


def _json_default(value: Any) -> str:
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    return str(value)


def land(
    con: duckdb.DuckDBPyConnection,
    file: FileInfo,
    parsed: Parsed,
    validation_rows: list[CheckResult] | None = None,
) -> int:
    """Insert a parsed file's rows with lineage, its manifest row and validation results; all or nothing."""
    loaded_at = dt.datetime.now(dt.UTC)
    meta = dict(parsed.meta)
    manifest_fields = [
        "published_date",
        "date_method",
        "filename_date",
        "filename_pattern",
        "latest_signed_date",
        "date_flag",
    ]
    manifest_values = [meta.pop(k, None) for k in manifest_fields]
    con.execute("begin transaction")
    try:
        columns = [c for c, _ in LINEAGE_COLUMNS[3:4]]  # _row_number comes from the parsed rows
        if parsed.frame is not None:
            # A frame inserted straight into its raw table goes in as Arrow (columnar, no per-value
            # Python); one that a source's SELECT reads keeps the types that SQL was written against.
            incoming = parsed.frame if parsed.relation_sql is not None else _as_arrow(parsed.frame)
            con.register("_incoming", incoming)
        if parsed.relation_sql is not None:
            # a DuckDB SELECT (may read a file itself, or the frame registered as _incoming)
            data_cols = parsed.meta.get("columns") or []
            select = parsed.relation_sql
        elif parsed.frame is not None:
            # A frame may carry `_sheet` per row (a workbook whose rows come from several sheets).
            if "_sheet" in parsed.frame.columns:
                columns.append("_sheet")
            data_cols = [c for c in parsed.frame.columns if c not in ("_row_number", "_sheet")]
            select = "select " + ", ".join(quote_ident(c) for c in columns + data_cols) + " from _incoming"
        else:  # pragma: no cover - a source bug
            raise IngestError("source returned no rows object", file=file.rel_path)
        fixed = ["_file_sha256", "_source_file", "_loaded_at"] + ([] if "_sheet" in columns else ["_sheet"])
        params = [file.sha256, file.rel_path, loaded_at] + ([] if "_sheet" in columns else [parsed.sheet])
        col_list = ", ".join(quote_ident(c) for c in [*fixed, *columns, *data_cols])
        try:
            n_rows = con.execute(
                f"insert into raw.{parsed.table} ({col_list}) "
                f"select {', '.join('?' for _ in fixed)}, * from ({select})",
                params,
            ).fetchone()[0]  # an INSERT returns the rows it wrote
        except duckdb.Error as exc:
            if parsed.relation_sql is None or is_storage_failure(exc):
                raise
            raise reader_error(exc, file=file.rel_path, layout=parsed.layout) from exc
        con.execute(
            "insert into raw.load_manifest (file_sha256, source, kind, layout, raw_table, source_file, file_name, "
            "file_bytes, sheet, header_row, n_rows, published_date, date_method, filename_date, filename_pattern, "
            "latest_signed_date, date_flag, meta_json, ingest_version, loaded_at) "
            "values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                file.sha256,
                parsed.source,
                parsed.kind,
                parsed.layout,
                parsed.table,
                file.rel_path,
                file.name,
                file.size,
                parsed.sheet,
                parsed.header_row,
                n_rows,
                *manifest_values,
                json.dumps(meta, default=_json_default, sort_keys=True),
                __version__,
                loaded_at,
            ],
        )
        _insert_name(con, file, loaded_at)
        _insert_validation(con, [_validation_params(file, v, True, loaded_at) for v in validation_rows or []])
        pause_point("ingest-land")  # crash tests kill the process here, inside the open transaction
        con.execute("commit")
    except BaseException:
        con.execute("rollback")
        raise
    finally:
        if parsed.frame is not None:
            con.unregister("_incoming")
    return int(n_rows)


def _as_arrow(frame: pd.DataFrame) -> pa.Table | pd.DataFrame:
    """The frame as an Arrow table for DuckDB to insert column by column; the frame itself when a
    column mixes Python types Arrow will not put in one column (DuckDB then reads it value by value)."""
    try:
        return pa.Table.from_pandas(frame, preserve_index=False)
    except (pa.ArrowInvalid, pa.ArrowTypeError, pa.ArrowNotImplementedError):
        return frame


def _insert_validation(con: duckdb.DuckDBPyConnection, params: list[list[Any]]) -> None:
    """Validation result rows in one INSERT (one statement per file, not one per expectation)."""
    if not params:
        return
    row = VALIDATION_INSERT[VALIDATION_INSERT.index("values ") + len("values ") :]
    head = VALIDATION_INSERT[: VALIDATION_INSERT.index("values ") + len("values ")]
    con.execute(head + ", ".join([row] * len(params)), [v for p in params for v in p])


def record_validation(con: duckdb.DuckDBPyConnection, file: FileInfo, rows: list[CheckResult]) -> None:
    """Store the results of a validation that refused a file (nothing else from it lands)."""
    now = dt.datetime.now(dt.UTC)
    _insert_validation(con, [_validation_params(file, v, False, now) for v in rows])


def table_counts(con: duckdb.DuckDBPyConnection, sources: list[Source]) -> dict[str, int]:
    """Rows per raw table."""
    counts = {}
    for source in sources:
        for table in source.tables:
            counts[f"raw.{table}"] = con.execute(f"select count(*) from raw.{table}").fetchone()[0]
    return counts
