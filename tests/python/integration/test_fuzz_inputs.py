"""Seeded fuzz over the bad-input rules (issue 12): a few hundred randomly mutated copies of the sample
files — truncated, bytes flipped or inserted, hostile cells injected (formulas, control characters,
markup, quotes, line breaks, invalid UTF-8) and placed under odd names — are ingested in-process in one
run. Whatever the mutation, the run never prints a traceback, every file ends as loaded, skipped or
quarantined with a message naming it, and a file lands whole (manifest rows = raw rows) or not at all.

The seed is fixed so a failure reproduces; ICE287G_FUZZ_SEED / ICE287G_FUZZ_N explore further.
"""

from __future__ import annotations

import io
import os
import random
import re
import time
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape as xml_escape

import duckdb
from warehouse_support import SAMPLE

from ingest.cli import EXIT_OK, EXIT_QUARANTINED, main
from ingest.safe_text import fs_text, printable

SEED = int(os.environ.get("ICE287G_FUZZ_SEED", "20260412"))
N_COPIES = int(os.environ.get("ICE287G_FUZZ_N", "240"))
HOSTILE_CELLS = [
    '=HYPERLINK("http://evil.example/x","Click me")',
    "+1+cmd",
    "-2+3",
    "@SUM(A1)",
    "\t=1",
    "\x1b[31mred\x1b[0m",
    "nul\x00byte",
    "[/]closing[bold]",
    'quote " and , comma',
    "line\nbreak",
    "javascript:alert(1)",
    "x" * 5000,
    "--5",
    "1000000000000000.00",
    "2026-13-45",
]
ODD_NAME_PARTS = ["[/]", "[bold]", "q[", " ", "'", '"', ";", "--", "\\", "é", "😀", "\x1b[31m", "#", "%", "&"]
BAD_BYTES = [b"\xff", b"\xfe\xff", b"\x80", b"\xc3("]


def _base_files() -> list[Path]:
    """Small sample files of every source (the large arrests workbooks are left out to bound the time)."""
    files = [p for p in sorted(SAMPLE.rglob("*")) if p.is_file() and p.name != "README.md"]
    return [p for p in files if p.stat().st_size < 50_000]


def _inject_text(data: bytes, rng: random.Random) -> bytes:
    lines = data.split(b"\n")
    if len(lines) < 3:
        return data
    i = rng.randrange(1, len(lines) - 1)
    cells = lines[i].split(b",")
    j = rng.randrange(len(cells))
    value = rng.choice(HOSTILE_CELLS).encode("utf-8")
    cells[j] = b'"' + value.replace(b'"', b'""') + b'"' if rng.random() < 0.5 else value
    lines[i] = b",".join(cells)
    return b"\n".join(lines)


def _inject_xlsx(data: bytes, rng: random.Random) -> bytes:
    """Replace one shared string (a cell's text) with a hostile value, or flip bytes inside one XML part."""
    try:
        src = zipfile.ZipFile(io.BytesIO(data))
        members = {i.filename: src.read(i.filename) for i in src.infolist()}
    except (zipfile.BadZipFile, OSError, EOFError, ValueError):
        return data
    if "xl/sharedStrings.xml" in members and rng.random() < 0.7:
        strings = members["xl/sharedStrings.xml"]
        texts = re.findall(rb"<t[^>]*>([^<]+)</t>", strings)
        if texts:
            value = rng.choice(HOSTILE_CELLS)
            value = re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f]", lambda m: f"_x{ord(m.group()):04X}_", value)
            strings = strings.replace(rng.choice(texts), xml_escape(value).encode("utf-8"), 1)
            members["xl/sharedStrings.xml"] = strings
    else:
        name = rng.choice(sorted(members))
        members[name] = _flip(members[name], rng, rng.randint(1, 8))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for name, payload in members.items():
            dst.writestr(name, payload)
    return out.getvalue()


def _flip(data: bytes, rng: random.Random, n: int) -> bytes:
    if not data:
        return data
    buf = bytearray(data)
    for _ in range(n):
        buf[rng.randrange(len(buf))] = rng.randrange(256)
    return bytes(buf)


def _mutate(data: bytes, suffix: str, rng: random.Random) -> tuple[bytes, str]:
    kind = rng.choice(["truncate", "flip", "insert", "inject", "inject", "none"])
    if kind == "truncate":
        return data[: rng.randrange(len(data) + 1)], kind
    if kind == "flip":
        return _flip(data, rng, rng.randint(1, 16)), kind
    if kind == "insert":
        at = rng.randrange(len(data) + 1)
        return data[:at] + bytes(rng.randrange(256) for _ in range(rng.randint(1, 64))) + data[at:], kind
    if kind == "inject":
        return (_inject_xlsx(data, rng) if suffix == ".xlsx" else _inject_text(data, rng)), kind
    return data, kind


def _odd_name(path: Path, i: int, rng: random.Random) -> bytes:
    """The original name with odd characters (markup, quotes, emoji, ANSI, invalid UTF-8) around it."""
    stem, suffix = path.name.split(".", 1)
    prefix = "".join(rng.sample(ODD_NAME_PARTS, rng.randint(0, 3)))
    name = f"{prefix}{stem}{rng.choice(ODD_NAME_PARTS) if rng.random() < 0.5 else ''}{i:03d}.{suffix}"
    encoded = name.encode("utf-8").replace(b"/", b"_")
    if rng.random() < 0.15:
        encoded = encoded.replace(b".", rng.choice(BAD_BYTES) + b".", 1)
    return encoded


def test_fuzzed_copies_of_the_sample_never_crash_and_never_land_partially(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "400")
    rng = random.Random(SEED)
    raw = tmp_path / "raw"
    bases = _base_files()
    written: dict[str, str] = {}  # path shown (rel, undecodable bytes as \xff) -> mutation
    for i in range(N_COPIES):
        base = rng.choice(bases)
        data, kind = _mutate(base.read_bytes(), base.suffix.lower(), rng)
        folder = os.fsencode(raw / base.parent.relative_to(SAMPLE))
        if rng.random() < 0.2:
            folder = os.path.join(folder, rng.choice(ODD_NAME_PARTS).encode("utf-8").replace(b"/", b"_") + b"dir")
        os.makedirs(folder, exist_ok=True)
        path = os.path.join(folder, _odd_name(base, i, rng))
        with open(path, "wb") as fh:
            fh.write(data)
        written[fs_text(os.fsdecode(os.path.relpath(path, os.fsencode(raw))))] = kind
    warehouse = tmp_path / "wh"
    start = time.perf_counter()
    rc = main(["ingest", "--raw-dir", str(raw), "--warehouse-dir", str(warehouse)])
    elapsed = time.perf_counter() - start
    out = capsys.readouterr()
    text = out.out + out.err
    flat = " ".join(text.split())

    assert "Traceback" not in text, text[-4000:]
    assert not re.search(r"unexpected \w+ while", text), re.findall(r".{0,200}unexpected \w+ while.{0,200}", text)
    assert rc in (EXIT_OK, EXIT_QUARANTINED), text[-3000:]
    con = duckdb.connect(str(warehouse / "work.duckdb"), read_only=True)
    try:
        manifest = dict(con.execute("select file_sha256, n_rows from raw.load_manifest").fetchall())
        names = {r[0] for r in con.execute("select source_file from raw.load_file_names").fetchall()}
        rejected = dict(con.execute("select source_file, reason from raw.load_rejections").fetchall())
        rejected_shas = {r[0] for r in con.execute("select file_sha256 from raw.load_rejections").fetchall() if r[0]}
        tables = [
            r[0]
            for r in con.execute(
                "select table_name from duckdb_columns() where schema_name = 'raw' and column_name = '_file_sha256'"
            ).fetchall()
        ]
        landed_rows: dict[str, int] = {}
        for table in tables:
            for sha, n in con.execute(f'select _file_sha256, count(*) from raw."{table}" group by 1').fetchall():
                landed_rows[sha] = landed_rows.get(sha, 0) + n
    finally:
        con.close()
    # every file ends somewhere, and a refusal names the file with a reason
    for rel in written:
        assert rel in names or rel in rejected or f"skipped {printable(rel, keep_newlines=False)}" in flat, rel
    for rel, reason in rejected.items():
        assert rel in written and reason and "Traceback" not in reason, (rel, reason)
        assert printable(rel) in flat or printable(rel)[-60:] in flat, rel
    # all or nothing: a landed file has exactly its manifest rows; a refused one has none
    assert {sha: n for sha, n in landed_rows.items()} == {sha: n for sha, n in manifest.items() if n}
    assert not (rejected_shas - set(manifest)) & set(landed_rows)
    assert len(rejected) > N_COPIES // 10 and len(manifest) > N_COPIES // 10  # the fuzz reaches both paths
    assert elapsed < 90, f"fuzz ingest took {elapsed:.0f}s"
