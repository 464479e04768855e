"""A new sheet added to a built warehouse: the build is incremental — dbt runs only the models and tests
downstream of the raw sources that changed, and int_ice_rows_normalised adds only the new publication's
rows — and publishes marts identical, row for row, to a full rebuild from scratch, for the newest sheet
and for an older sheet that arrives late, out of order. A build with no new data runs no dbt at all.

The full rebuild is the session's built sample warehouse; the warehouse the sheet is added to is built from
the sample without that sheet. Which sheets are held back is read from the full build (never listed here).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import duckdb
import pytest
from warehouse_support import copy_raw, copy_warehouse, mart_checksums, query, run_cli

from ingest.pipeline import ingest_dir
from ingest.project import dbt_build, plan_build
from tools.compare_marts import compare

INCREMENTAL_MODEL = "int_ice_rows_normalised"


def _held_back_sheet(full_marts: Path, which: str) -> tuple[str, int]:
    """(source file, publication_seq) of the newest participating sheet, or of one in the middle."""
    pubs = query(
        full_marts,
        "select source_file, publication_seq from dim_publications where kind = 'participating' "
        "order by publication_seq",
    )
    assert len(pubs) >= 3, pubs
    return pubs[-1] if which == "newest" else pubs[len(pubs) // 2]


@pytest.mark.parametrize("which", ["newest", "late"])
def test_new_sheet_build_is_incremental_and_equals_a_full_rebuild(which, built_sample_warehouse, tmp_path):
    full = built_sample_warehouse / "marts.duckdb"
    source_file, seq = _held_back_sheet(full, which)
    raw = copy_raw(tmp_path / "raw")
    held = raw / source_file
    aside = tmp_path / "aside" / held.name
    aside.parent.mkdir()
    shutil.move(held, aside)

    # the warehouse before the sheet arrives: everything else landed, built and tested, as a user's is
    # (a build that skipped the data tests would not be a baseline: the next build would run them all)
    warehouse = tmp_path / "wh"
    # the full build's person key, so fct_arrests.person_key (an HMAC under the warehouse's key) compares too
    (warehouse / "secrets").mkdir(parents=True)
    shutil.copy2(built_sample_warehouse / "secrets" / "person_key", warehouse / "secrets" / "person_key")
    summary = ingest_dir(raw, warehouse / "work.duckdb")
    assert not summary.rejected, [o.detail for o in summary.rejected]
    first = dbt_build(warehouse, ["--exclude-resource-type", "unit_test"])
    assert first.ok, first.failures
    n_before = query(warehouse / "work.duckdb", f"select count(*) from intermediate.{INCREMENTAL_MODEL}")[0][0]

    shutil.move(aside, held)
    result = run_cli("build", "--raw-dir", str(raw), "--warehouse-dir", str(warehouse), "--strict")
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert "dbt build (incremental: " in result.stdout and "raw sources changed" in result.stdout, result.stdout[-2000:]

    # only what the new sheet needs ran: none of the seeds (unchanged), not every model
    ran = {r["unique_id"] for r in json.loads((warehouse / "dbt_target" / "run_results.json").read_text())["results"]}
    manifest = json.loads((warehouse / "dbt_target" / "manifest.json").read_text())
    models = {u for u, n in manifest["nodes"].items() if n["resource_type"] == "model"}
    assert f"model.ice287g.{INCREMENTAL_MODEL}" in ran
    assert not any(u.startswith("seed.") for u in ran), sorted(u for u in ran if u.startswith("seed."))
    assert 0 < len(ran & models) < len(models)

    # the incremental branch ran: dbt compiled the model with its new-publications filter and appended
    compiled = next((warehouse / "dbt_target" / "compiled").rglob(f"{INCREMENTAL_MODEL}.sql")).read_text()
    assert "not in (select distinct publication_id from" in compiled
    n_after = query(warehouse / "work.duckdb", f"select count(*) from intermediate.{INCREMENTAL_MODEL}")[0][0]
    (n_new,) = query(
        warehouse / "work.duckdb",
        "select count(*) from raw.ice_participating_rows where _source_file = ?",
        [source_file],
    )[0]
    assert n_new > 0 and n_after == n_before + n_new

    # ... and what it published is what a full rebuild publishes, every mart row for row
    assert compare(full, warehouse / "marts.duckdb") == []  # tools/compare_marts.py
    (got_seq,) = query(
        warehouse / "marts.duckdb", "select publication_seq from dim_publications where source_file = ?", [source_file]
    )[0]
    assert got_seq == seq  # the late sheet takes its place in the order, not the end


def test_build_plan_follows_the_raw_sources(built_sample_warehouse, tmp_path):
    """plan_build on a copy of the built warehouse: nothing changed -> nothing to build; one raw table
    changed -> only what is downstream of its source; --full or a changed project -> everything."""
    warehouse = copy_warehouse(built_sample_warehouse, tmp_path / "wh")
    plan = plan_build(warehouse)
    assert plan.skip and plan.args == [] and plan.mode.startswith("nothing to build"), plan
    con = duckdb.connect(str(warehouse / "work.duckdb"))
    con.execute("update raw.arrests_weekly_rows set _loaded_at = _loaded_at + interval 1 second")
    con.close()
    plan = plan_build(warehouse)
    assert plan.args == ["--select", "source:arrests.arrests_weekly_rows+"] and not plan.skip, plan
    assert "1 of " in plan.mode and "arrests.arrests_weekly_rows" in plan.mode
    assert plan_build(warehouse, full=True).args == ["--full-refresh"]
    state = warehouse / "dbt_target" / "project_state.json"
    recorded = json.loads(state.read_text())
    state.write_text(json.dumps({**recorded, "fingerprint": "another project"}))
    assert plan_build(warehouse).args == ["--full-refresh"]
    state.write_text(json.dumps({"fingerprint": recorded["fingerprint"]}))  # a build that ran no data tests
    plan = plan_build(warehouse)
    assert plan.args == [] and not plan.skip and plan.mode.startswith("incremental: every model"), plan


def test_a_build_with_no_new_data_runs_no_dbt_and_publishes_the_same(built_sample_warehouse, tmp_path):
    warehouse = copy_warehouse(built_sample_warehouse, tmp_path / "wh")
    raw = copy_raw(tmp_path / "raw")
    before = mart_checksums(warehouse / "marts.duckdb")
    result = run_cli("build", "--raw-dir", str(raw), "--warehouse-dir", str(warehouse), "--strict")
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert "nothing to build: no raw source changed" in result.stdout, result.stdout[-2000:]
    assert not (warehouse / "dbt_target" / "run_results.json").exists()  # dbt did not run (the copy has none)
    assert mart_checksums(warehouse / "marts.duckdb") == before
