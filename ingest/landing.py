"""Writes to the raw schema of the work file: one transaction per file, with the load manifest.

A file lands whole or not at all: its rows, its manifest row and its validation results are written
in one DuckDB transaction, so a failure (or a killed process) leaves the warehouse as it was.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
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


def schema_ddl(sources: list[Source]) -> list[str]:
    """The statements that make the raw schema, its control tables and every source's raw tables."""
    ddl = ["create schema if not exists raw", *CONTROL_DDL, *MIGRATIONS]
    for source in sources:
        for table, columns in source.tables.items():
            cols = ", ".join(f"{quote_ident(c)} {t}" for c, t in LINEAGE_COLUMNS + list(columns))
            ddl.append(f"create table if not exists raw.{table} ({cols})")
    return ddl


def connect(db_path: Path, sources: list[Source], *, threads: int | None = None) -> duckdb.DuckDBPyConnection:
    """Open the work file and make sure the raw schema, control tables and every raw table exist.

    ``threads``: DuckDB's threads from the start (an ingest passes ``land_threads()``, so a batch
    finds the setting it needs and DuckDB relaunches no threads; None: DuckDB's own setting).

    Raises WarehouseBusyError when another process holds the file, WarehouseWriteError when it
    cannot be created or written (read-only, disk full) or is not a DuckDB database.
    """
    try:
        db_path.parent.mkdir(parents=True, exist_ok=True)
        con = duckdb.connect(str(db_path), config={"threads": threads} if threads else {})
    except duckdb.IOException as exc:
        if "lock" in str(exc).lower():
            raise WarehouseBusyError(
                f"another build holds this warehouse ({db_path}): {first_line(exc)}; wait for it to finish"
            ) from exc
        raise WarehouseWriteError(f"cannot open the work file {db_path}: {first_line(exc)}") from exc
    except (duckdb.Error, OSError) as exc:
        raise WarehouseWriteError(f"cannot open the work file {db_path}: {first_line(exc)}") from exc
    try:
        # one transaction (one commit, one fsync) and one call for the whole schema, not one per table
        con.execute("; ".join(["begin transaction", *schema_ddl(sources)]))
        con.execute("commit")
    except duckdb.Error as exc:
        with contextlib.suppress(duckdb.Error):
            con.execute("rollback")
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


NAMES_SCHEMA = pa.schema(
    [
        ("file_sha256", pa.string()),
        ("source_file", pa.string()),
        ("file_name", pa.string()),
        ("first_seen_at", pa.timestamp("us", tz="UTC")),
    ]
)


def record_names(con: duckdb.DuckDBPyConnection, files: list[FileInfo]) -> None:
    """``record_name`` for several files in one statement (one transaction)."""
    if files:
        _insert_names(con, files, dt.datetime.now(dt.UTC))


def _insert_names(con: duckdb.DuckDBPyConnection, files: list[FileInfo], at: dt.datetime) -> None:
    """The names not yet recorded, in one INSERT (a name given twice is recorded once)."""
    rows = list({(f.sha256, f.rel_path): f for f in files}.values())
    if not rows:
        return
    names = pa.table(
        [
            pa.array([f.sha256 for f in rows], pa.string()),
            pa.array([f.rel_path for f in rows], pa.string()),
            pa.array([f.name for f in rows], pa.string()),
            pa.array([at] * len(rows), pa.timestamp("us", tz="UTC")),
        ],
        schema=NAMES_SCHEMA,
    )
    con.register("_incoming_names", names)
    try:
        con.execute(
            "insert into raw.load_file_names select n.* from _incoming_names n where not exists "
            "(select 1 from raw.load_file_names f where f.file_sha256 = n.file_sha256 "
            "and f.source_file = n.source_file)"
        )
    finally:
        _unregister(con, "_incoming_names")


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


def _manifest_params(file: FileInfo, parsed: Parsed, n_rows: int, loaded_at: dt.datetime) -> list[Any]:
    """One manifest row (the columns of MANIFEST_INSERT) for a landed file."""
    meta = dict(parsed.meta)
    manifest_values = [meta.pop(k, None) for k in MANIFEST_META_FIELDS]
    return [
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
    ]


MANIFEST_META_FIELDS = [
    "published_date",
    "date_method",
    "filename_date",
    "filename_pattern",
    "latest_signed_date",
    "date_flag",
]
MANIFEST_INSERT = (
    "insert into raw.load_manifest (file_sha256, source, kind, layout, raw_table, source_file, file_name, "
    "file_bytes, sheet, header_row, n_rows, published_date, date_method, filename_date, filename_pattern, "
    "latest_signed_date, date_flag, meta_json, ingest_version, loaded_at) values "
)
_MANIFEST_ROW = "(" + ", ".join(["?"] * 20) + ")"


def _insert_rows(con: duckdb.DuckDBPyConnection, file: FileInfo, parsed: Parsed, loaded_at: dt.datetime) -> int:
    """Insert one parsed file's rows with lineage into its raw table (inside the caller's transaction)."""
    columns = [c for c, _ in LINEAGE_COLUMNS[3:4]]  # _row_number comes from the parsed rows
    try:
        if parsed.has_rows:
            # A frame inserted straight into its raw table goes in as Arrow (columnar, no per-value
            # Python); one that a source's SELECT reads keeps the types that SQL was written against.
            incoming = parsed.frame if parsed.relation_sql is not None else _arrow_of(parsed)
            con.register("_incoming", incoming)
        if parsed.relation_sql is not None:
            # a DuckDB SELECT (may read a file itself, or the frame registered as _incoming)
            data_cols = parsed.meta.get("columns") or []
            select = parsed.relation_sql
        elif parsed.has_rows:
            # A frame may carry `_sheet` per row (a workbook whose rows come from several sheets).
            if "_sheet" in parsed.columns:
                columns.append("_sheet")
            data_cols = [c for c in parsed.columns if c not in ("_row_number", "_sheet")]
            select = "select " + ", ".join(quote_ident(c) for c in columns + data_cols) + " from _incoming"
        else:  # pragma: no cover - a source bug
            raise IngestError("source returned no rows object", file=file.rel_path)
        fixed = ["_file_sha256", "_source_file", "_loaded_at"] + ([] if "_sheet" in columns else ["_sheet"])
        params = [file.sha256, file.rel_path, loaded_at] + ([] if "_sheet" in columns else [parsed.sheet])
        col_list = ", ".join(quote_ident(c) for c in [*fixed, *columns, *data_cols])
        try:
            return int(
                con.execute(
                    f"insert into raw.{parsed.table} ({col_list}) "
                    f"select {', '.join('?' for _ in fixed)}, * from ({select})",
                    params,
                ).fetchone()[0]  # an INSERT returns the rows it wrote
            )
        except duckdb.Error as exc:
            if parsed.relation_sql is None or is_storage_failure(exc):
                raise
            raise reader_error(exc, file=file.rel_path, layout=parsed.layout) from exc
    finally:
        if parsed.has_rows:
            _unregister(con, "_incoming")


def land(
    con: duckdb.DuckDBPyConnection,
    file: FileInfo,
    parsed: Parsed,
    validation_rows: list[CheckResult] | None = None,
) -> int:
    """Insert a parsed file's rows with lineage, its manifest row and validation results; all or nothing."""
    loaded_at = dt.datetime.now(dt.UTC)
    con.execute("begin transaction")
    try:
        n_rows = _insert_rows(con, file, parsed, loaded_at)
        con.execute(MANIFEST_INSERT + _MANIFEST_ROW, _manifest_params(file, parsed, n_rows, loaded_at))
        _insert_name(con, file, loaded_at)
        _insert_validation(con, [_validation_params(file, v, True, loaded_at) for v in validation_rows or []])
        pause_point("ingest-land")  # crash tests kill the process here, inside the open transaction
        con.execute("commit")
    except BaseException:
        con.execute("rollback")
        _unregister_all(con)
        raise
    return n_rows


@dataclass
class Landable:
    """A validated file for ``land_batch``: its rows and its validation results."""

    file: FileInfo
    parsed: Parsed
    checks: list[CheckResult] = field(default_factory=list)


def land_batch(
    con: duckdb.DuckDBPyConnection, items: list[Landable], copies: list[FileInfo] | None = None
) -> list[int]:
    """Land several validated files in one transaction: all of them or none; rows landed per file.

    The same rows as ``land`` once per file, in the same order, with fewer statements: consecutive
    frames bound for one raw table go in as one Arrow INSERT, and the manifest, name and validation
    rows of the whole batch in one INSERT each. Every file of the batch gets the same ``loaded_at``
    (the time its transaction began). ``copies``: other names of bytes landed in this batch (or
    before), recorded in the same transaction. On any error the transaction is rolled back and the
    error raised: the caller lands the files one by one (``land``) to find the one that fails.
    """
    loaded_at = dt.datetime.now(dt.UTC)
    with _batch_settings(con):
        return _land_batch(con, items, copies, loaded_at)


# DuckDB threads for a batch's INSERTs. They are small (a few thousand rows per table) and run while
# the read pool's workers keep the cores busy: coordinating DuckDB's threads then costs more than it
# parallelises (measured: an Arrow INSERT of 49k ICE rows 0.08 s on one thread, 0.23-0.26 s on all,
# on a loaded 2-core machine). ``ICE287G_LAND_THREADS`` changes it (0: DuckDB's own setting).
LAND_THREADS = 1
# DuckDB's checkpoint threshold while a batch commits. At 0 the commit writes the batch's rows to the
# database file itself (an automatic checkpoint) instead of to the WAL first, which the checkpoint at
# the end of the run would then copy into the file: the rows are written once, not twice.
BATCH_CHECKPOINT_THRESHOLD = "0b"


def land_threads() -> int | None:
    """DuckDB threads for landing (``ICE287G_LAND_THREADS``, default LAND_THREADS); None: DuckDB's own."""
    threads = int(os.environ.get("ICE287G_LAND_THREADS", LAND_THREADS))
    return threads if threads > 0 else None


@contextlib.contextmanager
def _batch_settings(con: duckdb.DuckDBPyConnection) -> Iterator[None]:
    """Land a batch on ``land_threads()`` threads and commit it straight into the file (``set``, one
    statement for both; the connection's own settings are put back after, also in one). A connection
    already on those threads keeps them: each change of ``threads`` relaunches DuckDB's threads."""
    threads = land_threads()
    before = con.execute("select current_setting('threads'), current_setting('checkpoint_threshold')").fetchone()
    settings = [f"set checkpoint_threshold = '{BATCH_CHECKPOINT_THRESHOLD}'"]
    restore = [f"set checkpoint_threshold = '{before[1]}'"]
    if threads is not None and threads != int(before[0]):
        settings.append(f"set threads = {threads:d}")
        restore.append(f"set threads = {int(before[0]):d}")
    con.execute("; ".join(settings))
    try:
        yield
    finally:
        with contextlib.suppress(duckdb.Error):  # never hide the error that ended the batch
            con.execute("; ".join(restore))


def _land_batch(
    con: duckdb.DuckDBPyConnection, items: list[Landable], copies: list[FileInfo] | None, loaded_at: dt.datetime
) -> list[int]:
    con.execute("begin transaction")
    try:
        written: dict[int, int] = {}  # id(item) -> rows
        for group in _insert_groups(items):
            if len(group) == 1 and _arrow_group_key(group[0].parsed) is None:
                written[id(group[0])] = _insert_rows(con, group[0].file, group[0].parsed, loaded_at)
            else:
                written.update(zip(map(id, group), _insert_arrow_group(con, group, loaded_at), strict=True))
        counts = [written[id(i)] for i in items]
        _insert_manifest(
            con, [_manifest_params(i.file, i.parsed, n, loaded_at) for i, n in zip(items, counts, strict=True)]
        )
        _insert_names(con, [i.file for i in items] + list(copies or []), loaded_at)
        _insert_validation_arrow(con, [_validation_params(i.file, v, True, loaded_at) for i in items for v in i.checks])
        pause_point("ingest-land")  # crash tests kill the process here, inside the open transaction
        con.execute("commit")
    except BaseException:
        con.execute("rollback")
        _unregister_all(con)
        raise
    return counts


MANIFEST_SCHEMA = pa.schema(
    [
        ("file_sha256", pa.string()),
        ("source", pa.string()),
        ("kind", pa.string()),
        ("layout", pa.string()),
        ("raw_table", pa.string()),
        ("source_file", pa.string()),
        ("file_name", pa.string()),
        ("file_bytes", pa.int64()),
        ("sheet", pa.string()),
        ("header_row", pa.int32()),
        ("n_rows", pa.int64()),
        ("published_date", pa.date32()),
        ("date_method", pa.string()),
        ("filename_date", pa.date32()),
        ("filename_pattern", pa.string()),
        ("latest_signed_date", pa.date32()),
        ("date_flag", pa.string()),
        ("meta_json", pa.string()),
        ("ingest_version", pa.string()),
        ("loaded_at", pa.timestamp("us", tz="UTC")),
    ]
)


def _insert_manifest(con: duckdb.DuckDBPyConnection, rows: list[list[Any]]) -> None:
    """Manifest rows in one INSERT: as Arrow with the table's types, or (a value of another Python
    type, which DuckDB casts as it casts a parameter) as one VALUES list."""
    try:
        columns = list(zip(*rows, strict=True))
        table = pa.table(
            [pa.array(c, f.type) for c, f in zip(columns, MANIFEST_SCHEMA, strict=True)], schema=MANIFEST_SCHEMA
        )
    except (pa.ArrowException, TypeError, ValueError, OverflowError):
        con.execute(MANIFEST_INSERT + ", ".join([_MANIFEST_ROW] * len(rows)), [v for row in rows for v in row])
        return
    con.register("_incoming_manifest", table)
    try:
        names = ", ".join(MANIFEST_SCHEMA.names)
        con.execute(f"insert into raw.load_manifest ({names}) select {names} from _incoming_manifest")
    finally:
        _unregister(con, "_incoming_manifest")


def _arrow_group_key(parsed: Parsed) -> tuple[str, tuple[str, ...]] | None:
    """(raw table, columns) of a frame that goes in as Arrow; None for a file landed by its own INSERT."""
    if parsed.relation_sql is not None or not parsed.has_rows or not isinstance(_arrow_of(parsed), pa.Table):
        return None
    return parsed.table, tuple(parsed.columns)


def _insert_groups(items: list[Landable]) -> list[list[Landable]]:
    """The batch's files as INSERT groups, each file once: per raw table, consecutive files with the same
    Arrow key together, others alone; a table's rows land in file order (tables take turns in a
    folder of participating and pending sheets, so grouping only neighbours would split them)."""
    by_table: dict[str, list[list[Landable]]] = {}
    last: dict[str, tuple[str, tuple[str, ...]] | None] = {}
    for item in items:
        table = item.parsed.table
        key = _arrow_group_key(item.parsed)
        groups = by_table.setdefault(table, [])
        if key is not None and groups and last.get(table) == key:
            groups[-1].append(item)
        else:
            groups.append([item])
        last[table] = key
    return [g for groups in by_table.values() for g in groups]


def _insert_arrow_group(con: duckdb.DuckDBPyConnection, group: list[Landable], loaded_at: dt.datetime) -> list[int]:
    """One INSERT of several files' Arrow rows into their raw table, lineage columns added per file."""
    parsed = group[0].parsed
    per_row_sheet = "_sheet" in parsed.columns
    data_cols = [c for c in parsed.columns if c not in ("_row_number", "_sheet")]
    tables = []
    for item in group:
        rows: pa.Table = _arrow_of(item.parsed)
        n = rows.num_rows
        rows = rows.append_column("_file_sha256", _repeated(item.file.sha256, n))
        rows = rows.append_column("_source_file", _repeated(item.file.rel_path, n))
        if not per_row_sheet:
            rows = rows.append_column("_sheet", _repeated(item.parsed.sheet, n))
        tables.append(rows)
    # types unify only where a file's column is all null (Arrow's null type); anything else raises,
    # and the caller lands the files one by one
    batch = pa.concat_tables(tables, promote_options="default")
    cols = ["_file_sha256", "_source_file", "_loaded_at", "_sheet", "_row_number", *data_cols]
    select = ", ".join("?" if c == "_loaded_at" else quote_ident(c) for c in cols)
    con.register("_incoming_batch", batch)
    try:
        written = con.execute(
            f"insert into raw.{parsed.table} ({', '.join(quote_ident(c) for c in cols)}) "
            f"select {select} from _incoming_batch",
            [loaded_at],
        ).fetchone()[0]
    finally:
        _unregister(con, "_incoming_batch")
    counts = [t.num_rows for t in tables]
    if int(written) != sum(counts):  # pragma: no cover - DuckDB wrote other rows than it was given
        raise IngestError(f"wrote {written} rows of {sum(counts)}", file=group[0].file.rel_path)
    return counts


def _repeated(value: str | None, n: int) -> pa.StringArray:
    """``pa.array([value] * n, pa.string())`` made in C++ from one scalar (no list of n values to convert)."""
    return pa.repeat(pa.scalar(value, pa.string()), n)


def _arrow_of(parsed: Parsed) -> pa.Table | pd.DataFrame:
    """The rows of a parsed frame as Arrow: the source's own Arrow table when it made one."""
    if parsed.arrow is None:
        rows = _as_arrow(parsed.frame)
        if not isinstance(rows, pa.Table):
            return rows  # mixed Python types: DuckDB reads the frame value by value
        parsed.arrow = rows
    return parsed.arrow


_REGISTERED = ("_incoming", "_incoming_batch", "_incoming_names", "_incoming_checks", "_incoming_manifest")


def _unregister(con: duckdb.DuckDBPyConnection, name: str) -> None:
    """Drop a registered view; inside a transaction DuckDB has aborted this fails, and must not hide
    the error that aborted it (the view is dropped after the rollback, ``_unregister_all``)."""
    with contextlib.suppress(duckdb.Error):
        con.unregister(name)


def _unregister_all(con: duckdb.DuckDBPyConnection) -> None:
    for name in _REGISTERED:
        _unregister(con, name)


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


VALIDATION_SCHEMA = pa.schema(
    [
        ("file_sha256", pa.string()),
        ("source_file", pa.string()),
        ("suite", pa.string()),
        ("expectation", pa.string()),
        ("column_name", pa.string()),
        ("observed", pa.string()),
        ("success", pa.bool_()),
        ("landed", pa.bool_()),
        ("validated_at", pa.timestamp("us", tz="UTC")),
        ("severity", pa.string()),
        ("examples", pa.string()),
    ]
)


def _insert_validation_arrow(con: duckdb.DuckDBPyConnection, params: list[list[Any]]) -> None:
    """``_insert_validation`` for many rows: one Arrow INSERT (a long VALUES list costs DuckDB per value)."""
    if not params:
        return
    columns = list(zip(*params, strict=True))
    rows = pa.table(
        [pa.array(col, f.type) for col, f in zip(columns, VALIDATION_SCHEMA, strict=True)], schema=VALIDATION_SCHEMA
    )
    con.register("_incoming_checks", rows)
    try:
        names = ", ".join(VALIDATION_SCHEMA.names)
        con.execute(f"insert into raw.validation_results ({names}) select {names} from _incoming_checks")
    finally:
        _unregister(con, "_incoming_checks")


def record_validation(con: duckdb.DuckDBPyConnection, file: FileInfo, rows: list[CheckResult]) -> None:
    """Store the results of a validation that refused a file (nothing else from it lands)."""
    now = dt.datetime.now(dt.UTC)
    _insert_validation(con, [_validation_params(file, v, False, now) for v in rows])


def table_counts(con: duckdb.DuckDBPyConnection, sources: list[Source]) -> dict[str, int]:
    """Rows per raw table (one query for all of them: a statement per table cost 3-4 ms a run more)."""
    names = [f"raw.{table}" for source in sources for table in source.tables]
    if not names:
        return {}
    counted = dict(
        con.execute(
            " union all ".join(f"select {k} as k, count(*) from {name}" for k, name in enumerate(names))
        ).fetchall()
    )
    return {name: counted[k] for k, name in enumerate(names)}
