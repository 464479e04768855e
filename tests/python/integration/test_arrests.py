"""Arrests source: layouts found by header, real FY2019 release, bad input, the publish step's deny list.
(That the published sample carries no personal field is tests/python/e2e/test_privacy.py: it reads a build.)"""

from __future__ import annotations

import gzip
import hashlib
import hmac
from pathlib import Path

import duckdb
import pytest

from ingest.errors import IngestError
from ingest.person_key import load_or_create_key
from ingest.pipeline import ingest_dir
from ingest.publish import PublishError, publish
from ingest.sources.arrests import Arrests
from ingest.sources.base import FileInfo
from tools.sample import arrests as S

REAL = "ice_arrests/uwchr_lesa_fy2019/EROArrests_FY2019.csv.gz"


@pytest.fixture(scope="module")
def sample_files(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("arrests_sample")
    S.write_arrests(root)
    return root


def _rows(db: Path, sql: str) -> list[tuple]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def test_sample_layouts_land(sample_files: Path, tmp_path: Path) -> None:
    summary = ingest_dir(sample_files, tmp_path / "work.duckdb")
    assert not summary.rejected, [o.detail for o in summary.rejected]
    layouts = {o.layout for o in summary.by_status("loaded")}
    assert layouts == {"lesa_fy2019", "ddp_2025", "ddp_early", "weekly_snapshot", "uwchr_county_aor"}
    rows = summary.table_rows
    assert rows["raw.arrests_lesa_rows"] == len(S.lesa_rows())
    assert rows["raw.arrests_ddp_rows"] == len(S.ddp_rows())
    assert rows["raw.arrests_ddp_early_rows"] == len(S.ddp_early_rows())
    assert rows["raw.arrests_weekly_rows"] == len(S.WEEKLY)
    db = tmp_path / "work.duckdb"
    # both DDP sheets land, each row keeps its sheet and Excel row (6 title rows + header -> data from row 8)
    sheets = dict(_rows(db, "select _sheet, min(_row_number) from raw.arrests_ddp_rows group by 1"))
    assert sheets == {"Arrests 1": 8, "Arrests 2": 8}
    assert _rows(db, "select min(_row_number) from raw.arrests_ddp_early_rows") == [(7,)]
    # person_key = HMAC-SHA256(secret, identifier); redacted identifiers get none
    key = load_or_create_key(tmp_path)
    for ident, pkey in _rows(db, "select anonymized_identifier, person_key from raw.arrests_ddp_rows"):
        if ident == S.DDP_REDACTED:
            assert pkey is None
        else:
            assert pkey == hmac.new(key, ident.upper().encode(), hashlib.sha256).hexdigest()
    assert (tmp_path / "secrets" / "person_key").stat().st_mode & 0o077 == 0


def test_header_found_wherever_it_sits(tmp_path: Path) -> None:
    text = S.lesa_text(S.lesa_rows()[:5])
    shifted = '"an extra title line"||||||||\n"and another"||||||||\n' + text
    path = tmp_path / "shifted.csv.gz"
    path.write_bytes(gzip.compress(shifted.encode()))
    file = FileInfo.from_path(path, tmp_path)
    detection = Arrests().detect(file)
    assert detection is not None and detection.detail["header_line"] == 8
    summary = ingest_dir(tmp_path, tmp_path / "wh" / "work.duckdb")
    assert summary.table_rows["raw.arrests_lesa_rows"] == 5
    assert _rows(tmp_path / "wh" / "work.duckdb", "select min(_row_number) from raw.arrests_lesa_rows") == [(9,)]


def test_bad_row_rejects_whole_file(tmp_path: Path) -> None:
    lines = S.lesa_text(S.lesa_rows()[:20]).splitlines()
    lines[12] = lines[12] + '|"an extra field"'  # line 13 has 10 fields
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "bad.csv").write_text("\n".join(lines) + "\n")
    summary = ingest_dir(raw, tmp_path / "work.duckdb")
    assert len(summary.rejected) == 1
    detail = summary.rejected[0].detail
    assert "bad.csv" in detail and "row 13" in detail
    assert _rows(tmp_path / "work.duckdb", "select count(*) from raw.arrests_lesa_rows") == [(0,)]


def test_weekly_arrests_must_be_whole_numbers(tmp_path: Path) -> None:
    (tmp_path / "weekly.csv").write_text("Agency,State,Week,Arrests\nX Sheriff's Office,FL,2025-09-01,4O\n")
    file = FileInfo.from_path(tmp_path / "weekly.csv", tmp_path)
    source = Arrests()
    with pytest.raises(IngestError) as err:
        source.parse(file, source.detect(file), None)
    assert err.value.row == 2 and err.value.column == "Arrests"


def test_unknown_ddp_column_is_refused(tmp_path: Path) -> None:
    header = [*S.DDP_2025_HEADER[:-1], "Subject Full Name"]
    path = S._write_workbook(tmp_path / "new.xlsx", [("S", S.DDP_TITLE_2025, header, S.ddp_rows()[:3])])
    with pytest.raises(IngestError, match="Subject Full Name"):
        Arrests().detect(FileInfo.from_path(path, tmp_path))


@pytest.mark.realdata
def test_real_fy2019_release(realdata: Path, tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    (raw / "lesa").mkdir(parents=True)
    (raw / "lesa" / "EROArrests_FY2019.csv.gz").symlink_to(realdata / REAL)
    # symlinks are skipped by the scan: copy is forbidden in the repo, not in a temp dir
    (raw / "lesa" / "EROArrests_FY2019.csv.gz").unlink()
    (raw / "lesa" / "EROArrests_FY2019.csv.gz").write_bytes((realdata / REAL).read_bytes())
    db = tmp_path / "work.duckdb"
    summary = ingest_dir(raw, db)
    assert summary.table_rows["raw.arrests_lesa_rows"] == 131_904
    n_287g = _rows(db, "select count(*) from raw.arrests_lesa_rows where apprehension_method = '287(g) Program'")
    assert n_287g == [(8_361,)]
    # _row_number is the file line: compare a few rows with the text itself
    with gzip.open(realdata / REAL, "rt", encoding="utf-8") as fh:
        lines = fh.read().splitlines()
    for line_no in (7, 50_000, 131_910):
        got = _rows(
            db,
            f"select area_of_responsibility, apprehension_landmark from raw.arrests_lesa_rows "
            f"where _row_number = {line_no}",
        )[0]
        assert lines[line_no - 1].startswith(f'"{got[0]}"')
        assert f'"{got[1]}"' in lines[line_no - 1] if got[1] else True


def test_publish_refuses_denied_column(tmp_path: Path, repo: Path) -> None:
    con = duckdb.connect(str(tmp_path / "work.duckdb"))
    con.execute("create schema marts")
    con.execute("create table marts.fct_leaky (arrest_id varchar, birth_date varchar)")
    con.close()
    with pytest.raises(PublishError, match="birth_date"):
        publish(tmp_path, repo)
    assert not (tmp_path / "marts.duckdb").exists()
