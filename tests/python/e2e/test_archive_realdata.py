"""The dense real archive (../shared/ice_287g_archive: 503 files, 370 distinct contents) builds and
publishes, and every publication's listings equal an independent recount (its COUNTS.csv).

Expected values come only from COUNTS.csv and the archive's README (never from the code under test).
Skips cleanly when ../shared is absent.
"""

from __future__ import annotations

import csv
import os
from pathlib import Path

import duckdb
import pytest
from conftest import REPO
from warehouse_support import copy_warehouse, run_cli

ARCHIVE = Path(os.environ.get("ICE287G_ARCHIVE", REPO.parent / "shared" / "ice_287g_archive"))
pytestmark = [pytest.mark.realdata, pytest.mark.slow]


@pytest.fixture(scope="module")
def archive() -> Path:
    if not (ARCHIVE / "COUNTS.csv").exists():
        pytest.skip(f"archive not available at {ARCHIVE} (../shared is absent on this machine)")
    return ARCHIVE


@pytest.fixture(scope="module")
def counts(archive: Path) -> dict[str, dict]:
    with open(archive / "COUNTS.csv", newline="", encoding="utf-8") as fh:
        return {row["sha256"]: row for row in csv.DictReader(fh)}


@pytest.fixture(scope="module")
def built_archive(archive: Path, tmp_path_factory) -> Path:
    """`ice287g build` of the archive, as a user runs it (exit 0: built, published, nothing quarantined)."""
    wh = tmp_path_factory.mktemp("archive_wh")
    result = run_cli("build", "--raw-dir", str(archive), "--warehouse-dir", str(wh), timeout=900)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-3000:]
    assert (wh / "marts.duckdb").exists()
    return wh


def _q(db: Path, sql: str, params: list | None = None) -> list[tuple]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


def test_every_content_lands_as_one_publication(built_archive: Path, counts: dict[str, dict]):
    published = dict(_q(built_archive / "marts.duckdb", "select file_sha256, kind from dim_publications"))
    missing = [c["file"] for sha, c in counts.items() if sha not in published]
    assert not missing, missing
    assert len(published) == len(counts)  # 370 distinct contents, nothing else landed
    # a sheet named like a participating one whose content is the pending layout lands as pending;
    # COUNTS (which goes by name) then has no SIGNED date for it
    for sha, kind in published.items():
        if kind != counts[sha]["kind"]:
            assert kind == "pending" and not counts[sha]["max_signed"], counts[sha]["file"]
    rejected = _q(built_archive / "work.duckdb", "select source_file, reason from raw.load_rejections")
    assert rejected == []


def test_printed_rows_per_publication_equal_the_recount(built_archive: Path, counts: dict[str, dict]):
    rows = _q(
        built_archive / "marts.duckdb",
        """
        select p.file_sha256,
               sum(l.n_printed_rows),
               sum(case when a.support_type_code = 'JEM' then l.n_printed_rows else 0 end),
               sum(case when a.support_type_code = 'TFM' then l.n_printed_rows else 0 end),
               sum(case when a.support_type_code = 'WSO' then l.n_printed_rows else 0 end)
        from fct_agreement_listings l
        join fct_agreements a using (agreement_id)
        join dim_publications p using (publication_id)
        group by p.file_sha256
        """,
    )
    got = {sha: (int(n), int(jem), int(tfm), int(wso)) for sha, n, jem, tfm, wso in rows}
    participating = {sha: c for sha, c in counts.items() if c["max_signed"]}
    assert set(got) == set(participating)
    off = {
        c["file"]: (got[sha], (int(c["rows"]), int(c["jem"]), int(c["tfm"]), int(c["wso"])))
        for sha, c in participating.items()
        if got[sha] != (int(c["rows"]), int(c["jem"]), int(c["tfm"]), int(c["wso"]))
    }
    assert not off, off


def test_pending_rows_equal_the_recount(built_archive: Path, counts: dict[str, dict]):
    rows = dict(
        _q(built_archive / "marts.duckdb", "select file_sha256, n_rows from dim_publications where kind = 'pending'")
    )
    off = {counts[sha]["file"]: (n, counts[sha]["rows"]) for sha, n in rows.items() if n != int(counts[sha]["rows"])}
    assert not off, off


def test_newest_sheet_is_the_misnamed_january_2026_sheet_and_actives_equal_its_rows(
    built_archive: Path, counts: dict[str, dict]
):
    marts = built_archive / "marts.duckdb"
    newest = _q(
        marts,
        "select file_sha256, file_name, published_date, date_method from dim_publications "
        "where kind = 'participating' and is_latest",
    )
    assert len(newest) == 1
    sha, name, published, method = newest[0]
    # README: names carry the wrong year in January; COUNTS' latest SIGNED is the independent evidence
    latest_signed = max(c["max_signed"] for c in counts.values() if c["max_signed"])
    assert counts[sha]["max_signed"] == latest_signed
    assert published.isoformat() >= latest_signed
    assert method == "filename_year_rolled" and name == "participatingAgencies01092025pm.xlsx"
    (n_active,) = _q(marts, "select count(*) from fct_agreements where status = 'Active'")[0]
    (n_listings, n_printed) = _q(
        marts,
        "select count(*), sum(n_printed_rows) from fct_agreement_listings l join dim_publications p "
        "using (publication_id) where p.is_latest and p.kind = 'participating'",
    )[0]
    assert n_printed == int(counts[sha]["rows"])
    assert n_active == n_listings  # exact duplicate rows count once as listings, kept in n_printed_rows


def test_publication_order_is_total_and_never_before_the_latest_signed(built_archive: Path):
    marts = built_archive / "marts.duckdb"
    ties = _q(
        marts,
        "select kind, published_at, file_name, count(*) from dim_publications group by all having count(*) > 1",
    )
    assert ties == []
    early = _q(
        marts,
        "select file_name, published_date, latest_signed_date from dim_publications "
        "where published_date < latest_signed_date",
    )
    assert early == []
    seq = _q(
        marts,
        "select kind, count(*), count(distinct publication_seq), max(publication_seq) from dim_publications group by 1",
    )
    for _kind, n, n_distinct, top in seq:
        assert n == n_distinct == top
    (n_days,) = _q(
        marts,
        "select count(*) from (select published_date from dim_publications where kind = 'participating' "
        "group by 1 having count(*) > 1)",
    )[0]
    assert n_days > 0  # am/mid/pm versions on one day are normal, and ordered


def test_qa_all_pass_or_info(built_archive: Path):
    statuses = _q(built_archive / "marts.duckdb", "select status, count(*) from rpt_qa_summary group by 1")
    assert {s for s, _ in statuses} <= {"pass", "info"}, statuses


def test_html_era_captures_differing_only_in_stamp_give_no_churn(built_archive: Path):
    marts = built_archive / "marts.duckdb"
    # consecutive HTML-era reconstructions differ in bytes (the Wayback stamp in every MOA cell)
    churn = _q(
        marts,
        """
        select c.change_type, count(*) from rpt_publication_changes c
        join dim_publications p using (publication_id)
        where p.layout = 'participating_html5' and not c.is_first_publication
          and c.change_type in ('renamed', 'moa_posted', 'redated')
        group by 1
        """,
    )
    assert churn == []
    wrapped = _q(marts, "select count(*) from fct_agreement_listings where moa_printed ilike '%web.archive.org/web/%'")
    assert wrapped == [(0,)]


def test_archive_builds_together_with_realdata(built_archive: Path, archive: Path, realdata: Path, tmp_path_factory):
    """Two raw folders in one build (--raw-dir twice): both archives, without copying them. The build
    starts from a copy of the built archive warehouse, as a user adding realdata's sheets to it would:
    the archive's files are the same bytes (nothing re-lands) and realdata's land beside them. The marts
    are read from the work file (--no-publish): publishing the archive is tested by built_archive."""
    wh = copy_warehouse(built_archive, tmp_path_factory.mktemp("archive_real") / "wh")
    before = _q(wh / "work.duckdb", "select count(*) from raw.load_manifest")[0][0]
    result = run_cli(
        "build",
        "--raw-dir",
        str(archive),
        "--raw-dir",
        str(realdata),
        "--warehouse-dir",
        str(wh),
        "--no-publish",
        timeout=900,
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-3000:]
    assert os.readlink(wh / "current") == os.readlink(built_archive / "current")  # nothing published
    after = _q(wh / "work.duckdb", "select count(*) from raw.load_manifest")[0][0]
    assert after > before  # realdata's contents the archive lacks landed
    marts = wh / "work.duckdb"
    statuses = {s for (s,) in _q(marts, "select distinct status from marts.rpt_qa_summary")}
    assert statuses <= {"pass", "info"}
    # realdata's dated folders win for the contents both hold (2025-09-02/participatingAgencies08022025pm)
    rows = _q(
        marts,
        "select published_date, date_method from marts.dim_publications "
        "where file_name = 'participatingAgencies08022025pm.xlsx'",
    )
    assert [(d.isoformat(), m) for d, m in rows] == [("2025-09-02", "folder")]
    (newest,) = _q(
        marts, "select published_date from marts.dim_publications where kind = 'participating' and is_latest"
    )[0]
    assert newest.isoformat() == "2026-03-27"  # realdata's newest sheet (MANIFEST)
