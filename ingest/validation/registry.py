"""Declarative expectation suites, one per raw table and layout, registered by each source.

A source registers its suites in a module ``ingest/validation/suites/<source>.py`` that defines
``suites() -> list[SuiteSpec]``; modules there are discovered on first use (nothing to edit in a
shared file). Specs are plain data — GX is imported only when a file is validated (see ``gate``).

Every raw table also gets a generic suite (``<table>.generic``) derived from ``Source.tables``:
the parsed frame has exactly the raw table's columns and at least one data row. So a new source is
gated from the day it is registered, and its own suites add the domain rules.

Severity: ``error`` expectations guard landing (a failure quarantines the file); ``warn``
expectations never block — they *count* something worth seeing (typo variants, repaired dates),
and their observed value is stored in ``raw.validation_results`` and shown in the build summary.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import pandas as pd
import pyarrow as pa

from ingest.sources.base import Parsed, Source
from ingest.validation.results import Severity


@dataclass(frozen=True)
class Expect:
    """One GX expectation: its class name (``great_expectations.expectations``), kwargs, severity."""

    type: str
    kwargs: dict[str, Any] = field(default_factory=dict)
    severity: Severity = "error"  # error (guards landing) | warn (counted, never blocks)
    label: str | None = None  # short human name shown in the summary; defaults to the GX type
    level: str = "row"  # row: on the file's rows | file: on a one-row-per-file profile (_n_rows, _columns)

    @property
    def name(self) -> str:
        return self.label or self.type

    @property
    def column(self) -> str | None:
        return self.kwargs.get("column")


# A function that adds derived columns (never landed) to a copy of the frame before validation,
# e.g. a whitespace-normalised value to check against a vocabulary.
Prepare = Callable[[pd.DataFrame], pd.DataFrame]
# The same preparation of the rows as an Arrow table (the gate's Arrow path, ``gate._run_arrow``): the
# columns ``prepare`` adds, with the values it gives them, as Arrow columns.
PrepareArrow = Callable[[pa.Table], pa.Table]


@dataclass(frozen=True)
class SuiteSpec:
    """Expectations for one raw table, for some layouts (``layouts=None``: every layout)."""

    name: str
    source: str
    table: str
    expectations: tuple[Expect, ...]
    layouts: tuple[str, ...] | None = None
    prepare: Prepare | None = None
    prepare_arrow: PrepareArrow | None = None

    def applies_to(self, parsed: Parsed) -> bool:
        return (
            parsed.source == self.source
            and parsed.table == self.table
            and (self.layouts is None or parsed.layout in self.layouts)
        )


# --- constructors: the vocabulary of our suites, so source modules stay short ------------------


def columns_match(columns: Iterable[str]) -> Expect:
    """The file's frame has exactly these columns (any order): required present, no unknown extras.

    Checked on the file profile (one row per file, ``_columns`` = its sorted column names), so files
    validated together are told apart.
    """
    signature = "|".join(sorted(columns))
    return Expect(
        "ExpectColumnValuesToBeInSet",
        {"column": "_columns", "value_set": [signature]},
        label="required_columns_present",
        level="file",
    )


def min_rows(n: int = 1) -> Expect:
    """At least n data rows in the file."""
    return Expect(
        "ExpectColumnValuesToBeBetween",
        {"column": "_n_rows", "min_value": n},
        label=f"at_least_{n}_data_row",
        level="file",
    )


def not_null(column: str, *, mostly: float = 1.0, severity: Severity = "error", label: str | None = None) -> Expect:
    """Values present (null / empty after trimming counts as missing when prepared so)."""
    kwargs: dict[str, Any] = {"column": column}
    if mostly < 1.0:
        kwargs["mostly"] = mostly
    return Expect("ExpectColumnValuesToNotBeNull", kwargs, severity, label or f"{column}_not_null")


def all_null(column: str, *, label: str | None = None) -> Expect:
    """A column the layout does not have stays empty."""
    return Expect("ExpectColumnValuesToBeNull", {"column": column}, "error", label or f"{column}_absent_in_layout")


def in_set(
    column: str,
    values: Iterable[str],
    *,
    severity: Severity = "error",
    label: str | None = None,
    mostly: float = 1.0,
) -> Expect:
    """Values (nulls ignored) within a vocabulary."""
    kwargs: dict[str, Any] = {"column": column, "value_set": sorted(set(values))}
    if mostly < 1.0:
        kwargs["mostly"] = mostly
    return Expect("ExpectColumnValuesToBeInSet", kwargs, severity, label or f"{column}_in_vocabulary")


def between(
    column: str,
    min_value: Any = None,
    max_value: Any = None,
    *,
    severity: Severity = "error",
    label: str | None = None,
) -> Expect:
    """Values (nulls ignored) within bounds (numbers, or pandas Timestamps for dates)."""
    kwargs = {"column": column, "min_value": min_value, "max_value": max_value}
    return Expect("ExpectColumnValuesToBeBetween", kwargs, severity, label or f"{column}_within_bounds")


# --- the registry ------------------------------------------------------------------------------


def generic_suite(source: Source, table: str) -> SuiteSpec:
    """Columns exactly as the raw table declares them, and at least one data row."""
    columns = ["_row_number", *(c for c, _ in source.tables[table])]
    return SuiteSpec(f"{table}.generic", source.name, table, (columns_match(columns), min_rows(1)))


@cache
def registered_suites() -> tuple[SuiteSpec, ...]:
    """Every suite declared under ``ingest/validation/suites/`` (discovered once per process)."""
    from ingest.validation import suites as package

    found: list[SuiteSpec] = []
    for info in sorted(pkgutil.iter_modules(package.__path__), key=lambda m: m.name):
        module = importlib.import_module(f"{package.__name__}.{info.name}")
        make = getattr(module, "suites", None)
        if make is None:
            continue
        found.extend(make())
    names = [s.name for s in found]
    duplicates = sorted({n for n in names if names.count(n) > 1})
    if duplicates:
        raise ValueError(f"expectation suites registered twice: {duplicates}")
    for spec in found:  # results are keyed by (file, suite, expectation name)
        labels = [e.name for e in spec.expectations]
        if len(labels) != len(set(labels)):
            raise ValueError(f"suite {spec.name} names an expectation twice: {labels}")
    return tuple(found)


def suites_for(parsed: Parsed, source: Source | None) -> list[SuiteSpec]:
    """The suites that gate a parsed file: the generic one of its raw table, then the source's own."""
    specs: list[SuiteSpec] = []
    if source is not None and parsed.table in source.tables:
        specs.append(generic_suite(source, parsed.table))
    specs.extend(s for s in registered_suites() if s.applies_to(parsed))
    return specs
