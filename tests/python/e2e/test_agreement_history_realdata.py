"""Agreement history on the real ICE sheets in ../shared/realdata.

One warehouse is built once per session from copies of the real participating and pending sheets (in
a tmp dir); the expected numbers are parsed from MANIFEST.md section 1a at test time, never copied
into the repository. A second build adds one newer participating sheet that the test derives from
the newest real one (rows dropped, added, re-dated, renamed) and checks that exactly those changes
reach rpt_publication_changes and the statuses. Skipped when ../shared is absent.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import time
from dataclasses import dataclass
from pathlib import Path

import duckdb
import openpyxl
import pytest

from ingest.pipeline import ingest_dir
from ingest.project import dbt_build

pytestmark = [pytest.mark.realdata, pytest.mark.slow]  # a build of its own (a newer sheet)

SHEET_FOLDERS = ("ice_287g_sheets", "ice_287g_sheets_reconstructed_from_wayback_html")
SUPPORT = {"JEM": "Jail Enforcement Model", "TFM": "Task Force Model", "WSO": "Warrant Service Officer"}
NEW_SHEET_DATE = dt.date(2026, 4, 24)
BUILD_SECONDS: dict[str, tuple[float, float]] = {}


@dataclass(frozen=True)
class ManifestRow:
    """One row of MANIFEST.md section 1a."""

    as_of: dt.date
    file_name: str
    rows: int
    by_support: dict[str, int]
    distinct_agencies: int


def manifest_snapshot_counts(realdata: Path) -> list[ManifestRow]:
    """Parse MANIFEST.md section 1a (as-of, file, rows, JEM, TFM, WSO, distinct (state,agency))."""
    text = (realdata / "MANIFEST.md").read_text(encoding="utf-8")
    section = text.split("### 1a.", 1)[1].split("### 1b.", 1)[0]
    out = []
    for line in section.splitlines():
        m = re.match(
            r"\|\s*(\d{4}-\d{2}-\d{2})\s*\|\s*`([^`]+)`\s*\|\s*(\d+)\s*\|\s*(\d+)\s*\|\s*(\d+)\s*\|\s*(\d+)\s*\|\s*(\d+)\s*\|",
            line,
        )
        if m:
            out.append(
                ManifestRow(
                    dt.date.fromisoformat(m.group(1)),
                    m.group(2),
                    int(m.group(3)),
                    {"JEM": int(m.group(4)), "TFM": int(m.group(5)), "WSO": int(m.group(6))},
                    int(m.group(7)),
                )
            )
    return out


def _build(raw_dir: Path, warehouse_dir: Path, label: str, with_tests: bool = True) -> None:
    """Ingest raw_dir into warehouse_dir, then `dbt build` (seeds and models only unless with_tests)."""
    t0 = time.perf_counter()
    summary = ingest_dir(raw_dir, warehouse_dir / "work.duckdb")
    assert not summary.rejected, [o.detail for o in summary.rejected]
    t1 = time.perf_counter()
    # as ice287g build runs it: only what the raw data that changed since the recorded build needs
    excluded = ["unit_test"] if with_tests else ["test", "unit_test"]
    result = dbt_build(warehouse_dir, [a for kind in excluded for a in ("--exclude-resource-type", kind)])
    BUILD_SECONDS[label] = (t1 - t0, time.perf_counter() - t1)
    assert result.ok, result.failures


def _q(db: Path, sql: str, params: list | None = None) -> list[tuple]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


@pytest.fixture(scope="session")
def real_sheets_raw(realdata: Path, tmp_path_factory) -> Path:
    """Copies of the real ICE sheets (only) in a tmp raw dir."""
    raw = tmp_path_factory.mktemp("agr_raw")
    for folder in SHEET_FOLDERS:
        shutil.copytree(realdata / folder, raw / folder)
    return raw


@pytest.fixture(scope="session")
def real_warehouse(built_real_warehouse: Path) -> Path:
    """work.duckdb built once from the real data (`dbt build`: the models and every test green)."""
    return built_real_warehouse / "work.duckdb"


def test_manifest_section_1a_parses(realdata):
    rows = manifest_snapshot_counts(realdata)
    assert len(rows) == 18
    assert all(sum(r.by_support.values()) == r.rows for r in rows)


def test_listings_by_support_type_match_manifest(realdata, real_warehouse):
    """Each real participating publication: printed rows by support type equal MANIFEST's JEM/TFM/WSO;
    listings count exact duplicates and reviewed folds once, and nothing else is folded."""
    for expected in manifest_snapshot_counts(realdata):
        got = _q(
            real_warehouse,
            """
            select listings.support_type, count(*), sum(listings.n_printed_rows),
                   sum(listings.n_printed_rows - 1),
                   count(*) filter (where listings.n_distinct_printed_rows > 1 and not listings.has_agency_fix
                                    and listings.agency_id not in (select agency_id from intermediate.int_agency_aliases
                                                                    where match_rule = 'alias_seed'))
            from marts.fct_agreement_listings as listings
            inner join marts.dim_publications as publications using (publication_id)
            where publications.kind = 'participating' and publications.published_date = ?
            group by listings.support_type
            """,
            [expected.as_of],
        )
        by_type = {row[0]: row for row in got}
        for code, name in SUPPORT.items():
            _, n_printed, _, n_unreviewed_folds = by_type.get(name, (name, 0, 0, 0, 0))[1:]
            assert n_printed == expected.by_support[code], (expected.as_of, code)
            assert n_unreviewed_folds == 0, (expected.as_of, code)
        # Independently of the mart's own counts: the folds are exactly the raw rows that repeat another row
        # of the same sheet once every printed value is trimmed, plus the merges a reviewed seed made.
        ((n_raw, n_repeats),) = _q(
            real_warehouse,
            """
            select count(*),
                   count(*) - count(distinct (trim(rows.state), trim(rows.law_enforcement_agency), trim(rows.type),
                                              trim(rows.county), trim(rows.support_type), trim(rows.signed),
                                              trim(rows.moa), trim(rows.addendum)))
            from raw.ice_participating_rows as rows
            inner join marts.dim_publications as publications on publications.file_sha256 = rows._file_sha256
            where publications.kind = 'participating' and publications.published_date = ?
            """,
            [expected.as_of],
        )
        ((n_listings, n_reviewed_merges),) = _q(
            real_warehouse,
            """
            select count(*), coalesce(sum(listings.n_distinct_printed_rows - 1), 0)
            from marts.fct_agreement_listings as listings
            inner join marts.dim_publications as publications using (publication_id)
            where publications.kind = 'participating' and publications.published_date = ?
            """,
            [expected.as_of],
        )
        assert n_raw == sum(expected.by_support.values()), expected.as_of
        assert n_listings == n_raw - n_repeats - n_reviewed_merges, expected.as_of


def test_distinct_agencies_at_most_manifest(realdata, real_warehouse):
    for expected in manifest_snapshot_counts(realdata):
        (n_agencies,) = _q(
            real_warehouse,
            """
            select count(distinct agency_id) from marts.fct_agreement_listings
            where published_date = ?
            """,
            [expected.as_of],
        )[0]
        assert 0 < n_agencies <= expected.distinct_agencies, expected.as_of


def test_active_agreements_are_the_newest_listings(realdata, real_warehouse):
    newest = manifest_snapshot_counts(realdata)[-1]
    (n_active,) = _q(real_warehouse, "select count(*) from marts.fct_agreements where status = 'Active'")[0]
    (n_daily,) = _q(
        real_warehouse,
        "select sum(n_active_agreements) from marts.rpt_active_agreements_daily where as_of_date = ?",
        [newest.as_of],
    )[0]
    assert n_active == n_daily == newest.rows  # the newest sheet has no duplicate rows
    (n_fail,) = _q(real_warehouse, "select count(*) from marts.rpt_qa_summary where status = 'fail'")[0]
    assert n_fail == 0


def test_every_printed_spelling_resolves(real_warehouse):
    (n_unresolved,) = _q(
        real_warehouse,
        """
        select count(*) from intermediate.int_ice_rows_normalised as printed
        left join intermediate.int_agency_aliases as aliases using (state_code, name_key)
        where aliases.agency_id is null
        """,
    )[0]
    assert n_unresolved == 0


# ---------------------------------------------------------------------------------------------
# A newer sheet, derived from the newest real one
# ---------------------------------------------------------------------------------------------
HEADER = ("STATE", "LAW ENFORCEMENT AGENCY", "TYPE", "COUNTY", "SUPPORT TYPE", "SIGNED", "MOA", "ADDENDUM")


def _read_rows(path: Path) -> list[dict]:
    """Values and MOA/ADDENDUM hyperlink targets of an 8-column participating sheet (Excel row kept)."""
    wb = openpyxl.load_workbook(path)
    ws = wb.worksheets[0]
    header = [c.value for c in ws[1]][: len(HEADER)]
    assert tuple(header) == HEADER
    rows = []
    for excel_row in ws.iter_rows(min_row=2, max_col=len(HEADER)):
        values = [cell.value for cell in excel_row]
        if all(v is None or (isinstance(v, str) and not v.strip()) for v in values):
            continue
        rows.append(
            {
                "excel_row": excel_row[0].row,
                "values": values,
                "moa_target": excel_row[6].hyperlink.target if excel_row[6].hyperlink else None,
                "addendum_target": excel_row[7].hyperlink.target if excel_row[7].hyperlink else None,
            }
        )
    return rows


def _write_sheet(path: Path, rows: list[dict]) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Sheet 1"
    ws.append(list(HEADER))
    for i, row in enumerate(rows, start=2):
        for j, value in enumerate(row["values"], start=1):
            cell = ws.cell(row=i, column=j, value=value)
            if j == 6 and isinstance(value, dt.datetime | dt.date):
                cell.number_format = "mm-dd-yy"
        if row["moa_target"]:
            ws.cell(row=i, column=7).hyperlink = row["moa_target"]
        if row["addendum_target"]:
            ws.cell(row=i, column=8).hyperlink = row["addendum_target"]
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)


@dataclass
class NewerSheet:
    work_db: Path
    base_db: Path
    dropped: list[str]
    redated_agreement_id: str
    renamed_row: int
    renamed_name: str
    added_names: list[str]
    n_rows: int


@pytest.fixture(scope="session")
def newer_sheet(realdata, real_sheets_raw, real_warehouse, tmp_path_factory) -> NewerSheet:
    """Derive a sheet dated after the newest real one, rebuild on top of the first warehouse."""
    newest = manifest_snapshot_counts(realdata)[-1]
    newest_path = next((real_sheets_raw / "ice_287g_sheets").rglob(newest.file_name))
    rows = _read_rows(newest_path)
    base = real_warehouse
    (newest_pub,) = _q(
        base, "select publication_id from marts.dim_publications where kind = 'participating' and is_latest"
    )[0]
    listing = {
        r[0]: r[1:]
        for r in _q(
            base,
            """
            select listings.sheet_row_number, listings.agreement_id, agreements.agency_id, listings.support_type,
                   listings.has_moa_url, listings.signed_date,
                   count(*) over (partition by agreements.agency_id) as n_agency_rows,
                   (select count(*) from marts.fct_agreements as other
                    where other.agency_id = agreements.agency_id
                      and other.support_type = agreements.support_type) as n_same_type
            from marts.fct_agreement_listings as listings
            inner join marts.fct_agreements as agreements using (agreement_id)
            where listings.publication_id = ? and listings.n_printed_rows = 1
            """,
            [newest_pub],
        )
    }
    # single-row agencies with one agreement of that support type ever: dropping them is a plain removal
    solo = [
        r
        for r in rows
        if r["excel_row"] in listing and listing[r["excel_row"]][5] == 1 and listing[r["excel_row"]][6] == 1
    ]
    drop_rows, rename_row = solo[:3], solo[3]
    redate_row = next(
        r
        for r in rows
        if r["excel_row"] in listing
        and listing[r["excel_row"]][3]
        and r not in solo[:4]
        and isinstance(r["values"][5], dt.datetime)
    )
    new_rows: list[dict] = []
    for r in rows:
        if r in drop_rows:
            continue
        r = {**r, "values": list(r["values"])}
        if r["excel_row"] == redate_row["excel_row"]:
            r["values"][5] = r["values"][5] + dt.timedelta(days=3)
        if r["excel_row"] == rename_row["excel_row"]:
            name = r["values"][1].strip()
            r["values"][1] = name[:-2] + name[-1]  # one letter dropped: a typo ICE could make
        new_rows.append(r)
    template = rows[0]
    added_names = ["Zzyzx Test Police Department", "Quuxville Test Sheriff's Office"]
    for name in added_names:
        values = list(template["values"])
        values[1] = name
        values[5] = dt.datetime(2026, 4, 20)
        values[6] = "link pending"
        values[7] = None
        new_rows.append({"excel_row": None, "values": values, "moa_target": None, "addendum_target": None})

    raw2 = tmp_path_factory.mktemp("agr_raw_newer")
    for folder in SHEET_FOLDERS:
        shutil.copytree(real_sheets_raw / folder, raw2 / folder)
    _write_sheet(
        raw2 / "ice_287g_sheets" / NEW_SHEET_DATE.isoformat() / "participatingAgencies04242026am.xlsx", new_rows
    )
    wh2 = tmp_path_factory.mktemp("agr_wh_newer")
    shutil.copy2(base, wh2 / "work.duckdb")
    # and the build's record of its project and sources: the rebuild runs what the newer sheet needs
    (wh2 / "dbt_target").mkdir()
    for name in ("manifest.json", "project_state.json"):
        shutil.copy2(base.parent / "dbt_target" / name, wh2 / "dbt_target" / name)
    # dbt's tests already ran on the first build; this one only rebuilds the models
    _build(raw2, wh2, "one newer sheet, incremental ingest + dbt build without tests", with_tests=False)

    redated = listing[redate_row["excel_row"]]
    new_date = (redate_row["values"][5] + dt.timedelta(days=3)).date()
    code = {v: k for k, v in SUPPORT.items()}[redated[2]]
    return NewerSheet(
        work_db=wh2 / "work.duckdb",
        base_db=base,
        dropped=[listing[r["excel_row"]][0] for r in drop_rows],
        redated_agreement_id=f"{redated[1]}#{code}#{new_date.isoformat()}",
        renamed_row=rename_row["excel_row"],
        renamed_name=new_rows[[r["excel_row"] for r in new_rows].index(rename_row["excel_row"])]["values"][1],
        added_names=added_names,
        n_rows=len(new_rows),
    )


def test_newer_sheet_changes_are_exactly_the_derived_ones(newer_sheet: NewerSheet):
    db = newer_sheet.work_db
    (pub_id, pub_date) = _q(
        db,
        "select publication_id, published_date from marts.dim_publications where kind = 'participating' and is_latest",
    )[0]
    assert pub_date == NEW_SHEET_DATE
    changes: dict[str, set[str]] = {}
    for change_type, agreement_id in _q(
        db, "select change_type, agreement_id from marts.rpt_publication_changes where publication_id = ?", [pub_id]
    ):
        changes.setdefault(change_type, set()).add(agreement_id)

    def agreement_of(name: str) -> str:
        rows = _q(
            db,
            """
            select distinct listings.agreement_id from marts.fct_agreement_listings as listings
            where listings.publication_id = ? and trim(listings.agency_name_printed) = ?
            """,
            [pub_id, name],
        )
        assert len(rows) == 1, (name, rows)
        return rows[0][0]

    added = {agreement_of(n) for n in newer_sheet.added_names}
    renamed = {agreement_of(newer_sheet.renamed_name)}
    assert changes.get("added", set()) == added
    assert changes.get("removed", set()) == set(newer_sheet.dropped)
    assert changes.get("redated", set()) == {newer_sheet.redated_agreement_id}
    assert changes.get("renamed", set()) == renamed
    assert changes.get("moa_posted", set()) == set()

    statuses = dict(_q(db, "select agreement_id, status from marts.fct_agreements"))
    removed_by = dict(_q(db, "select agreement_id, removed_by_date from marts.fct_agreements"))
    for agreement_id in newer_sheet.dropped:
        assert statuses[agreement_id] == "Removed"
        assert removed_by[agreement_id] == NEW_SHEET_DATE
    for agreement_id in added | renamed | {newer_sheet.redated_agreement_id}:
        assert statuses[agreement_id] == "Active"
    (n_active,) = _q(db, "select count(*) from marts.fct_agreements where status = 'Active'")[0]
    assert n_active == newer_sheet.n_rows
    (n_fail,) = _q(db, "select count(*) from marts.rpt_qa_summary where status = 'fail'")[0]
    assert n_fail == 0


def test_report_build_times(newer_sheet: NewerSheet, capsys):
    """Not an assertion on time (bench/ has the target): prints the builds' wall times for the log."""
    with capsys.disabled():
        for label, (ingest_s, dbt_s) in BUILD_SECONDS.items():
            print(f"\n[agreements] {label}: ingest {ingest_s:.1f}s, dbt {dbt_s:.1f}s")
