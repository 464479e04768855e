"""The ``ice287g`` command on bad raw directories and bad files: clear message, exit code, nothing landed."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import duckdb
from xlsx_fixtures import HEADER_8, row8, write_sheet

BIN = Path(sys.executable).with_name("ice287g")


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    env = dict(os.environ, COLUMNS="200", TERM="dumb")
    return subprocess.run([str(BIN), *args], capture_output=True, text=True, cwd=cwd, env=env, timeout=300)


def _count(db: Path, sql: str) -> int:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql).fetchone()[0]
    finally:
        con.close()


def test_missing_directory(tmp_path):
    res = run("ingest", "--raw-dir", str(tmp_path / "missing"), "--warehouse-dir", str(tmp_path / "wh"))
    assert res.returncode == 2
    assert "does not exist" in res.stderr and "missing" in res.stderr


def test_empty_directory(tmp_path):
    (tmp_path / "raw").mkdir()
    res = run("build", "--raw-dir", str(tmp_path / "raw"), "--warehouse-dir", str(tmp_path / "wh"))
    assert res.returncode == 2
    assert "holds no files" in res.stderr


def _bad_dir(tmp_path: Path) -> Path:
    raw = tmp_path / "raw"
    good = write_sheet(raw / "participatingAgencies01052025am.xlsx", HEADER_8, [row8("Good Agency")])
    (raw / "participatingAgencies02052025am.xlsx").write_text("STATE,LAW ENFORCEMENT AGENCY\nWY,A\n")  # CSV renamed
    data = good.read_bytes()
    (raw / "participatingAgencies03052025am.xlsx").write_bytes(data[: len(data) // 2])  # truncated
    return raw


def test_non_excel_and_truncated_xlsx_are_quarantined_with_file_named(tmp_path):
    raw = _bad_dir(tmp_path)
    wh = tmp_path / "wh"
    res = run("ingest", "--raw-dir", str(raw), "--warehouse-dir", str(wh))
    out = res.stdout + res.stderr
    assert res.returncode == 3, out
    assert "participatingAgencies02052025am.xlsx" in out and "participatingAgencies03052025am.xlsx" in out
    assert "not a readable xlsx" in out
    db = wh / "work.duckdb"
    assert _count(db, "select count(*) from raw.load_manifest") == 1
    assert _count(db, "select count(*) from raw.ice_participating_rows") == 1
    assert _count(db, "select count(distinct source_file) from raw.load_rejections") == 2
    assert len(list((wh / "quarantine").glob("*.txt"))) == 2


def test_strict_makes_a_quarantine_fail(tmp_path):
    raw = _bad_dir(tmp_path)
    res = run("ingest", "--strict", "--raw-dir", str(raw), "--warehouse-dir", str(tmp_path / "wh"))
    assert res.returncode == 1


def test_fetch_offline_fails_clearly(tmp_path):
    env = dict(
        os.environ,
        HTTPS_PROXY="http://127.0.0.1:9",
        HTTP_PROXY="http://127.0.0.1:9",
        https_proxy="http://127.0.0.1:9",
        http_proxy="http://127.0.0.1:9",
    )
    res = subprocess.run(
        [str(BIN), "fetch", "--dest", str(tmp_path / "dl")], capture_output=True, text=True, env=env, timeout=300
    )
    assert res.returncode == 1
    assert "cannot fetch" in res.stderr
    assert not any(p.is_file() for p in (tmp_path / "dl").rglob("*")) if (tmp_path / "dl").exists() else True
