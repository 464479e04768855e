"""Run the registered suites with Great Expectations on a parsed file's pandas DataFrame.

One ephemeral GX context per process (no files written, progress bars and analytics off), one
pandas data source and whole-dataframe batch definition reused for every file, and each suite built
once. GX's SQL data source does not work on DuckDB, so files that give ``relation_sql`` instead of a
frame are read into pandas by an in-memory DuckDB first.
"""

from __future__ import annotations

import os
from collections import Counter
from dataclasses import dataclass, replace
from functools import cache
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from ingest.errors import reader_error
from ingest.sources.base import FileInfo, Parsed
from ingest.validation.registry import Expect, SuiteSpec
from ingest.validation.results import CheckResult

MAX_EXAMPLES = 5
DERIVED_SUFFIXES = ("__clean", "__ts")


@dataclass
class _Runtime:
    context: Any
    batch_definition: Any
    suites: dict[str, Any]


@cache
def _runtime() -> _Runtime:
    """The GX context, created on first use (importing GX costs about a second)."""
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "False")
    import great_expectations as gx
    from great_expectations.data_context.types.base import ProgressBarsConfig

    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    source = context.data_sources.add_pandas("ingest")
    asset = source.add_dataframe_asset("parsed_frame")
    batch_definition = asset.add_batch_definition_whole_dataframe("whole_frame")
    return _Runtime(context, batch_definition, {})


def max_relation_rows() -> int:
    """Rows of a DuckDB-read file that GX validates (``ICE287G_VALIDATE_MAX_ROWS``, default 200,000).

    GX runs on pandas; a multi-million-row release read by DuckDB is validated on its first rows,
    while the read itself (which DuckDB does over every row when landing) still refuses malformed lines.
    """
    return int(os.environ.get("ICE287G_VALIDATE_MAX_ROWS", "200000"))


# A file's rows as the gate takes them: a pandas frame, or the Arrow table its frame is made from.
Rows = pd.DataFrame | pa.Table


def frame_of(file: FileInfo, parsed: Parsed) -> Rows:
    """The rows to validate: the DuckDB relation (its first rows) read into pandas, or the parsed frame
    (as the Arrow rows it is made from while it has not been made: ``run_suite`` stacks those in Arrow).

    A reader error (a malformed line) becomes an IngestError naming the file and line.
    """
    if parsed.relation_sql is not None:
        import duckdb

        con = duckdb.connect()
        try:
            if parsed.frame is not None:
                con.register("_incoming", parsed.frame)  # a SELECT may read the parsed frame
            return con.execute(f"select * from ({parsed.relation_sql}) limit {max_relation_rows()}").df()
        except duckdb.Error as exc:
            raise reader_error(exc, file=file.rel_path, layout=parsed.layout) from exc
        finally:
            con.close()
    unbuilt = parsed.unbuilt_frame()
    if unbuilt is not None:
        return unbuilt
    if parsed.frame is not None:
        return parsed.frame
    return pd.DataFrame()


def _n_rows(rows: Rows) -> int:
    return rows.num_rows if isinstance(rows, pa.Table) else len(rows)


def _names(rows: Rows) -> list[str]:
    """Column names as text (an Arrow table's are; a frame's are made so)."""
    return list(rows.column_names) if isinstance(rows, pa.Table) else list(map(str, rows.columns))


def _head0(rows: Rows) -> pd.DataFrame:
    """No rows, the columns (and dtypes) of the file's frame."""
    return rows.slice(0, 0).to_pandas() if isinstance(rows, pa.Table) else rows.head(0)


def real_column(column: str | None) -> str | None:
    """``support_type__clean`` -> ``support_type`` (derived validation columns name their source)."""
    if column is None:
        return None
    for suffix in DERIVED_SUFFIXES:
        if column.endswith(suffix):
            return column[: -len(suffix)]
    return column


def _fmt(value: Any) -> str:
    if isinstance(value, pd.Timestamp):
        return value.date().isoformat()
    return repr(value)


# Lineage a source may carry per row (a workbook read from several sheets); not a data column.
ROW_LINEAGE = {"_sheet"}
FILE_KEY = "_file_key"


def _file_profile(frames: list[Rows]) -> pd.DataFrame:
    """One row per file: what file-level expectations check (row count, column signature)."""
    return pd.DataFrame(
        {
            FILE_KEY: range(len(frames)),
            "_n_rows": [_n_rows(f) for f in frames],
            "_columns": ["|".join(sorted(c for c in _names(f) if c not in ROW_LINEAGE)) for f in frames],
        }
    )


@dataclass
class _Outcome:
    """One expectation over a stacked batch: unexpected (index, value) pairs per file key, or an error."""

    by_file: dict[int, list[tuple[dict[str, Any], Any]]]
    error: str | None = None


def engine() -> str:
    """``native`` (default: vectorised checks, GX only for expectation types they do not cover) or ``gx``.

    ``ICE287G_VALIDATE_ENGINE=gx`` runs every expectation with Great Expectations (the reference the
    native checks are tested against, ``tests/python/test_validation_engines.py``).
    """
    return os.environ.get("ICE287G_VALIDATE_ENGINE", "native")


def _validate(
    runtime: _Runtime,
    name: str,
    expectations: list[tuple[int, Expect]],
    data: pd.DataFrame,
    index_columns: list[str],
) -> dict[int, _Outcome]:
    """One GX validation of ``data``; outcome per expectation index."""
    import great_expectations as gx
    import great_expectations.expectations as gxe

    if name not in runtime.suites:
        suite = gx.ExpectationSuite(name=name)
        for i, exp in expectations:
            suite.add_expectation(getattr(gxe, exp.type)(**exp.kwargs, meta={"index": i}))
        runtime.suites[name] = runtime.context.suites.add(suite)
    batch = runtime.batch_definition.get_batch(batch_parameters={"dataframe": data})
    outcome = batch.validate(
        runtime.suites[name],
        result_format={"result_format": "COMPLETE", "unexpected_index_column_names": index_columns},
    )
    out: dict[int, _Outcome] = {}
    for r in outcome.results:
        exc_info = r.exception_info or {}
        i = int((r.expectation_config.meta or {}).get("index", -1))
        if exc_info.get("raised_exception"):
            message = str(exc_info.get("exception_message") or "not evaluated").splitlines()[0]
            out[i] = _Outcome({}, message)
            continue
        result = r.result or {}
        by_file: dict[int, list[tuple[dict[str, Any], Any]]] = {}
        values = result.get("unexpected_list") or []
        index = result.get("unexpected_index_list") or []
        for ix, v in zip(index, values, strict=False):
            if isinstance(ix, dict):
                by_file.setdefault(int(ix.get(FILE_KEY, -1)), []).append((ix, v))
        out[i] = _Outcome(by_file)
    return out


# Expectation types the native checks evaluate exactly as GX does (pandas engine, COMPLETE results),
# with the keyword arguments they understand; any other type or argument goes to GX.
_NATIVE_KWARGS = {
    "ExpectColumnValuesToNotBeNull": {"column", "mostly"},
    "ExpectColumnValuesToBeNull": {"column", "mostly"},
    "ExpectColumnValuesToBeInSet": {"column", "value_set", "mostly"},
    "ExpectColumnValuesToBeBetween": {"column", "min_value", "max_value", "mostly"},
}


def _native_supports(exp: Expect, data: pd.DataFrame) -> bool:
    allowed = _NATIVE_KWARGS.get(exp.type)
    if allowed is None or not set(exp.kwargs) <= allowed or exp.column not in data.columns:
        return False
    if exp.type == "ExpectColumnValuesToBeBetween":
        lo, hi = exp.kwargs.get("min_value"), exp.kwargs.get("max_value")
        if (lo is None and hi is None) or (lo is not None and hi is not None and lo > hi):
            return False  # GX refuses these bounds: let GX say so
        dtype = data[exp.column].dtype
        # numbers and dates compare alike in GX and pandas; GX compares other values one by one
        return pd.api.types.is_numeric_dtype(dtype) or pd.api.types.is_datetime64_any_dtype(dtype)
    return exp.type != "ExpectColumnValuesToBeInSet" or exp.kwargs.get("value_set") is not None


def _unexpected_mask(exp: Expect, column: pd.Series) -> np.ndarray:
    """Rows GX reports as unexpected for one expectation (nulls are ignored except by the null checks)."""
    null = column.isna().to_numpy()
    if exp.type == "ExpectColumnValuesToNotBeNull":
        return null
    if exp.type == "ExpectColumnValuesToBeNull":
        return ~null
    if exp.type == "ExpectColumnValuesToBeInSet":
        return ~null & ~column.isin(exp.kwargs["value_set"]).to_numpy()
    lo, hi = exp.kwargs.get("min_value"), exp.kwargs.get("max_value")
    values = column[~null]
    ok = np.ones(len(values), dtype=bool)
    if lo is not None:
        ok &= (values >= lo).to_numpy()
    if hi is not None:
        ok &= (values <= hi).to_numpy()
    mask = np.zeros(len(column), dtype=bool)
    mask[np.flatnonzero(~null)[~ok]] = True
    return mask


def _validate_native(
    expectations: list[tuple[int, Expect]], data: pd.DataFrame, index_columns: list[str]
) -> dict[int, _Outcome] | None:
    """The same outcomes as ``_validate`` computed with vectorised pandas; None when GX must run instead."""
    if not all(_native_supports(exp, data) for _, exp in expectations):
        return None
    out: dict[int, _Outcome] = {}
    try:
        masks = {i: _unexpected_mask(exp, data[exp.column]) for i, exp in expectations}
    except (TypeError, ValueError):  # values GX would refuse to compare: let GX report it
        return None
    keys = data[FILE_KEY].to_numpy()
    index_values = {c: data[c].to_numpy() for c in index_columns}
    for i, exp in expectations:
        positions = np.flatnonzero(masks[i])
        values = list(data[exp.column].iloc[positions])
        by_file: dict[int, list[tuple[dict[str, Any], Any]]] = {}
        for pos, value in zip(positions.tolist(), values, strict=True):
            ix = {c: index_values[c][pos] for c in index_columns}
            by_file.setdefault(int(keys[pos]), []).append((ix, value))
        out[i] = _Outcome(by_file)
    return out


def _run(
    name: str, expectations: list[tuple[int, Expect]], data: pd.DataFrame, index_columns: list[str]
) -> dict[int, _Outcome]:
    """Native checks where they cover every expectation of the level, else one GX run."""
    if engine() != "gx":
        native = _validate_native(expectations, data, index_columns)
        if native is not None:
            return native
    return _validate(_runtime(), name, expectations, data, index_columns)


def _stack(frames: list[Rows]) -> pd.DataFrame:
    """The files' frames one below the other, each row tagged with its file's key.

    Consecutive Arrow tables of one schema (``_stackable``) are tagged and joined in Arrow and made
    into one frame (one ``to_pandas`` for many files instead of one per file, and a short concat);
    the result is the frame that stacking each file's own frame gives (``test_stacked_arrow_rows_*``).
    """
    if not frames:
        return pd.DataFrame()
    parts: list[pd.DataFrame] = []
    run: list[tuple[int, pa.Table]] = []
    for k, f in enumerate(frames):
        if isinstance(f, pa.Table) and _stackable(f) and (not run or f.schema.equals(run[0][1].schema)):
            run.append((k, f))
            continue
        if run:
            parts.append(_stack_arrow(run))
        run = [(k, f)] if isinstance(f, pa.Table) and _stackable(f) else []
        if not run:
            frame = f.to_pandas() if isinstance(f, pa.Table) else f
            parts.append(frame.assign(**{FILE_KEY: k}))
    if run:
        parts.append(_stack_arrow(run))
    return pd.concat(parts, ignore_index=True)


def _stackable(table: pa.Table) -> bool:
    """Rows whose frame, stacked in Arrow with others of the same schema, is the frame pandas stacks:
    text, dates and all-empty columns (their pandas dtype does not depend on the rows), and integers
    without a missing value (a missing one makes that file's column float)."""
    if table.num_rows == 0:
        return False
    for field, column in zip(table.schema, table.columns, strict=True):
        t = field.type
        if t == pa.int64():
            if column.null_count:
                return False
        elif not (t == pa.string() or t == pa.date32() or t == pa.null()):
            return False
    return True


def _stack_arrow(run: list[tuple[int, pa.Table]]) -> pd.DataFrame:
    tagged = [t.append_column(FILE_KEY, pa.array(np.full(t.num_rows, k, dtype=np.int64))) for k, t in run]
    return pa.concat_tables(tagged).to_pandas()


class _NotInArrow(Exception):
    """The Arrow path does not cover these rows or expectations: the pandas path runs instead."""


def _run_arrow(
    spec: SuiteSpec, expectations: list[tuple[int, Expect]], frames: list[Rows]
) -> tuple[dict[int, _Outcome], dict[str, np.ndarray], set[str]] | None:
    """``run_suite``'s row level computed on the files' Arrow tables (no pandas frame is made).

    Taken when every file is an Arrow table of one schema of text, date, integer and all-empty
    columns, the suite's preparation has an Arrow form (``SuiteSpec.prepare_arrow``) and every row
    expectation is one the native checks cover. It gives what the pandas path gives for such rows:
    the same unexpected rows and values (``_run``), the non-null counts per file and the prepared
    columns (``test_arrow_rows_validate_as_their_frames``); anything else returns None.
    """
    # the rows whose frame does not depend on how they are stacked (an integer column with a missing
    # value is float in pandas), all of one schema
    if not frames or any(not isinstance(f, pa.Table) or not _stackable(f) for f in frames):
        return None
    if spec.prepare is not None and spec.prepare_arrow is None:
        return None
    schema = frames[0].schema
    if any(not f.schema.equals(schema) for f in frames[1:]) or FILE_KEY in schema.names:
        return None
    try:
        stacked = pa.concat_tables(frames)
        keys = np.repeat(np.arange(len(frames), dtype=np.int64), [f.num_rows for f in frames])
        prepared = spec.prepare_arrow(stacked) if spec.prepare_arrow is not None else stacked
        outcomes = _validate_arrow(expectations, prepared, keys)
    except (_NotInArrow, TypeError, ValueError, pa.ArrowException):  # the pandas path decides
        return None
    non_null: dict[str, np.ndarray] = {}
    for _, exp in expectations:
        if exp.column not in non_null:
            present = prepared.column(exp.column).is_valid().to_numpy(zero_copy_only=False)
            non_null[exp.column] = np.bincount(keys[present], minlength=len(frames))
    return outcomes, non_null, {*prepared.column_names, FILE_KEY}


def _file_profile_arrow(expectations: list[tuple[int, Expect]], frames: list[Rows]) -> dict[int, _Outcome] | None:
    """The file-level outcomes ``_run`` gives on ``_file_profile``, from the same profile as Arrow."""
    profile = pa.table(
        {
            "_n_rows": pa.array([_n_rows(f) for f in frames], pa.int64()),
            "_columns": pa.array(
                ["|".join(sorted(c for c in _names(f) if c not in ROW_LINEAGE)) for f in frames], pa.string()
            ),
        }
    )
    try:
        return _validate_arrow(expectations, profile, np.arange(len(frames), dtype=np.int64))
    except (_NotInArrow, TypeError, ValueError, pa.ArrowException):
        return None


def _arrow_mask(exp: Expect, column: pa.ChunkedArray) -> pa.ChunkedArray:
    """``_unexpected_mask`` of an Arrow column (raises _NotInArrow where it would differ)."""
    valid = column.is_valid()
    if exp.type == "ExpectColumnValuesToNotBeNull":
        return pc.invert(valid)
    if exp.type == "ExpectColumnValuesToBeNull":
        return valid
    if column.type == pa.null():
        return pa.chunked_array([pa.array(np.zeros(len(column), dtype=bool))])
    if exp.type == "ExpectColumnValuesToBeInSet":
        if column.type != pa.string() or not all(isinstance(v, str) for v in exp.kwargs["value_set"]):
            raise _NotInArrow
        found = pc.is_in(column, value_set=pa.array(list(exp.kwargs["value_set"]), pa.string()))
        return pc.and_(valid, pc.invert(found.fill_null(False)))
    lo, hi = exp.kwargs.get("min_value"), exp.kwargs.get("max_value")
    ok = None
    for bound, compare in ((lo, pc.greater_equal), (hi, pc.less_equal)):
        if bound is None:
            continue
        if column.type == pa.int64() and type(bound) in (int, float):
            scalar = pa.scalar(bound)
        elif pa.types.is_timestamp(column.type) and isinstance(bound, pd.Timestamp) and bound.tz is None:
            if bound.nanosecond:
                raise _NotInArrow
            scalar = pa.scalar(bound.to_pydatetime(), pa.timestamp("us"))
        else:
            raise _NotInArrow
        this = compare(column, scalar)
        ok = this if ok is None else pc.and_(ok, this)
    return pc.and_(valid, pc.invert(ok.fill_null(True)))


def _validate_arrow(expectations: list[tuple[int, Expect]], data: pa.Table, keys: np.ndarray) -> dict[int, _Outcome]:
    """``_validate_native`` over an Arrow table (index columns: the file key and ``_row_number``)."""
    names = set(data.column_names)
    for _, exp in expectations:
        allowed = _NATIVE_KWARGS.get(exp.type)
        if allowed is None or not set(exp.kwargs) <= allowed or exp.column not in names:
            raise _NotInArrow
        if exp.type == "ExpectColumnValuesToBeBetween":
            lo, hi = exp.kwargs.get("min_value"), exp.kwargs.get("max_value")
            if (lo is None and hi is None) or (lo is not None and hi is not None and lo > hi):
                raise _NotInArrow
            if not (
                data.schema.field(exp.column).type == pa.int64()
                or pa.types.is_timestamp(data.schema.field(exp.column).type)
            ):
                raise _NotInArrow
        if exp.type == "ExpectColumnValuesToBeInSet" and exp.kwargs.get("value_set") is None:
            raise _NotInArrow
    masks = {i: _arrow_mask(exp, data.column(exp.column)) for i, exp in expectations}
    row_numbers = data.column("_row_number").to_numpy() if "_row_number" in names else None
    out: dict[int, _Outcome] = {}
    for i, exp in expectations:
        positions = np.flatnonzero(masks[i].to_numpy(zero_copy_only=False))
        column = data.column(exp.column)
        values = column.take(positions).to_pylist() if len(positions) else []
        if pa.types.is_timestamp(column.type):
            values = [pd.Timestamp(v) for v in values]  # what a datetime64 column of pandas holds
        by_file: dict[int, list[tuple[dict[str, Any], Any]]] = {}
        for pos, value in zip(positions.tolist(), values, strict=True):
            ix: dict[str, Any] = {FILE_KEY: keys[pos]}
            if row_numbers is not None:
                ix["_row_number"] = row_numbers[pos]
            by_file.setdefault(int(keys[pos]), []).append((ix, value))
        out[i] = _Outcome(by_file)
    return out


def run_suite(spec: SuiteSpec, frames: list[Rows]) -> list[list[CheckResult]]:
    """Validate several files' frames against one suite with one run per level (row, file).

    The frames are stacked with a file key and prepared once, so the per-expectation cost is paid
    once per suite, not once per file; unexpected rows are attributed back to their file by that key.
    Returns, per frame, one result dict per expectation in the suite's order.
    """
    row_exps = [(i, e) for i, e in enumerate(spec.expectations) if e.level == "row"]
    file_exps = [(i, e) for i, e in enumerate(spec.expectations) if e.level == "file"]
    results: dict[int, _Outcome] = {}
    n_rows = [_n_rows(f) for f in frames]
    non_null: dict[str, np.ndarray] = {}
    columns_of: list[set[str]] = [set() for _ in frames]
    arrow_rows = _run_arrow(spec, row_exps, frames) if row_exps and engine() != "gx" else None
    if arrow_rows is not None:  # the same outcomes, counts and columns as below, computed in Arrow
        outcomes, non_null, prepared_columns = arrow_rows
        results.update(outcomes)
        columns_of = [prepared_columns for _ in frames]
    elif row_exps:
        stacked = _stack(frames)
        prepared = spec.prepare(stacked) if spec.prepare else stacked
        index_cols = [FILE_KEY] + (["_row_number"] if "_row_number" in prepared.columns else [])
        results.update(_run(spec.name, row_exps, prepared, index_cols))
        keys = prepared[FILE_KEY].to_numpy(dtype=np.int64) if len(prepared) else np.zeros(0, dtype=np.int64)
        for _, exp in row_exps:
            if exp.column in prepared.columns and exp.column not in non_null:
                present = prepared[exp.column].notna().to_numpy()
                non_null[exp.column] = np.bincount(keys[present], minlength=len(frames))
        # the columns each file's own prepared frame would have (files of one suite usually agree)
        signatures = {tuple(f.column_names) if isinstance(f, pa.Table) else tuple(f.columns) for f in frames}
        if len(signatures) == 1:
            columns_of = [set(map(str, prepared.columns)) for _ in frames]
        else:
            columns_of = [
                set(map(str, (spec.prepare(_head0(f)) if spec.prepare else _head0(f)).columns)) for f in frames
            ]
    if file_exps:
        profile = _file_profile_arrow(file_exps, frames) if engine() != "gx" else None
        if profile is None:
            profile = _run(f"{spec.name}#files", file_exps, _file_profile(frames), [FILE_KEY])
        results.update(profile)
    out: list[list[CheckResult]] = []
    for k, frame in enumerate(frames):
        rows = []
        for i, exp in enumerate(spec.expectations):
            r = results.get(i)
            if r is None or r.error is not None:
                message = r.error if r is not None else "not evaluated"
                rows.append(_row(spec, exp, False, f"error: {message}"[:500]))
                continue
            mine = r.by_file.get(k, [])
            if exp.level == "file":
                rows.append(_file_level_result(spec, exp, mine, frame))
                continue
            n_all = n_rows[k]
            if exp.column in columns_of[k] and exp.column in non_null:
                denominator = int(non_null[exp.column][k])
            else:
                denominator = n_all
            rows.append(_row_level_result(spec, exp, mine, n_all, denominator))
        out.append(rows)
    return out


def _file_level_result(
    spec: SuiteSpec, exp: Expect, mine: list[tuple[dict[str, Any], Any]], original: Rows
) -> CheckResult:
    """A file-level expectation's result for one file, as a stored result row."""
    success = not mine
    if exp.kwargs.get("column") == "_columns":
        expected = set(exp.kwargs["value_set"][0].split("|"))
        actual = set(_names(original)) - ROW_LINEAGE
        parts = []
        if expected - actual:
            parts.append(f"missing {sorted(expected - actual)}")
        if actual - expected:
            parts.append(f"unexpected {sorted(actual - expected)}")
        observed = "; ".join(parts) or f"{len(actual)} columns as declared"
    else:
        observed = f"{_n_rows(original)} data rows"
    return _row(spec, exp, success, observed)


def _row_level_result(
    spec: SuiteSpec,
    exp: Expect,
    mine: list[tuple[dict[str, Any], Any]],
    n_all: int,
    denominator: int,
) -> CheckResult:
    """The part of a stacked result that concerns one file, as a stored result row.

    ``denominator``: the file's non-null values of the column (all its rows for the null checks).
    """
    column = real_column(exp.column)
    n_bad = len(mine)
    rows = [i.get("_row_number") for i, _ in mine]
    if exp.type == "ExpectColumnValuesToNotBeNull":
        observed = f"{n_all - n_bad} of {n_all} rows present ({(n_all - n_bad) / n_all:.1%})" if n_all else "0 rows"
        examples = [f"row {r}: {column} is empty" for r in rows[:MAX_EXAMPLES]]
        denominator = n_all
    else:
        counts = Counter(_fmt(v) for _, v in mine)
        top = ", ".join(f"{v} x{n}" for v, n in counts.most_common(8))
        observed = f"{n_bad} of {n_all} rows outside" + (f": {top}" if top else "")
        examples = [
            f"row {r}: {column} = {_fmt(v)}" for r, (_, v) in list(zip(rows, mine, strict=False))[:MAX_EXAMPLES]
        ]
        if exp.type == "ExpectColumnValuesToBeNull":
            denominator = n_all
    mostly = float(exp.kwargs.get("mostly", 1.0))
    success = n_bad == 0 or (denominator > 0 and (1 - n_bad / denominator) >= mostly)
    first_row = next((int(r) for r in rows if r is not None), None)
    return replace(_row(spec, exp, success, observed), examples=examples, row=first_row)


def _row(spec: SuiteSpec, exp: Expect, success: bool, observed: str) -> CheckResult:
    return CheckResult(
        suite=spec.name,
        expectation=exp.name,
        success=success,
        severity=exp.severity,
        observed=observed,
        column=real_column(exp.column) if exp.level == "row" else None,
        gx_type=exp.type,
    )
