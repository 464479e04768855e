"""The publish's two processes (ingest/exports.py::ExportsProcess with a work file): one writes the marts
file, the other the exports from the work file itself; the exports equal those written from the marts
file, and a failure of either names which failed. Both may be started ahead (``spawn_helpers``): the
publish then hands them their work, and ends those it never used."""

from __future__ import annotations

import hashlib

import duckdb
import pytest

from ingest.dictionary import ColumnDoc, TableDoc
from ingest.exports import ExportJob, ExportsFailed, ExportsProcess, spawn_helpers, stop_helpers

TABLE = TableDoc(
    "fct_things",
    "marts",
    "Grain: one thing.",
    ["thing_id"],
    [ColumnDoc("thing_id", "VARCHAR", "Id."), ColumnDoc("n", "BIGINT", "A count."), ColumnDoc("note", "VARCHAR")],
)


def _work_file(path):
    con = duckdb.connect(str(path))
    con.execute("create schema marts")
    con.execute(
        "create table marts.fct_things as select 'T' || lpad(cast(i as varchar), 5, '0') as thing_id, i * 7 as n, "
        "case when i % 3 = 0 then '=1+1' when i % 3 = 1 then 'plain, \"quoted\"' end as note from range(5000) t(i)"
    )
    con.execute("comment on table marts.fct_things is 'Grain: one thing.'")
    con.close()
    return path


def _digests(folder):
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir()) if p.is_file()}


def test_both_are_written_and_the_exports_equal_those_from_the_marts_file(tmp_path):
    work = _work_file(tmp_path / "work.duckdb")
    info = {"publication": "p1"}
    both = ExportsProcess(
        tmp_path / "a" / "marts.duckdb", ExportJob([TABLE], tmp_path / "a" / "exports", info), work=work
    )
    (tmp_path / "a").mkdir()
    both.start()
    assert both.wait_exports() == tmp_path / "a" / "exports"
    both.wait()
    assert both.counts == {"marts.fct_things": 5000}
    # the exports again, from the marts file just written (the one-process way)
    (tmp_path / "b").mkdir()
    alone = ExportsProcess(tmp_path / "a" / "marts.duckdb", ExportJob([TABLE], tmp_path / "b" / "exports", info))
    alone.start()
    alone.wait()
    assert _digests(tmp_path / "a" / "exports") == _digests(tmp_path / "b" / "exports")
    assert {"fct_things.parquet", "fct_things.csv", "dictionary.csv", "README.md"} <= set(
        _digests(tmp_path / "b" / "exports")
    )
    con = duckdb.connect(str(tmp_path / "a" / "marts.duckdb"), read_only=True)
    assert con.execute("select count(*), max(thing_id) from main.fct_things").fetchone() == (5000, "T04999")
    con.close()


def test_a_failed_marts_file_is_named(tmp_path):
    work = _work_file(tmp_path / "work.duckdb")
    (tmp_path / "taken.duckdb").write_bytes(b"not a database")  # the marts file cannot be opened as DuckDB
    job = ExportJob([TABLE], tmp_path / "exports", {"publication": "p1"})
    proc = ExportsProcess(tmp_path / "taken.duckdb", job, work=work).start()
    try:
        proc.wait_exports()  # the exports themselves are fine
        with pytest.raises(ExportsFailed, match=r"writing the marts file into .* failed \(exit 1\)"):
            proc.wait()
    finally:
        proc.stop()


def test_failed_exports_are_named(tmp_path):
    work = _work_file(tmp_path / "work.duckdb")
    missing = TableDoc("fct_missing", "marts", "Grain: none.", [], [ColumnDoc("x", "VARCHAR")])
    job = ExportJob([TABLE, missing], tmp_path / "exports", {"publication": "p1"})
    proc = ExportsProcess(tmp_path / "marts.duckdb", job, work=work).start()
    try:
        with pytest.raises(ExportsFailed, match=r"writing the exports into .* failed \(exit 1\): .*fct_missing"):
            proc.wait()
    finally:
        proc.stop()


def test_processes_started_ahead_are_the_ones_that_do_the_work(tmp_path):
    work = _work_file(tmp_path / "work.duckdb")
    helpers = spawn_helpers()
    pids = {task: proc.pid for task, proc in helpers.items()}
    job = ExportJob([TABLE], tmp_path / "exports", {"publication": "p1"})
    proc = ExportsProcess(tmp_path / "marts.duckdb", job, work=work, helpers=helpers).start()
    try:
        assert helpers == {}  # both taken
        assert (proc.proc.pid, proc.marts_proc.pid) == (pids["exports"], pids["marts"])
        proc.wait()
    finally:
        proc.stop()
    assert proc.counts == {"marts.fct_things": 5000}
    assert (tmp_path / "exports" / "fct_things.parquet").exists()


def test_helpers_never_handed_work_are_ended(tmp_path):
    helpers = spawn_helpers()
    procs = list(helpers.values())
    stop_helpers(helpers)
    assert helpers == {}
    assert all(p.returncode is not None for p in procs)  # ended and reaped, none left behind


def test_a_helper_that_died_is_replaced(tmp_path):
    work = _work_file(tmp_path / "work.duckdb")
    helpers = spawn_helpers()
    dead = helpers["exports"]
    dead.kill()
    dead.wait()
    job = ExportJob([TABLE], tmp_path / "exports", {"publication": "p1"})
    proc = ExportsProcess(tmp_path / "marts.duckdb", job, work=work, helpers=helpers).start()
    try:
        assert proc.proc is not dead
        proc.wait()
    finally:
        proc.stop()
        dead.communicate()
    assert (tmp_path / "exports" / "fct_things.csv").exists()
