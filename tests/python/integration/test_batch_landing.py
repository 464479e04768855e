"""Landing several files per transaction and reading workbooks in worker processes (issue 11) change
how fast files land, never what lands: the same rows in the same order as one file at a time, a batch
whose transaction fails falls back to landing its files one by one (only the bad file is quarantined,
at stage ``land``), and a worker that dies rejects only the file it was reading."""

from __future__ import annotations

import datetime as dt
import gc
import os
import shutil
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow as pa
import pytest
from warehouse_support import SAMPLE
from xlsx_fixtures import HEADER_8, row8, write_sheet

from ingest import landing, pipeline, read_pool
from ingest.sources.ice_sheets import IceSheets

CLOCK = {"_loaded_at", "loaded_at", "validated_at", "first_seen_at", "rejected_at"}
SECRET = {"person_key", "meta_json"}  # the person key is a secret of each warehouse (meta_json names its id)


def _sheets(raw: Path, n: int) -> list[Path]:
    return [
        write_sheet(
            raw / f"participatingAgencies01{k + 10:02d}2025am.xlsx",
            HEADER_8,
            [row8(f"Batch Test Agency {k}-{i}") for i in range(3)],
        )
        for k in range(n)
    ]


def _table(db: Path, table: str) -> list[tuple]:
    """A raw table in its physical (rowid) order, wall-clock and secret columns left out."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        cols = [r[0] for r in con.execute(f"describe raw.{table}").fetchall() if r[0] not in CLOCK | SECRET]
        return con.execute(f"select {', '.join(cols)} from raw.{table} order by rowid").fetchall()
    finally:
        con.close()


def _tables(db: Path) -> list[str]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return [
            r[0] for r in con.execute("select table_name from duckdb_tables() where schema_name = 'raw'").fetchall()
        ]
    finally:
        con.close()


def _outcomes(summary) -> list[tuple]:
    return [(o.path, o.status, o.detail, o.stage, o.n_rows) for o in summary.outcomes]


def test_batches_land_the_rows_of_one_file_at_a_time(tmp_path, monkeypatch):
    raw = tmp_path / "raw"
    shutil.copytree(SAMPLE, raw)
    shutil.copy(next((raw / "ice_287g_sheets").rglob("*.xlsx")), raw / "copy_of_a_sheet.xlsx")  # same bytes
    one = pipeline.ingest_dir(raw, tmp_path / "one" / "work.duckdb")
    monkeypatch.setattr(pipeline, "LAND_BATCH_FILES", 1)
    alone = pipeline.ingest_dir(raw, tmp_path / "alone" / "work.duckdb")
    assert _outcomes(one) == _outcomes(alone)
    assert len(one.by_status("loaded")) > 10 and one.by_status("already_loaded")
    for table in _tables(tmp_path / "one" / "work.duckdb"):
        assert _table(tmp_path / "one" / "work.duckdb", table) == _table(tmp_path / "alone" / "work.duckdb", table)


def test_a_failed_batch_lands_its_files_one_by_one_and_quarantines_only_the_bad_one(tmp_path, monkeypatch):
    raw = tmp_path / "raw"
    paths = _sheets(raw, 5)
    bad = paths[2].name
    parse = IceSheets.parse

    def parse_with_a_bad_date(self, file, detection, context):
        parsed = parse(self, file, detection, context)
        if file.path.name == bad:
            # a value that does not fit its raw column (date), in a column of mixed Python types (no Arrow):
            # the file is inserted on its own inside the batch, after the files before it, and DuckDB refuses it
            parsed.arrow = None
            parsed.frame["signed_date"] = pd.Series(["not a date", 5, dt.date(2025, 1, 2)], dtype=object)
        return parsed

    monkeypatch.setattr(IceSheets, "parse", parse_with_a_bad_date)
    batches: list[tuple[int, str]] = []
    land_batch = landing.land_batch

    def spy(con, items, copies=None):
        try:
            counts = land_batch(con, items, copies)
        except Exception as exc:
            batches.append((len(items), type(exc).__name__))
            raise
        batches.append((len(items), "ok"))
        return counts

    monkeypatch.setattr(landing, "land_batch", spy)
    seen = []
    db = tmp_path / "wh" / "work.duckdb"
    summary = pipeline.ingest_dir(raw, db, on_file=seen.append, quarantine_dir=tmp_path / "q")

    assert batches == [(5, "ConversionException")]  # one batch, rolled back
    assert [o.path for o in summary.outcomes] == sorted(p.name for p in paths) == [o.path for o in seen]
    statuses = {o.path: (o.status, o.stage) for o in summary.outcomes}
    assert statuses.pop(bad) == ("rejected", "land")
    assert set(statuses.values()) == {("loaded", None)}
    assert "ConversionException while landing" in next(o.detail for o in summary.outcomes if o.path == bad)
    con = duckdb.connect(str(db), read_only=True)
    try:
        assert con.execute("select count(*) from raw.load_manifest").fetchone()[0] == 4
        assert con.execute("select count(*) from raw.ice_participating_rows").fetchone()[0] == 12
        assert con.execute("select source_file, stage from raw.load_rejections").fetchall() == [(bad, "land")]
        landed = {r[0] for r in con.execute("select distinct _source_file from raw.ice_participating_rows").fetchall()}
        assert bad not in landed and len(landed) == 4
    finally:
        con.close()
    assert len(list((tmp_path / "q").glob("*.txt"))) == 1


@pytest.fixture
def forced_pool(monkeypatch):
    """Worker processes even for a handful of files."""
    monkeypatch.setattr(read_pool, "POOL_MIN_BYTES", 1)
    monkeypatch.setenv("ICE287G_INGEST_WORKERS", "2")


def test_workers_read_as_the_main_process_does(tmp_path, monkeypatch, forced_pool):
    raw = tmp_path / "raw"
    shutil.copytree(SAMPLE, raw)
    sheet = next((raw / "ice_287g_sheets").rglob("*.xlsx"))
    shutil.copy(sheet, raw / "copy_of_a_sheet.xlsx")
    (raw / "participatingAgencies01012025am.xlsx").write_bytes(sheet.read_bytes()[:2000])  # truncated
    (raw / "participatingAgencies01022025am.xlsx").write_bytes(b"not a workbook")
    started = []
    start = read_pool.ReadPool.start
    monkeypatch.setattr(read_pool.ReadPool, "start", classmethod(lambda cls, n: started.append(n) or start(n)))
    pooled = pipeline.ingest_dir(raw, tmp_path / "pooled" / "work.duckdb")
    assert started == [sum(p.stat().st_size for p in raw.rglob("*.xlsx"))]
    monkeypatch.setenv("ICE287G_INGEST_WORKERS", "0")
    serial = pipeline.ingest_dir(raw, tmp_path / "serial" / "work.duckdb")
    assert _outcomes(pooled) == _outcomes(serial)
    assert len(pooled.rejected) == 2 and pooled.by_status("already_loaded")
    assert {o.stage for o in pooled.rejected} == {"detect"}
    for table in _tables(tmp_path / "pooled" / "work.duckdb"):
        assert _table(tmp_path / "pooled" / "work.duckdb", table) == _table(tmp_path / "serial" / "work.duckdb", table)


def test_a_worker_that_dies_rejects_only_the_file_it_was_reading(tmp_path, monkeypatch, forced_pool):
    raw = tmp_path / "raw"
    paths = _sheets(raw, 6)
    doomed = paths[3].name
    parse = IceSheets.parse

    def parse_or_die(self, file, detection, context):
        if file.path.name == doomed:
            os._exit(9)  # as a segfault in a reader's native code would end the worker
        return parse(self, file, detection, context)

    monkeypatch.setattr(IceSheets, "parse", parse_or_die)
    summary = pipeline.ingest_dir(raw, tmp_path / "wh" / "work.duckdb")
    statuses = {o.path: o.status for o in summary.outcomes}
    assert statuses.pop(doomed) == "rejected"
    assert set(statuses.values()) == {"loaded"} and len(statuses) == 5
    rejected = summary.rejected[0]
    assert rejected.stage == "read" and read_pool.CRASHED in rejected.detail


def test_the_workers_are_gone_when_the_ingest_returns(tmp_path, monkeypatch, forced_pool):
    """They are asked to exit once the reads are done (before validation and landing) and joined at the end."""
    import multiprocessing

    closes: list[bool] = []
    close = read_pool.ReadPool.close
    monkeypatch.setattr(
        read_pool.ReadPool, "close", lambda self, wait=True: closes.append(wait) or close(self, wait=wait)
    )
    summary = pipeline.ingest_dir(_sheets(tmp_path / "raw", 3)[0].parent, tmp_path / "wh" / "work.duckdb")
    assert [o.status for o in summary.outcomes] == ["loaded"] * 3
    assert closes == [False, True]
    assert multiprocessing.active_children() == []


def test_a_file_submitted_to_a_broken_pool_is_read_alone(tmp_path, monkeypatch, forced_pool):
    """Files are submitted while the rest are hashed, so the pool can break before a file is submitted:
    that file is read alone in a fresh worker, like one whose result the break lost."""
    from ingest.sources import all_sources
    from ingest.sources.base import FileInfo, LoadContext

    paths = _sheets(tmp_path / "raw", 2)
    pool = read_pool.ReadPool.start(1 << 30)
    try:
        context = LoadContext(raw_dir=tmp_path / "raw", date_overrides={}, warehouse_dir=tmp_path)
        tasks = [
            read_pool.ReadTask(FileInfo.from_path(p, tmp_path / "raw"), p.name, all_sources()[:1], context)
            for p in paths
        ]
        dying = pool.executor.submit(os._exit, 9)
        with pytest.raises(read_pool.BrokenProcessPool):
            dying.result()
        future = pool.submit(tasks[0])  # the executor refuses it: a future holding the break
        assert isinstance(future.exception(), read_pool.BrokenProcessPool)
        examined = read_pool.ReadPool.result(tasks[0], future)
        assert examined.status == "parsed" and examined.parsed.n_rows == 3
    finally:
        pool.close()


def test_an_ingest_freezes_older_objects_and_puts_them_back(tmp_path: Path) -> None:
    """During a run the objects older than it are out of the collector's passes (``gc.freeze``); after
    it (and after one that fails) the collector sees them again, and a caller's own freeze is kept."""
    raw = tmp_path / "raw"
    raw.mkdir()
    _sheets(raw, 2)
    during: list[int] = []
    assert gc.get_freeze_count() == 0
    pipeline.ingest_dir(raw, tmp_path / "wh" / "work.duckdb", on_file=lambda o: during.append(gc.get_freeze_count()))
    assert during and all(n > 0 for n in during)
    assert gc.get_freeze_count() == 0
    with pytest.raises(pipeline.RawDirError):
        pipeline.ingest_dir(tmp_path / "empty_missing", tmp_path / "wh2" / "work.duckdb")
    assert gc.get_freeze_count() == 0
    gc.freeze()
    try:
        frozen = gc.get_freeze_count()
        pipeline.ingest_dir(raw, tmp_path / "wh3" / "work.duckdb")
        assert gc.get_freeze_count() == frozen
    finally:
        gc.unfreeze()


def test_table_counts_are_each_tables_own_count(tmp_path: Path) -> None:
    """``table_counts`` (one query for every raw table) gives each table's own ``count(*)``, in the
    sources' order of tables."""
    raw = tmp_path / "raw"
    raw.mkdir()
    _sheets(raw, 3)
    db = tmp_path / "wh" / "work.duckdb"
    summary = pipeline.ingest_dir(raw, db)
    sources = pipeline.all_sources()
    con = duckdb.connect(str(db), read_only=True)
    try:
        expected = {
            f"raw.{t}": con.execute(f"select count(*) from raw.{t}").fetchone()[0] for s in sources for t in s.tables
        }
        assert list(landing.table_counts(con, sources).items()) == list(expected.items())
    finally:
        con.close()
    assert summary.table_rows == expected
    assert expected["raw.ice_participating_rows"] == 9


def _sample_landables() -> list[landing.Landable]:
    from ingest.sources.base import FileInfo, LoadContext

    source = IceSheets()
    items = []
    for path in sorted(SAMPLE.rglob("*.xlsx")):
        file = FileInfo.from_path(path, SAMPLE)
        detection = source.detect(file)
        if detection is not None:
            items.append(landing.Landable(file, source.parse(file, detection, LoadContext(raw_dir=SAMPLE))))
    return items


def test_a_batch_committed_into_the_file_lands_what_a_commit_to_the_wal_lands(tmp_path, monkeypatch):
    """A batch commits straight into the database file (checkpoint threshold 0 while it commits): the
    same rows as a commit through the WAL, nothing left in the WAL, the connection's settings back."""
    from ingest.sources import all_sources

    items = _sample_landables()
    assert len(items) > 5
    wal_bytes = {}
    for label, threshold in (("file", landing.BATCH_CHECKPOINT_THRESHOLD), ("wal", "1GiB")):
        monkeypatch.setattr(landing, "BATCH_CHECKPOINT_THRESHOLD", threshold)
        db = tmp_path / label / "work.duckdb"
        con = landing.connect(db, all_sources())
        settings = "select current_setting('threads'), current_setting('checkpoint_threshold')"
        before = con.execute(settings).fetchone()
        counts = landing.land_batch(con, items)
        assert con.execute(settings).fetchone() == before
        wal = db.with_name(db.name + ".wal")
        wal_bytes[label] = wal.stat().st_size if wal.exists() else 0
        con.close()
        assert counts == [i.parsed.n_rows for i in items]
    assert wal_bytes["file"] == 0 < wal_bytes["wal"]
    for table in _tables(tmp_path / "file" / "work.duckdb"):
        assert _table(tmp_path / "file" / "work.duckdb", table) == _table(tmp_path / "wal" / "work.duckdb", table)


def test_the_schema_is_made_by_one_call_as_by_a_statement_each(tmp_path):
    from ingest.sources import all_sources

    sources = all_sources()
    con = landing.connect(tmp_path / "one" / "work.duckdb", sources)
    each = duckdb.connect(str(tmp_path / "each.duckdb"))
    for ddl in landing.schema_ddl(sources):
        each.execute(ddl)
    query = (
        "select table_name, column_name, data_type, is_nullable, column_default from information_schema.columns "
        "where table_schema = 'raw' order by table_name, ordinal_position"
    )
    made = con.execute(query).fetchall()
    assert made == each.execute(query).fetchall()
    assert len({r[0] for r in made}) == 4 + sum(len(s.tables) for s in sources)
    con.close()
    each.close()


class _Recording:
    """A connection that records the statements it is given."""

    def __init__(self, con: duckdb.DuckDBPyConnection) -> None:
        self.con, self.statements = con, []

    def __getattr__(self, name: str):
        return getattr(self.con, name)

    def execute(self, sql: str, *args):
        self.statements.append(sql)
        return self.con.execute(sql, *args)


def test_a_connection_opened_on_the_landing_threads_lands_without_changing_them(tmp_path, monkeypatch):
    """An ingest opens the work file on ``land_threads()``: its batches set no threads (each change
    relaunches DuckDB's threads) and land what a batch on a connection with other threads lands."""
    from ingest.sources import all_sources

    monkeypatch.delenv("ICE287G_LAND_THREADS", raising=False)
    items = _sample_landables()
    sets: dict[str, list[str]] = {}
    for label, threads in (("opened", landing.land_threads()), ("other", 2)):
        db = tmp_path / label / "work.duckdb"
        con = _Recording(landing.connect(db, all_sources(), threads=threads))
        assert con.execute("select current_setting('threads')").fetchone()[0] == threads
        landing.land_batch(con, items)
        assert con.execute("select current_setting('threads')").fetchone()[0] == threads
        sets[label] = [s for s in con.statements if "set threads" in s]
        con.close()
    assert landing.land_threads() == 1
    assert sets["opened"] == [] and len(sets["other"]) == 2  # set for the batch, and put back
    for table in _tables(tmp_path / "opened" / "work.duckdb"):
        assert _table(tmp_path / "opened" / "work.duckdb", table) == _table(tmp_path / "other" / "work.duckdb", table)


@pytest.mark.parametrize("value", ["0f" * 32, "ice_287g_sheets/2025-01-04/caf\xe9 \U0001f600.xlsx", "", None])
@pytest.mark.parametrize("n", [0, 1, 3, 1000])
def test_lineage_columns_repeat_as_a_list_of_the_value_converts(value, n):
    made = landing._repeated(value, n)
    expected = pa.array([value] * n, pa.string())
    assert made.type == expected.type and made.equals(expected) and made.null_count == expected.null_count
    assert made.to_pylist() == [value] * n
