"""Arrests ingestion benchmark.

1. The real FY2019 LESA release: our ingest (detect + parse + land with lineage, one transaction) vs DuckDB's
   own ``read_csv`` of the same file into a table, in the same process (target ratio <= 1.5).
2. A generated 5,000,000-row file in the LESA layout (gzip): ingest time (target <= 30 s on 2 cores) and
   peak memory of the process (ru_maxrss).

Usage: .venv/bin/python bench/bench_arrests.py [--rows N] [--realdata DIR]
"""

from __future__ import annotations

import argparse
import gzip
import os
import random
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

import duckdb

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))  # the sample generator (tools/sample/) is not in the package

from ingest.pipeline import ingest_dir  # noqa: E402
from tools.sample import arrests as S  # noqa: E402

REAL = "ice_arrests/uwchr_lesa_fy2019/EROArrests_FY2019.csv.gz"


def peak_mb() -> float:
    """Peak resident memory of this process so far (MB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def cpu_s() -> float:
    """User + system CPU seconds of this process so far (DuckDB's threads included)."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def load() -> str:
    """1-minute load average: wall times on a shared 2-core machine mean little without it."""
    return f"load avg {os.getloadavg()[0]:.1f}"


def bench_real(realdata: Path, work: Path) -> None:
    src = realdata / REAL
    raw = work / "real"
    raw.mkdir()
    shutil.copy(src, raw / src.name)
    con = duckdb.connect(str(work / "baseline.duckdb"))
    t0 = time.perf_counter()
    con.execute(
        f"create table t as select * from read_csv('{raw / src.name}', delim='|', quote='\"', skip=5, "
        "header=true, all_varchar=true)"
    )
    n_base = con.execute("select count(*) from t").fetchone()[0]
    t_base = time.perf_counter() - t0
    con.close()
    # First ingest in a process imports GX and builds its context (seconds, once per process, like
    # interpreter start-up); the comparison is the second ingest into a fresh warehouse.
    t0 = time.perf_counter()
    ingest_dir(raw, work / "wh_warmup" / "work.duckdb")
    t_first = time.perf_counter() - t0
    t0 = time.perf_counter()
    summary = ingest_dir(raw, work / "wh_real" / "work.duckdb")
    t_ours = time.perf_counter() - t0
    print(f"  ({load()}; first ingest in the process, importing GX: {t_first:.2f}s)")
    n_ours = summary.table_rows["raw.arrests_lesa_rows"]
    print(
        f"FY2019 release: DuckDB read_csv {t_base:.2f}s ({n_base:,} rows); "
        f"ice287g ingest {t_ours:.2f}s ({n_ours:,} rows, incl. sha256 + detection + manifest); "
        f"ratio {t_ours / t_base:.2f} (target <= 1.5)"
    )


def write_big(path: Path, n_rows: int) -> None:
    rng = random.Random(5)
    base = S.lesa_rows()
    header = S.lesa_text([]).rstrip("\n")
    lines = [S._psv_line(r) for r in base]
    with gzip.open(path, "wt", encoding="utf-8", compresslevel=1) as fh:
        fh.write(header + "\n")
        chunk = []
        for i in range(n_rows):
            chunk.append(lines[rng.randrange(len(lines))] if i % 7 else lines[i % len(lines)])
            if len(chunk) == 100_000:
                fh.write("\n".join(chunk) + "\n")
                chunk.clear()
        if chunk:
            fh.write("\n".join(chunk) + "\n")


def bench_big(work: Path, n_rows: int) -> None:
    raw = work / "big"
    raw.mkdir()
    path = raw / "EROArrests_BENCH.csv.gz"
    t0 = time.perf_counter()
    write_big(path, n_rows)
    print(f"generated {n_rows:,} rows ({path.stat().st_size / 1e6:.1f} MB gzip) in {time.perf_counter() - t0:.1f}s")
    con = duckdb.connect(str(work / "baseline_big.duckdb"))
    t0, c0 = time.perf_counter(), cpu_s()
    con.execute(
        f"create table t as select * from read_csv('{path}', delim='|', quote='\"', skip=5, "
        "header=true, all_varchar=true)"
    )
    t_base, c_base = time.perf_counter() - t0, cpu_s() - c0
    con.close()
    print(f"  DuckDB read_csv alone: {t_base:.1f}s wall, {c_base:.1f}s CPU ({load()})")
    t0, c0 = time.perf_counter(), cpu_s()
    summary = ingest_dir(raw, work / "wh_big" / "work.duckdb")
    t_ours, c_ours = time.perf_counter() - t0, cpu_s() - c0
    print(
        f"{n_rows:,}-row LESA file: ingest {t_ours:.1f}s wall, {c_ours:.1f}s CPU "
        f"({summary.table_rows['raw.arrests_lesa_rows']:,} rows), ratio to read_csv {t_ours / t_base:.2f}, "
        f"target <= 30 s; peak RSS {peak_mb():.0f} MB; cpus {os.cpu_count()}; {load()}"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=5_000_000)
    parser.add_argument("--realdata", type=Path, default=REPO.parent / "shared" / "realdata")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        if (args.realdata / REAL).exists():
            bench_real(args.realdata, work)
        else:
            print(f"real release not found under {args.realdata}; skipping the ratio benchmark")
        bench_big(work, args.rows)


if __name__ == "__main__":
    main()
