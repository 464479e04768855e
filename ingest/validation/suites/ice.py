"""Suites for ICE's participating and pending sheets, one per raw table and layout.

What guards landing (severity error): the layout's required values are present (STATE, LAW
ENFORCEMENT AGENCY, SUPPORT TYPE), SUPPORT TYPE and TYPE are in ICE's vocabulary or a known typo of
it, at least half the rows' SIGNED read to a date (possibly repaired) and every date read is within
plausible bounds, columns the layout does not print stay empty. What is counted but never blocks
(warn): typo variants of the vocabularies, SIGNED values that needed a repair or could not be read
(those land as printed with status 'unparseable').
"""

from __future__ import annotations

import datetime as dt
import re

import pandas as pd

from ingest.sources.ice_parsing import MAX_SIGNED_YEAR_AHEAD, MIN_SIGNED
from ingest.validation.registry import Expect, SuiteSpec, all_null, between, in_set, not_null

SUPPORT_TYPES = ("Jail Enforcement Model", "Task Force Model", "Warrant Service Officer")
# Misspellings ICE has printed (MANIFEST 1c); they land as printed and are folded downstream.
SUPPORT_TYPE_TYPOS = ("Warrant Services Officer", "Warrant Service Office")
AGENCY_TYPES = ("County", "Municipality", "State Agency", "State")
AGENCY_TYPE_TYPOS = ("Muncipality",)
# Statuses of a SIGNED read without any repair.
SIGNED_AS_PRINTED = ("excel_date", "iso_text", "text_date")
# Share of rows whose SIGNED must read to a date (real sheets: 100%); below it the file is quarantined.
SIGNED_MIN_SHARE_PARSED = 0.5

CLEANED = ("state", "law_enforcement_agency", "type", "support_type")
_SPACE = re.compile(r"\s+")


def _clean(value: object) -> object:
    """Whitespace (incl. NBSP, newlines) collapsed and trimmed; empty -> None."""
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return None
    text = _SPACE.sub(" ", str(value).replace("\xa0", " ")).strip()
    return text or None


def prepare(frame: pd.DataFrame) -> pd.DataFrame:
    """Derived columns for validation only (never landed): cleaned text and SIGNED as a timestamp."""
    out = frame.copy()
    for col in CLEANED:
        if col in out.columns:
            out[f"{col}__clean"] = out[col].map(_clean).astype("object")
    if "signed_date" in out.columns:
        out["signed_date__ts"] = pd.to_datetime(out["signed_date"], errors="coerce")
    return out


def _signed_bounds() -> Expect:
    latest = dt.date(dt.date.today().year + MAX_SIGNED_YEAR_AHEAD, 12, 31)
    return between(
        "signed_date__ts",
        pd.Timestamp(MIN_SIGNED),
        pd.Timestamp(latest),
        label="signed_date_within_plausible_bounds",
    )


def _common() -> list[Expect]:
    return [
        not_null("state__clean", label="state_not_null"),
        not_null("law_enforcement_agency__clean", label="agency_not_null"),
        not_null("support_type__clean", label="support_type_not_null"),
        in_set(
            "support_type__clean",
            SUPPORT_TYPES + SUPPORT_TYPE_TYPOS,
            label="support_type_known_or_known_typo",
        ),
        in_set("support_type__clean", SUPPORT_TYPES, severity="warn", label="support_type_typo_variants"),
    ]


def _agency_type() -> list[Expect]:
    return [
        in_set("type__clean", AGENCY_TYPES + AGENCY_TYPE_TYPOS, label="agency_type_known_or_known_typo"),
        in_set("type__clean", AGENCY_TYPES, severity="warn", label="agency_type_typo_variants"),
    ]


def _signed() -> list[Expect]:
    return [
        # A sheet whose SIGNED is mostly unreadable is broken (wrong column, text dump): quarantine it.
        # A few unreadable cells land as printed with status 'unparseable', and are counted.
        not_null("signed_date", mostly=SIGNED_MIN_SHARE_PARSED, label="signed_parsed"),
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
PENDING_ABSENT = {"pending_xlsx5": ("moa",), "pending_xlsx6": ()}


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
            )
        )
    return specs
