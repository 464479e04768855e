"""Census ingestion: detection by content, text kept as printed, and clear errors on bad input."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import duckdb
import pytest

from ingest.pipeline import ingest_dir
from ingest.sources.census import GAZ_PLACE_COLUMNS, KINDS, PEP_COLUMNS, classify
from tools.sample import census as C
from tools.sample import generate

REPO = Path(__file__).resolve().parents[3]
SAMPLE_CENSUS = REPO / "data" / "sample" / C.CENSUS_DIR


def _ingest(raw: Path, tmp_path: Path):
    db = tmp_path / "wh" / "work.duckdb"
    summary = ingest_dir(raw, db)
    return summary, duckdb.connect(str(db), read_only=True)


@pytest.fixture(scope="module")
def sample_con(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("census_sample")
    summary, con = _ingest(SAMPLE_CENSUS, tmp)
    assert not summary.rejected, [o.detail for o in summary.rejected]
    yield con
    con.close()


def test_committed_census_sample_matches_fresh_generation(tmp_path):
    """If this fails, regenerate: `python -m tools.sample data/sample`."""
    generate(tmp_path)
    fresh = {
        p.relative_to(tmp_path / C.CENSUS_DIR).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted((tmp_path / C.CENSUS_DIR).rglob("*"))
        if p.is_file()
    }
    committed = {
        p.relative_to(SAMPLE_CENSUS).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(SAMPLE_CENSUS.rglob("*"))
        if p.is_file()
    }
    assert fresh and fresh == committed


def test_each_kind_detected_by_content(tmp_path):
    written = C.write_census(tmp_path)
    kinds = set()
    for path in written:
        kind, _ = classify(path.read_bytes()[:4096])
        kinds.add(kind)
    assert kinds == set(KINDS)


def test_sample_lands_every_row_as_text(sample_con):
    n = lambda t: sample_con.execute(f"select count(*) from raw.{t}").fetchone()[0]  # noqa: E731
    assert n("census_pep_county") == len(C.STATES) + len(C.COUNTIES)
    assert n("census_acs_county") == n("census_gazetteer_county") == len(C.COUNTIES)
    assert n("census_acs_place") == n("census_gazetteer_place") == len(C.PLACES)
    # zero-padded FIPS parts stay text
    wy = sample_con.execute(
        'select "STATE", "COUNTY", "SUMLEV" from raw.census_pep_county where "STNAME" = \'Wyoming\' '
        "and \"SUMLEV\" = '040'"
    ).fetchone()
    assert wy == ("56", "000", "040")
    types = {
        r[0]
        for r in sample_con.execute(
            "select data_type from information_schema.columns where table_name = 'census_pep_county' "
            "and column_name not like '\\_%' escape '\\'"
        ).fetchall()
    }
    assert types == {"VARCHAR"}


def test_pep_is_decoded_as_latin1(sample_con):
    names = [
        r[0]
        for r in sample_con.execute(
            'select "CTYNAME" from raw.census_pep_county where "STATE" = \'35\' and "SUMLEV" = \'050\''
        ).fetchall()
    ]
    assert names == ["Do\u00f1a Ana County"]
    raw = (SAMPLE_CENSUS / "pep_v2024_county" / "co-est2024-alldata.csv").read_bytes()
    assert b"Do\xf1a Ana" in raw  # really Latin-1 on disk, not UTF-8


def test_latin1_pep_file_lands_decoded_never_quarantined(tmp_path):
    """A Latin-1 PEP file (its published encoding) with more non-ASCII names than the sample's one *lands*
    — status loaded, no rejection, every name decoded — it is not quarantined (nor mangled as UTF-8)."""
    source = SAMPLE_CENSUS / "pep_v2024_county" / "co-est2024-alldata.csv"
    text = source.read_bytes().decode("latin-1")
    assert "Doña Ana County" in text
    names = ["Añasco Municipio", "Bayamón Municipio", "Doña Ana County"]
    lines = text.split("\n")
    ctyname = PEP_COLUMNS.index("CTYNAME")
    county_lines = [i for i, line in enumerate(lines[1:], start=1) if line and line.split(",")[0] == "050"]
    for i, name in zip(county_lines[:2], names[:2], strict=True):  # two more counties renamed, still Latin-1
        cells = lines[i].split(",")
        cells[ctyname] = name
        lines[i] = ",".join(cells)
    raw = tmp_path / "raw" / "pep_latin1"
    raw.mkdir(parents=True)
    (raw / source.name).write_bytes("\n".join(lines).encode("latin-1"))
    summary, con = _ingest(raw.parent, tmp_path)
    assert [(o.path, o.status) for o in summary.outcomes] == [(f"pep_latin1/{source.name}", "loaded")]
    assert summary.rejected == []
    landed = {r[0] for r in con.execute('select "CTYNAME" from raw.census_pep_county').fetchall()}
    assert set(names) <= landed
    assert not any("Ã" in n for n in landed)  # decoded as Latin-1, not read as UTF-8 bytes
    assert con.execute("select count(*) from raw.load_rejections").fetchone()[0] == 0


def _copy_sample(tmp_path: Path) -> Path:
    raw = tmp_path / "raw"
    shutil.copytree(SAMPLE_CENSUS, raw / "census")
    return raw


def _only_rejection(summary, name: str) -> str:
    rejected = [o for o in summary.rejected if o.path.endswith(name)]
    assert len(rejected) == 1, summary.outcomes
    return rejected[0].detail


def test_utf8_error_names_line_and_lands_nothing(tmp_path):
    raw = _copy_sample(tmp_path)
    gaz = raw / "census" / "gazetteer_2025" / "2025_Gaz_place_national.txt"
    lines = gaz.read_bytes().split(b"\n")
    lines[3] = lines[3].replace(b"city", b"cit\xe9", 1)  # a Latin-1 byte in a UTF-8 file
    gaz.write_bytes(b"\n".join(lines))
    summary, con = _ingest(raw, tmp_path)
    detail = _only_rejection(summary, gaz.name)
    assert "row 4" in detail and "not valid utf-8" in detail
    assert con.execute("select count(*) from raw.census_gazetteer_place").fetchone()[0] == 0
    assert con.execute("select count(*) from raw.census_pep_county").fetchone()[0] > 0  # others still land


def test_comma_delimited_gazetteer_is_refused(tmp_path):
    raw = _copy_sample(tmp_path)
    gaz = raw / "census" / "gazetteer_2025" / "2025_Gaz_place_national.txt"
    gaz.write_text(gaz.read_text().replace("|", ","))
    summary, _ = _ingest(raw, tmp_path)
    detail = _only_rejection(summary, gaz.name)
    assert "row 1" in detail and "not '|'-delimited" in detail


def test_pep_missing_column_is_refused(tmp_path):
    raw = _copy_sample(tmp_path)
    pep = raw / "census" / "pep_v2024_county" / "co-est2024-alldata.csv"
    drop = PEP_COLUMNS.index("POPESTIMATE2024")
    lines = [
        ",".join(c for i, c in enumerate(line.split(",")) if i != drop)
        for line in pep.read_text(encoding="latin-1").splitlines()
    ]
    pep.write_text("\n".join(lines) + "\n", encoding="latin-1")
    summary, con = _ingest(raw, tmp_path)
    detail = _only_rejection(summary, pep.name)
    assert "missing column(s) ['POPESTIMATE2024']" in detail and "row 1" in detail
    assert con.execute("select count(*) from raw.census_pep_county").fetchone()[0] == 0


def test_short_row_names_row_and_column(tmp_path):
    raw = _copy_sample(tmp_path)
    gaz = raw / "census" / "gazetteer_2025" / "2025_Gaz_place_national.txt"
    lines = gaz.read_text().splitlines()
    lines[2] = "|".join(lines[2].split("|")[:5])
    gaz.write_text("\n".join(lines) + "\n")
    summary, _ = _ingest(raw, tmp_path)
    detail = _only_rejection(summary, gaz.name)
    assert "row 3" in detail and f"column {GAZ_PLACE_COLUMNS[5]}" in detail


def test_acs_number_instead_of_text_is_refused(tmp_path):
    raw = _copy_sample(tmp_path)
    acs = raw / "census" / "acs5_2023_b01003" / "place_2023.json"
    data = json.loads(acs.read_text())
    data[2][1] = int(data[2][1])
    acs.write_text(json.dumps(data))
    summary, _ = _ingest(raw, tmp_path)
    detail = _only_rejection(summary, acs.name)
    assert "row 3" in detail and "column B01003_001E" in detail


def test_real_census_files(realdata, tmp_path):
    """MANIFEST section 4: 51 state + 3,144 county PEP rows; ACS/Gazetteer row counts."""
    summary, con = _ingest(realdata / "census", tmp_path)
    assert not summary.rejected
    levels = dict(con.execute('select "SUMLEV", count(*) from raw.census_pep_county group by 1').fetchall())
    assert levels == {"040": 51, "050": 3144}
    counts = {
        t: con.execute(f"select count(*) from raw.{t}").fetchone()[0]
        for t in (
            "census_acs_county",
            "census_acs_place",
            "census_gazetteer_county",
            "census_gazetteer_place",
        )
    }
    assert counts == {
        "census_acs_county": 3222,
        "census_acs_place": 32325,
        "census_gazetteer_county": 3222,
        "census_gazetteer_place": 32350,
    }
    assert (
        con.execute(
            'select "CTYNAME" from raw.census_pep_county where "STATE" = \'35\' and "COUNTY" = \'013\''
        ).fetchone()[0]
        == "Do\u00f1a Ana County"
    )
