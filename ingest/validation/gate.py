"""Run the registered suites with Great Expectations on a parsed file's pandas DataFrame.

One ephemeral GX context per process (no files written, progress bars and analytics off), one
pandas data source and whole-dataframe batch definition reused for every file, and each suite built
once. GX's SQL data source does not work on DuckDB, so files that give ``relation_sql`` instead of a
frame are read into pandas by an in-memory DuckDB first.
"""

from __future__ import annotations

import os
from collections import Counter
from dataclasses import dataclass
from functools import cache
from typing import Any

import pandas as pd

from ingest.sources.base import FileInfo, Parsed
from ingest.validation.registry import Expect, SuiteSpec

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


def frame_of(file: FileInfo, parsed: Parsed) -> pd.DataFrame:
    """The rows to validate: the DuckDB relation (its first rows) read into pandas, or the parsed frame.

    A reader error (a malformed line) becomes an IngestError naming the file and line.
    """
    if parsed.relation_sql is not None:
        import duckdb

        from ingest.landing import _reader_error

        con = duckdb.connect()
        try:
            if parsed.frame is not None:
                con.register("_incoming", parsed.frame)  # a SELECT may read the parsed frame
            return con.execute(f"select * from ({parsed.relation_sql}) limit {max_relation_rows()}").df()
        except duckdb.Error as exc:
            raise _reader_error(file, parsed, exc) from exc
        finally:
            con.close()
    if parsed.frame is not None:
        return parsed.frame
    return pd.DataFrame()


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


def _file_profile(frames: list[pd.DataFrame]) -> pd.DataFrame:
    """One row per file: what file-level expectations check (row count, column signature)."""
    return pd.DataFrame(
        {
            FILE_KEY: range(len(frames)),
            "_n_rows": [len(f) for f in frames],
            "_columns": ["|".join(sorted(c for c in map(str, f.columns) if c not in ROW_LINEAGE)) for f in frames],
        }
    )


def _validate(
    runtime: _Runtime,
    name: str,
    expectations: list[tuple[int, Expect]],
    data: pd.DataFrame,
    index_columns: list[str],
) -> dict[int, Any]:
    """One GX validation of ``data``; GX result per expectation index."""
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
    return {int((r.expectation_config.meta or {}).get("index", -1)): r for r in outcome.results}


def run_suite(spec: SuiteSpec, frames: list[pd.DataFrame]) -> list[list[dict[str, Any]]]:
    """Validate several files' frames against one suite with one GX run per level (row, file).

    The frames are stacked with a file key, so GX's per-expectation overhead is paid once per suite,
    not once per file; unexpected rows are attributed back to their file by that key. Returns, per
    frame, one result dict per expectation in the suite's order.
    """
    runtime = _runtime()
    row_exps = [(i, e) for i, e in enumerate(spec.expectations) if e.level == "row"]
    file_exps = [(i, e) for i, e in enumerate(spec.expectations) if e.level == "file"]
    prepared = [spec.prepare(f) if spec.prepare else f for f in frames]
    results: dict[int, Any] = {}
    if row_exps:
        stacked = (
            pd.concat([f.assign(**{FILE_KEY: k}) for k, f in enumerate(prepared)], ignore_index=True)
            if prepared
            else pd.DataFrame()
        )
        index_cols = [FILE_KEY] + (["_row_number"] if "_row_number" in stacked.columns else [])
        results.update(_validate(runtime, spec.name, row_exps, stacked, index_cols))
    if file_exps:
        results.update(_validate(runtime, f"{spec.name}#files", file_exps, _file_profile(frames), [FILE_KEY]))
    out: list[list[dict[str, Any]]] = []
    for k, frame in enumerate(prepared):
        rows = []
        for i, exp in enumerate(spec.expectations):
            r = results.get(i)
            exc_info = (r.exception_info or {}) if r is not None else {}
            if r is None or exc_info.get("raised_exception"):
                message = str(exc_info.get("exception_message") or "not evaluated").splitlines()[0]
                rows.append(_row(spec, exp, False, f"error: {message}"[:500], [], None))
                continue
            rows.append(_file_result(spec, exp, r.result or {}, k, frame, frames[k]))
        out.append(rows)
    return out


def _file_result(
    spec: SuiteSpec,
    exp: Expect,
    result: dict[str, Any],
    key: int,
    frame: pd.DataFrame,
    original: pd.DataFrame,
) -> dict[str, Any]:
    """The part of a stacked GX result that concerns one file, as a stored result row."""
    values = result.get("unexpected_list") or []
    index = result.get("unexpected_index_list") or []
    mine = [
        (i, v) for i, v in zip(index, values, strict=False) if isinstance(i, dict) and int(i.get(FILE_KEY, -1)) == key
    ]
    column = real_column(exp.column)
    if exp.level == "file":
        success = not mine
        if exp.kwargs.get("column") == "_columns":
            expected = set(exp.kwargs["value_set"][0].split("|"))
            actual = set(map(str, original.columns)) - ROW_LINEAGE
            parts = []
            if expected - actual:
                parts.append(f"missing {sorted(expected - actual)}")
            if actual - expected:
                parts.append(f"unexpected {sorted(actual - expected)}")
            observed = "; ".join(parts) or f"{len(actual)} columns as declared"
        else:
            observed = f"{len(original)} data rows"
        return _row(spec, exp, success, observed, [], None)
    n_all = len(frame)
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
        denominator = int(frame[exp.column].notna().sum()) if exp.column in frame.columns else n_all
        if exp.type == "ExpectColumnValuesToBeNull":
            denominator = n_all
    mostly = float(exp.kwargs.get("mostly", 1.0))
    success = n_bad == 0 or (denominator > 0 and (1 - n_bad / denominator) >= mostly)
    first_row = next((int(r) for r in rows if r is not None), None)
    return _row(spec, exp, success, observed, examples, first_row)


def _row(
    spec: SuiteSpec, exp: Expect, success: bool, observed: str, examples: list[str], first_row: int | None
) -> dict[str, Any]:
    return {
        "suite": spec.name,
        "expectation": exp.name,
        "gx_type": exp.type,
        "column": real_column(exp.column) if exp.level == "row" else None,
        "observed": observed,
        "success": success,
        "severity": exp.severity,
        "examples": examples,
        "row": first_row,
    }
