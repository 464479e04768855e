"""Benchmark: the build rows of issue 11 — `make build` on the sample, its dbt build alone, one new ICE
sheet added to a built warehouse (`ice287g build` end to end: an incremental build), and with
../shared present the same for the dense archive built together with realdata — and the site rows of
issue 15: the static site (``ingest.site.write_site``) of the sample and of the ../shared/realdata
build, and the ``dbt docs generate --static`` page publishing adds beside it.

Then the test loop's rows: `make test-fast` and `make test` in this checkout, .venv present (each once;
`--no-make-test` skips them: together they take ~6 minutes).

Prints measured figures beside their targets; asserts nothing (timing targets live here, not in tests).
The load average is printed at the end: on this 2-core machine other work doubles a figure.
Usage: .venv/bin/python bench/bench_build.py [--runs N] [--no-archive] [--skip-realdata] [--no-make-test]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
ICE287G = Path(sys.executable).with_name("ice287g")
SHARED = REPO.parent / "shared"
ARCHIVE, REALDATA = SHARED / "ice_287g_archive", SHARED / "realdata"


def _build(raw: Path | list[Path], wh: Path) -> tuple[float, float]:
    """Wall seconds of `ice287g build` and the dbt part of it (from dbt's run_results.json)."""
    raw_args = [a for r in (raw if isinstance(raw, list) else [raw]) for a in ("--raw-dir", str(r))]
    t0 = time.perf_counter()
    proc = subprocess.run(
        [str(ICE287G), "build", *raw_args, "--warehouse-dir", str(wh)],
        capture_output=True,
        text=True,
        cwd=REPO,
    )
    wall = time.perf_counter() - t0
    if proc.returncode not in (0, 3):
        raise SystemExit(f"build failed ({proc.returncode}):\n{proc.stdout[-3000:]}{proc.stderr[-2000:]}")
    results = json.loads((wh / "dbt_target" / "run_results.json").read_text())
    return wall, float(results["elapsed_time"])


def _new_sheet(raw: Path, dest_root: Path | None = None, day: int = 15) -> Path:
    """A copy of the sample's newest participating sheet under a later date folder, one row changed."""
    from openpyxl import load_workbook

    sheets = sorted(raw.rglob("participatingAgencies*.xlsx"))
    newest = sheets[-1]
    name = f"participatingAgencies01{day:02d}2031am.xlsx"
    dest = (dest_root or raw) / "ice_287g_sheets" / f"2031-01-{day:02d}" / name
    dest.parent.mkdir(parents=True, exist_ok=True)
    wb = load_workbook(newest)
    ws = wb.worksheets[0]
    for row in ws.iter_rows(min_row=2):
        if row[1].value:
            row[1].value = f"{row[1].value} (bench {day})"
            break
    wb.save(dest)
    return dest


def _site(marts_db: Path, schema: str, out: Path, runs: int) -> tuple[list[float], int, int]:
    """Seconds of ``write_site`` over the marts in ``marts_db`` (publication: main; work file: marts),
    the site's pages and its bytes (last run)."""
    import duckdb

    from ingest.site import MartsSource, write_site

    seconds, result = [], None
    for i in range(runs):
        con = duckdb.connect()
        try:
            con.execute(f"attach '{marts_db.as_posix()}' as marts (read_only)")
            t0 = time.perf_counter()
            result = write_site(MartsSource(con, "marts", schema), out / f"site{i}", [], None)
            seconds.append(time.perf_counter() - t0)
        finally:
            con.close()
    assert result is not None
    return seconds, result.n_pages, result.n_bytes


def _site_rows(tmp: Path, sample_wh: Path, runs: int, realdata: Path | None) -> list[tuple[str, list[float], str]]:
    from ingest.project import run_dbt

    rows = []
    secs, pages, size = _site(sample_wh / "marts.duckdb", "main", tmp / "sample_site", runs)
    rows.append((f"site of the sample build ({pages} pages, {size / 1e6:.1f} MB)", secs, "<= 10 s"))
    if realdata is None:
        return rows
    wh = tmp / "real"
    proc = subprocess.run(
        [str(ICE287G), "build", "--raw-dir", str(realdata), "--warehouse-dir", str(wh), "--no-publish"],
        capture_output=True,
        text=True,
        cwd=REPO,
    )
    if proc.returncode not in (0, 3):
        raise SystemExit(f"realdata build failed ({proc.returncode}):\n{proc.stdout[-3000:]}{proc.stderr[-2000:]}")
    secs, pages, size = _site(wh / "work.duckdb", "marts", tmp / "real_site", runs)
    rows.append((f"site of the realdata build ({pages} pages, {size / 1e6:.1f} MB without docs)", secs, "<= 10 s"))
    docs = []
    for _ in range(runs):
        t0 = time.perf_counter()
        result = run_dbt(["docs", "generate", "--static", "--no-compile"], wh)
        docs.append(time.perf_counter() - t0)
        assert result.ok
    rows.append(("`dbt docs generate --static` of the realdata build (the site's Docs page, in publish)", docs, "—"))
    return rows


def _make_test_rows() -> list[tuple[str, list[float], str]]:
    """Wall seconds of `make test-fast` and `make test` in this checkout (.venv present), each run once."""
    rows = []
    for target, budget in (("test-fast", "<= 60 s"), ("test", "<= 300 s")):
        load = os.getloadavg()[0]
        t0 = time.perf_counter()
        proc = subprocess.run(["make", target], capture_output=True, text=True, cwd=REPO)
        wall = time.perf_counter() - t0
        if proc.returncode != 0:
            raise SystemExit(f"make {target} failed ({proc.returncode}):\n{proc.stdout[-3000:]}{proc.stderr[-2000:]}")
        rows.append((f"`make {target}`, .venv present (load {load:.1f} at the start)", [wall], budget))
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=2)
    parser.add_argument("--no-archive", action="store_true", help="skip the archive rows (../shared)")
    parser.add_argument("--skip-realdata", action="store_true", help="no realdata site row (it builds realdata)")
    parser.add_argument("--no-make-test", action="store_true", help="skip the make test-fast / make test rows")
    args = parser.parse_args()
    realdata = REPO.parent / "shared" / "realdata"
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        full, dbt, new = [], [], []
        for i in range(args.runs):
            raw = tmp / f"raw{i}"
            shutil.copytree(REPO / "data" / "sample", raw)
            wh = tmp / f"wh{i}"
            wall, dbt_s = _build(raw, wh)
            full.append(wall)
            dbt.append(dbt_s)
            _new_sheet(raw)
            wall_new, _ = _build(raw, wh)
            new.append(wall_new)
        rows.append(("`make build` on the sample, .venv present (fresh warehouse)", full, "<= 30 s"))
        rows.append(("dbt build of the sample (dbt's elapsed time)", dbt, "<= 20 s"))
        rows.append(("one new ICE sheet into the built sample warehouse, `ice287g build`", new, "<= 15 s"))
        if not args.no_archive and (ARCHIVE / "COUNTS.csv").exists() and (REALDATA / "MANIFEST.md").exists():
            wh = tmp / "wh_archive"
            wall, dbt_s = _build([ARCHIVE, REALDATA], wh)
            rows.append(("`ice287g build` of the archive with realdata (fresh warehouse)", [wall], "—"))
            rows.append(("dbt build of the archive with realdata (dbt's elapsed time)", [dbt_s], "<= 40 s"))
            extra = tmp / "raw_new"
            new_arch = []
            for i in range(args.runs):
                _new_sheet(REPO / "data" / "sample", extra, day=15 + i)
                wall_new, _ = _build([ARCHIVE, REALDATA, extra], wh)
                new_arch.append(wall_new)
            rows.append(("one new ICE sheet into the built archive warehouse, `ice287g build`", new_arch, "<= 15 s"))
        use_real = None if args.skip_realdata or not (realdata / "MANIFEST.md").exists() else realdata
        rows += _site_rows(tmp, tmp / "wh0", max(args.runs, 3), use_real)
    if not args.no_make_test:
        rows += _make_test_rows()
    print(f"load average at the end: {' '.join(f'{x:.1f}' for x in os.getloadavg())} ({os.cpu_count()} cores)")
    print("| figure | runs (s) | target |")
    print("|---|---|---|")
    for name, values, target in rows:
        print(f"| {name} | {' / '.join(f'{v:.2f}' if v < 10 else f'{v:.1f}' for v in values)} | {target} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
