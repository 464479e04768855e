"""A dbt started ahead of its arguments (ingest/dbt_main.py, ingest.project.StartedDbt): `ice287g build`
starts it before the ingest so dbt imports itself meanwhile. Handed a job it is dbt in the warehouse
folder; never handed one it runs nothing; a malformed job is refused by name."""

from __future__ import annotations

from pathlib import Path

from warehouse_support import REPO

from ingest.project import StartedDbt


def test_a_started_dbt_runs_the_job_it_is_handed_in_the_warehouse_folder(tmp_path: Path):
    warehouse = tmp_path / "not_yet" / "wh"
    with StartedDbt(warehouse) as started:
        assert not warehouse.exists()  # started before the folder exists (the ingest makes it)
        lines: list[str] = []
        result = started.run(["ls", "--resource-type", "seed", "--output", "name", "--quiet"], on_line=lines.append)
    assert result.ok, lines
    seeds = sorted(p.stem for p in (REPO / "seeds").rglob("*.csv"))
    assert sorted(line for line in lines if line.strip()) == seeds
    assert (warehouse / "dbt_target" / "manifest.json").exists()  # it ran with the warehouse's target path
    assert (warehouse / "dbt_logs").is_dir()


def test_a_started_dbt_never_handed_a_job_runs_nothing(tmp_path: Path):
    warehouse = tmp_path / "wh"
    with StartedDbt(warehouse) as started:
        pass
    assert started.proc.returncode is not None  # ended, not left behind
    assert not warehouse.exists()


def test_a_started_dbt_ends_with_dbts_own_exit_code(tmp_path: Path):
    with StartedDbt(tmp_path / "wh") as started:
        lines: list[str] = []
        result = started.run(["build", "--no-such-option"], on_line=lines.append)
    assert result.returncode == 2, lines  # click's usage error, as the dbt executable gives it
    assert any("no-such-option" in line for line in lines)


def test_a_started_dbt_closes_the_work_file_before_it_exits(tmp_path: Path):
    """It ends with os._exit, after the exit handlers: dbt-duckdb's closes the database (its last
    checkpoint), so the rows are in the file itself and no write-ahead log is left for the next reader."""
    import duckdb

    warehouse = tmp_path / "wh"
    with StartedDbt(warehouse) as started:
        lines: list[str] = []
        result = started.run(["seed", "--select", "states"], on_line=lines.append)
    assert result.ok, lines
    assert (warehouse / "work.duckdb").exists()
    assert not (warehouse / "work.duckdb.wal").exists()
    con = duckdb.connect(str(warehouse / "work.duckdb"), read_only=True)
    try:
        assert con.execute("select count(*) from reference.states").fetchone()[0] > 50
    finally:
        con.close()
