"""ICE sheets through the real ingestion into a real DuckDB file: one test per layout and quirk."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import duckdb
import pytest
from xlsx_fixtures import (
    HEADER_6,
    HEADER_7,
    HEADER_8,
    HEADER_HTML,
    HEADER_PENDING,
    MOA,
    Cell,
    row8,
    write_sheet,
)

from ingest.pipeline import RawDirError, ingest_dir


def _ingest(raw: Path, tmp_path: Path):
    db = tmp_path / "wh" / "work.duckdb"
    summary = ingest_dir(raw, db, quarantine_dir=tmp_path / "wh" / "quarantine")
    return summary, db


def _rows(db: Path, sql: str):
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def test_values_kept_exactly_as_printed(tmp_path):
    raw = tmp_path / "raw"
    write_sheet(
        raw / "participatingAgencies01052025am.xlsx",
        HEADER_8,
        [
            row8(
                "Laramie County Sheriff’s Office ",
                state="WYOMING ",
                support="Warrant Service Officer ",
                agency_type="County ",
                county="Laramie County  ",
            ),
        ],
    )
    _, db = _ingest(raw, tmp_path)
    assert _rows(
        db, "select state, law_enforcement_agency, type, county, support_type from raw.ice_participating_rows"
    ) == [("WYOMING ", "Laramie County Sheriff’s Office ", "County ", "Laramie County  ", "Warrant Service Officer ")]


def test_hyperlink_target_kept_beside_display_text(tmp_path):
    raw = tmp_path / "raw"
    safelink = (
        "https://gcc02.safelinks.protection.outlook.com/?url=https%3A%2F%2Fwww.ice.gov%2Fdoclib%2F287gMOA"
        "%2FA.pdf&data=x&reserved=0"
    )
    write_sheet(
        raw / "participatingAgencies01052025am.xlsx",
        HEADER_8,
        [
            row8("A", moa=Cell("link ", hyperlink=safelink), addendum=Cell("link", hyperlink=MOA)),
            row8("B", moa="link pending "),
        ],
    )
    _, db = _ingest(raw, tmp_path)
    rows = _rows(
        db,
        "select law_enforcement_agency, moa, moa_link_target, moa_link_origin, moa_url, addendum, "
        "addendum_url from raw.ice_participating_rows order by _row_number",
    )
    assert rows[0] == ("A", "link ", safelink, "hyperlink", "https://www.ice.gov/doclib/287gMOA/A.pdf", "link", MOA)
    assert rows[1] == ("B", "link pending ", None, None, None, None, None)


def test_excel_error_cells_kept_as_printed(tmp_path):
    raw = tmp_path / "raw"
    write_sheet(
        raw / "participatingAgencies01052025am.xlsx",
        HEADER_8,
        [
            row8("A", county="#N/A"),
            row8("B", county="#NA"),
            row8("C", county="N/A"),
            row8("D", county=None),
        ],
    )
    _, db = _ingest(raw, tmp_path)
    assert _rows(db, "select county from raw.ice_participating_rows order by _row_number") == [
        ("#N/A",),
        ("#NA",),
        ("N/A",),
        (None,),
    ]


def test_signed_text_oddities_parsed_with_status(tmp_path):
    raw = tmp_path / "raw"
    write_sheet(
        raw / "participatingAgencies08012025am.xlsx",
        HEADER_8,
        [
            row8("A", signed="05/082025"),
            row8("B", signed="7/72025"),
            row8("C", signed=dt.date(5025, 7, 7)),
            row8("D", signed="unknown"),
        ],
    )
    _, db = _ingest(raw, tmp_path)
    assert _rows(
        db,
        "select signed, signed_cell_type, signed_date, signed_parse_status "
        "from raw.ice_participating_rows order by _row_number",
    ) == [
        ("05/082025", "text", dt.date(2025, 5, 8), "repaired_text"),
        ("7/72025", "text", dt.date(2025, 7, 7), "repaired_text"),
        ("5025-07-07", "date", dt.date(2025, 7, 7), "repaired_year"),
        ("unknown", "text", None, "unparseable"),
    ]


def test_trailing_empty_rows_and_columns_ignored_row_numbers_are_excel(tmp_path):
    raw = tmp_path / "raw"
    write_sheet(
        raw / "participatingAgencies01052025am.xlsx",
        HEADER_8,
        [row8("A"), [None] * 8, row8("B")],
        used_cols=13,
        used_rows=40,
    )
    summary, db = _ingest(raw, tmp_path)
    assert summary.by_status("loaded")[0].n_rows == 2
    assert _rows(db, "select _row_number, law_enforcement_agency from raw.ice_participating_rows order by 1") == [
        (2, "A"),
        (4, "B"),
    ]


def test_exact_duplicate_rows_are_kept(tmp_path):
    raw = tmp_path / "raw"
    write_sheet(raw / "participatingAgencies01052025am.xlsx", HEADER_8, [row8("A"), row8("A")])
    _, db = _ingest(raw, tmp_path)
    assert _rows(db, "select count(*) from raw.ice_participating_rows")[0][0] == 2


@pytest.mark.parametrize(
    ("header", "row", "layout"),
    [
        (
            HEADER_HTML,
            [
                "WYOMING",
                "A",
                "Task Force Model",
                "2025-01-02",
                "https://web.archive.org/web/20250104041613/https://www.ice.gov/doclib/287gMOA/A.pdf",
            ],
            "participating_html5",
        ),
        (
            HEADER_6,
            ["WYOMING", "A", "County", "Task Force Model", dt.date(2025, 1, 2), Cell("link", hyperlink=MOA)],
            "participating_xlsx6",
        ),
        (HEADER_7, row8("A")[:7], "participating_xlsx7"),
        (HEADER_8, row8("A"), "participating_xlsx8"),
        (HEADER_PENDING, ["WYOMING", "A", "County", "#N/A", "Task Force Model"], "pending_xlsx5"),
        (
            [*HEADER_PENDING, "MOA"],
            ["WYOMING", "A", "County", "#N/A", "Task Force Model", "link pending"],
            "pending_xlsx6",
        ),
    ],
)
def test_layout_detected_by_header(tmp_path, header, row, layout):
    raw = tmp_path / "raw"
    write_sheet(raw / "sheet.xlsx", header, [row], sheet_name="Sheet 1")
    summary, db = _ingest(raw, tmp_path)
    [loaded] = summary.by_status("loaded")
    assert loaded.layout == layout
    assert _rows(db, "select layout, sheet from raw.load_manifest") == [(layout, "Sheet 1")]


def test_html_era_plain_text_url_is_the_link(tmp_path):
    raw = tmp_path / "raw"
    url = "https://web.archive.org/web/20250104041613/https://www.ice.gov/doclib/287gMOA/A.pdf"
    write_sheet(
        raw / "ParticipatingEntities-20250104041613.xlsx",
        HEADER_HTML,
        [["WYOMING", "A", "Task Force Model", "2025-01-02", url]],
        sheet_name="287(g) Agreements",
    )
    _, db = _ingest(raw, tmp_path)
    assert _rows(
        db,
        "select signed_date, signed_parse_status, moa_link_target, moa_link_origin, moa_url "
        "from raw.ice_participating_rows",
    ) == [(dt.date(2025, 1, 2), "iso_text", url, "text", "https://www.ice.gov/doclib/287gMOA/A.pdf")]


def test_value_in_a_column_without_header_is_rejected_naming_cell(tmp_path):
    raw = tmp_path / "raw"
    write_sheet(raw / "participatingAgencies01052025am.xlsx", HEADER_8, [row8("A"), [*row8("B"), None, "stray"]])
    summary, db = _ingest(raw, tmp_path)
    [rej] = summary.rejected
    assert "participatingAgencies01052025am.xlsx" in rej.detail
    assert "row 3" in rej.detail and "column J" in rej.detail
    assert _rows(db, "select count(*) from raw.ice_participating_rows")[0][0] == 0


def test_missing_column_is_rejected_naming_header(tmp_path):
    raw = tmp_path / "raw"
    header = [h for h in HEADER_8 if h != "SIGNED"] + ["NOTES"]
    write_sheet(raw / "participatingAgencies01052025am.xlsx", header, [["WY", "A", "County", "X", "TFM", "l", "", "n"]])
    summary, _ = _ingest(raw, tmp_path)
    [rej] = summary.rejected
    assert "row 1" in rej.detail and "NOTES" in rej.detail


def test_header_found_below_title_rows(tmp_path):
    raw = tmp_path / "raw"
    write_sheet(
        raw / "participatingAgencies01052025am.xlsx", ["287(g) participating agencies"], [[None], HEADER_8, row8("A")]
    )
    summary, db = _ingest(raw, tmp_path)
    assert summary.by_status("loaded")[0].n_rows == 1
    assert _rows(db, "select header_row from raw.load_manifest") == [(3,)]
    assert _rows(db, "select _row_number from raw.ice_participating_rows") == [(4,)]


def test_all_rows_blank_is_rejected(tmp_path):
    raw = tmp_path / "raw"
    write_sheet(raw / "participatingAgencies01052025am.xlsx", HEADER_8, [[None] * 8, [" "] * 8])
    summary, _ = _ingest(raw, tmp_path)
    assert "no data rows" in summary.rejected[0].detail


def test_same_bytes_under_two_names_are_one_publication_and_rerun_changes_nothing(tmp_path):
    raw = tmp_path / "raw"
    first = write_sheet(raw / "2025-01-05" / "participatingAgencies01052025am.xlsx", HEADER_8, [row8("A")])
    shutil.copy(first, raw / "participatingAgencies01052025am (1).xlsx")
    summary, db = _ingest(raw, tmp_path)
    assert [o.status for o in summary.outcomes] == ["already_loaded", "loaded"] or sorted(
        o.status for o in summary.outcomes
    ) == ["already_loaded", "loaded"]
    assert _rows(db, "select count(*) from raw.load_manifest")[0][0] == 1
    assert _rows(db, "select count(*) from raw.load_file_names")[0][0] == 2
    before = _rows(db, "select * from raw.ice_participating_rows")
    summary2 = ingest_dir(raw, db)
    assert {o.status for o in summary2.outcomes} == {"already_loaded"}
    assert _rows(db, "select * from raw.ice_participating_rows") == before


def test_unrecognised_files_are_skipped_not_fatal(tmp_path):
    raw = tmp_path / "raw"
    write_sheet(raw / "summary.xlsx", ["Date", "Task Force Model", "Total"], [[dt.date(2025, 1, 1), 3, 3]])
    (raw / "README.md").write_text("notes")
    summary, _ = _ingest(raw, tmp_path)
    assert {o.status for o in summary.outcomes} == {"skipped"}


def test_missing_and_empty_raw_dir_raise(tmp_path):
    with pytest.raises(RawDirError, match="does not exist"):
        ingest_dir(tmp_path / "nope", tmp_path / "w.duckdb")
    (tmp_path / "empty").mkdir()
    with pytest.raises(RawDirError, match="holds no files"):
        ingest_dir(tmp_path / "empty", tmp_path / "w.duckdb")


def test_publication_date_override_file(tmp_path):
    raw = tmp_path / "raw"
    write_sheet(raw / "participatingAgencies01052025am.xlsx", HEADER_8, [row8("A")])
    (raw / "publication_dates.csv").write_text(
        "file_name,published_date,note\nparticipatingAgencies01052025am.xlsx,2025-01-06,seen on the site a day later\n"
    )
    _, db = _ingest(raw, tmp_path)
    assert _rows(db, "select published_date, date_method from raw.load_manifest") == [(dt.date(2025, 1, 6), "override")]
