"""Bad-input suite: every hostile or broken file is quarantined with a message naming it (and the row and
column where they apply), the build exits with the documented code, nothing from the file lands, and the
published marts.duckdb and exports stay byte-identical.

Fixtures are built by the tests (openpyxl via tests/python/xlsx_fixtures.py, raw zip surgery for hostile
archives) and added to a private copy of a warehouse built once per session from data/sample. The CLI
runs in-process (``ingest.cli.main``) for speed; the crash suite runs it as a separate process.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from warehouse_support import (
    Publication,
    copy_raw,
    copy_warehouse,
    mart_checksums,
    query,
    rejections,
    rows_from_file,
    run_cli,
    sha256,
)
from xlsx_fixtures import HEADER_7, HEADER_8, row8, write_sheet

from ingest.cli import EXIT_FAILED, EXIT_OK, EXIT_QUARANTINED, main
from ingest.sample.xlsx_writer import SheetSpec, build_workbook

BAD_DIR = "ice_287g_sheets/2026-04-30"
NAME = "participatingAgencies04302026am.xlsx"


def _rows(n: int = 3, **overrides) -> list[list]:
    return [
        row8(f"Bad Case Agency {i}", signed=dt.date(2025, 3, 1) + dt.timedelta(days=i), **overrides) for i in range(n)
    ]


def _xlsx_bytes(header: list[str], rows: list[list]) -> bytes:
    buf = io.BytesIO()
    build_workbook(SheetSpec(sheet_name="Sheet1", rows=[header, *rows])).save(buf)
    return buf.getvalue()


def _rezip(
    data: bytes,
    *,
    replace: dict[str, bytes] | None = None,
    add: dict[str, bytes] | None = None,
    compression: int = zipfile.ZIP_DEFLATED,
) -> bytes:
    """Copy an xlsx archive, replacing or adding members (for hostile-archive fixtures)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", compression) as dst:
        for info in src.infolist():
            dst.writestr(info.filename, (replace or {}).get(info.filename, src.read(info.filename)))
        for name, payload in (add or {}).items():
            dst.writestr(name, payload)
    return out.getvalue()


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
        SheetSpec(sheet_name="Sheet1", rows=[[f"title line {i}"] for i in range(35)] + [HEADER_8, *_rows()])
    )
    wb.save(path)


def _two_ice_sheets(path: Path) -> None:
    wb = build_workbook(SheetSpec(sheet_name="Sheet1", rows=[HEADER_8, *_rows()]))
    second = wb.create_sheet("Sheet2")
    for row in [HEADER_8, *_rows()]:
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


GOOD = _xlsx_bytes(HEADER_8, _rows())
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
        _file(NAME.replace(".xlsx", ".xlsm"), _rezip(GOOD, add={"xl/vbaProject.bin": b"\0" * 64})),
        ("macros",),
    ),
    "renamed_column": Case(
        _sheet([*HEADER_8[:4], "PROGRAM TYPE", *HEADER_8[5:]], _rows()),
        ("unexpected column(s) ['PROGRAM TYPE']", "missing column(s) ['SUPPORT TYPE']"),
        row=1,
    ),
    "missing_column": Case(
        _sheet([h for h in HEADER_8 if h != "COUNTY"], [r[:3] + r[4:] for r in _rows()]),
        ("missing column(s) ['COUNTY']",),
        row=1,
    ),
    "extra_column": Case(
        _sheet([*HEADER_8, "NOTES"], [[*r, "note"] for r in _rows()]),
        ("unexpected column(s) ['NOTES']",),
        row=1,
    ),
    "value_without_header": Case(
        _sheet(HEADER_8, [*_rows(2), [*row8("Stray"), None, "stray value"]]),
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
            _rezip(
                GOOD,
                replace={"xl/workbook.xml": _with_dtd(zipfile.ZipFile(io.BytesIO(GOOD)).read("xl/workbook.xml"))},
            ),
        ),
        ("DTD/entities",),
    ),
    "xml_bomb_in_sheet_xml": Case(
        _file(
            NAME,
            _rezip(
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
    "zip_bomb_member": Case(_file(NAME, _rezip(GOOD, add={"xl/media/zeros.bin": b"\0" * (20 << 20)})), ("zip bomb",)),
    "zip_bomb_unnamed_file_not_skipped": Case(
        _file("quarterly_report.xlsx", _rezip(GOOD, add={"xl/media/zeros.bin": b"\0" * (20 << 20)})),
        ("zip bomb",),
    ),
    "path_traversal_member": Case(_file(NAME, _rezip(GOOD, add={"../../../tmp/evil.txt": b"pwned"})), ("unsafe path",)),
    "huge_row_count": Case(_sheet(HEADER_8, _rows(80)), ("rows (limit 50)",), env={"ICE287G_MAX_SHEET_ROWS": "50"}),
    "name_with_quotes_and_sql": Case(_file(SQL_NAME, b"PK\x03\x04 truncated"), ("not a zip archive",)),
    "duplicate_of_bad_file_under_new_name": Case(_duplicate_bad, ("not a readable xlsx",)),
}


# --- ICE's values never quarantine (README "Three kinds of problem"): they land, are counted by a
# warn expectation and are listed in marts.rpt_values_for_review. These were quarantine cases; each
# keeps its assertions (expectation, row, column, what the message says), now on a landed file.


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
        [_rows(1)[0], *(row8(f"Text {i}", signed="pending signature") for i in range(3))],
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
        [*_rows(2), row8("No State", state="  ")],
        ("state_missing_rows",),
        row=4,
        column="state",
        review=("state", "", "XX", "placeholder"),
    ),
    "unknown_support_type": ValueCase(
        HEADER_8,
        [*_rows(2), row8("Odd Support", support="Jail Model")],
        ("support_type_outside_vocabulary", "'Jail Model'"),
        row=4,
        column="support_type",
        review=("support_type", "Jail Model", "Jail Enforcement Model", "keyword"),
    ),
    "unknown_agency_type": ValueCase(
        HEADER_7,
        [r[:7] for r in [row8("Odd Type", agency_type="Tribal"), *_rows(2)]],
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


@pytest.fixture(scope="module")
def landed_values(built_sample_warehouse: Path, tmp_path_factory) -> tuple[Path, dict[str, Path], str, int]:
    """One --strict build of the sample plus every ValueCase sheet: (warehouse, files, summary, exit code)."""
    root = tmp_path_factory.mktemp("values")
    warehouse = copy_warehouse(built_sample_warehouse, root / "wh")
    raw = copy_raw(root / "raw")
    files = {name: _value_case_file(raw, i, name) for i, name in enumerate(sorted(VALUE_CASES))}
    result = run_cli("build", "--raw-dir", str(raw), "--warehouse-dir", str(warehouse), "--strict")
    return warehouse, files, " ".join((result.stdout + "\n" + result.stderr).split()), result.returncode


@pytest.mark.parametrize("name", sorted(VALUE_CASES))
def test_bad_value_lands_is_counted_and_listed_for_review(name, landed_values):
    warehouse, files, text, rc = landed_values
    case, path = VALUE_CASES[name], files[name]
    assert rc == EXIT_OK, text[-2000:]  # even --strict: a value is never a reason to quarantine
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


def test_value_warning_reports_expectations_and_examples(fresh, capsys):
    """A sheet with a value no rule knows lands (--strict passes): its results are stored (landed = true,
    severity warn) with example rows, and the summary counts the warning."""
    warehouse, raw, before = fresh
    (bad,) = _sheet(HEADER_8, [*_rows(2), row8("Odd Support", support="Jail Model")])(raw)
    rc, text = _build(capsys, raw, warehouse, "--strict")
    assert rc == EXIT_OK, text[-2000:]
    assert "Quarantined files" not in text
    assert "counted support_type_outside_vocabulary" in text and "'Jail Model' x1" in text
    results = query(
        warehouse / "work.duckdb",
        "select expectation, success, landed, severity from raw.validation_results "
        "where file_sha256 = ? order by expectation",
        [sha256(bad)],
    )
    assert ("support_type_outside_vocabulary", False, True, "warn") in results
    assert ("state_missing_rows", True, True, "warn") in results
    examples = query(
        warehouse / "work.duckdb",
        "select examples from raw.validation_results where file_sha256 = ? and expectation = ?",
        [sha256(bad), "support_type_outside_vocabulary"],
    )
    assert "row 4: support_type = 'Jail Model'" in str(examples)
    assert Publication.of(warehouse) != before  # published


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


def test_two_files_claiming_the_same_publication_date_fail_the_build(fresh, capsys):
    """Both files land (neither is broken), but the QA invariant fails dbt build: nothing is published."""
    warehouse, raw, before = fresh
    folder = "ice_287g_sheets/2026-04-30"
    write_sheet(raw / folder / "participatingAgencies04302026am.xlsx", HEADER_8, _rows(3))
    write_sheet(raw / folder / "participatingAgencies04302026pm.xlsx", HEADER_8, _rows(4))
    rc, text = _build(capsys, raw, warehouse)
    assert rc == EXIT_FAILED, text[-2000:]
    assert "published_dates_unique_unless_flagged [participating]" in text
    assert "participatingAgencies04302026am.xlsx" in text and "participatingAgencies04302026pm.xlsx" in text
    assert "the previous publication is untouched" in text
    assert Publication.of(warehouse) == before


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
            *_rows(2),
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
    sql_named = write_sheet(folder.parent / "2026-05-02" / SQL_NAME, HEADER_8, _rows(2))
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
# Each takes a file of that source from its own sample writer (ingest.sample.generate), breaks it the
# way the issue lists, and asserts the behaviour every source must have.


def _registered(*names: str) -> bool:
    from ingest.sources import all_sources

    return bool({s.name for s in all_sources()} & set(names))


def _needs(*names: str):
    return pytest.mark.skipif(
        not _registered(*names),
        reason=f"runs once a {' / '.join(names)} source is registered in ingest.sources.all_sources()",
    )


def _sample_text_file(tmp_path: Path, names: tuple[str, ...], want: Callable[[str], bool]) -> tuple[Path, str]:
    """A delimited sample file of one of these sources whose text satisfies ``want`` (or skip)."""
    from ingest.sample import generate
    from ingest.sources import all_sources
    from ingest.sources.base import FileInfo

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
    pytest.skip(f"no delimited sample file of {names} fits this case; adapt the fixture to the source")


def _replace_cell(text: str, column_hint: str, value: str) -> tuple[str, int, str]:
    """Set the first data row's value in the first column whose header contains column_hint."""
    import csv

    lines = text.splitlines(keepends=True)
    dialect = csv.Sniffer().sniff(lines[0] + (lines[1] if len(lines) > 1 else ""), delimiters=",|\t;")
    rows = list(csv.reader(lines, dialect))
    header_idx = next((i for i, r in enumerate(rows[:20]) if any(column_hint in c.lower() for c in r)), None)
    if header_idx is None or header_idx + 1 >= len(rows):
        pytest.skip(f"no column like {column_hint!r} in the sample file; adapt the fixture to the source")
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


@_needs("ledger", "payments")
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


@_needs("ledger", "payments")
def test_ledger_negative_officer_count_is_rejected_with_row_and_column(fresh, capsys, tmp_path):
    warehouse, raw, _ = fresh
    path, text = _sample_text_file(tmp_path, ("ledger", "payments"), lambda t: "officer" in t.lower())
    bad_text, row, column = _replace_cell(text, "officer", "-3")
    bad = raw / "bad_ledger" / path.name
    bad.parent.mkdir()
    bad.write_text(bad_text, encoding="utf-8")
    stored = _ledger_line_rejected(capsys, raw, warehouse, bad, row, column)
    assert "-3" in stored["reason"]


@_needs("census")
def test_census_latin1_file_is_decoded_not_mangled(fresh, capsys, tmp_path):
    """PEP's co-est file is Latin-1: it must land with 'Doña Ana County' intact, or be refused by name."""
    warehouse, raw, _ = fresh
    path, text = _sample_text_file(tmp_path, ("census",), lambda t: "CTYNAME" in t)
    bad_text, _, _ = _replace_cell(text, "ctyname", "Doña Ana County")
    bad = raw / "census_latin1" / path.name
    bad.parent.mkdir()
    bad.write_bytes(bad_text.encode("latin-1"))
    rc = main(["ingest", "--raw-dir", str(raw), "--warehouse-dir", str(warehouse)])
    text_out = " ".join(capsys.readouterr().out.split())
    landed = rows_from_file(warehouse / "work.duckdb", sha256(bad))
    if rc == EXIT_OK:
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
    else:
        assert rc == EXIT_QUARANTINED and bad.relative_to(raw).as_posix() in text_out
        assert set(landed.values()) == {0}


@_needs("census", "arrests")
def test_pipe_file_written_with_commas_is_refused(fresh, capsys, tmp_path):
    """A pipe-delimited file arriving comma-delimited is refused by name, never landed as one column."""
    warehouse, raw, before = fresh
    path, text = _sample_text_file(
        tmp_path, ("census", "arrests"), lambda t: t.splitlines()[0].count("|") > t.splitlines()[0].count(",")
    )
    if any("," in line for line in text.splitlines()[:50]):
        pytest.skip("the pipe-delimited sample has commas inside values; adapt the fixture")
    bad = raw / "pipe_as_comma" / path.name
    bad.parent.mkdir()
    bad.write_text(text.replace("|", ","), encoding="utf-8")
    _strict_refusal(capsys, raw, warehouse, bad, before)
