"""Bad-input suite: every hostile or broken file is quarantined with a message naming it (and the row and
column where they apply), the build exits with the documented code, nothing from the file lands, and the
published marts.duckdb and exports stay byte-identical.

Fixtures are built by the tests (openpyxl via tests/python/xlsx_fixtures.py, raw zip surgery for hostile
archives) and added to a private copy of a warehouse built once per session from data/sample. The CLI
runs in-process (``ingest.cli.main``) for speed; the crash suite runs it as a separate process.
"""

from __future__ import annotations

import codecs
import datetime as dt
import io
import os
import subprocess
import sys
import time
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from bad_input_fixtures import UNSAFE_TARGETS, agency_rows, ledger_text, no_traceback, rezip
from warehouse_support import (
    Publication,
    copy_raw,
    copy_warehouse,
    mart_checksums,
    query,
    rejections,
    rows_from_file,
    sha256,
)
from xlsx_fixtures import HEADER_8, HEADER_PENDING, row8, write_sheet

from ingest.cli import EXIT_BUSY, EXIT_FAILED, EXIT_OK, EXIT_QUARANTINED, EXIT_WAREHOUSE, main
from tools.sample.xlsx_writer import SheetSpec, build_workbook

BAD_DIR = "ice_287g_sheets/2026-04-30"
NAME = "participatingAgencies04302026am.xlsx"


def _xlsx_bytes(header: list[str], rows: list[list]) -> bytes:
    buf = io.BytesIO()
    build_workbook(SheetSpec(sheet_name="Sheet1", rows=[header, *rows])).save(buf)
    return buf.getvalue()


BOMB_DTD = (
    b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
    b'<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>'
)


def _with_dtd(xml: bytes) -> bytes:
    body = xml.split(b"?>", 1)[1] if xml.startswith(b"<?xml") else xml
    return BOMB_DTD + body.replace(b"</", b"&lol3;</", 1)


@dataclass
class Case:
    """One bad input: how to write it, and what the refusal must say."""

    write: Callable[[Path], list[Path]]  # writes into the raw folder, returns the bad file(s)
    says: tuple[str, ...]  # fragments the message must contain (besides the file name)
    row: int | None = None
    column: str | None = None
    env: dict[str, str] = field(default_factory=dict)


def _file(name: str, data: bytes | Callable[[Path], None], folder: str = BAD_DIR) -> Callable[[Path], list[Path]]:
    def write(raw: Path) -> list[Path]:
        path = raw / folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if callable(data):
            data(path)
        else:
            path.write_bytes(data)
        return [path]

    return write


def _sheet(header: list[str], rows: list[list], name: str = NAME, **kw) -> Callable[[Path], list[Path]]:
    return _file(name, lambda path: write_sheet(path, header, rows, **kw))


def _truncated(raw: Path) -> bytes:
    good = next(raw.rglob("participatingAgencies03272026.xlsx")).read_bytes()
    return good[: len(good) * 2 // 3]


def _late_header(path: Path) -> None:
    wb = build_workbook(
        SheetSpec(sheet_name="Sheet1", rows=[[f"title line {i}"] for i in range(35)] + [HEADER_8, *agency_rows()])
    )
    wb.save(path)


def _two_ice_sheets(path: Path) -> None:
    wb = build_workbook(SheetSpec(sheet_name="Sheet1", rows=[HEADER_8, *agency_rows()]))
    second = wb.create_sheet("Sheet2")
    for row in [HEADER_8, *agency_rows()]:
        second.append([v.value if hasattr(v, "hyperlink") else v for v in row])
    wb.save(path)


def _duplicate_bad(raw: Path) -> list[Path]:
    data = b"STATE,LAW ENFORCEMENT AGENCY\nWYOMING,x\n"
    paths = []
    for name in ("participatingAgencies04302026am.xlsx", "participatingAgencies04302026am (1).xlsx"):
        path = raw / BAD_DIR / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        paths.append(path)
    return paths


GOOD = _xlsx_bytes(HEADER_8, agency_rows())
CFB_ENCRYPTED = (
    bytes.fromhex("d0cf11e0a1b11ae1")
    + bytes(504)
    + "EncryptedPackage".encode("utf-16-le")
    + "EncryptionInfo".encode("utf-16-le")
    + bytes(1024)
)
SQL_NAME = "participatingAgencies05132026pm'; drop table raw.load_manifest; --\".xlsx"

CASES: dict[str, Case] = {
    "zero_byte_xlsx": Case(_file(NAME, b""), ("empty file (0 bytes)",)),
    "empty_workbook": Case(_sheet([], []), ("no worksheet has a header row",)),
    "truncated_xlsx": Case(lambda raw: _file(NAME, _truncated(raw))(raw), ("not a zip archive", "truncated")),
    "csv_renamed_xlsx": Case(
        _file(NAME, b"STATE,LAW ENFORCEMENT AGENCY,SUPPORT TYPE\nWYOMING,x,y\n"), ("not a readable xlsx",)
    ),
    "password_protected": Case(_file(NAME, CFB_ENCRYPTED), ("password-protected",)),
    "macro_workbook_xlsm": Case(
        _file(NAME.replace(".xlsx", ".xlsm"), rezip(GOOD, add={"xl/vbaProject.bin": b"\0" * 64})),
        ("macros",),
    ),
    "renamed_column": Case(
        _sheet([*HEADER_8[:4], "PROGRAM TYPE", *HEADER_8[5:]], agency_rows()),
        ("unexpected column(s) ['PROGRAM TYPE']", "missing column(s) ['SUPPORT TYPE']"),
        row=1,
    ),
    "missing_column": Case(
        _sheet([h for h in HEADER_8 if h != "COUNTY"], [r[:3] + r[4:] for r in agency_rows()]),
        ("missing column(s) ['COUNTY']",),
        row=1,
    ),
    "extra_column": Case(
        _sheet([*HEADER_8, "NOTES"], [[*r, "note"] for r in agency_rows()]),
        ("unexpected column(s) ['NOTES']",),
        row=1,
    ),
    "value_without_header": Case(
        _sheet(HEADER_8, [*agency_rows(2), [*row8("Stray"), None, "stray value"]]),
        ("column without a header",),
        row=4,
        column="J",
    ),
    "header_on_unexpected_row": Case(_file(NAME, _late_header), ("in its first 30 rows",)),
    "all_rows_blank": Case(_sheet(HEADER_8, [[None] * 8 for _ in range(5)]), ("no data rows",), row=1),
    "two_ice_worksheets": Case(_file(NAME, _two_ice_sheets), ("more than one worksheet",)),
    "xml_bomb_in_workbook_xml": Case(
        _file(
            NAME,
            rezip(
                GOOD,
                replace={"xl/workbook.xml": _with_dtd(zipfile.ZipFile(io.BytesIO(GOOD)).read("xl/workbook.xml"))},
            ),
        ),
        ("DTD/entities",),
    ),
    "xml_bomb_in_sheet_xml": Case(
        _file(
            NAME,
            rezip(
                GOOD,
                replace={
                    "xl/worksheets/sheet1.xml": _with_dtd(
                        zipfile.ZipFile(io.BytesIO(GOOD)).read("xl/worksheets/sheet1.xml")
                    )
                },
            ),
        ),
        ("DTD/entities",),
    ),
    "zip_bomb_member": Case(_file(NAME, rezip(GOOD, add={"xl/media/zeros.bin": b"\0" * (20 << 20)})), ("zip bomb",)),
    "zip_bomb_unnamed_file_not_skipped": Case(
        _file("quarterly_report.xlsx", rezip(GOOD, add={"xl/media/zeros.bin": b"\0" * (20 << 20)})),
        ("zip bomb",),
    ),
    "path_traversal_member": Case(_file(NAME, rezip(GOOD, add={"../../../tmp/evil.txt": b"pwned"})), ("unsafe path",)),
    "huge_row_count": Case(
        _sheet(HEADER_8, agency_rows(80)), ("rows (limit 50)",), env={"ICE287G_MAX_SHEET_ROWS": "50"}
    ),
    "name_with_quotes_and_sql": Case(_file(SQL_NAME, b"PK\x03\x04 truncated"), ("not a zip archive",)),
    "duplicate_of_bad_file_under_new_name": Case(_duplicate_bad, ("not a readable xlsx",)),
}


@pytest.fixture
def fresh(built_sample_warehouse: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """A private copy of the built warehouse and of its raw folder, and the publication before the test."""
    monkeypatch.setenv("COLUMNS", "400")
    warehouse = copy_warehouse(built_sample_warehouse, tmp_path / "wh")
    raw = copy_raw(tmp_path / "raw")
    return warehouse, raw, Publication.of(warehouse)


def _build(capsys, raw: Path, warehouse: Path, *extra: str) -> tuple[int, str]:
    rc = main(["build", "--raw-dir", str(raw), "--warehouse-dir", str(warehouse), *extra])
    out = capsys.readouterr()
    return rc, " ".join((out.out + "\n" + out.err).split())


@pytest.mark.parametrize("name", sorted(CASES))
def test_bad_input_is_quarantined_and_publication_untouched(name, fresh, capsys, monkeypatch):
    case = CASES[name]
    warehouse, raw, before = fresh
    for key, value in case.env.items():
        monkeypatch.setenv(key, value)
    bad_files = case.write(raw)
    rc, text = _build(capsys, raw, warehouse, "--strict")

    assert rc == EXIT_FAILED, text[-2000:]
    assert "the previous publication is untouched" in text
    rejected = {r["source_file"]: r for r in rejections(warehouse / "work.duckdb")}
    for bad in bad_files:
        rel = bad.relative_to(raw).as_posix()
        assert rel in text, f"message does not name {rel}: {text[-1500:]}"
        assert rel in rejected, f"{rel} not in raw.load_rejections: {sorted(rejected)}"
        stored = rejected[rel]
        if stored["file_sha256"]:
            assert set(rows_from_file(warehouse / "work.duckdb", stored["file_sha256"]).values()) == {0}
        assert (warehouse / "quarantine" / f"{sha256(bad)[:16]}.txt").exists()
    first = rejected[bad_files[0].relative_to(raw).as_posix()]
    message = f"{first['reason']} {first['examples']}"
    for fragment in case.says:
        assert fragment in message, message
    if case.row is not None:
        assert first["row_number"] == case.row, message
        assert f"row {case.row}" in text
    if case.column is not None:
        assert first["column_name"] == case.column, message
        assert f"column {case.column}" in text
    assert Publication.of(warehouse) == before


def test_default_mode_warns_lands_the_good_files_and_publishes_same_content(fresh, capsys):
    """Without --strict a quarantined file is reported (exit 3) and the rest is built and published."""
    warehouse, raw, before = fresh
    (bad,) = _file(NAME, b"")(raw)
    rc, text = _build(capsys, raw, warehouse)
    assert rc == EXIT_QUARANTINED, text[-2000:]
    assert bad.relative_to(raw).as_posix() in text and "quarantined" in text
    after = mart_checksums(warehouse / "marts.duckdb")
    previous = mart_checksums(Path(before.target))
    assert after.keys() == previous.keys()
    assert {k: v for k, v in after.items() if k != "main.rpt_qa_summary"} == {
        k: v for k, v in previous.items() if k != "main.rpt_qa_summary"
    }
    assert query(warehouse / "marts.duckdb", "select count(*) from rpt_qa_summary where status = 'fail'") == [(0,)]


# --- quirks that are not errors: they land as printed and are counted -------------------------


def _ingest(capsys, raw: Path, warehouse: Path) -> tuple[int, str]:
    rc = main(["ingest", "--raw-dir", str(raw), "--warehouse-dir", str(warehouse)])
    out = capsys.readouterr()
    return rc, " ".join((out.out + "\n" + out.err).split())


def test_known_quirks_land_and_are_counted(fresh, capsys):
    """SIGNED 5025 (repaired year), a typo variant, a header below title rows and a file name with quotes
    and SQL all land; the gate counts the repairs and typos in raw.validation_results."""
    warehouse, raw, before = fresh
    folder = raw / "ice_287g_sheets" / "2026-04-30"
    quirky = write_sheet(
        folder / NAME,
        HEADER_8,
        [
            row8("Year Typo", signed=dt.date(5025, 7, 7)),
            row8("Typo Support", support="Warrant Services Officer "),
            *agency_rows(2),
            row8("One Free Text", signed="to be signed"),
        ],
    )
    late = folder.parent / "2026-05-01" / "pendingAgencies05012026am.xlsx"
    late.parent.mkdir(parents=True)
    build_workbook(
        SheetSpec(
            sheet_name="Sheet 1",
            rows=[
                ["ICE 287(g) pending"],
                [],
                [],
                HEADER_8[:5],
                ["TEXAS", "Late Header PD", "Municipality", "Travis County", "Task Force Model"],
            ],
        )
    ).save(late)
    sql_named = write_sheet(folder.parent / "2026-05-02" / SQL_NAME, HEADER_8, agency_rows(2))
    rc, text = _ingest(capsys, raw, warehouse)
    assert rc == EXIT_OK, text[-2000:]
    work = warehouse / "work.duckdb"
    assert query(
        work,
        "select signed_date, signed_parse_status from raw.ice_participating_rows "
        "where law_enforcement_agency = 'Year Typo'",
    ) == [(dt.date(2025, 7, 7), "repaired_year")]
    observed = dict(
        query(
            work,
            "select expectation, observed from raw.validation_results where file_sha256 = ? and not success",
            [sha256(quirky)],
        )
    )
    assert observed["signed_repairs"] == "2 of 5 rows outside: 'repaired_year' x1, 'unparseable' x1"
    assert observed["signed_unparsed_rows"] == "4 of 5 rows present (80.0%)"
    assert observed["support_type_outside_vocabulary"] == "1 of 5 rows outside: 'Warrant Services Officer' x1"
    assert query(work, "select header_row, n_rows from raw.load_manifest where file_sha256 = ?", [sha256(late)]) == [
        (4, 1)
    ]
    assert query(work, "select file_name from raw.load_manifest where file_sha256 = ?", [sha256(sql_named)]) == [
        (SQL_NAME,)
    ]
    assert Publication.of(warehouse) == before  # ingest alone never publishes


def test_duplicate_file_under_a_new_name_lands_nothing(fresh, capsys):
    warehouse, raw, before = fresh
    original = next(raw.rglob("participatingAgencies03272026.xlsx"))
    copy = raw / "ice_287g_sheets" / "renamed" / "participatingAgencies03272026 (1).xlsx"
    copy.parent.mkdir()
    copy.write_bytes(original.read_bytes())
    counts_before = rows_from_file(warehouse / "work.duckdb", sha256(original))
    rc, text = _ingest(capsys, raw, warehouse)
    assert rc == EXIT_OK
    assert "already loaded" in text or "already_loaded" in text
    assert rows_from_file(warehouse / "work.duckdb", sha256(original)) == counts_before
    names = query(
        warehouse / "work.duckdb",
        "select source_file from raw.load_file_names where file_sha256 = ?",
        [sha256(original)],
    )
    assert ("ice_287g_sheets/renamed/participatingAgencies03272026 (1).xlsx",) in names
    assert Publication.of(warehouse) == before


def test_missing_or_empty_raw_dir_exits_2(fresh, capsys, tmp_path):
    warehouse, _, before = fresh
    (tmp_path / "empty").mkdir()
    for raw in (tmp_path / "missing", tmp_path / "empty"):
        rc, text = _build(capsys, raw, warehouse)
        assert rc == 2 and str(raw) in text and "the previous publication is untouched" in text
    assert Publication.of(warehouse) == before


# --- cases of sources other branches add: they run once the source is registered ----------------
# Each takes a file of that source from its own sample writer (tools.sample.generate), breaks it the
# way the issue lists, and asserts the behaviour every source must have.


def _sample_text_file(tmp_path: Path, names: tuple[str, ...], want: Callable[[str], bool]) -> tuple[Path, str]:
    """A delimited sample file of one of these sources whose text satisfies ``want``; when the sample has
    none any more, the test fails (its fixture must follow the source), it never skips."""
    from ingest.sources import all_sources
    from ingest.sources.base import FileInfo
    from tools.sample import generate

    dest = tmp_path / "generated"
    sources = [s for s in all_sources() if s.name in names]
    for path in sorted(generate(dest)):
        if path.suffix.lower() not in {".csv", ".txt", ".tsv"}:
            continue
        info = FileInfo.from_path(path, dest)
        if not any(s.detect(info) for s in sources):
            continue
        data = path.read_bytes()
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:  # PEP's county file is Latin-1
            text = data.decode("latin-1")
        if want(text):
            return path, text
    pytest.fail(f"no delimited sample file of {names} fits this case any more; adapt the fixture to the source")


def _replace_cell(text: str, column_hint: str, value: str) -> tuple[str, int, str]:
    """Set the first data row's value in the first column whose header contains column_hint."""
    import csv

    lines = text.splitlines(keepends=True)
    dialect = csv.Sniffer().sniff(lines[0] + (lines[1] if len(lines) > 1 else ""), delimiters=",|\t;")
    rows = list(csv.reader(lines, dialect))
    header_idx = next((i for i, r in enumerate(rows[:20]) if any(column_hint in c.lower() for c in r)), None)
    if header_idx is None or header_idx + 1 >= len(rows):
        pytest.fail(f"no column like {column_hint!r} in the sample file any more; adapt the fixture to the source")
    col = next(j for j, c in enumerate(rows[header_idx]) if column_hint in c.lower())
    rows[header_idx + 1][col] = value
    out = io.StringIO()
    csv.writer(out, delimiter=dialect.delimiter, lineterminator="\n").writerows(rows)
    return out.getvalue(), header_idx + 2, rows[header_idx][col]


def _strict_refusal(capsys, raw: Path, warehouse: Path, bad: Path, before: Publication) -> tuple[dict, str]:
    rc, text = _build(capsys, raw, warehouse, "--strict")
    rel = bad.relative_to(raw).as_posix()
    assert rc == EXIT_FAILED, text[-2000:]
    assert rel in text
    stored = {r["source_file"]: r for r in rejections(warehouse / "work.duckdb")}[rel]
    assert set(rows_from_file(warehouse / "work.duckdb", sha256(bad)).values()) == {0}
    assert Publication.of(warehouse) == before
    return stored, text


def _ledger_line_rejected(capsys, raw: Path, warehouse: Path, bad: Path, row: int, column: str) -> dict:
    """A bad ledger *line* (issue 5's contract): the file lands, that line is kept as printed but marked
    rejected with its reason and column, and it never reaches staging/marts as a payment."""
    rc, text = _ingest(capsys, raw, warehouse)
    assert rc == EXIT_OK, text[-2000:]
    [(status, reason, col)] = query(
        warehouse / "work.duckdb",
        "select parse_status, reject_reason, reject_column from raw.ledger_lines "
        "where _file_sha256 = ? and _row_number = ?",
        [sha256(bad), row],
    )
    assert status == "rejected"
    # the printed header (`amount_usd`, `certified_officer_count`) and the canonical field share their stem
    header, field = column.lower().replace(" ", "_"), (col or "").lower()
    assert field and header.split("_")[:1] == field.split("_")[:1], (column, col)
    others = query(
        warehouse / "work.duckdb",
        "select count(*) from raw.ledger_lines where _file_sha256 = ? and _row_number <> ? "
        "and parse_status = 'rejected'",
        [sha256(bad), row],
    )[0][0]
    original = query(
        warehouse / "work.duckdb",
        "select count(*) from raw.ledger_lines where _file_sha256 <> ? and parse_status = 'rejected'",
        [sha256(bad)],
    )[0][0]
    assert others == original  # only the broken line is refused; the rest of the ledger lands
    return {"reason": reason, "column": col}


def test_ledger_amount_with_decimal_comma_is_rejected_with_row_and_column(fresh, capsys, tmp_path):
    """`1.325,00` under a US-money mapping is ambiguous: that line goes to the rejects (issue 5), named."""
    warehouse, raw, _ = fresh
    path, text = _sample_text_file(tmp_path, ("ledger", "payments"), lambda t: "amount" in t.lower())
    bad_text, row, column = _replace_cell(text, "amount", "4.200,00")
    bad = raw / "bad_ledger" / path.name
    bad.parent.mkdir()
    bad.write_text(bad_text, encoding="utf-8")
    stored = _ledger_line_rejected(capsys, raw, warehouse, bad, row, column)
    assert "4.200,00" in stored["reason"]


def test_ledger_negative_officer_count_is_rejected_with_row_and_column(fresh, capsys, tmp_path):
    warehouse, raw, _ = fresh
    path, text = _sample_text_file(tmp_path, ("ledger", "payments"), lambda t: "officer" in t.lower())
    bad_text, row, column = _replace_cell(text, "officer", "-3")
    bad = raw / "bad_ledger" / path.name
    bad.parent.mkdir()
    bad.write_text(bad_text, encoding="utf-8")
    stored = _ledger_line_rejected(capsys, raw, warehouse, bad, row, column)
    assert "-3" in stored["reason"]


def test_census_latin1_file_is_decoded_not_mangled(fresh, capsys, tmp_path):
    """PEP's co-est file is Latin-1: it lands, with 'Doña Ana County' intact (not mangled, not quarantined)."""
    warehouse, raw, _ = fresh
    path, text = _sample_text_file(tmp_path, ("census",), lambda t: "CTYNAME" in t)
    bad_text, _, _ = _replace_cell(text, "ctyname", "Doña Ana County")
    bad = raw / "census_latin1" / path.name
    bad.parent.mkdir()
    bad.write_bytes(bad_text.encode("latin-1"))
    rc = main(["ingest", "--raw-dir", str(raw), "--warehouse-dir", str(warehouse)])
    text_out = " ".join(capsys.readouterr().out.split())
    landed = rows_from_file(warehouse / "work.duckdb", sha256(bad))
    assert rc == EXIT_OK, text_out[-2000:]  # PEP publishes Latin-1: it is a known encoding, not a quarantine
    hits = query(
        warehouse / "work.duckdb",
        "select count(*) from raw.load_manifest where file_sha256 = ?",
        [sha256(bad)],
    )
    assert hits == [(1,)] and sum(landed.values()) > 1
    tables = [t for t, n in landed.items() if n and t != "load_manifest"]
    found = []
    for table in tables:
        cols = [
            r[0]
            for r in query(
                warehouse / "work.duckdb",
                "select column_name from duckdb_columns() where schema_name = 'raw' "
                "and table_name = ? and data_type = 'VARCHAR'",
                [table],
            )
        ]
        for col in cols:
            found += query(
                warehouse / "work.duckdb",
                f'select "{col}" from raw."{table}" where _file_sha256 = ? and "{col}" like ?',
                [sha256(bad), "Do%a Ana%"],
            )
    assert found and all(v == ("Doña Ana County",) for v in found), found


def test_pipe_file_written_with_commas_is_refused(fresh, capsys, tmp_path):
    """A pipe-delimited file arriving comma-delimited is refused by name, never landed as one column."""
    warehouse, raw, before = fresh
    path, text = _sample_text_file(
        tmp_path, ("census", "arrests"), lambda t: t.splitlines()[0].count("|") > t.splitlines()[0].count(",")
    )
    if any("," in line for line in text.splitlines()[:50]):
        pytest.fail("the pipe-delimited sample has commas inside values now; adapt the fixture")
    bad = raw / "pipe_as_comma" / path.name
    bad.parent.mkdir()
    bad.write_text(text.replace("|", ","), encoding="utf-8")
    _strict_refusal(capsys, raw, warehouse, bad, before)


# --- issue 12: hostile and odd inputs, one class per test (each with several members) -------------
# The acceptance check tries other members of each class, so every test runs several variants.


def _landed_files(work: Path) -> dict[str, int]:
    return dict(query(work, "select source_file, n_rows from raw.load_manifest"))


def _rejected(work: Path) -> dict[str, dict]:
    return {r["source_file"]: r for r in rejections(work)}


MARKUP_FOLDERS = ["q[", "[bold]x", "a[/]b", "[link=file:///etc/passwd]", "[@click=app.bell]", "ends\\"]


def test_paths_are_never_read_as_console_markup(fresh, capsys):
    """Bug 1: folders and names holding rich markup (`[/]`, `[bold]`, `[link=…]`, `[@click]`, a trailing
    backslash) are printed literally; a good sheet below them lands, a broken one is quarantined by name,
    and every other file still lands (ingest, then build, whose error paths print the names too)."""
    warehouse, raw, _ = fresh
    good, bad = [], []
    for i, folder in enumerate(MARKUP_FOLDERS):
        date = dt.date(2026, 5, 1) + dt.timedelta(days=i)
        name = f"]participatingAgencies{date:%m%d%Y}am.xlsx"
        good.append(write_sheet(raw / folder / name, HEADER_8, [row8(f"Markup Agency {i}", signed=date)]))
        path = raw / folder / f"[red]pendingAgencies{date:%m%d%Y}am.xlsx"
        path.write_bytes(b"PK\x03\x04 truncated [/]")
        bad.append(path)
    later = write_sheet(raw / "zz_after" / "participatingAgencies06012026am.xlsx", HEADER_8, agency_rows(2))
    rc, text = _ingest(capsys, raw, warehouse)
    no_traceback(text)
    assert rc == EXIT_QUARANTINED, text[-2000:]
    landed, rejected = _landed_files(warehouse / "work.duckdb"), _rejected(warehouse / "work.duckdb")
    for path in [*good, later]:
        assert path.relative_to(raw).as_posix() in landed
    for path in bad:
        rel = path.relative_to(raw).as_posix()
        assert rel in rejected and rel in text  # printed literally, markup and all
    rc, text = _build(capsys, raw, warehouse, "--strict", "--no-publish")  # build's error path prints them
    no_traceback(text)
    assert rc == EXIT_FAILED and all(p.relative_to(raw).as_posix() in text for p in bad)


HEADER_PENDING_ROW = ["TEXAS", "Placeholder PD", "Municipality", "Travis County", "Task Force Model"]
BAD_NAME_BYTES = [b"\xff\xfe", b"\x80", b"\xc3(", b"\xed\xa0\x80", b"\xe2\x28\xa1"]


def test_file_names_that_are_not_utf8_land_under_an_escaped_name(fresh, capsys):
    """Bug 2: names with undecodable bytes (several kinds) never crash the run: xlsx and CSV files land
    under their name with the bytes shown as ``\\xff`` (DuckDB reads a CSV through a plain-named link);
    the good files land."""
    warehouse, raw, _ = fresh
    folder = os.fsencode(raw / "ice_287g_sheets" / "2026-05-20")
    os.makedirs(folder, exist_ok=True)
    sheets, ledgers = [], []
    for i, junk in enumerate(BAD_NAME_BYTES):
        path = os.path.join(folder, b"pendingAgencies0520202%dam" % i + junk + b".xlsx")
        write_sheet(
            Path(os.fsdecode(path)),
            HEADER_PENDING,
            [[*HEADER_PENDING_ROW[:1], f"Odd Name PD {i}", *HEADER_PENDING_ROW[2:]]],
        )
        sheets.append(path)
        ledger = os.path.join(folder, b"payments_ledger_" + junk + b"%d.csv" % i)
        Path(os.fsdecode(ledger)).write_text(ledger_text(f"Odd Payee {i},WY,2025-07-15,2025,vehicle,$1.00,,D{i},x"))
        ledgers.append(ledger)
    good = write_sheet(
        raw / "ice_287g_sheets" / "2026-05-21" / "participatingAgencies05212026am.xlsx", HEADER_8, agency_rows(2)
    )
    rc, text = _ingest(capsys, raw, warehouse)
    no_traceback(text)
    assert rc == EXIT_OK, text[-2000:]
    work = warehouse / "work.duckdb"
    landed, rejected = _landed_files(work), _rejected(work)
    for path in sheets:
        rel = os.path.relpath(path, os.fsencode(raw)).decode("utf-8", "backslashreplace")
        assert rel in landed, (rel, sorted(landed)[-8:])
        assert "\\x" in rel
    for path in ledgers:  # DuckDB's reader opens them through a plain-named link
        rel = os.path.relpath(path, os.fsencode(raw)).decode("utf-8", "backslashreplace")
        assert rel in landed and rel not in rejected, rejected.get(rel)
    assert good.relative_to(raw).as_posix() in landed


def _override_cases(raw: Path) -> dict[str, Callable[[Path], None]]:
    def write(text: bytes | str) -> Callable[[Path], None]:
        return lambda path: path.write_bytes(text if isinstance(text, bytes) else text.encode())

    return {
        "bad_date": write("file_name,published_date\nparticipatingAgencies05302026am.xlsx,2026-13-45\n"),
        "free_text_date": write(
            "file_name,published_date\nx.xlsx,2026-05-30\nparticipatingAgencies05302026am.xlsx,May 30\n"
        ),
        "not_utf8": write(b"file_name,published_date\nparticipatingAgencies05302026am\xff.xlsx,2026-05-30\n"),
        "conflicting_rows": write("file_name,published_date\na.xlsx,2026-05-30\na.xlsx,2026-05-31\n"),
        "no_key_column": write("name,published_date\na.xlsx,2026-05-30\n"),
        "symlink_to_etc_passwd": lambda path: path.symlink_to("/etc/passwd"),
        "nul_byte": write(b"file_name,published_date\na.xlsx,2026-05-30\x00\n"),
    }


@pytest.mark.parametrize("variant", sorted(_override_cases(Path())))
def test_bad_publication_dates_file_is_quarantined_not_a_crash(variant, fresh, capsys):
    """Bug 3: publication_dates.csv is a control file under the per-file rules: a bad date, bad bytes,
    conflicting rows or a symlink (to /etc/passwd) quarantine it with file, row and column; the new ICE
    sheets whose dates it may set are held back (named, not landed); other sources land."""
    warehouse, raw, _ = fresh
    control = raw / "ice_287g_sheets" / "publication_dates.csv"
    _override_cases(raw)[variant](control)
    sheet = write_sheet(raw / "ice_287g_sheets" / "participatingAgencies05302026am.xlsx", HEADER_8, agency_rows(2))
    ledger = raw / "ledger" / "payments_ledger_extra.csv"
    ledger.write_text(ledger_text("Extra Payee,WY,2025-07-15,2025,vehicle,$1.00,,X1,x"))
    rc, text = _ingest(capsys, raw, warehouse)
    no_traceback(text)
    assert rc == EXIT_QUARANTINED, text[-2000:]
    work = warehouse / "work.duckdb"
    rejected, landed = _rejected(work), _landed_files(work)
    rel = control.relative_to(raw).as_posix()
    assert rel in rejected and rel in text
    if variant in ("bad_date", "free_text_date", "conflicting_rows"):
        assert rejected[rel]["row_number"] in (2, 3) and rejected[rel]["column_name"] == "published_date"
    sheet_rel = sheet.relative_to(raw).as_posix()
    assert sheet_rel in rejected and "publication_dates.csv" in rejected[sheet_rel]["reason"]
    assert sheet_rel not in landed and ledger.relative_to(raw).as_posix() in landed


def test_publication_dates_in_hidden_folders_or_behind_links_are_never_applied(fresh, capsys):
    """Bug 3: a publication_dates.csv under `.git/` is ignored like any hidden file (the date comes from
    the folder), and one reached through a linked folder is listed, not read."""
    warehouse, raw, _ = fresh
    folder = raw / "ice_287g_sheets" / "2026-06-02"
    sheet = write_sheet(folder / "participatingAgencies06022026am.xlsx", HEADER_8, agency_rows(2))
    for hidden in (raw / ".git" / "refs", folder / ".cache"):
        hidden.mkdir(parents=True)
        (hidden / "publication_dates.csv").write_text(f"file_sha256,published_date\n{sha256(sheet)},2020-01-01\n")
    outside = raw.parent / "outside_controls"
    outside.mkdir()
    (outside / "publication_dates.csv").write_text(f"file_sha256,published_date\n{sha256(sheet)},2020-01-02\n")
    (raw / "linked_controls").symlink_to(outside, target_is_directory=True)
    rc, text = _ingest(capsys, raw, warehouse)
    no_traceback(text)
    assert rc == EXIT_OK, text[-2000:]
    assert query(
        warehouse / "work.duckdb",
        "select published_date, date_method from raw.load_manifest where file_sha256 = ?",
        [sha256(sheet)],
    ) == [(dt.date(2026, 6, 2), "folder")]
    assert "linked_controls" in text and "symbolic link" in text


SAFE_TARGETS = {
    "https://www.ice.gov/doclib/287gMOA/a.pdf": "https://www.ice.gov/doclib/287gMOA/a.pdf",
    "HTTPS://WWW.ICE.GOV/A.PDF": "HTTPS://WWW.ICE.GOV/A.PDF",
    "https:/www.ice.gov/a.pdf": "https://www.ice.gov/a.pdf",
    "www.ice.gov/a.pdf": "https://www.ice.gov/a.pdf",
    "https://nam12.safelinks.protection.outlook.com/?url=https%3A%2F%2Fwww.ice.gov%2Fa.pdf&data=x": (
        "https://www.ice.gov/a.pdf"
    ),
}


def test_only_http_links_become_urls():
    """Bug 4 (rule): only absolute http(s) addresses with a host become a published URL, also after
    SafeLinks / Wayback unwrapping; every other scheme, a cell reference or an unparsable address is null."""
    from ingest.sources.url_safety import published_url

    assert {t: published_url(t) for t in UNSAFE_TARGETS} == dict.fromkeys(UNSAFE_TARGETS)
    assert {t: published_url(t) for t in SAFE_TARGETS} == SAFE_TARGETS


@pytest.mark.parametrize(
    "value",
    ['=HYPERLINK("http://evil.example/x","Click me")', "+1+cmd", "-2+3", "@SUM(A1)", "\t=1", "\r=1", "\n=1", "＝1+1"],
)
def test_csv_cells_that_start_a_formula_are_neutralised(value):
    """Bug 5 (rule): the OWASP prefixes (=, +, -, @, tab, CR; also LF and full-width forms) get a leading
    quote in text columns of a CSV export; numbers stay numbers; other text is unchanged."""
    import duckdb

    from ingest.export_safety import csv_select, neutralise_formula

    con = duckdb.connect()
    con.execute("create table t (name varchar, amount decimal(14, 2), plain varchar)")
    con.execute("insert into t values (?, -5.00, 'a = b'), (null, 1, '-')", [value])
    rows = con.execute(csv_select("t", [("name", "VARCHAR"), ("amount", "DECIMAL(14,2)"), ("plain", "VARCHAR")]))
    assert rows.fetchall() == [("'" + value, -5, "a = b"), (None, 1, "'-")]
    assert neutralise_formula(value) == "'" + value and neutralise_formula("Laramie") == "Laramie"


def _alias_bomb(levels: int = 8) -> str:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, levels + 1):
        prev, cur = chr(ord("a") + i - 1), chr(ord("a") + i)
        lines.append(f"{cur}: &{cur} [{', '.join(['*' + prev] * 9)}]")
    return "\n".join(lines) + "\ncolumns: {payee_name: payee_name, payment_date: payment_date, amount: *i}\n"


MAPPING_BOMBS: dict[str, tuple[bytes, str]] = {
    "alias_bomb_8_levels": (_alias_bomb().encode(), "aliases"),
    "merge_key_alias": (
        b"base: &base {payee_name: payee_name, payment_date: payment_date, amount: amount_usd}\n"
        b"columns:\n  <<: *base\n",
        "aliases",
    ),
    "deep_nesting": (b"columns: " + b"[" * 50_000 + b"]" * 50_000 + b"\n", "nests too deeply"),
    "oversized": (b"name: big\n# " + b"x" * 400_000 + b"\n", "at most"),
    "python_tag": (b"columns: !!python/object/apply:os.system ['echo pwned']\n", "not valid YAML"),
    "not_utf8": (b"name: caf\xe9\ncolumns: {}\n", "not UTF-8"),
    "wrong_types": (
        b"columns: {payee_name: payee_name, payment_date: payment_date, amount: amount_usd}\ndelimiter: [1, 2]\n",
        "`delimiter` must be",
    ),
}


@pytest.mark.parametrize("variant", sorted(MAPPING_BOMBS))
def test_hostile_ledger_mapping_is_refused_quickly_by_name(variant, fresh, capsys):
    """Bug 8: a mapping file is size-limited, parsed without alias expansion and type-checked: a YAML
    bomb (aliases, merge keys, deep nesting, huge file, python tags, bad bytes, wrong types) quarantines
    its ledger within seconds, naming the mapping file; other files land."""
    warehouse, raw, _ = fresh
    data, says = MAPPING_BOMBS[variant]
    folder = raw / "ledger_hostile"
    folder.mkdir()
    ledger = folder / "payments_ledger_hostile.csv"
    ledger.write_text(ledger_text("Hostile Payee,WY,2025-07-15,2025,vehicle,$1.00,,H1,x"))
    (folder / "ledger_mapping.yaml").write_bytes(data)
    start = time.perf_counter()
    rc, text = _ingest(capsys, raw, warehouse)
    assert time.perf_counter() - start < 20
    no_traceback(text)
    assert rc == EXIT_QUARANTINED, text[-2000:]
    stored = _rejected(warehouse / "work.duckdb")[ledger.relative_to(raw).as_posix()]
    assert "ledger_mapping.yaml" in stored["reason"] + text and says in stored["reason"], stored["reason"]
    assert set(rows_from_file(warehouse / "work.duckdb", sha256(ledger)).values()) == {0}


def test_linked_mapping_is_refused_not_followed(fresh, capsys, tmp_path):
    """Weak spot: a mapping reached through a symbolic link is refused by name (one rule for all
    control files), whether the link points at a good mapping or at /etc/passwd."""
    warehouse, raw, _ = fresh
    good_mapping = tmp_path / "mapping.yaml"
    good_mapping.write_text("columns: {payee_name: payee_name, payment_date: payment_date, amount: amount_usd}\n")
    ledgers = []
    for i, target in enumerate((good_mapping, Path("/etc/passwd"))):
        folder = raw / f"ledger_linked_{i}"
        folder.mkdir()
        ledger = folder / "payments_ledger.csv"
        ledger.write_text(ledger_text(f"Linked Payee {i},WY,2025-07-15,2025,vehicle,$1.00,,L{i},x"))
        (folder / "ledger_mapping.yaml").symlink_to(target)
        ledgers.append(ledger)
    rc, text = _ingest(capsys, raw, warehouse)
    no_traceback(text)
    rejected = _rejected(warehouse / "work.duckdb")
    for ledger in ledgers:
        assert "symbolic link" in rejected[ledger.relative_to(raw).as_posix()]["reason"]
    assert rc == EXIT_QUARANTINED


def test_symlinked_data_files_are_listed_as_skipped_with_the_reason(fresh, capsys, tmp_path):
    """Weak spot: links to a file, to a folder and dangling links are listed as skipped (not followed),
    never dropped silently."""
    warehouse, raw, _ = fresh
    outside = write_sheet(tmp_path / "elsewhere" / "participatingAgencies06102026am.xlsx", HEADER_8, agency_rows(2))
    links = {
        raw / "participatingAgencies06102026am.xlsx": outside,
        raw / "linked_folder": outside.parent,
        raw / "pendingAgencies06102026am.xlsx": tmp_path / "missing.xlsx",
    }
    for link, target in links.items():
        link.symlink_to(target)
    rc, text = _ingest(capsys, raw, warehouse)
    no_traceback(text)
    assert rc == EXIT_OK, text[-2000:]
    for link in links:
        assert f"skipped {link.name}: symbolic link" in text, text[-3000:]
    assert sha256(outside) not in {
        r[0] for r in query(warehouse / "work.duckdb", "select file_sha256 from raw.load_manifest")
    }


@pytest.mark.parametrize(
    ("line_break", "eol"),
    [("\n", "\n"), ("\n", "\r\n"), ("\n\n", "\n")],
    ids=["lf", "crlf", "blank_line_inside"],
)
def test_ledger_with_quoted_line_breaks_lands_numbered_by_file_line(line_break, eol, fresh, capsys):
    """Bug 6 and the row-number weak spot: a valid CSV whose quoted values hold line breaks lands (DuckDB
    refuses quoted newlines with null_padding in its parallel reader), and every line's _row_number is
    the file line it starts on, also after the multi-line value."""
    warehouse, raw, _ = fresh
    ledger = raw / "ledger" / "payments_ledger_multiline.csv"
    text = ledger_text(
        "First Payee,WY,2025-07-15,2025,vehicle,$1.00,,M1,plain",
        f'Second Payee,WY,2025-07-16,2025,vehicle,$2.00,,M2,"two{line_break}lines"',
        "Third Payee,WY,2025-07-17,2025,vehicle,$3.00,,M3,after",
        "Short Payee,WY,2025-07-18,2025,vehicle,$4.00",
    )
    ledger.write_bytes(text.replace("\n", eol).encode())
    rc, out = _ingest(capsys, raw, warehouse)
    no_traceback(out)
    assert rc == EXIT_OK, out[-2000:]
    rows = query(
        warehouse / "work.duckdb",
        "select _row_number, payee_name, description, parse_status from raw.ledger_lines "
        "where _file_sha256 = ? order by _row_number",
        [sha256(ledger)],
    )
    extra = line_break.count("\n")
    assert [(r[0], r[1]) for r in rows] == [
        (2, "First Payee"),
        (3, "Second Payee"),
        (4 + extra, "Third Payee"),
        (5 + extra, "Short Payee"),
    ]
    assert rows[1][2] == "two" + line_break.replace("\n", eol) + "lines"
    assert [r[3] for r in rows] == ["ok"] * 4


@pytest.mark.parametrize(
    ("amount", "says"),
    [
        ("--5", "more than one sign"),
        ("-$-5.00", "more than one sign"),
        ("- -5", "more than one sign"),
        ("(-5.00)", "more than one sign"),
        ("$1,000,000,000,000.00", "too large for DECIMAL(14,2)"),
        ("99999999999999", "too large for DECIMAL(14,2)"),
    ],
)
def test_ledger_amounts_with_two_signs_or_too_large_are_rejected_with_the_reason(amount, says, fresh, capsys):
    """Weak spot: `--5` was read as -5.00 and an amount beyond DECIMAL(14,2) was "not a money value"."""
    warehouse, raw, _ = fresh
    ledger = raw / "ledger" / "payments_ledger_amounts.csv"
    ledger.write_text(ledger_text(f'Amount Payee,WY,2025-07-15,2025,vehicle,"{amount}",,A1,x'))
    rc, out = _ingest(capsys, raw, warehouse)
    assert rc == EXIT_OK, out[-2000:]
    [(status, reason, amount_usd)] = query(
        warehouse / "work.duckdb",
        "select parse_status, reject_reason, amount_usd from raw.ledger_lines where _file_sha256 = ?",
        [sha256(ledger)],
    )
    assert (status, amount_usd) == ("rejected", None) and says in reason and amount in reason, reason


@pytest.mark.parametrize(
    ("encode", "says"),
    [
        (lambda t: t.encode("utf-16"), "UTF-16-LE (byte-order mark)"),
        (lambda t: codecs.BOM_UTF16_BE + t.encode("utf-16-be"), "UTF-16-BE (byte-order mark)"),
        (lambda t: t.encode("utf-16-le"), "UTF-16-LE (NUL bytes, no mark)"),
        (lambda t: t.encode("utf-32"), "UTF-32-LE (byte-order mark)"),
    ],
    ids=["utf16le_bom", "utf16be_bom", "utf16le_no_bom", "utf32"],
)
def test_ledger_in_another_encoding_is_refused_naming_the_encoding(encode, says, fresh, capsys):
    """Weak spot: a UTF-16/32 ledger's message named NUL-filled headers; now it names the encoding."""
    warehouse, raw, _ = fresh
    ledger = raw / "ledger" / "payments_ledger_wide.csv"
    ledger.write_bytes(encode(ledger_text("Wide Payee,WY,2025-07-15,2025,vehicle,$1.00,,W1,x")))
    rc, out = _ingest(capsys, raw, warehouse)
    no_traceback(out)
    assert rc == EXIT_QUARANTINED, out[-2000:]
    reason = _rejected(warehouse / "work.duckdb")[ledger.relative_to(raw).as_posix()]["reason"]
    assert says in reason and "\x00" not in reason, reason


@pytest.mark.parametrize("folder", ["o'brien wh", 'say "hi" wh', "a'); drop table x; -- wh", "[bold]wh"])
def test_publish_into_a_warehouse_path_with_quotes(folder, built_sample_warehouse, tmp_path, capsys):
    """Bug 7: quotes (and markup) in the warehouse path never reach SQL or the console unquoted."""
    warehouse = copy_warehouse(built_sample_warehouse, tmp_path / folder)
    rc = main(["publish", "--warehouse-dir", str(warehouse)])
    out = capsys.readouterr()
    text = out.out + out.err
    no_traceback(text)
    assert rc == EXIT_OK, text[-2000:]
    assert query(warehouse / "marts.duckdb", "select count(*) from dim_publications")[0][0] > 0
    assert (warehouse / "exports" / "dim_publications.csv").exists()


HOLD_LOCK = "import duckdb, sys, time; con = duckdb.connect(sys.argv[1]); print('locked', flush=True); time.sleep(120)"


@pytest.mark.parametrize("command", ["ingest", "build", "publish"])
def test_a_second_writer_is_told_another_build_holds_the_warehouse(command, fresh, capsys):
    """Weak spot: while another process holds the work file, ingest / build / publish exit 4 with one
    clear line (no lock traceback) and the publication stays as it was."""
    warehouse, raw, before = fresh
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD_LOCK, str(warehouse / "work.duckdb")], stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        args = [command, "--warehouse-dir", str(warehouse)] + ([] if command == "publish" else ["--raw-dir", str(raw)])
        rc = main(args)
        out = capsys.readouterr()
        text = " ".join((out.out + out.err).split())
        debug_rc = main([*args, "--debug"])  # --debug adds the traceback to the same one-line message
        debug = capsys.readouterr().err
    finally:
        holder.kill()
        holder.wait()
    no_traceback(text)
    assert rc == EXIT_BUSY, text[-2000:]
    assert debug_rc == EXIT_BUSY and "Traceback" in debug and "another build holds this warehouse" in debug
    assert "another build holds this warehouse" in text and "the previous publication is untouched" in text
    assert Publication.of(warehouse) == before


def _limited_run(args: list[str], max_file_bytes: int) -> subprocess.CompletedProcess:
    """Run the CLI with files limited to max_file_bytes (writes beyond fail with EFBIG, as on a full disk)."""
    import resource
    import signal

    from warehouse_support import ICE287G, cli_env

    def limit() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (max_file_bytes, max_file_bytes))

    return subprocess.run(
        [str(ICE287G), *args], capture_output=True, text=True, env=cli_env(), preexec_fn=limit, timeout=300
    )


@pytest.mark.parametrize("command", ["ingest", "publish"])
def test_full_disk_ends_in_one_message_and_leaves_the_publication(command, fresh):
    """Weak spot: a full disk (here: a file-size limit, EFBIG) during ingest or publish ends in one message
    naming the problem, exit 5, "previous publication is untouched", nothing partial landed."""
    warehouse, raw, before = fresh
    work = warehouse / "work.duckdb"
    big = write_sheet(
        raw / "ice_287g_sheets" / "2026-06-20" / "participatingAgencies06202026am.xlsx", HEADER_8, agency_rows(300)
    )
    manifest_before = query(work, "select count(*) from raw.load_manifest")
    args = [command, "--warehouse-dir", str(warehouse)] + (["--raw-dir", str(raw)] if command == "ingest" else [])
    result = _limited_run(args, max_file_bytes=work.stat().st_size if command == "ingest" else 64 * 1024)
    text = " ".join((result.stdout + result.stderr).split())
    no_traceback(text)
    assert result.returncode == EXIT_WAREHOUSE, text[-3000:]
    assert "cannot write" in text and "the previous publication is untouched" in text
    assert Publication.of(warehouse) == before
    # all or nothing: a file committed before the disk filled is whole (DuckDB replays its log), else absent
    landed = rows_from_file(work, sha256(big))
    manifest = query(work, "select count(*) from raw.load_manifest")[0][0]
    if landed["load_manifest"]:
        assert landed["ice_participating_rows"] == 300 and manifest == manifest_before[0][0] + 1
    else:
        assert set(landed.values()) == {0} and manifest == manifest_before[0][0]


def _chattr(flag: str, *paths: Path) -> bool:
    result = subprocess.run(["chattr", flag, *map(str, paths)], capture_output=True, check=False)
    return result.returncode == 0


@pytest.mark.parametrize("command", ["ingest", "publish"])
def test_read_only_warehouse_ends_in_one_message(command, fresh, capsys):
    """Weak spot: a warehouse that cannot be written (here: immutable files, which stop root too) ends
    ingest / publish with one line, exit 5 and "previous publication is untouched"."""
    warehouse, raw, before = fresh
    write_sheet(
        raw / "ice_287g_sheets" / "2026-07-01" / "participatingAgencies07012026am.xlsx", HEADER_8, agency_rows()
    )
    frozen = [warehouse / "work.duckdb"] if command == "ingest" else [warehouse / "publications", warehouse]
    if not _chattr("+i", *frozen):
        pytest.skip("chattr +i is not available here (needs a filesystem with attributes and CAP_LINUX_IMMUTABLE)")
    try:
        args = [command, "--warehouse-dir", str(warehouse)] + (["--raw-dir", str(raw)] if command == "ingest" else [])
        rc = main(args)
        out = capsys.readouterr()
        text = " ".join((out.out + out.err).split())
    finally:
        _chattr("-i", *frozen)
    no_traceback(text)
    assert rc == EXIT_WAREHOUSE, text[-2000:]
    assert "cannot" in text and "the previous publication is untouched" in text
    assert Publication.of(warehouse) == before
