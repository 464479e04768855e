"""The GX gate's registry: every registered source is gated, suites are well-formed, GX runs them.

ICE's *values* never quarantine a sheet (README "Three kinds of problem"): the value expectations are
counted warnings (severity warn) that still name the row, the column and examples; only the file's
shape is an error.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from ingest.sources import all_sources
from ingest.sources.base import Parsed
from ingest.sources.ice_sheets import LAYOUTS
from ingest.validation.gate import run_suite
from ingest.validation.registry import registered_suites, suites_for

# What the gate must register for ICE, written out here (not read from the registry under test): one
# suite per layout the reader knows, named <raw table>.<layout>. The reader's own LAYOUTS must agree.
EXPECTED_ICE_SUITES = {
    "participating_html5": ("ice_participating_rows", "ice_participating_rows.participating_html5"),
    "participating_xlsx6": ("ice_participating_rows", "ice_participating_rows.participating_xlsx6"),
    "participating_xlsx7": ("ice_participating_rows", "ice_participating_rows.participating_xlsx7"),
    "participating_xlsx8": ("ice_participating_rows", "ice_participating_rows.participating_xlsx8"),
    "pending_xlsx4": ("ice_pending_rows", "ice_pending_rows.pending_xlsx4"),
    "pending_xlsx5": ("ice_pending_rows", "ice_pending_rows.pending_xlsx5"),
    "pending_xlsx6": ("ice_pending_rows", "ice_pending_rows.pending_xlsx6"),
}


def test_every_raw_table_of_every_source_has_a_generic_suite():
    """First suite of every raw table: ``<table>.generic``, exactly the declared columns and at least one row."""
    n_tables = 0
    for source in all_sources():
        for table, columns in source.tables.items():
            parsed = Parsed(source=source.name, kind="k", layout="any", table=table)
            first = suites_for(parsed, source)[0]
            assert (first.name, first.source, first.table, first.layouts) == (
                f"{table}.generic",
                source.name,
                table,
                None,
            )
            by_label = {e.name: e for e in first.expectations}
            assert set(by_label) == {"required_columns_present", "at_least_1_data_row"}
            expected = "|".join(sorted(["_row_number", *(c for c, _ in columns)]))
            assert by_label["required_columns_present"].kwargs["value_set"] == [expected]
            assert by_label["at_least_1_data_row"].kwargs["min_value"] == 1
            n_tables += 1
    assert n_tables == 13  # ice 2, ledger 1, arrests 5, census 5: every raw table was checked


def test_ice_has_a_suite_per_layout_and_suite_names_are_unique():
    names = [s.name for s in registered_suites()]
    assert len(names) == len(set(names))
    # the reader knows exactly the layouts listed above (a new layout must be added here, with its suite)
    assert {layout for _kind, layout in LAYOUTS.values()} == set(EXPECTED_ICE_SUITES)
    ice = {s.name: s for s in registered_suites() if s.source == "ice"}
    assert set(ice) == {name for _table, name in EXPECTED_ICE_SUITES.values()}
    for layout, (table, name) in EXPECTED_ICE_SUITES.items():
        assert (ice[name].table, ice[name].layouts) == (table, (layout,))
        parsed = Parsed(source="ice", kind="k", layout=layout, table=table)
        assert [s.name for s in registered_suites() if s.applies_to(parsed)] == [name]


def test_stacked_validation_attributes_failures_to_the_right_file_and_row():
    spec = next(s for s in registered_suites() if s.name == "ice_pending_rows.pending_xlsx5")

    def frame(rows):
        return pd.DataFrame.from_records(
            [
                {
                    "_row_number": i + 2,
                    "state": st,
                    "law_enforcement_agency": "PD",
                    "type": "County",
                    "county": None,
                    "support_type": sup,
                    "moa": None,
                }
                for i, (st, sup) in enumerate(rows)
            ]
        )

    good = frame([("TEXAS", "Task Force Model"), ("TEXAS ", "Warrant Services Officer")])
    bad = frame([("TEXAS", "Task Force Model"), (None, "Jail Model"), ("UTAH", "Task Force Model")])
    good_results, bad_results = run_suite(spec, [good, bad])
    by_name = {r.expectation: r for r in good_results}
    assert all(r.success for r in good_results if r.severity == "error")
    assert not by_name["support_type_outside_vocabulary"].success  # a warn: counted, never blocks
    assert by_name["support_type_outside_vocabulary"].severity == "warn"
    assert by_name["support_type_outside_vocabulary"].observed.startswith("1 of 2 rows outside")
    assert all(r.success for r in bad_results if r.severity == "error")  # values never quarantine
    failed = {r.expectation: r for r in bad_results if not r.success}
    assert set(failed) == {"state_missing_rows", "support_type_outside_vocabulary"}
    assert {r.severity for r in failed.values()} == {"warn"}
    assert failed["state_missing_rows"].row == 3 and failed["state_missing_rows"].column == "state"
    assert failed["support_type_outside_vocabulary"].examples == ["row 3: support_type = 'Jail Model'"]
    assert failed["support_type_outside_vocabulary"].observed == "1 of 3 rows outside: 'Jail Model' x1"


def test_signed_bounds_are_checked_on_dates():
    spec = next(s for s in registered_suites() if s.name == "ice_participating_rows.participating_xlsx8")
    row = {
        "_row_number": 2,
        "state": "TEXAS",
        "law_enforcement_agency": "PD",
        "type": "County",
        "county": "X",
        "support_type": "Task Force Model",
        "signed": "x",
        "signed_cell_type": "date",
        "signed_date": dt.date(1990, 1, 1),
        "signed_parse_status": "excel_date",
    }
    (results,) = run_suite(spec, [pd.DataFrame([row])])
    bounds = next(r for r in results if r.expectation == "signed_date_outside_plausible_bounds")
    assert not bounds.success and bounds.column == "signed_date" and "1990-01-01" in bounds.observed
    assert bounds.severity == "warn" and bounds.row == 2  # counted; the sheet still lands
