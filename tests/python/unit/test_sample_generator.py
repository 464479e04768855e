"""Tests for the SYNTHETIC sample-data generator (tools/sample)."""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

import openpyxl
import pytest
from python_calamine import CalamineWorkbook

from tools.sample import generate
from tools.sample import ice_sheets as S

REPO = Path(__file__).resolve().parents[3]
SAMPLE = REPO / "data" / "sample"


def _digests(root: Path) -> dict[str, str]:
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(root.rglob("*.xlsx"))
    }


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> Path:
    dest = tmp_path_factory.mktemp("sample_a")
    generate(dest)
    return dest


def test_generate_returns_every_publication(tmp_path):
    written = generate(tmp_path)
    rel = sorted(p.relative_to(tmp_path).as_posix() for p in written)
    # other sources' writers (arrests, ...) add their own folders; the ICE sheets are exactly the publications
    ice = [r for r in rel if r.startswith(S.SHEETS_DIR + "/")]
    assert ice == sorted(pub.relpath for pub in S.PUBLICATIONS)
    assert all(p.is_file() for p in written)


def test_generation_is_byte_identical(generated, tmp_path):
    generate(tmp_path)
    assert _digests(generated) == _digests(tmp_path)
    assert _digests(generated)  # not vacuous


def test_committed_sample_matches_fresh_generation(generated):
    """If this fails, run `ice287g sample --dest data/sample` (or `python -m tools.sample data/sample`)."""
    committed = SAMPLE / S.SHEETS_DIR
    assert committed.is_dir(), "data/sample/ice_287g_sheets is missing"
    assert _digests(committed) == _digests(generated / S.SHEETS_DIR)


@pytest.mark.parametrize("pub", S.PUBLICATIONS, ids=lambda p: p.pub_id)
def test_file_reads_with_calamine(generated, pub):
    wb = CalamineWorkbook.from_path(str(generated / pub.relpath))
    assert wb.sheet_names == [pub.sheet_name]
    rows = wb.get_sheet_by_name(pub.sheet_name).to_python()
    assert rows[0] == list(pub.columns)
    body = [r for r in rows[1:] if any(v not in ("", None) for v in r)]
    assert len(body) == len(pub.rows)
    # text cells are kept exactly (trailing spaces, NBSP, curly apostrophes)
    col = pub.columns.index("LAW ENFORCEMENT AGENCY")
    assert [r[col] for r in body] == [p.agency for p in pub.rows]


@pytest.mark.parametrize("pub", S.PUBLICATIONS, ids=lambda p: p.pub_id)
def test_hyperlinks_match_scenario(generated, pub):
    ws = openpyxl.load_workbook(generated / pub.relpath).active
    links = {c.coordinate: c.hyperlink.target for row in ws.iter_rows() for c in row if c.hyperlink}
    assert len(links) == pub.hyperlink_count
    cols = {name: i + 1 for i, name in enumerate(pub.columns)}
    expected = {}
    for r_idx, r in enumerate(pub.rows, start=2):
        if r.moa_target:
            expected[ws.cell(r_idx, cols["MOA"]).coordinate] = r.moa_target
        if r.addendum_target:
            expected[ws.cell(r_idx, cols["ADDENDUM"]).coordinate] = r.addendum_target
    assert links == expected


@pytest.mark.parametrize("pub", S.PUBLICATIONS, ids=lambda p: p.pub_id)
def test_signed_cells(generated, pub):
    if "SIGNED" not in pub.columns:
        return
    ws = openpyxl.load_workbook(generated / pub.relpath).active
    col = pub.columns.index("SIGNED") + 1
    for r_idx, r in enumerate(pub.rows, start=2):
        cell = ws.cell(r_idx, col)
        if pub.layout == "html5":
            assert cell.value == r.signed and isinstance(cell.value, str)
        elif isinstance(r.signed, dt.date):
            assert cell.value == dt.datetime.combine(r.signed, dt.time())
            assert cell.number_format == "mm-dd-yy"
        else:
            assert cell.value == r.signed and isinstance(cell.value, str)


def test_scenario_is_consistent():
    final = S.participating_publications()[-1]
    for pub in S.participating_publications():
        assert 10 <= len(pub.rows) <= 60
        assert len(pub.rows) <= len(final.rows)
        for key in pub.agreement_keys:
            a = S.AGREEMENT_BY_KEY[key]
            assert a.signed is not None and a.signed <= pub.as_of, (pub.pub_id, key)
    for a in S.AGREEMENTS:
        if a.pending and a.participating:
            first = S.PUB_BY_ID[a.participating[0]].as_of
            assert all(S.PUB_BY_ID[q].as_of < first for q in a.pending), a.key
    for a in S.AGREEMENTS:
        assert isinstance(a.notes, tuple) and all(isinstance(n, str) for n in a.notes), a.key
        assert all(isinstance(x, tuple) and len(x) == 2 for x in a.renamed + a.href_forms), a.key
    # at least one file sits directly in ice_287g_sheets/ (no date folder)
    assert any(p.folder is None for p in S.PUBLICATIONS)
    # one file-name date earlier than the latest SIGNED it carries
    assert any(
        p.file_name_date
        and p.kind == "participating"
        and max(S.AGREEMENT_BY_KEY[k].signed for k in p.agreement_keys) > p.file_name_date
        for p in S.PUBLICATIONS
    )


def _all_digests(root: Path) -> dict[str, str]:
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file() and p.name != "README.md"
    }


def test_every_committed_sample_file_matches_its_generator(generated):
    """Every committed file under data/sample/ (ICE sheets, ledger, arrests, census; README.md is written by
    hand) is exactly what the generator writes, and the generator writes no file that is not committed.
    If this fails, run `make sample` and review `git diff data/sample`."""
    committed, fresh = _all_digests(SAMPLE), _all_digests(generated)
    assert sorted(committed) == sorted(fresh)
    assert {p.split("/")[0] for p in committed} >= {"arrests", "census", "ice_287g_sheets", "ledger"}
    assert [p for p in committed if committed[p] != fresh[p]] == []


def test_committed_arrests_sample_matches_its_generator(generated):
    """The arrests folder in particular (it had no check of its own): every file, byte for byte."""
    arrests = {p: d for p, d in _all_digests(SAMPLE).items() if p.startswith("arrests/")}
    assert len(arrests) >= 5
    assert arrests == {p: d for p, d in _all_digests(generated).items() if p.startswith("arrests/")}


def test_sample_headers_come_from_the_readers():
    """The generator writes the header lists the readers recognise (imported, not repeated)."""
    from ingest.sources import arrests as A
    from ingest.sources.ice_sheets import LAYOUTS
    from tools.sample import arrests as SA
    from tools.sample import ledger as SL

    assert A.LESA.headers == SA.LESA_HEADER and A.DDP_2025.headers == SA.DDP_2025_HEADER
    assert A.DDP_EARLY.headers == SA.DDP_EARLY_HEADER
    assert set(S.PARTICIPATING_COLUMNS.values()) <= set(LAYOUTS)
    assert SL.HEADER[0] == "payee_name" and "amount_usd" in SL.HEADER


def test_sample_command_without_the_generator_says_where_it_lives(tmp_path, monkeypatch, capsys):
    """Installed from a wheel (no tools/sample/ beside the package), `ice287g sample` fails with a clear message."""
    import ingest.project
    from ingest import cli

    monkeypatch.setattr(ingest.project, "project_dir", lambda: tmp_path)
    code = cli.main(["sample", "--dest", str(tmp_path / "out")])
    assert code == cli.EXIT_USAGE
    assert "sample generator (tools/sample/) is not here" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()
