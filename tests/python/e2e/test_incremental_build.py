"""New sheets added to a built warehouse: the build is incremental — dbt runs only the models and tests
downstream of the raw sources that changed, and int_ice_rows_normalised adds only the new publications'
rows — and publishes marts identical, row for row, to a full rebuild from scratch. The sheets that arrive
are the newest participating sheet and an older one arriving late, out of order, both in one build (one
warehouse built without them, one incremental build: each case its own build cost two more sample
builds). A build with no new data runs no dbt at all.

The full rebuild is the session's built sample warehouse; the warehouse the sheets are added to is built
from the sample without them. Which sheets are held back is read from the full build (never listed here).
"""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest
from warehouse_support import copy_raw, copy_warehouse, mart_checksums, query, run_cli

from ingest.pipeline import ingest_dir
from ingest.project import dbt_build, plan_build, source_checksums
from tools.compare_marts import compare

INCREMENTAL_MODEL = "int_ice_rows_normalised"
CASES = ("newest", "late")

pytestmark = pytest.mark.slow  # builds of its own


def _held_back_sheets(full_marts: Path) -> dict[str, tuple[str, int]]:
    """(source file, publication_seq) of the newest participating sheet and of one in the middle."""
    pubs = query(
        full_marts,
        "select source_file, publication_seq from dim_publications where kind = 'participating' "
        "order by publication_seq",
    )
    assert len(pubs) >= 3, pubs
    return {"newest": pubs[-1], "late": pubs[len(pubs) // 2]}


@dataclass(frozen=True)
class Incremental:
    """The warehouse the held-back sheets were added to, the build's output, and the counts around it."""

    warehouse: Path
    held: dict[str, tuple[str, int]]  # case -> (source file, publication_seq in the full build)
    stdout: str
    n_before: int  # rows of the incremental model before the sheets arrived


@pytest.fixture(scope="module")
def incremental(built_sample_warehouse: Path, tmp_path_factory) -> Incremental:
    root = tmp_path_factory.mktemp("incremental")
    held = _held_back_sheets(built_sample_warehouse / "marts.duckdb")
    raw = copy_raw(root / "raw")
    aside = root / "aside"
    for source_file, _ in held.values():
        (aside / source_file).parent.mkdir(parents=True, exist_ok=True)
        shutil.move(raw / source_file, aside / source_file)

    # the warehouse before the sheets arrive: everything else landed, built and tested, as a user's is
    # (a build that skipped the data tests would not be a baseline: the next build would run them all)
    warehouse = root / "wh"
    # the full build's person key, so fct_arrests.person_key (an HMAC under the warehouse's key) compares too
    (warehouse / "secrets").mkdir(parents=True)
    shutil.copy2(built_sample_warehouse / "secrets" / "person_key", warehouse / "secrets" / "person_key")
    summary = ingest_dir(raw, warehouse / "work.duckdb")
    assert not summary.rejected, [o.detail for o in summary.rejected]
    first = dbt_build(warehouse, ["--exclude-resource-type", "unit_test"])
    assert first.ok, first.failures
    n_before = query(warehouse / "work.duckdb", f"select count(*) from intermediate.{INCREMENTAL_MODEL}")[0][0]

    for source_file, _ in held.values():
        shutil.move(aside / source_file, raw / source_file)
    result = run_cli("build", "--raw-dir", str(raw), "--warehouse-dir", str(warehouse), "--strict")
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return Incremental(warehouse, held, result.stdout, n_before)


def test_the_build_runs_only_what_the_new_sheets_need(incremental: Incremental):
    warehouse, stdout = incremental.warehouse, incremental.stdout
    assert "dbt build (incremental: " in stdout and "raw sources changed" in stdout, stdout[-2000:]

    # the incremental branch ran: dbt compiled the model with its new-publications filter and appended
    compiled = next((warehouse / "dbt_target" / "compiled").rglob(f"{INCREMENTAL_MODEL}.sql")).read_text()
    assert "not in (select distinct publication_id from" in compiled
    n_after = query(warehouse / "work.duckdb", f"select count(*) from intermediate.{INCREMENTAL_MODEL}")[0][0]
    n_new = 0
    for source_file, _ in incremental.held.values():
        (n,) = query(
            warehouse / "work.duckdb",
            "select count(*) from raw.ice_participating_rows where _source_file = ?",
            [source_file],
        )[0]
        assert n > 0, source_file
        n_new += n
    assert n_after == incremental.n_before + n_new
    # the build recorded the sources it built (its plan's checksums) as the next build's baseline
    assert plan_build(warehouse).skip
    assert recorded_sources(warehouse) == source_checksums(warehouse)

    # only what the new sheets need ran: none of the seeds (unchanged), not every model
    ran = {r["unique_id"] for r in json.loads((warehouse / "dbt_target" / "run_results.json").read_text())["results"]}
    manifest = json.loads((warehouse / "dbt_target" / "manifest.json").read_text())
    models = {u for u, n in manifest["nodes"].items() if n["resource_type"] == "model"}
    assert f"model.ice287g.{INCREMENTAL_MODEL}" in ran
    assert not any(u.startswith("seed.") for u in ran), sorted(u for u in ran if u.startswith("seed."))
    assert 0 < len(ran & models) < len(models)


def test_the_incremental_build_publishes_what_a_full_rebuild_publishes(
    incremental: Incremental, built_sample_warehouse
):
    """Every mart, row for row (tools/compare_marts.py)."""
    assert compare(built_sample_warehouse / "marts.duckdb", incremental.warehouse / "marts.duckdb") == []


@pytest.mark.parametrize("which", CASES)
def test_each_new_sheet_takes_its_place_in_the_order(which: str, incremental: Incremental):
    """The newest sheet ends the order and is the latest; the late one takes its place, not the end."""
    source_file, seq = incremental.held[which]
    (got_seq, is_latest) = query(
        incremental.warehouse / "marts.duckdb",
        "select publication_seq, is_latest from dim_publications where source_file = ?",
        [source_file],
    )[0]
    assert got_seq == seq
    assert is_latest is (which == "newest")


def recorded_sources(warehouse: Path) -> dict:
    return json.loads((warehouse / "dbt_target" / "project_state.json").read_text())["sources"]


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
    # the checksums it planned against are the baseline the build then records (dbt never writes raw tables)
    assert plan.sources == source_checksums(warehouse, "dbt_target", plan.relations) != recorded_sources(warehouse)
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
