"""Values no rule knows land; they never quarantine (README "Three kinds of problem").

Every case here is a file added to one private copy of the built sample warehouse, and all of them land in
ONE --strict build (``landed``): sheets with a value outside every rule (counted by a warn expectation,
listed in marts.rpt_values_for_review), two sheets published the same day, and hostile values (unsafe
link schemes, formula prefixes, control characters) in a sheet and a ledger. Each test asserts what its
case must show in that build. Cases are dated apart so each is its own publication; the same-day pair is
the newest. The files that are refused are in test_bad_inputs.py.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import random
import zipfile
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest
from bad_input_fixtures import UNSAFE_TARGETS, agency_rows, ledger_text, no_traceback, rezip
from value_mutations import SEED, SHEETS, Injection, mutated_path, write_mutated_copies
from warehouse_support import Publication, copy_raw, copy_warehouse, query, rejections, rows_from_file, run_cli, sha256
from xlsx_fixtures import HEADER_7, HEADER_8, row8, write_sheet

from ingest.cli import EXIT_OK


@dataclass
class ValueCase:
    """One sheet with a value no rule knows: the warning it must raise and where it must be listed."""

    header: list[str]
    rows: list[list]
    says: tuple[str, ...]  # (warn expectation, fragments of its observed value or examples)
    row: int
    column: str
    review: tuple[str, str, str | None, str]  # column_name, value printed (stripped), resolved_to, method


VALUE_CASES: dict[str, ValueCase] = {
    "signed_free_text": ValueCase(  # a SIGNED column of text: most rows unreadable
        HEADER_8,
        [agency_rows(1)[0], *(row8(f"Text {i}", signed="pending signature") for i in range(3))],
        ("signed_unparsed_rows", "1 of 4 rows present (25.0%)"),
        row=3,
        column="signed_date",
        review=("signed", "pending signature", None, "placeholder"),
    ),
    "signed_out_of_bounds": ValueCase(
        HEADER_8,
        [row8(f"Old {i}", signed=dt.date(1980, 1, 2)) for i in range(3)],
        ("signed_unparsed_rows", "0 of 3 rows present"),
        row=2,
        column="signed_date",
        review=("signed", "1980-01-02", None, "placeholder"),
    ),
    "required_state_missing": ValueCase(
        HEADER_8,
        [*agency_rows(2), row8("No State", state="  ")],
        ("state_missing_rows",),
        row=4,
        column="state",
        review=("state", "", "XX", "placeholder"),
    ),
    "unknown_support_type": ValueCase(
        HEADER_8,
        [*agency_rows(2), row8("Odd Support", support="Jail Model")],
        ("support_type_outside_vocabulary", "'Jail Model'"),
        row=4,
        column="support_type",
        review=("support_type", "Jail Model", "Jail Enforcement Model", "keyword"),
    ),
    "unknown_agency_type": ValueCase(
        HEADER_7,
        [r[:7] for r in [row8("Odd Type", agency_type="Tribal"), *agency_rows(2)]],
        ("agency_type_outside_vocabulary", "'Tribal'"),
        row=2,
        column="type",
        review=("agency_type", "Tribal", None, "placeholder"),
    ),
}


def _value_case_file(raw: Path, index: int, name: str) -> Path:
    """Each case in its own dated folder (one participating sheet per date), all in one build."""
    day = dt.date(2026, 5, 1) + dt.timedelta(days=index)
    case = VALUE_CASES[name]
    path = raw / "ice_287g_sheets" / day.isoformat() / f"participatingAgencies{day:%m%d%Y}am.xlsx"
    return write_sheet(path, case.header, case.rows)


SAME_DAY = "ice_287g_sheets/2026-07-10"  # after every other case: its pm sheet is the newest publication
HOSTILE_SHEET = "ice_287g_sheets/2026-06-30/participatingAgencies06302026am.xlsx"
HOSTILE_LEDGER = "ledger/payments_ledger_hostile_values.csv"
SAMPLE = Path(__file__).resolve().parents[3] / "data" / "sample"


@dataclass(frozen=True)
class Landed:
    """The one build of every case: its warehouse, the files each case added, its output and exit code,
    and the publication that was current before it."""

    warehouse: Path
    raw: Path
    files: dict[str, Path]
    text: str
    returncode: int
    before: Publication
    injected: list[Injection]  # the seeded misspellings and error cells in copies of sample sheets


@pytest.fixture(scope="module")
def landed(built_sample_warehouse: Path, tmp_path_factory) -> Landed:
    """One --strict build (a subprocess, as a user runs it) of the sample plus every case's files."""
    root = tmp_path_factory.mktemp("values")
    warehouse = copy_warehouse(built_sample_warehouse, root / "wh")
    raw = copy_raw(root / "raw")
    before = Publication.of(warehouse)
    files = {name: _value_case_file(raw, i, name) for i, name in enumerate(sorted(VALUE_CASES))}
    for half, n_rows in (("am", 3), ("pm", 4)):
        path = raw / SAME_DAY / f"participatingAgencies07102026{half}.xlsx"
        files[f"same_day_{half}"] = write_sheet(path, HEADER_8, agency_rows(n_rows))
    files["hostile_sheet"] = raw / HOSTILE_SHEET
    _hostile_sheet(files["hostile_sheet"])
    files["hostile_ledger"] = raw / HOSTILE_LEDGER
    files["hostile_ledger"].write_text(HOSTILE_LEDGER_TEXT)
    injected = write_mutated_copies(SAMPLE, raw, random.Random(SEED))
    result = run_cli("build", "--raw-dir", str(raw), "--warehouse-dir", str(warehouse), "--strict")
    text = " ".join((result.stdout + "\n" + result.stderr).split())
    return Landed(warehouse, raw, files, text, result.returncode, before, injected)


def test_the_build_of_every_case_passes_strict_and_quarantines_nothing(landed: Landed):
    """Even --strict: a value is never a reason to quarantine, and every case file landed whole."""
    no_traceback(landed.text)
    assert landed.returncode == EXIT_OK, landed.text[-3000:]
    assert "Quarantined files" not in landed.text
    assert rejections(landed.warehouse / "work.duckdb") == []
    assert Publication.of(landed.warehouse) != landed.before  # published


@pytest.mark.parametrize("name", sorted(VALUE_CASES))
def test_bad_value_lands_is_counted_and_listed_for_review(name, landed):
    warehouse, text = landed.warehouse, landed.text
    case, path = VALUE_CASES[name], landed.files[name]
    assert landed.returncode == EXIT_OK, text[-2000:]  # even --strict: a value is never a reason to quarantine
    work = warehouse / "work.duckdb"
    assert path.name not in {Path(r["source_file"]).name for r in rejections(work)}
    landed_rows = rows_from_file(work, sha256(path))
    assert landed_rows["ice_participating_rows"] == len(case.rows) and landed_rows["load_manifest"] == 1  # all landed
    expectation, *fragments = case.says
    stored = query(
        work,
        "select success, landed, severity, column_name, observed, examples from raw.validation_results "
        "where file_sha256 = ? and expectation = ?",
        [sha256(path), expectation],
    )
    assert len(stored) == 1, stored
    success, landed, severity, column_name, observed, examples = stored[0]
    assert (success, landed, severity) == (False, True, "warn")
    assert column_name == case.column and f"row {case.row}" in str(examples).split(",")[0], examples
    for fragment in fragments:
        assert fragment in f"{observed} {examples}"
    assert f"counted {expectation}" in text  # the summary counts it
    column, value, resolved_to, method = case.review
    listed = query(
        warehouse / "marts.duckdb",
        "select trim(value_printed), resolved_to, method, n_rows, example_file from rpt_values_for_review "
        "where source_table = 'ice_participating_rows' and column_name = ? and trim(value_printed) = ?",
        [column, value],
    )
    assert listed, f"{column} {value!r} not in rpt_values_for_review"
    assert {(v, r, m) for v, r, m, _n, _f in listed} == {(value, resolved_to, method)}
    assert any(Path(f).name == path.name for *_, f in listed)


FORMULA_NAMES = [
    '=HYPERLINK("http://evil.example/x","Click me")',
    "+1+cmd|' /C calc'!A0 Sheriff",
    "-2+3 Police Department",
    "@SUM(1+1) Sheriff's Office",
    "\t=1+2 Tab County Sheriff",
    "\r=1+3 CR County Sheriff",
    "＝1+4 Fullwidth Sheriff",
]
CONTROL_NAMES = {  # sharedStrings escapes (Excel writes control characters as _xHHHH_)
    "Ansi Red County Sheriff": "_x001B_[31mAnsi Red_x001B_[0m County Sheriff",
    "Nul Bell County Sheriff": "Nul_x0000_ Bell_x0007_ County Sheriff",
    "Backspace County Sheriff": "Backspace_x0008__x0008_ County Sheriff",
}
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n", "＝", "＋", "－", "＠")
CONTROL = __import__("re").compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def _hostile_sheet(path: Path) -> None:
    from xml.sax.saxutils import escape as xml_escape

    from tools.sample.xlsx_writer import Cell

    # text cells (openpyxl would store "=..." as a formula), placed by name into the shared strings
    escaped = {f"Formula Placeholder {i}": xml_escape(name) for i, name in enumerate(FORMULA_NAMES)}
    escaped = {k: v.replace("\t", "_x0009_").replace("\r", "_x000D_") for k, v in escaped.items()}
    escaped.update(CONTROL_NAMES)
    targets = [*UNSAFE_TARGETS[:6], UNSAFE_TARGETS[11]]
    rows = [
        row8(key, signed=dt.date(2025, 6, 1) + dt.timedelta(days=i), moa=Cell("link", hyperlink=target))
        for i, (key, target) in enumerate(zip(list(escaped)[: len(targets)], targets, strict=True))
    ]
    rows += [row8(key, signed=dt.date(2025, 7, 1) + dt.timedelta(days=i)) for i, key in enumerate(CONTROL_NAMES)]
    data = write_sheet(path, HEADER_8, rows).read_bytes()  # Excel-style shared strings
    strings = zipfile.ZipFile(io.BytesIO(data)).read("xl/sharedStrings.xml")
    for key, value in escaped.items():
        strings = strings.replace(f">{key}<".encode(), f">{value}<".encode())
    path.write_bytes(rezip(data, replace={"xl/sharedStrings.xml": strings}))


HOSTILE_LEDGER_TEXT = ledger_text(
    '"=HYPERLINK(""http://evil.example/x"",""Click me"")",WY,2025-07-15,2025,vehicle,"-$1,325.00",,=1+1,x',
    '@SUM(A1) Payee,WY,2025-07-16,2025,vehicle,"$5.00",,+D2,"-refund"',
    "\x1b[31mAnsi Payee\x1b[0m,WY,2025-07-17,2025,vehicle,$6.00,,D3,nul\x00here",
)


def test_value_warning_reports_expectations_and_examples(landed: Landed):
    """A sheet with a value no rule knows lands (--strict passes): its results are stored (landed = true,
    severity warn) with example rows, and the summary counts the warning."""
    bad, text, work = landed.files["unknown_support_type"], landed.text, landed.warehouse / "work.duckdb"
    assert landed.returncode == EXIT_OK, text[-2000:]
    assert "Quarantined files" not in text
    assert "counted support_type_outside_vocabulary" in text and "'Jail Model' x1" in text
    results = query(
        work,
        "select expectation, success, landed, severity from raw.validation_results "
        "where file_sha256 = ? order by expectation",
        [sha256(bad)],
    )
    assert ("support_type_outside_vocabulary", False, True, "warn") in results
    assert ("state_missing_rows", True, True, "warn") in results
    examples = query(
        work,
        "select examples from raw.validation_results where file_sha256 = ? and expectation = ?",
        [sha256(bad), "support_type_outside_vocabulary"],
    )
    assert "row 4: support_type = 'Jail Model'" in str(examples)
    assert Publication.of(landed.warehouse) != landed.before  # published


def test_two_files_published_the_same_day_are_both_publications_in_order(landed: Landed):
    """ICE publishes am, mid and pm versions on one day: both files land and publish as publications of
    one date, ordered by published_at (am before pm), and the order is total (README: publication dates).
    (Round 1 failed the build here; issue 10 made several publications a day normal.)"""
    marts = landed.warehouse / "marts.duckdb"
    assert landed.returncode == EXIT_OK, landed.text[-2000:]
    assert Publication.of(landed.warehouse) != landed.before
    rows = query(
        marts,
        "select file_name, published_date, published_at, publication_seq, is_latest from dim_publications "
        "where kind = 'participating' and published_date = date '2026-07-10' order by publication_seq",
    )
    assert [r[0] for r in rows] == [landed.files["same_day_am"].name, landed.files["same_day_pm"].name]
    assert [r[2].hour for r in rows] == [9, 17]
    assert rows[1][3] == rows[0][3] + 1 and rows[1][4] is True
    qa = dict(
        query(
            marts,
            "select check_name, status from rpt_qa_summary where scope = 'participating' "
            "and check_name in ('publication_order_total', 'days_with_several_publications')",
        )
    )
    assert qa == {"publication_order_total": "pass", "days_with_several_publications": "info"}


@pytest.mark.slow
def test_hostile_values_land_as_printed_and_are_neutralised_where_published(landed: Landed):
    """Bugs 4, 5, 9 end to end: unsafe link schemes, formula-prefixed names and payees, and control
    characters land in raw exactly as printed; the build passes; no published URL is anything but
    http(s); no text cell of any CSV export starts a formula (numbers stay numbers) while marts.duckdb
    and Parquet keep the true value; no published text holds a control character; every such cell is
    listed in intermediate.int_review__unsafe_cells."""
    warehouse, text = landed.warehouse, landed.text
    no_traceback(text)
    assert landed.returncode == EXIT_OK, text[-3000:]
    work, marts = warehouse / "work.duckdb", warehouse / "marts.duckdb"
    assert rows_from_file(work, sha256(landed.files["hostile_sheet"]))["ice_participating_rows"] > 0
    printed = {r[0] for r in query(work, "select law_enforcement_agency from raw.ice_participating_rows")}
    assert set(FORMULA_NAMES) <= printed and "Nul\x00 Bell\x07 County Sheriff" in printed  # raw: as printed
    urls = query(marts, "select moa_url from fct_agreements where moa_url is not null")
    assert urls and all(u.startswith(("https://", "http://")) for (u,) in urls)
    names = {r[0] for r in query(marts, "select agency_name from dim_agencies")}
    assert '=HYPERLINK("http://evil.example/x","Click me")' in names  # the database keeps the true value
    # control characters: stripped where staging cleans, visible symbols where a printed value is shown
    assert {"␛[31mAnsi Red␛[0m County Sheriff", "Nul␀ Bell␇ County Sheriff"} <= names
    tables = query(
        marts,
        "select c.table_name, c.column_name, c.data_type from duckdb_columns() as c "
        "inner join duckdb_tables() as t using (database_name, schema_name, table_name) "
        "where c.schema_name = 'main' and c.database_name = 'marts'",
    )
    text_columns: dict[str, set[str]] = {}
    for table, column, data_type in tables:
        if data_type == "VARCHAR":
            text_columns.setdefault(table, set()).add(column)
    con = duckdb.connect(str(marts), read_only=True)  # one connection for every text column of every mart
    try:
        for table, columns in text_columns.items():
            for column in columns:
                bad = con.execute(
                    f'select "{column}" from "{table}" where regexp_matches("{column}", ?) limit 1',
                    [CONTROL.pattern],
                ).fetchall()
                assert not bad, (table, column, bad)
    finally:
        con.close()
    for table, columns in text_columns.items():
        export = warehouse / "exports" / f"{table}.csv"
        if table == "build_info":
            continue
        with open(export, newline="", encoding="utf-8") as fh:
            for row in csv.DictReader(fh):
                for column, value in row.items():
                    if column in columns:
                        assert not value.startswith(FORMULA_START), (table, column, value)
    with open(warehouse / "exports" / "fct_payments.csv", newline="", encoding="utf-8") as fh:
        amounts = [r["amount_usd"] for r in csv.DictReader(fh)]
    assert "-1325.00" in amounts  # a number stays a number
    parquet = warehouse / "exports" / "dim_agencies.parquet"
    assert query(marts, f"select count(*) from read_parquet('{parquet}') where agency_name like '=HYPERLINK%'") == [
        (1,)
    ]
    review = query(
        work, "select method, column_name, value_printed, resolved_to from intermediate.int_review__unsafe_cells"
    )
    by_method: dict[str, list] = {}
    for method, column, value, resolved in review:
        by_method.setdefault(method, []).append((column, value, resolved))
    assert {("moa_link_target", "javascript:alert(document.cookie)", None)} <= set(by_method["unsafe_url_scheme"])
    assert len(by_method["unsafe_url_scheme"]) == 7
    formula = {(c, v) for c, v, _ in by_method["formula_prefix"]}
    assert ("law_enforcement_agency", FORMULA_NAMES[0]) in formula and ("document_id", "=1+1") in formula
    assert ("payee_name", "@SUM(A1) Payee") in formula
    control = {(c, r) for c, _, r in by_method["control_characters"]}
    assert ("law_enforcement_agency", "Ansi Red County Sheriff") in control and ("payee_name", "Ansi Payee") in control


@pytest.mark.slow
def test_injected_misspellings_and_error_cells_publish_and_resolve(landed: Landed):
    """Seeded misspellings and error cells (tests/python/value_mutations.py) in copies of three sample
    sheets: the build publishes, every injected value is listed for review, each misspelling resolves to
    the value it was made from (fuzzy, confidence between 0 and 1), each error cell to its placeholder."""
    injected = landed.injected
    assert {i.column_name for i in injected} == {"state", "support_type", "agency_type", "county"}
    assert landed.returncode == EXIT_OK, landed.text[-3000:]
    assert (landed.warehouse / "marts.duckdb").exists()  # published
    for index, (rel, _) in enumerate(SHEETS):  # each mutated copy landed as a publication of its own
        copy = mutated_path(landed.raw, rel, index)
        assert rows_from_file(landed.warehouse / "work.duckdb", sha256(copy))["load_manifest"] == 1, copy

    review = {
        (source_table, column_name, value): (resolved_to, method, confidence)
        for source_table, column_name, value, resolved_to, method, confidence in query(
            landed.warehouse / "marts.duckdb",
            "select source_table, column_name, value_printed, resolved_to, method, confidence "
            "from rpt_values_for_review",
        )
    }
    for item in injected:
        key = (item.source_table, item.column_name, item.value)
        assert key in review, f"{item} not in rpt_values_for_review"
        resolved_to, method, confidence = review[key]
        if item.expected is None:
            assert method == "error_cell", (item, review[key])
            assert resolved_to == {"state": "XX", "support_type": "Unknown"}.get(item.column_name), (item, review[key])
        else:
            assert resolved_to == item.expected, (item, review[key])
            assert method in ("fuzzy_edit_distance", "column_fuzzy"), (item, review[key])
            assert 0 < confidence < 1
    # the gate counted the warnings: the sheets landed, with their vocabulary warnings stored
    warned = query(
        landed.warehouse / "work.duckdb",
        "select distinct expectation from raw.validation_results where not success and severity = 'warn' and landed",
    )
    assert {"support_type_outside_vocabulary", "agency_type_outside_vocabulary"} <= {w for (w,) in warned}
