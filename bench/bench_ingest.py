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
    from ingest.pipeline import ingest_dir
    from ingest.sources.base import FileInfo
    from ingest.sources.ice_sheets import IceSheets

    sheets = sorted(p for p in realdata.rglob("*.xlsx") if "ice_287g_sheets" in str(p))
    times = []
    for _ in range(repeat):
        with tempfile.TemporaryDirectory() as tmp:
            t0 = time.perf_counter()
            summary = ingest_dir(realdata, Path(tmp) / "work.duckdb")
            times.append(time.perf_counter() - t0)
    loaded = summary.by_status("loaded")
    print(
        f"ingest {len(loaded)} ICE sheets ({sum(o.n_rows for o in loaded):,} rows) from {realdata}: "
        f"median {statistics.median(times):.2f}s, min {min(times):.2f}s over {repeat} runs "
        f"(whole directory walk incl. hashing and skipping {len(summary.outcomes) - len(loaded)} other files)"
    )
    # Parse only (read + detect + parse), no landing: where the time goes.
    src = IceSheets()
    t0 = time.perf_counter()
    for p in sheets:
        f = FileInfo.from_path(p, realdata)
        d = src.detect(f)
        src.parse(f, d, type("C", (), {"date_overrides": {}})())
    print(f"read+parse only, {len(sheets)} sheets: {time.perf_counter() - t0:.2f}s")


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
