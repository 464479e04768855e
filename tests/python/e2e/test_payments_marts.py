"""Payments marts on the synthetic sample: matching, anomalies, reconciliation, reported shapes.

Expectations come from the sample scenario (``tools.sample.ledger.LINES`` and the ICE scenario), never
from hard-coded answers. Reads the session's built sample warehouse (the `built_sample_warehouse`
fixture: the one `make test` has just built, or one built once for the session).
"""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from ingest.sources.base import sha256_file
from tools.sample import ice_sheets as S
from tools.sample import ledger as L

REPO = Path(__file__).resolve().parents[3]
MARTS = (
    "fct_payments",
    "rpt_payment_anomalies",
    "rpt_incentive_reconciliation",
    "rpt_agency_payments",
    "rpt_program_funding_summary",
    "rpt_ledger_rejects",
)


@pytest.fixture(scope="module")
def con(sample_dir: Path, built_sample_warehouse: Path):
    """The session's built sample warehouse (work file: marts and the intermediate tables), which must
    hold the committed sample ledger."""
    connection = duckdb.connect(str(built_sample_warehouse / "work.duckdb"), read_only=True)
    ledger_sha = sha256_file(sample_dir / L.LEDGER_DIR / L.LEDGER_FILE)
    loaded = connection.execute("select count(*) from raw.load_manifest where file_sha256 = ?", [ledger_sha])
    assert loaded.fetchone()[0] == 1, "the built sample warehouse does not hold the committed sample ledger"
    yield connection
    connection.close()


def _agency_id(agreement: S.Agreement) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", agreement.final_agency.lower().replace("'", "").replace("\u2019", ""))
    return f"{L.STATE_CODES[agreement.state]}-{slug.strip('-')}"


def _payment_ids(con, sql: str, params: list | None = None) -> set[str]:
    return {r[0] for r in con.execute(sql, params or []).fetchall()}


def _ids_of(con, lines: list[L.LedgerLine]) -> set[str]:
    docs = [line.document_id for line in lines]
    return _payment_ids(con, "select payment_id from marts.fct_payments where document_id in ?", [docs]) | _payment_ids(
        con, "select payment_line_id from marts.rpt_ledger_rejects where document_id_printed in ?", [docs]
    )


def test_every_accepted_line_is_a_payment_and_every_rejected_line_a_reject(con) -> None:
    ok = [line for line in L.LINES if line.should_parse]
    bad = [line for line in L.LINES if not line.should_parse]
    facts = con.execute("select document_id, amount_usd, payment_date, category from marts.fct_payments").fetchall()
    assert sorted((d, a, p, c) for d, a, p, c in facts) == sorted(
        (line.document_id, line.true_amount, line.true_date, line.true_category) for line in ok
    )
    rejects = con.execute("select document_id_printed, reject_reason from marts.rpt_ledger_rejects").fetchall()
    assert sorted(d for d, _ in rejects) == sorted(line.document_id for line in bad)
    assert all(reason for _, reason in rejects)


def test_payees_match_their_agencies(con) -> None:
    rows = con.execute("select document_id, agency_id, match_status, match_confidence from marts.fct_payments")
    by_doc = {d: (a, m, c) for d, a, m, c in rows.fetchall()}
    for line in L.LINES:
        if not line.should_parse:
            continue
        agency_id, status, confidence = by_doc[line.document_id]
        if line.agreement_key is None:
            assert (agency_id, status, confidence) == (None, "unmatched", None), line
        else:
            assert agency_id == _agency_id(S.AGREEMENT_BY_KEY[line.agreement_key]), line
            assert status in ("exact", "alias", "fuzzy")
            assert Decimal("0.9") <= confidence <= 1
    statuses = {by_doc[line.document_id][1] for line in L.LINES if "spelling_differs" in line.tags}
    assert statuses == {"exact", "alias", "fuzzy"}  # every tier is exercised by a differing spelling


def test_unmatched_payee_anomaly(con) -> None:
    expected = _ids_of(con, [line for line in L.LINES if "unmatched" in line.tags])
    got = _payment_ids(con, "select payment_id from marts.rpt_payment_anomalies where anomaly_type = 'unmatched_payee'")
    assert got == expected and expected


def test_no_active_agreement_anomaly(con) -> None:
    expected = _ids_of(con, [line for line in L.LINES if "paid_after_removal" in line.tags])
    got = _payment_ids(
        con, "select payment_id from marts.rpt_payment_anomalies where anomaly_type = 'no_active_agreement'"
    )
    assert got == expected and expected
    # the same agency paid while its agreement was still active is not an anomaly
    earlier = _ids_of(con, [line for line in L.LINES if "agreement_later_removed" in line.tags])
    assert earlier and not earlier & got
    removed = S.AGREEMENT_BY_KEY["FL-HERNANDO-JEM"].removed_after
    assert removed is not None


def test_duplicate_vehicle_anomaly(con) -> None:
    keys = {line.agreement_key for line in L.LINES if "duplicate_vehicle" in line.tags}
    vehicle_lines = [line for line in L.LINES if line.agreement_key in keys and line.true_category == "vehicle"]
    assert len(vehicle_lines) == 2
    got = _payment_ids(
        con,
        "select payment_id from marts.rpt_payment_anomalies where anomaly_type = 'duplicate_vehicle_payment'",
    )
    assert got == _ids_of(con, vehicle_lines)
    status = con.execute(
        "select reconciliation_status from marts.rpt_incentive_reconciliation where agency_id = ? "
        "and category = 'vehicle'",
        [_agency_id(S.AGREEMENT_BY_KEY[keys.pop()])],
    ).fetchone()[0]
    assert status == "overpaid"


def test_overtime_cap_and_reversal(con) -> None:
    (over,) = [line for line in L.LINES if "overtime_over_cap" in line.tags]
    status = con.execute(
        "select reconciliation_status from marts.rpt_incentive_reconciliation where agency_id = ? "
        "and category = 'overtime'",
        [_agency_id(S.AGREEMENT_BY_KEY[over.agreement_key])],
    ).fetchone()[0]
    assert status == "over_cap"
    (reversal,) = [line for line in L.LINES if "reversal" in line.tags]
    row = con.execute(
        "select amount_usd, is_reversal from marts.fct_payments where document_id = ?", [reversal.document_id]
    ).fetchone()
    assert row == (reversal.true_amount, True) and reversal.true_amount < 0


@pytest.mark.parametrize("key", sorted(L.REPORTED_OFFICERS))
def test_reported_shapes(con, key: str) -> None:
    """Laramie WY (30 officers, about $300,000) and Colebrook NH (3 officers, about $100,000)."""
    paid = sum(line.true_amount for line in L.LINES if line.agreement_key == key and line.should_parse)
    row = con.execute(
        "select total_paid_usd, n_certified_officers from marts.rpt_agency_payments where agency_id = ?",
        [_agency_id(S.AGREEMENT_BY_KEY[key])],
    ).fetchone()
    assert row == (paid, L.REPORTED_OFFICERS[key])


def test_funding_summary_counts_agencies_paid_and_with_agreements(con) -> None:
    row = con.execute(
        "select n_agencies_with_payment, n_agencies_with_both, n_agencies_paid_without_agreement, "
        "n_unmatched_payments from marts.rpt_program_funding_summary where scope_code = 'US'"
    ).fetchone()
    paid_keys = {line.agreement_key for line in L.LINES if line.should_parse and line.agreement_key}
    paid_agencies = {_agency_id(S.AGREEMENT_BY_KEY[k]) for k in paid_keys}
    n_unmatched = sum(1 for line in L.LINES if line.should_parse and line.agreement_key is None)
    # Hernando was paid but its only agreement was removed before the ledger's last date
    assert row == (len(paid_agencies), len(paid_agencies) - 1, 1, n_unmatched)


def test_qa_checks_pass(con) -> None:
    rows = con.execute("select check_name, status from marts.rpt_qa_summary where scope = 'payments'").fetchall()
    assert rows and all(status in ("pass", "info") for _, status in rows)
