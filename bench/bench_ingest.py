"""Benchmark: ingest the real ICE sheets (../shared/realdata) and time `make build` on the sample.

Prints measured figures; asserts nothing (timing targets live here, not in tests).
Usage: .venv/bin/python bench/bench_ingest.py [--realdata PATH] [--repeat N] [--skip-build]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def bench_ingest(realdata: Path, repeat: int) -> None:
    """Time ingesting only the 31 real ICE sheets (copied to a temp raw dir), then the whole folder."""
    from ingest.pipeline import ingest_dir
    from ingest.sources.base import FileInfo, LoadContext
    from ingest.sources.ice_sheets import IceSheets

    folders = ["ice_287g_sheets", "ice_287g_sheets_reconstructed_from_wayback_html"]
    with tempfile.TemporaryDirectory() as tmp:
        raw = Path(tmp) / "raw"
        for folder in folders:
            shutil.copytree(realdata / folder, raw / folder)
        times = []
        for i in range(repeat + 1):
            db = Path(tmp) / f"work{i}.duckdb"
            t0 = time.perf_counter()
            summary = ingest_dir(raw, db)
            times.append(time.perf_counter() - t0)
        loaded = summary.by_status("loaded")
        print(
            f"ingest {len(loaded)} real ICE sheets ({sum(o.n_rows for o in loaded):,} rows), GX gate included: "
            f"first run in the process {times[0]:.2f}s (imports GX), then median "
            f"{statistics.median(times[1:]):.2f}s, min {min(times[1:]):.2f}s over {repeat} runs"
        )
        src = IceSheets()
        sheets = sorted(raw.rglob("*.xlsx"))
        t0 = time.perf_counter()
        for p in sheets:
            f = FileInfo.from_path(p, raw)
            src.parse(f, src.detect(f), LoadContext(raw_dir=raw))
        print(f"read + parse only (no validation, no landing), {len(sheets)} sheets: {time.perf_counter() - t0:.2f}s")
    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        summary = ingest_dir(realdata, Path(tmp) / "work.duckdb")
        loaded = summary.by_status("loaded")
        print(
            f"ingest the whole {realdata} folder (ICE, census, arrests): {len(loaded)} files, "
            f"{sum(o.n_rows for o in loaded):,} rows in {time.perf_counter() - t0:.2f}s"
        )


def bench_build() -> None:
    if not (REPO / ".venv" / "bin" / "ice287g").exists():
        print("skip make build timing: .venv missing (run make build once)")
        return
    wh = Path(tempfile.mkdtemp())
    t0 = time.perf_counter()
    res = subprocess.run(["make", "build", f"WAREHOUSE_DIR={wh}"], cwd=REPO, capture_output=True, text=True)
    elapsed = time.perf_counter() - t0
    print(f"make build on the sample (.venv present): {elapsed:.1f}s, exit {res.returncode}")
    shutil.rmtree(wh, ignore_errors=True)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--realdata", type=Path, default=REPO.parent / "shared" / "realdata")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--skip-build", action="store_true")
    args = ap.parse_args()
    if (args.realdata / "MANIFEST.md").exists():
        bench_ingest(args.realdata, args.repeat)
    else:
        print(f"skip real-data ingest: {args.realdata} not found")
    if not args.skip_build:
        bench_build()
    return 0


if __name__ == "__main__":
    sys.exit(main())
