"""Validation gate run on each parsed file before it lands (see ``validate``).

Suites are declared per raw table and layout (``registry``; one module per source under
``suites/``) and run with Great Expectations on the file's pandas DataFrame (``gate``).
"""

from __future__ import annotations

from typing import Any

from ingest.errors import IngestError
from ingest.sources.base import FileInfo, Parsed, Source
from ingest.validation.results import CheckResult, CheckStatus, Severity

__all__ = ["CheckResult", "CheckStatus", "Severity", "ValidationFailed", "failure_of", "validate", "validate_many"]


class ValidationFailed(IngestError):
    """A file failed its expectation suite; ``results`` holds every expectation's outcome."""

    def __init__(self, message: str, *, results: list[CheckResult], **kwargs: Any) -> None:
        self.results = results
        super().__init__(message, **kwargs)


def _source_of(parsed: Parsed) -> Source | None:
    from ingest.sources import all_sources

    return next((s for s in all_sources() if s.name == parsed.source), None)


def validate_many(items: list[tuple[FileInfo, Parsed, Source | None]]) -> list[list[CheckResult]]:
    """Run each applicable suite once over all the files it gates; one results list per item.

    Files of the same raw table and layout are validated in one GX run (GX's cost is per expectation,
    not per row), and each file gets its own results.
    """
    from ingest.validation.gate import frame_of, run_suite
    from ingest.validation.registry import suites_for

    results: list[list[CheckResult]] = [[] for _ in items]
    groups: dict[str, tuple[Any, list[int]]] = {}
    for k, (_, parsed, source) in enumerate(items):
        for spec in suites_for(parsed, source or _source_of(parsed)):
            groups.setdefault(spec.name, (spec, []))[1].append(k)
    frames: dict[int, Any] = {}
    unreadable: set[int] = set()
    for spec, keys in groups.values():
        for k in keys:
            if k not in frames and k not in unreadable:
                try:
                    frames[k] = frame_of(items[k][0], items[k][1])
                except IngestError as exc:  # the file cannot be read to the end: refuse it, go on
                    unreadable.add(k)
                    results[k].append(_unreadable(spec.name, exc))
        keys = [k for k in keys if k not in unreadable]
        if not keys:
            continue
        for k, rows in zip(keys, run_suite(spec, [frames[k] for k in keys]), strict=True):
            results[k].extend(rows)
    return results


def _unreadable(suite: str, exc: IngestError) -> CheckResult:
    return CheckResult(
        suite=suite,
        expectation="file_readable",
        success=False,
        severity="error",
        observed=exc.reason,
        column=exc.column,
        examples=exc.examples,
        row=exc.row,
    )


def failure_of(file: FileInfo, results: list[CheckResult]) -> ValidationFailed | None:
    """The ValidationFailed to raise for a file whose ``error`` expectations did not all pass, else None."""
    failed = [r for r in results if r.status == "failed"]
    if not failed:
        return None
    first = failed[0]
    names = ", ".join(f"{r.suite}:{r.expectation}" for r in failed)
    return ValidationFailed(
        f"failed {len(failed)} expectation(s) [{names}]; first: {first.expectation}: {first.observed}",
        results=results,
        file=file.rel_path,
        row=first.row,
        column=first.column,
        examples=[e for r in failed for e in r.examples][:10],
    )


def validate(file: FileInfo, parsed: Parsed, source: Source | None = None) -> list[CheckResult]:
    """Run the suites for one parsed file's raw table and layout.

    Returns one CheckResult per expectation; raises ValidationFailed when any ``error`` expectation fails (``warn`` ones
    only count). The message names the file, the first failed expectation, its row and column.
    """
    results = validate_many([(file, parsed, source)])[0]
    failure = failure_of(file, results)
    if failure is not None:
        raise failure
    return results
