"""The gate's vectorised checks give exactly GX's results (GX is the reference), without starting GX."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from ingest.sources.ice_sheets import IceSheets
from ingest.validation import gate
from ingest.validation.registry import generic_suite, registered_suites


def _participating(rows: list[tuple]) -> pd.DataFrame:
    columns = ["_row_number"] + [c for c, _ in IceSheets.tables["ice_participating_rows"]]
    records = []
    for i, (state, support, typ, signed_date, status, county) in enumerate(rows):
        rec = dict.fromkeys(columns)
        rec.update(
            _row_number=i + 2,
            state=state,
            law_enforcement_agency="Some PD",
            type=typ,
            county=county,
            support_type=support,
            signed="x",
            signed_cell_type="date",
            signed_date=signed_date,
            signed_parse_status=status,
        )
        records.append(rec)
    return pd.DataFrame.from_records(records, columns=columns)


GOOD = [
    ("TEXAS", "Task Force Model", "County", dt.date(2025, 5, 8), "excel_date", "Travis"),
    ("TEXAS ", "Jail Enforcement Model", "Municipality", dt.date(2025, 6, 1), "iso_text", "Travis"),
]
MESSY = [
    (None, "Task Force Modle", "Sherif", None, "unparseable", "#N/A"),
    ("\xa0FLORIDA\n", "Warrant Services Officer", "County", dt.date(1990, 1, 1), "repaired_year", None),
    ("  ", np.nan, None, dt.date(2025, 1, 2), "repaired_text", "Dade"),
    ("UTAH", "Task Force Model", "County", dt.date(2099, 1, 2), "excel_date", "Utah"),
]


def _both(spec, frames, monkeypatch):
    monkeypatch.setenv("ICE287G_VALIDATE_ENGINE", "gx")
    reference = gate.run_suite(spec, frames)
    monkeypatch.setenv("ICE287G_VALIDATE_ENGINE", "native")
    calls = []
    real = gate._validate
    monkeypatch.setattr(gate, "_validate", lambda *a, **k: calls.append(a[1]) or real(*a, **k))
    native = gate.run_suite(spec, frames)
    return reference, native, calls


@pytest.mark.parametrize("layout", ["participating_xlsx8", "participating_xlsx6", "participating_html5"])
def test_native_checks_equal_gx_on_messy_participating_sheets(layout, monkeypatch):
    spec = next(s for s in registered_suites() if s.name == f"ice_participating_rows.{layout}")
    frames = [_participating(GOOD), _participating(MESSY), _participating(GOOD + MESSY)]
    reference, native, calls = _both(spec, frames, monkeypatch)
    assert native == reference
    assert calls == []  # GX was not run
    assert any(not r.success for r in native[1])  # the messy file did fail something


def test_native_checks_equal_gx_on_the_generic_suite(monkeypatch):
    spec = generic_suite(IceSheets(), "ice_participating_rows")
    frames = [_participating(GOOD), _participating(GOOD).drop(columns=["county"]).assign(extra=1)]
    frames.append(frames[0].iloc[0:0])  # no data rows
    reference, native, calls = _both(spec, frames, monkeypatch)
    assert native == reference
    assert calls == []
    assert [r.success for r in native[1]] == [False, True]
    assert [r.success for r in native[2]] == [True, False]


def test_an_expectation_the_native_checks_do_not_cover_goes_to_gx(monkeypatch):
    spec = next(s for s in registered_suites() if s.name == "ice_participating_rows.participating_xlsx8")
    frames = [_participating(GOOD).drop(columns=["state"])]  # a column the suite reads is missing
    reference, native, calls = _both(spec, frames, monkeypatch)
    assert native == reference
    assert calls  # GX ran: whatever it reports for a missing column is what is stored
