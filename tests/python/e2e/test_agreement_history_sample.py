"""Agreement history on the synthetic sample: the marts agree with the scenario the sample was
generated from (tools/sample/ice_sheets.py). Every expected number is derived from the scenario's
Python data, none is written here."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from pathlib import Path

import duckdb
import pytest

from tools.sample import ice_sheets as scenario


@pytest.fixture(scope="session")
def sample_warehouse(sample_dir: Path, built_sample_warehouse: Path) -> Path:
    """work.duckdb of the warehouse built once (dbt build incl. every test) from the committed sample."""
    if not (sample_dir / scenario.SHEETS_DIR).is_dir():
        pytest.skip("data/sample has no ICE sheets")
    return built_sample_warehouse / "work.duckdb"


def _q(db: Path, sql: str, params: list | None = None) -> list[tuple]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


def _signed_agreements() -> list[scenario.Agreement]:
    return [a for a in scenario.AGREEMENTS if a.participating]


def test_listings_per_publication_match_scenario(sample_warehouse):
    for pub in scenario.participating_publications():
        expected_listings = Counter(scenario.AGREEMENT_BY_KEY[k].support for k in pub.agreement_keys)
        expected_rows = Counter(scenario.AGREEMENT_BY_KEY[r.agreement].support for r in pub.rows)
        got = {
            support: (n, rows)
            for support, n, rows in _q(
                sample_warehouse,
                """
                select support_type, count(*), sum(n_printed_rows) from marts.fct_agreement_listings
                where published_date = ? group by support_type
                """,
                [pub.as_of],
            )
        }
        for support in (scenario.JEM, scenario.TFM, scenario.WSO):
            assert got.get(support, (0, 0)) == (expected_listings[support], expected_rows[support]), (
                pub.pub_id,
                support,
            )


def test_agreements_and_statuses_match_scenario(sample_warehouse):
    agreements = _signed_agreements()
    final_pub = scenario.PARTICIPATING_IDS[-1]
    rows = _q(sample_warehouse, "select support_type, signed_date, status, removed_by_date from marts.fct_agreements")
    assert len(rows) == len(agreements)
    assert Counter((r[0], r[1]) for r in rows) == Counter((a.support, a.signed) for a in agreements)
    assert sum(r[2] == "Active" for r in rows) == sum(a.participating[-1] == final_pub for a in agreements)
    as_of = {p.pub_id: p.as_of for p in scenario.participating_publications()}
    expected_removed_by = Counter(
        as_of[scenario.PARTICIPATING_IDS[scenario.PARTICIPATING_IDS.index(a.removed_after) + 1]]
        for a in agreements
        if a.removed_after
    )
    assert Counter(r[3] for r in rows if r[2] != "Active") == expected_removed_by


def test_signing_date_corrections_match_scenario(sample_warehouse):
    expected = set()
    for a in _signed_agreements():
        for pub_id, override in a.overrides.items():
            printed = override.get("signed")
            if (
                isinstance(printed, dt.date)
                and printed.year < 3000
                and printed != a.signed
                and pub_id in a.participating
            ):
                expected.add((a.support, printed, a.signed))
    got = set(
        _q(
            sample_warehouse,
            "select support_type, signed_date_before, signed_date_after from marts.rpt_signing_date_corrections",
        )
    )
    assert got == expected


def test_renames_are_one_agreement(sample_warehouse):
    as_of = {p.pub_id: p.as_of for p in scenario.participating_publications()}
    expected = Counter(as_of[pub_id] for a in _signed_agreements() for pub_id, _ in a.renamed)
    got = Counter(
        r[0]
        for r in _q(
            sample_warehouse,
            "select published_date from marts.rpt_publication_changes where change_type = 'renamed'",
        )
    )
    assert got == expected


def test_pending_transitions_match_scenario(sample_warehouse):
    pending_as_of = {p.pub_id: p.as_of for p in scenario.pending_publications()}
    participating_as_of = {p.pub_id: p.as_of for p in scenario.participating_publications()}
    expected = sum(
        1
        for a in scenario.AGREEMENTS
        if a.pending
        and a.participating
        and participating_as_of[a.participating[0]] >= min(pending_as_of[p] for p in a.pending)
    )
    (got,) = _q(
        sample_warehouse,
        "select count(*) from marts.rpt_pending_transitions where transition_status = 'became_agreement'",
    )[0]
    assert got == expected


def test_qa_checks_pass_on_sample(sample_warehouse):
    assert _q(sample_warehouse, "select count(*) from marts.rpt_qa_summary where status = 'fail'")[0][0] == 0
