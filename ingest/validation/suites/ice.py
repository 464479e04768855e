"""Suites for ICE's participating and pending sheets, one per raw table and layout.

ICE's *values* never block landing (README "Three kinds of problem"): a state, support type or
agency type no rule knows, an error cell, a missing or unreadable SIGNED all land as printed, are
resolved downstream (dbt, ``int_ice_values_resolved``) and listed in ``rpt_values_for_review``.
So every value expectation here is a counted warning (severity ``warn``): the build summary and
``raw.validation_results`` show how many rows each one saw. What still guards landing (``error``) is
the file's *shape*: the columns the layout does not print stay empty (and the generic suite's
declared columns and at least one row). A file whose header matches no layout never gets here: it is
quarantined by the reader.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from functools import cache

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from ingest.project import project_dir
from ingest.sources.ice_parsing import MAX_SIGNED_YEAR_AHEAD, MIN_SIGNED
from ingest.validation.registry import Expect, SuiteSpec, all_null, between, in_set, not_null

# The one vocabulary of SUPPORT TYPE and TYPE, shared with dbt (macros/normalize.sql and
# int_ice_values_resolved read it as the seed `value_vocabulary`).
VOCABULARY_SEED = ("seeds", "ice", "value_vocabulary.csv")
# Statuses of a SIGNED read without any repair.
SIGNED_AS_PRINTED = ("excel_date", "iso_text", "text_date")

CLEANED = ("state", "law_enforcement_agency", "type", "support_type")
_SPACE = re.compile(r"\s+")
# The same characters as Python's ``\s`` and ``str.isspace`` (a unit test enumerates every code
# point), written as an RE2 class so Arrow cleans a column in C as ``_clean`` does in Python.
WHITESPACE_RANGES = (
    (0x09, 0x0D),
    (0x1C, 0x20),
    (0x85, 0x85),
    (0xA0, 0xA0),
    (0x1680, 0x1680),
    (0x2000, 0x200A),
    (0x2028, 0x2029),
    (0x202F, 0x202F),
    (0x205F, 0x205F),
    (0x3000, 0x3000),
)
_ARROW_SPACE = "[" + "".join(f"\\x{{{a:x}}}-\\x{{{b:x}}}" for a, b in WHITESPACE_RANGES) + "]+"


@cache
def exact_words(column_name: str) -> tuple[str, ...]:
    """The canonical words of an ICE column (tier ``exact`` of the vocabulary seed), in seed order."""
    path = project_dir().joinpath(*VOCABULARY_SEED)
    with path.open(encoding="utf-8", newline="") as fh:
        words = tuple(
            row["word"] for row in csv.DictReader(fh) if row["column_name"] == column_name and row["tier"] == "exact"
        )
    if not words:
        raise ValueError(f"{path}: no exact words for {column_name}")
    return words


def _clean(value: object) -> object:
    """Whitespace (incl. NBSP, newlines) collapsed and trimmed; empty -> None."""
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return None
    text = _SPACE.sub(" ", str(value).replace("\xa0", " ")).strip()
    return text or None


def _cleaned_one_by_one(column: pd.Series) -> pd.Series:
    """``_clean`` of every value, each distinct value cleaned once (a sheet repeats its states)."""
    memo: dict[object, object] = {}
    cleaned = []
    for value in column.tolist():
        try:
            c = memo[value]
        except KeyError:
            c = memo[value] = _clean(value)
        cleaned.append(c)
    return pd.Series(cleaned, index=column.index, dtype="object")


def _cleaned(column: pd.Series) -> pd.Series:
    """``_cleaned_one_by_one``; a text column (pandas ``str``: text, missing as NaN) is factorised in C
    first, so only its distinct values pass through Python (missing values: code -1, cleaned to None)."""
    dtype = column.dtype
    if not (isinstance(dtype, pd.StringDtype) and dtype.na_value is np.nan):
        return _cleaned_one_by_one(column)
    codes, uniques = pd.factorize(column)
    table = np.array([*map(_clean, uniques), None], dtype=object)
    return pd.Series(table[codes], index=column.index, dtype="object")


def prepare(frame: pd.DataFrame) -> pd.DataFrame:
    """Derived columns for validation only (never landed): cleaned text and SIGNED as a timestamp."""
    out = frame.copy()
    for col in CLEANED:
        if col in out.columns:
            out[f"{col}__clean"] = _cleaned(out[col])
    if "signed_date" in out.columns:
        out["signed_date__ts"] = pd.to_datetime(out["signed_date"], errors="coerce")
    return out


def _cleaned_arrow(column: pa.ChunkedArray) -> pa.Array:
    """``_cleaned`` of an Arrow text column, in Arrow's C: each distinct value cleaned once, missing stays
    missing (``_ARROW_SPACE`` is ``_SPACE``'s class; ``.strip()`` then trims only spaces left)."""
    if column.type == pa.null():
        return pa.nulls(len(column), pa.string())
    if column.type != pa.string():
        raise TypeError(f"not a text column: {column.type}")
    encoded = column.combine_chunks().dictionary_encode()
    spaced = pc.replace_substring_regex(encoded.dictionary, pattern=_ARROW_SPACE, replacement=" ")
    trimmed = pc.utf8_trim(spaced, " ")
    cleaned = pc.if_else(pc.equal(trimmed, ""), pa.scalar(None, pa.string()), trimmed)
    return cleaned.take(encoded.indices)


def prepare_arrow(rows: pa.Table) -> pa.Table:
    """``prepare`` of the rows as an Arrow table: the same derived columns with the same values."""
    out = rows
    for col in CLEANED:
        if col in rows.column_names:
            out = out.append_column(f"{col}__clean", _cleaned_arrow(rows.column(col)))
    if "signed_date" in rows.column_names:
        signed = rows.column("signed_date")
        if signed.type not in (pa.date32(), pa.null()):
            raise TypeError(f"not a date column: {signed.type}")
        out = out.append_column("signed_date__ts", signed.cast(pa.timestamp("s")))  # to_datetime's unit
    return out


def _signed_bounds() -> Expect:
    latest = dt.date(dt.date.today().year + MAX_SIGNED_YEAR_AHEAD, 12, 31)
    return between(
        "signed_date__ts",
        pd.Timestamp(MIN_SIGNED),
        pd.Timestamp(latest),
        severity="warn",
        label="signed_date_outside_plausible_bounds",
    )


def _common() -> list[Expect]:
    return [
        not_null("state__clean", severity="warn", label="state_missing_rows"),
        not_null("law_enforcement_agency__clean", severity="warn", label="agency_missing_rows"),
        not_null("support_type__clean", severity="warn", label="support_type_missing_rows"),
        in_set(
            "support_type__clean", exact_words("support_type"), severity="warn", label="support_type_outside_vocabulary"
        ),
    ]


def _agency_type() -> list[Expect]:
    return [in_set("type__clean", exact_words("agency_type"), severity="warn", label="agency_type_outside_vocabulary")]


def _signed() -> list[Expect]:
    return [
        not_null("signed_date", severity="warn", label="signed_unparsed_rows"),
        _signed_bounds(),
        in_set("signed_parse_status", SIGNED_AS_PRINTED, severity="warn", label="signed_repairs"),
    ]


PARTICIPATING_ABSENT = {
    "participating_html5": ("type", "county", "addendum"),
    "participating_xlsx6": ("county", "addendum"),
    "participating_xlsx7": ("addendum",),
    "participating_xlsx8": (),
}
PENDING_ABSENT = {"pending_xlsx4": ("county", "moa"), "pending_xlsx5": ("moa",), "pending_xlsx6": ()}


def suites() -> list[SuiteSpec]:
    """One suite per ICE layout."""
    specs = []
    for layout, absent in PARTICIPATING_ABSENT.items():
        expectations = [*_common(), *_signed(), *(all_null(c) for c in absent)]
        if "type" not in absent:
            expectations += _agency_type()
        specs.append(
            SuiteSpec(
                f"ice_participating_rows.{layout}",
                "ice",
                "ice_participating_rows",
                tuple(expectations),
                layouts=(layout,),
                prepare=prepare,
                prepare_arrow=prepare_arrow,
            )
        )
    for layout, absent in PENDING_ABSENT.items():
        expectations = [*_common(), *_agency_type(), *(all_null(c) for c in absent)]
        specs.append(
            SuiteSpec(
                f"ice_pending_rows.{layout}",
                "ice",
                "ice_pending_rows",
                tuple(expectations),
                layouts=(layout,),
                prepare=prepare,
                prepare_arrow=prepare_arrow,
            )
        )
    return specs
