"""Every real ICE sheet in ../shared/realdata loads with MANIFEST.md's row and hyperlink counts.

The expected numbers are read from MANIFEST.md at test time (section 7, one block per file), never
copied into this repository. Skipped when ../shared is absent.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import duckdb
import pytest

from ingest.pipeline import ingest_dir

pytestmark = pytest.mark.realdata


def manifest_files(realdata: Path) -> dict[str, dict[str, int]]:
    """Per-file facts from MANIFEST.md section 7: rows, MOA and ADDENDUM hyperlink counts."""
    text = (realdata / "MANIFEST.md").read_text(encoding="utf-8")
    facts: dict[str, dict[str, int]] = {}
    for block in re.split(r"\n#### ", text)[1:]:
        m = re.match(r"`([^`]+\.xlsx)`", block)
        if not m:
            continue
        entry: dict[str, int] = {}
        if r := re.search(r"- rows: \*\*(\d+)\*\*", block):
            entry["rows"] = int(r.group(1))
        if r := re.search(r"MOA cells with a hyperlink: (\d+)", block):
            entry["moa_links"] = int(r.group(1))
        elif "no hyperlinks" in block:
            entry["moa_links"] = 0
        if r := re.search(r"ADDENDUM values .*\(hyperlinked: (\d+)\)", block):
            entry["addendum_links"] = int(r.group(1))
        facts[m.group(1)] = entry
    return facts


@pytest.fixture(scope="module")
def real_ingest(realdata, tmp_path_factory):
    db = tmp_path_factory.mktemp("real") / "work.duckdb"
    summary = ingest_dir(realdata, db)
    return summary, db


def _q(db: Path, sql: str, params=None):
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


def test_manifest_lists_the_sheets(realdata):
    facts = manifest_files(realdata)
    assert sum(1 for p in facts if "participating" in p.lower()) == 18
    assert sum(1 for p in facts if "pending" in p.lower()) == 13


def test_all_sheets_load_with_manifest_row_counts(realdata, real_ingest):
    summary, db = real_ingest
    assert summary.rejected == []
    # other sources (census, arrests) load their own files from the same tree: count the ICE sheets only
    loaded = {o.path: o for o in summary.by_status("loaded") if o.source == "ice"}
    facts = manifest_files(realdata)
    assert len(loaded) == len(facts) == 31
    for path, entry in facts.items():
        assert loaded[path].n_rows == entry["rows"], path
        table = "ice_participating_rows" if loaded[path].kind == "participating" else "ice_pending_rows"
        assert _q(db, f"select count(*) from raw.{table} where _source_file = ?", [path])[0][0] == entry["rows"]


def test_hyperlink_counts_match_manifest(realdata, real_ingest):
    _, db = real_ingest
    for path, entry in manifest_files(realdata).items():
        if "pending" in path.lower():
            continue
        moa, add = _q(
            db,
            "select count(*) filter (where moa_link_origin = 'hyperlink'), "
            "count(*) filter (where addendum_link_origin = 'hyperlink') "
            "from raw.ice_participating_rows where _source_file = ?",
            [path],
        )[0]
        assert moa == entry["moa_links"], path
        if "addendum_links" in entry:
            assert add == entry["addendum_links"], path


def test_every_publication_dated_including_the_misnamed_ones(real_ingest):
    _, db = real_ingest
    dates = dict(_q(db, "select file_name, published_date from raw.load_manifest where source = 'ice'"))
    assert all(d is not None for d in dates.values())
    assert dates["participatingAgencies08022025pm.xlsx"] == dt.date(2025, 9, 2)
    assert dates["participatingAgencies11114025am.xlsx"] == dt.date(2025, 11, 14)
    flags = dict(_q(db, "select file_name, date_flag from raw.load_manifest where date_flag is not null"))
    assert "participatingAgencies08022025pm.xlsx" in flags


def test_second_run_reports_everything_already_loaded(realdata, real_ingest):
    _, db = real_ingest
    before = _q(db, "select count(*) from raw.ice_participating_rows")[0][0]
    summary = ingest_dir(realdata, db)
    ice_paths = {p for (p,) in _q(db, "select source_file from raw.load_manifest where source = 'ice'")}
    assert len([o for o in summary.by_status("already_loaded") if o.path in ice_paths]) == 31
    assert summary.by_status("loaded") == [] and summary.rejected == []
    assert _q(db, "select count(*) from raw.ice_participating_rows")[0][0] == before


def test_signed_oddities_in_real_sheets_are_parsed(real_ingest):
    _, db = real_ingest
    rows = dict(
        _q(
            db,
            "select signed, signed_date from raw.ice_participating_rows "
            "where signed_parse_status in ('repaired_text', 'repaired_year')",
        )
    )
    assert rows["05/082025"] == dt.date(2025, 5, 8)
    assert rows["7/72025"] == dt.date(2025, 7, 7)
    assert rows["5025-07-07"] == dt.date(2025, 7, 7)
    assert (
        _q(db, "select count(*) from raw.ice_participating_rows where signed_parse_status = 'unparseable'")[0][0] == 0
    )
