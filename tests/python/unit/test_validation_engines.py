"""The gate's vectorised checks give exactly GX's results (GX is the reference), without starting GX."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pyarrow as pa
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


def _participating_arrow(rows: list[tuple]) -> pa.Table:
    """The rows as the ICE parser gives them: an Arrow table of inferred column types (no NaN)."""
    frame = _participating(rows).astype(object)
    frame = frame.where(frame.notna(), None)
    return pa.table({c: pa.array(frame[c].tolist()) for c in frame.columns})


@pytest.mark.parametrize("layout", ["participating_xlsx8", "participating_xlsx6", "participating_html5"])
def test_arrow_rows_validate_as_their_frames(layout, monkeypatch):
    """The gate's Arrow path (``_run_arrow``, ``_file_profile_arrow``) gives the results GX gives on the
    frames made from the same Arrow rows, with neither pandas frames nor GX made on the way."""
    spec = next(s for s in registered_suites() if s.name == f"ice_participating_rows.{layout}")
    tables = [_participating_arrow(GOOD), _participating_arrow(MESSY), _participating_arrow(GOOD + MESSY)]
    assert {str(t.schema.field("signed_date").type) for t in tables} == {"date32[day]"}
    monkeypatch.setenv("ICE287G_VALIDATE_ENGINE", "gx")
    reference = gate.run_suite(spec, [t.to_pandas() for t in tables])
    monkeypatch.setenv("ICE287G_VALIDATE_ENGINE", "native")
    native_frames = gate.run_suite(spec, [t.to_pandas() for t in tables])
    taken = []
    real_arrow = gate._run_arrow
    monkeypatch.setattr(gate, "_run_arrow", lambda *a: taken.append(r := real_arrow(*a)) or r)
    monkeypatch.setattr(gate, "_validate", lambda *a, **k: pytest.fail("GX ran"))
    monkeypatch.setattr(gate, "_stack", lambda *a, **k: pytest.fail("the rows were made a pandas frame"))
    arrow = gate.run_suite(spec, tables)
    assert taken and taken[0] is not None
    assert arrow == reference == native_frames
    assert any(not r.success for r in arrow[1])  # the messy file did fail something
    assert any(r.examples for r in arrow[1])


def test_arrow_rows_the_arrow_path_does_not_cover_go_the_pandas_way(monkeypatch):
    """Files of different schemas (a column all empty in one file) are validated as before."""
    spec = next(s for s in registered_suites() if s.name == "ice_participating_rows.participating_xlsx8")
    tables = [_participating_arrow(GOOD), _participating_arrow([(*r[:5], None) for r in GOOD])]
    assert tables[1].schema.field("county").type == pa.null()
    monkeypatch.setenv("ICE287G_VALIDATE_ENGINE", "native")
    reference = gate.run_suite(spec, [t.to_pandas() for t in tables])
    assert gate._run_arrow(spec, [(i, e) for i, e in enumerate(spec.expectations) if e.level == "row"], tables) is None
    assert gate.run_suite(spec, tables) == reference
