"""Crash and concurrency: a build killed (SIGKILL) during ingest, mid dbt build or during publish leaves the
previous publication (marts.duckdb and exports) in place and readable, the next build succeeds, a reader
polling marts.duckdb throughout a build and publish never errors, and a second build on the same inputs
publishes identical mart contents.

The build runs as a real ``ice287g build`` process in its own session; ``ICE287G_TEST_PAUSE_AT`` makes it
stop at a named stage (ingest/faults.py) so the kill lands there deterministically.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest
from warehouse_support import (
    ICE287G,
    REPO,
    Publication,
    cli_env,
    copy_raw,
    copy_warehouse,
    mart_checksums,
    query,
    rows_from_file,
    run_cli,
    sha256,
)
from xlsx_fixtures import HEADER_8, row8, write_sheet

pytestmark = pytest.mark.slow

READER = r"""
import json, pathlib, sys, time
import duckdb
marts, exports, stop = sys.argv[1], pathlib.Path(sys.argv[2]), pathlib.Path(sys.argv[3])
n, errors, seen = 0, [], set()
while not stop.exists():
    try:
        con = duckdb.connect(marts, read_only=True)
        try:
            seen.add(con.execute("select value from build_info where key = 'built_at'").fetchone()[0])
            con.execute("select count(*) from dim_publications").fetchone()
            con.execute("select count(*) from rpt_qa_summary").fetchone()
        finally:
            con.close()
        parquet = exports / "dim_publications.parquet"
        duckdb.execute(f"select count(*) from read_parquet('{parquet}')").fetchone()
        n += 1
    except Exception as exc:
        errors.append(repr(exc))
    time.sleep(0.005)
print(json.dumps({"reads": n, "errors": errors[:5], "n_errors": len(errors), "built_at": sorted(seen)}))
"""


def _start(args: list[str], stage: str, marker: Path, log: Path) -> subprocess.Popen:
    env = cli_env(ICE287G_TEST_PAUSE_AT=stage, ICE287G_TEST_PAUSE_FILE=str(marker), ICE287G_TEST_PAUSE_SECONDS="600")
    with open(log, "w") as out:
        return subprocess.Popen(
            [str(ICE287G), *args],
            stdout=out,
            stderr=subprocess.STDOUT,
            env=env,
            cwd=REPO,
            start_new_session=True,
        )


def _kill_at(args: list[str], stage: str, tmp: Path) -> None:
    """Run ``ice287g <args>`` until it pauses at ``stage``, then SIGKILL its process group (dbt included)."""
    marker, log = tmp / f"paused-{stage}", tmp / f"run-{stage}.log"
    proc = _start(args, stage, marker, log)
    try:
        deadline = time.monotonic() + 600
        while not marker.exists():
            assert proc.poll() is None, f"build ended before {stage}: {log.read_text()[-3000:]}"
            assert time.monotonic() < deadline, f"build never reached {stage}"
            time.sleep(0.02)
    finally:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
    assert proc.returncode == -signal.SIGKILL


def _assert_previous_publication(warehouse: Path, before: Publication) -> None:
    """Same bytes, same target, same exports, and it opens and reads cleanly."""
    assert Publication.of(warehouse) == before
    assert query(warehouse / "marts.duckdb", "select count(*) from build_info where key = 'built_at'") == [(1,)]
    assert query(warehouse / "marts.duckdb", "select count(*) from dim_publications")[0][0] > 0
    n = duckdb.execute(f"select count(*) from read_parquet('{warehouse / 'exports' / 'dim_publications.parquet'}')")
    assert n.fetchone()[0] > 0
    con = duckdb.connect(str(warehouse / "work.duckdb"))  # the work file recovers from the kill
    con.execute("select count(*) from raw.load_manifest").fetchone()
    con.close()


def test_sigkill_at_every_stage_keeps_previous_publication_and_next_build_succeeds(
    built_sample_warehouse: Path, tmp_path: Path
):
    warehouse = copy_warehouse(built_sample_warehouse, tmp_path / "wh")
    raw = copy_raw(tmp_path / "raw")
    new_file = write_sheet(
        raw / "ice_287g_sheets" / "2026-04-30" / "participatingAgencies04302026am.xlsx",
        HEADER_8,
        [row8(f"Crash Test Agency {i}") for i in range(3)],
    )
    before = Publication.of(warehouse)

    build = ["build", "--raw-dir", str(raw), "--warehouse-dir", str(warehouse)]
    _kill_at(build, "ingest-land", tmp_path)  # inside the landing transaction of the new file
    _assert_previous_publication(warehouse, before)
    assert set(rows_from_file(warehouse / "work.duckdb", sha256(new_file)).values()) == {0}

    _kill_at(build, "dbt", tmp_path)  # dbt is writing models
    _assert_previous_publication(warehouse, before)
    assert rows_from_file(warehouse / "work.duckdb", sha256(new_file))["ice_participating_rows"] == 3

    # The publish step is the same code in `build` and `publish`; `publish` reaches it without a dbt run.
    for stage in ("publish-db", "publish-swap"):  # new marts.duckdb written / folder renamed, not yet current
        _kill_at(["publish", "--warehouse-dir", str(warehouse)], stage, tmp_path)
        _assert_previous_publication(warehouse, before)

    # The next build succeeds while another process reads the publication the whole time.
    stop = tmp_path / "stop-reader"
    reader = subprocess.Popen(
        [
            sys.executable,
            "-c",
            READER,
            str(warehouse / "marts.duckdb"),
            str(warehouse / "exports"),
            str(stop),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        time.sleep(0.5)
        result = run_cli("build", "--raw-dir", str(raw), "--warehouse-dir", str(warehouse), "--strict")
        time.sleep(0.5)
    finally:
        stop.touch()
        out, _ = reader.communicate(timeout=60)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    seen = json.loads(out)
    assert seen["n_errors"] == 0, seen
    assert seen["reads"] > 10
    after = Publication.of(warehouse)
    assert after.target != before.target
    assert len(seen["built_at"]) == 2  # read the old publication, then the new one, never anything else
    assert query(
        warehouse / "marts.duckdb",
        "select count(*) from dim_publications where file_name = ?",
        [new_file.name],
    ) == [(1,)]
    assert not list((warehouse / "publications").glob(".publishing-*"))  # a killed publish is cleaned up


def test_second_build_on_same_inputs_publishes_identical_contents(built_sample_warehouse: Path, tmp_path: Path):
    warehouse = copy_warehouse(built_sample_warehouse, tmp_path / "wh")
    raw = copy_raw(tmp_path / "raw")
    before = Publication.of(warehouse)
    first = mart_checksums(warehouse / "marts.duckdb")
    manifest = query(warehouse / "work.duckdb", "select * from raw.load_manifest order by file_sha256")
    # --full: every model rebuilt from scratch and every test run (a build with no new data runs no dbt)
    result = run_cli("build", "--raw-dir", str(raw), "--warehouse-dir", str(warehouse), "--strict", "--full")
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert "dbt build (full: asked for" in result.stdout, result.stdout[-2000:]
    assert query(warehouse / "work.duckdb", "select * from raw.load_manifest order by file_sha256") == manifest
    after = Publication.of(warehouse)
    assert after.target != before.target  # a new publication was swapped in ...
    assert mart_checksums(warehouse / "marts.duckdb") == first  # ... with the same rows in every mart
    # the checksums compare real content: every mart but the review lists (which may be empty) has rows
    empty = {name for name, (n, _) in first.items() if n == 0}
    assert len(first) >= 2 and empty <= {"main.rpt_agency_identity_candidates", "main.rpt_geography_unmatched"}
