"""Payments ledger ingestion: mapping-driven layouts, money and date parsing, rejects, idempotency."""

from __future__ import annotations

import csv
import datetime as dt
import shutil
from decimal import Decimal
from pathlib import Path

import duckdb
import openpyxl
import pytest

from ingest.pipeline import ingest_dir
from tools.sample import ledger as sample_ledger

CANONICAL_HEADER = list(sample_ledger.HEADER)


def _write_csv(path: Path, header: list[str], rows: list[list[str]], delimiter: str = ",") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh, delimiter=delimiter, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)
    return path


def _line(amount: str = "$1.00", date: str = "2026-01-15", **kw: str) -> list[str]:
    values = {
        "payee_name": "Test Police Department",
        "state": "WY",
        "payment_date": date,
        "fiscal_year": "",
        "category": "equipment",
        "amount_usd": amount,
        "certified_officer_count": "",
        "document_id": "D1",
        "description": "",
    }
    values.update(kw)
    return [values[h] for h in CANONICAL_HEADER]


def _ingest(raw: Path, tmp_path: Path):
    return ingest_dir(raw, tmp_path / "wh" / "work.duckdb")


def _lines(tmp_path: Path) -> list[dict]:
    con = duckdb.connect(str(tmp_path / "wh" / "work.duckdb"), read_only=True)
    try:
        cur = con.execute("select * from raw.ledger_lines order by _source_file, _row_number")
        names = [d[0] for d in cur.description]
        return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]
    finally:
        con.close()


# ---------------------------------------------------------------------------------------------------
# the committed synthetic sample
# ---------------------------------------------------------------------------------------------------
def test_sample_ledger_is_generated_deterministically(sample_dir: Path) -> None:
    committed = sample_dir / sample_ledger.LEDGER_DIR / sample_ledger.LEDGER_FILE
    assert committed.read_text(encoding="utf-8") == sample_ledger.ledger_csv()


def test_sample_ledger_lands_every_line_parsed_as_the_scenario_says(sample_dir: Path, tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    shutil.copytree(sample_dir / sample_ledger.LEDGER_DIR, raw / sample_ledger.LEDGER_DIR)
    summary = _ingest(raw, tmp_path)
    assert [o.status for o in summary.outcomes] == ["loaded"]
    rows = _lines(tmp_path)
    assert len(rows) == len(sample_ledger.LINES)  # rejected lines land too
    for row, line in zip(rows, sample_ledger.LINES, strict=True):
        assert row["payee_name"] == line.payee_name  # as printed
        assert row["document_id"] == line.document_id
        assert (row["parse_status"] == "ok") == line.should_parse, (line, row["reject_reason"])
        if line.should_parse:
            assert row["amount_usd"] == line.true_amount
            assert row["payment_date_value"] == line.true_date
            assert row["category_code"] == line.true_category
        else:
            assert row["reject_reason"] and row["reject_column"] in ("amount", "payment_date")


# ---------------------------------------------------------------------------------------------------
# money and dates
# ---------------------------------------------------------------------------------------------------
MONEY_CASES = [
    ("$1,325.00", Decimal("1325.00")),
    ("1325", Decimal("1325.00")),
    (" $ 1,325.5 ", Decimal("1325.50")),
    ("(1,325.00)", Decimal("-1325.00")),
    ("-$1,325.00", Decimal("-1325.00")),
    ("$-1,325.00", Decimal("-1325.00")),
    ("USD 100,000.00", Decimal("100000.00")),
    ("1.325,00", "amount: ambiguous"),
    ("1.325", "amount: ambiguous"),
    ("1,32,5.00", "amount: not a money value"),
    ("$1,325.005", "amount: not a money value"),
    ("(1,325.00", "amount: not a money value"),
    ("(-1,325.00)", "amount: not a money value"),
    ("twelve", "amount: not a money value"),
    ("", "amount: blank"),
    ("   ", "amount: blank"),
]


def test_money_parsing(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    _write_csv(raw / "ledger.csv", CANONICAL_HEADER, [_line(amount=a) for a, _ in MONEY_CASES])
    _ingest(raw, tmp_path)
    rows = _lines(tmp_path)
    assert len(rows) == len(MONEY_CASES)
    for row, (printed, expected) in zip(rows, MONEY_CASES, strict=True):
        assert row["amount"] == (printed or None)  # landed as printed (an empty field is null)
        if isinstance(expected, Decimal):
            assert (row["parse_status"], row["amount_usd"]) == ("ok", expected), printed
        else:
            assert row["parse_status"] == "rejected" and row["amount_usd"] is None, printed
            assert row["reject_reason"].startswith(expected), (printed, row["reject_reason"])
            assert row["reject_column"] == "amount"


def test_eu_money_format_through_the_mapping(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    _write_csv(
        raw / "betalingen.csv",
        CANONICAL_HEADER,
        [_line(amount="1.325,00"), _line(amount="(7.500,5)"), _line(amount="1,325.00")],
        delimiter=";",
    )
    (raw / "ledger_mapping.yaml").write_text(
        "name: eu_test\ndelimiter: ';'\nmoney_format: eu\n"
        "columns: {payee_name: payee_name, payment_date: payment_date, amount: amount_usd, state: state}\n",
        encoding="utf-8",
    )
    summary = _ingest(raw, tmp_path)
    assert {o.path: o.status for o in summary.outcomes}["betalingen.csv"] == "loaded"
    rows = _lines(tmp_path)
    assert [r["amount_usd"] for r in rows[:2]] == [Decimal("1325.00"), Decimal("-7500.50")]
    assert rows[2]["parse_status"] == "rejected" and "ambiguous" in rows[2]["reject_reason"]
    assert {r["mapping_name"] for r in rows} == {"eu_test"}


def test_date_parsing(tmp_path: Path) -> None:
    cases = [
        ("2026-01-15", dt.date(2026, 1, 15), "%Y-%m-%d"),
        ("1/5/2026", dt.date(2026, 1, 5), "%m/%d/%Y"),
        ("46063", dt.date(2026, 2, 10), "excel_serial"),
        ("46063.0", dt.date(2026, 2, 10), "excel_serial"),
        ("31/01/2026", "payment_date: not in any mapped format", None),
        ("2026-02-30", "payment_date: not in any mapped format", None),
        ("12", "payment_date: not in any mapped format", None),
        ("5025-06-30", "payment_date: implausible year", None),
        ("", "payment_date: blank", None),
    ]
    raw = tmp_path / "raw"
    _write_csv(raw / "ledger.csv", CANONICAL_HEADER, [_line(date=d) for d, _, _ in cases])
    _ingest(raw, tmp_path)
    for row, (printed, expected, method) in zip(_lines(tmp_path), cases, strict=True):
        if isinstance(expected, dt.date):
            assert (row["payment_date_value"], row["date_parse_method"]) == (expected, method), printed
        else:
            assert row["parse_status"] == "rejected" and row["reject_reason"].startswith(expected), printed


def test_two_formats_reading_different_dates_is_rejected_as_ambiguous(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    _write_csv(
        raw / "ledger.csv",
        CANONICAL_HEADER,
        [_line(date="03/04/2026"), _line(date="13/04/2026"), _line(date="04/04/2026")],
    )
    (raw / "ledger.csv.mapping.yaml").write_text(
        "name: two_formats\ndate_formats: ['%m/%d/%Y', '%d/%m/%Y']\n"
        "columns: {payee_name: payee_name, payment_date: payment_date, amount: amount_usd}\n",
        encoding="utf-8",
    )
    _ingest(raw, tmp_path)
    rows = _lines(tmp_path)
    assert rows[0]["parse_status"] == "rejected" and "ambiguous" in rows[0]["reject_reason"]
    assert rows[1]["payment_date_value"] == dt.date(2026, 4, 13)  # only %d/%m/%Y reads it
    assert rows[2]["payment_date_value"] == dt.date(2026, 4, 4)  # both formats agree


def test_every_problem_of_a_line_is_named(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    _write_csv(
        raw / "ledger.csv",
        CANONICAL_HEADER,
        [_line(amount="x", date="y", payee_name=" ", certified_officer_count="3.5", fiscal_year="next")],
    )
    _ingest(raw, tmp_path)
    (row,) = _lines(tmp_path)
    assert row["reject_column"] == "payee_name"
    for field in ("payee_name", "amount", "payment_date", "fiscal_year", "certified_officers"):
        assert f"{field}:" in row["reject_reason"]


# ---------------------------------------------------------------------------------------------------
# a second layout, loaded through a mapping file alone
# ---------------------------------------------------------------------------------------------------
SECOND_LAYOUT_MAPPING = """\
name: obligations_export
sheet: Obligations
columns:
  payee_name: Vendor Name
  state: Vendor State
  payment_date: Obligation Date
  amount: Obligated Amt
  category: Object Class
  document_id: Obligation No.
  description: Memo
  certified_officers: TFOs
date_formats: ['%d-%b-%Y', excel_serial]
categories:
  - {category: vehicle, keywords: [autos, vehicles]}
  - {category: equipment, keywords: [equip]}
  - {category: overtime, keywords: [ot]}
"""


def _second_layout_workbook(path: Path) -> list[dict]:
    """An xlsx with other column names, a title row above the header and an unrelated sheet."""
    truth = [
        {
            "cells": [
                "Laramie County Sheriff's Office",
                "WY",
                dt.datetime(2025, 10, 15),
                100000,
                "31.1 AUTOS",
                "OBL-1",
                "vehicle",
                None,
            ],
            "amount": Decimal("100000.00"),
            "date": dt.date(2025, 10, 15),
            "category": "vehicle",
        },
        {
            "cells": [
                "Laramie County Sheriff's Office",
                "WY",
                "15-Oct-2025",
                "$225,000.00",
                "26.2 EQUIP",
                "OBL-2",
                "",
                30,
            ],
            "amount": Decimal("225000.00"),
            "date": dt.date(2025, 10, 15),
            "category": "equipment",
        },
        {
            "cells": [
                "Colebrook Police Department",
                "NH",
                "46063",
                "(1,500.00)",
                "11.5 OT",
                "OBL-3",
                "reversal",
                3,
            ],
            "amount": Decimal("-1500.00"),
            "date": dt.date(2026, 2, 10),
            "category": "overtime",
        },
        {
            "cells": ["Colebrook Police Department", "NH", "2026-02-31", "500", "99 MISC", "OBL-4", "", None],
            "amount": Decimal("500.00"),
            "date": None,
            "category": "other",
        },
    ]
    wb = openpyxl.Workbook()
    notes = wb.active
    notes.title = "Notes"
    notes["A1"] = "Export from the finance system"
    ws = wb.create_sheet("Obligations")
    ws.append(["FY2026 obligations to 287(g) partners (export)"])
    ws.append(
        [
            "Vendor Name",
            "Vendor State",
            "Obligation Date",
            "Obligated Amt",
            "Object Class",
            "Obligation No.",
            "Memo",
            "TFOs",
        ]
    )
    for t in truth:
        ws.append(t["cells"])
    wb.save(path)
    return truth


def test_second_layout_loads_through_a_mapping_file_alone(tmp_path: Path) -> None:
    raw = tmp_path / "raw" / "finance"
    raw.mkdir(parents=True)
    truth = _second_layout_workbook(raw / "obligations_fy26.xlsx")
    (raw / "obligations_fy26.mapping.yaml").write_text(SECOND_LAYOUT_MAPPING, encoding="utf-8")
    summary = _ingest(tmp_path / "raw", tmp_path)
    statuses = {o.path: (o.status, o.layout) for o in summary.outcomes}
    assert statuses["finance/obligations_fy26.xlsx"] == ("loaded", "ledger:obligations_export")
    assert statuses["finance/obligations_fy26.mapping.yaml"][0] == "skipped"
    rows = _lines(tmp_path)
    assert len(rows) == len(truth)
    assert [r["_row_number"] for r in rows] == [3, 4, 5, 6]  # Excel rows below the title and header
    assert {r["_sheet"] for r in rows} == {"Obligations"}
    for row, t in zip(rows, truth, strict=True):
        assert row["amount_usd"] == t["amount"]
        assert row["payment_date_value"] == t["date"]
        assert row["category_code"] == t["category"]
    assert rows[1]["certified_officer_count"] == 30
    assert rows[3]["parse_status"] == "rejected" and rows[3]["reject_column"] == "payment_date"


# ---------------------------------------------------------------------------------------------------
# file-level behaviour: idempotency, refusals
# ---------------------------------------------------------------------------------------------------
def test_same_file_twice_changes_nothing(sample_dir: Path, tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    shutil.copytree(sample_dir / sample_ledger.LEDGER_DIR, raw / "ledger")
    _ingest(raw, tmp_path)
    before = _lines(tmp_path)
    shutil.copy(raw / "ledger" / sample_ledger.LEDGER_FILE, raw / "ledger" / "copy_of_payments.csv")
    second = _ingest(raw, tmp_path)
    assert sorted(o.status for o in second.outcomes) == ["already_loaded", "already_loaded"]
    after = _lines(tmp_path)
    assert [(r["_file_sha256"], r["_row_number"], r["_loaded_at"]) for r in after] == [
        (r["_file_sha256"], r["_row_number"], r["_loaded_at"]) for r in before
    ]
    con = duckdb.connect(str(tmp_path / "wh" / "work.duckdb"), read_only=True)
    assert con.execute("select count(*) from raw.load_manifest").fetchone()[0] == 1
    assert con.execute("select count(*) from raw.load_file_names").fetchone()[0] == 2
    con.close()


def test_ledger_named_file_that_no_mapping_fits_is_quarantined(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    _write_csv(raw / "payments_march.csv", ["Who", "When", "How much"], [["A", "2026-01-01", "1"]])
    summary = _ingest(raw, tmp_path)
    (outcome,) = summary.outcomes
    assert outcome.status == "rejected"
    assert "payments_march.csv" in outcome.detail and "no ledger mapping fits" in outcome.detail
    assert "payee_name" in outcome.detail  # names the missing columns
    assert _lines(tmp_path) == []


def test_unrelated_csv_is_skipped_not_rejected(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    _write_csv(raw / "notes.csv", ["a", "b"], [["1", "2"]])
    (outcome,) = _ingest(raw, tmp_path).outcomes
    assert outcome.status == "skipped"


def test_bad_mapping_is_reported_with_its_file_and_key(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    _write_csv(raw / "ledger.csv", CANONICAL_HEADER, [_line()])
    (raw / "ledger_mapping.yaml").write_text(
        "name: broken\nmoney_fromat: us\ncolumns: {payee_name: payee_name}\n", encoding="utf-8"
    )
    outcomes = {o.path: o for o in _ingest(raw, tmp_path).outcomes}
    assert outcomes["ledger.csv"].status == "rejected"
    assert "ledger_mapping.yaml" in outcomes["ledger.csv"].detail
    assert "money_fromat" in outcomes["ledger.csv"].detail
    assert _lines(tmp_path) == []


@pytest.mark.parametrize("missing", ["Obligation Date", "Vendor Name"])
def test_mapping_naming_a_column_the_ledger_lacks_is_refused(tmp_path: Path, missing: str) -> None:
    raw = tmp_path / "raw"
    header = ["Vendor Name", "Obligation Date", "Obligated Amt"]
    _write_csv(
        raw / "export.csv",
        [h if h != missing else "Something else" for h in header],
        [["A", "2026-01-01", "1"]],
    )
    (raw / "export.mapping.yaml").write_text(
        "columns: {payee_name: Vendor Name, payment_date: Obligation Date, amount: Obligated Amt}\n",
        encoding="utf-8",
    )
    outcomes = {o.path: o for o in _ingest(raw, tmp_path).outcomes}
    assert outcomes["export.csv"].status == "rejected"
    assert missing in outcomes["export.csv"].detail
