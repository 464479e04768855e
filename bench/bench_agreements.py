"""Benchmark: the dbt part of a full rebuild on the real ICE sheets (target: <= 30 s on 2 cores).

Ingests ../shared/realdata once into a tmp warehouse, then times `dbt build` (models + every test)
and `dbt run` (models only) on it, and lists the slowest nodes. Prints measured figures and the
machine's load average (the target assumes an otherwise idle 2-core machine); asserts nothing.
Usage: .venv/bin/python bench/bench_agreements.py [--realdata PATH] [--repeat N]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
TARGET_SECONDS = 30.0


def _time_dbt(command: str, warehouse: Path, repeat: int) -> tuple[list[float], dict]:
    from ingest.project import run_dbt

    times, run_results = [], {}
    for _ in range(repeat):
        t0 = time.perf_counter()
        result = run_dbt([command], warehouse)
        times.append(time.perf_counter() - t0)
        if not result.ok:
            raise SystemExit(f"dbt {command} failed: {result.failures[:5]}")
        run_results = json.loads((warehouse / "dbt_target" / "run_results.json").read_text())
    return times, run_results


def main() -> None:
    from ingest.pipeline import ingest_dir

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--realdata", type=Path, default=REPO.parent / "shared" / "realdata")
    parser.add_argument("--repeat", type=int, default=1)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        warehouse = Path(tmp)
        t0 = time.perf_counter()
        ingest_dir(args.realdata, warehouse / "work.duckdb")
        print(f"ingest {args.realdata}: {time.perf_counter() - t0:.1f}s")
        for command in ("build", "run"):
            cpu0 = os.times()
            times, run_results = _time_dbt(command, warehouse, args.repeat)
            cpu1 = os.times()
            child_cpu = (cpu1.children_user + cpu1.children_system) - (cpu0.children_user + cpu0.children_system)
            nodes = run_results.get("results", [])
            verdict = "within" if min(times) <= TARGET_SECONDS else "ABOVE"
            print(
                f"dbt {command}: {len(nodes)} nodes, wall median {statistics.median(times):.1f}s "
                f"(min {min(times):.1f}s, {verdict} the {TARGET_SECONDS:.0f}s target), "
                f"dbt-reported {run_results.get('elapsed_time', 0):.1f}s, child CPU {child_cpu / args.repeat:.1f}s"
            )
            slowest = sorted(nodes, key=lambda r: r.get("execution_time", 0), reverse=True)[:8]
            for node in slowest:
                print(f"    {node['execution_time']:6.2f}s  {node['unique_id']}")
        print(f"load average (1, 5, 15 min): {os.getloadavg()}; CPUs: {os.cpu_count()}")


if __name__ == "__main__":
    main()
