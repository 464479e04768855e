"""Benchmark: a generated 1,000,000-line payments ledger, ingested and built.

    .venv/bin/python bench/bench_ledger.py [--lines 1000000] [--keep DIR]

Writes the ledger (canonical layout, payees cycled from the synthetic sample ledger, every money and
date form the parser handles, 0.1% lines that must be rejected) with DuckDB into a temporary raw
directory next to a copy of the synthetic ICE sample, then times `ingest` (landing) and `dbt build`
and reports peak memory (max RSS of this process for ingest, of dbt's process for the build).
Target (issue 5): ingest <= 30 s on 2 cores.
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import duckdb

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from ingest.pipeline import ingest_dir  # noqa: E402
from ingest.project import dbt_env, project_dir  # noqa: E402
from tools.sample import ledger as sample_ledger  # noqa: E402
from tools.sample.ice_sheets import write_ice_sheets  # noqa: E402


def write_big_ledger(path: Path, n_lines: int) -> None:
    """A canonical-layout ledger of n_lines lines, written by DuckDB (no per-row Python)."""
    payees = sorted({(line.payee_name, line.state) for line in sample_ledger.LINES})
    con = duckdb.connect()
    con.execute("create table payees (payee_index integer, payee varchar, state varchar)")
    con.executemany("insert into payees values (?, ?, ?)", [(i, p, s) for i, (p, s) in enumerate(payees)])
    n_payees = len(payees)
    con.execute(f"""
        copy (
            with lines as (
                select
                    i,
                    date '2025-10-01' + cast(i % 180 as integer) as day,
                    ['vehicle', 'equipment', 'Salary & Benefits', 'Overtime', 'Performance Award', '']
                        [1 + i % 6]
                        as category,
                    cast((i % 997) * 125 + 500 as decimal(14, 2)) as amount
                from range({n_lines}) as t(i)
            )
            select
                payees.payee as payee_name,
                payees.state as state,
                case i % 3
                    when 0 then strftime(day, '%Y-%m-%d')
                    when 1 then strftime(day, '%m/%d/%Y')
                    else cast(day - date '1899-12-30' as varchar)
                end as payment_date,
                'FY2026' as fiscal_year,
                category,
                case
                    when i % 1000 = 999 then '1.325,00'
                    when i % 50 = 7 then '(' || format('{{:,.2f}}', amount) || ')'
                    else '$' || format('{{:,.2f}}', amount)
                end as amount_usd,
                cast(1 + i % 30 as varchar) as certified_officer_count,
                'BENCH-' || cast(i as varchar) as document_id,
                'quarterly performance award' as description
            from lines
            join payees on payees.payee_index = lines.i % {n_payees}
            order by lines.i
        ) to '{path}' (header, delimiter ',')
    """)
    con.close()


def _dbt_build(warehouse_dir: Path) -> tuple[float, float, bool]:
    """`dbt build` on the warehouse under /usr/bin/time (a forked child's ru_maxrss would count this
    process's memory too); returns seconds, peak RSS in MB and success."""
    proj = project_dir()
    exe = Path(sys.executable).with_name("dbt")
    cmd = [
        "/usr/bin/time",
        "-f",
        "maxrss_kb=%M",
        str(exe),
        "build",
        "--no-use-colors",
        "--project-dir",
        str(proj),
        "--profiles-dir",
        str(proj / "profiles"),
        "--target-path",
        str(warehouse_dir / "dbt_target"),
        "--log-path",
        str(warehouse_dir / "dbt_logs"),
    ]
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, cwd=proj, env=dbt_env(warehouse_dir), capture_output=True, text=True)
    elapsed = time.perf_counter() - t0
    rss_kb = max((int(m) for m in re.findall(r"maxrss_kb=(\d+)", proc.stderr)), default=0)
    for line in proc.stdout.splitlines():
        if "Done." in line or "ERROR" in line or "FAIL" in line:
            print("  ", line.strip())
    return elapsed, rss_kb / 1024, proc.returncode == 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=1_000_000)
    parser.add_argument("--keep", type=Path, help="use this directory instead of a temporary one")
    parser.add_argument("--no-dbt", action="store_true", help="time the ingest only")
    args = parser.parse_args()
    work = args.keep or Path(tempfile.mkdtemp(prefix="bench-ledger-"))
    raw, wh = work / "raw", work / "wh"
    shutil.rmtree(wh, ignore_errors=True)
    shutil.rmtree(raw, ignore_errors=True)
    (raw / "ledger").mkdir(parents=True)
    write_ice_sheets(raw)
    ingest_dir(raw, wh / "work.duckdb")  # the ICE sample first, so the timing below is the ledger's
    ledger = raw / "ledger" / "bench_payments_ledger.csv"
    t0 = time.perf_counter()
    write_big_ledger(ledger, args.lines)
    t_gen = time.perf_counter() - t0
    print(f"generated {args.lines:,} lines ({ledger.stat().st_size / 1e6:.1f} MB) in {t_gen:.1f}s")
    print(f"load average before ingest: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")

    t0 = time.perf_counter()
    summary = ingest_dir(raw, wh / "work.duckdb")
    t_ingest = time.perf_counter() - t0
    rss_ingest = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    ledger_outcome = next(o for o in summary.outcomes if o.path.endswith(ledger.name))
    print(
        f"ledger ingest (sha256, detect, read_csv + parse + land in one transaction): {t_ingest:.1f}s, "
        f"{ledger_outcome.status} {ledger_outcome.n_rows:,} rows, peak RSS {rss_ingest:.0f} MB"
    )
    con = duckdb.connect(str(wh / "work.duckdb"), read_only=True)
    n_ok, n_rej = con.execute(
        "select count(*) filter (where parse_status = 'ok'), "
        "count(*) filter (where parse_status = 'rejected') "
        "from raw.ledger_lines"
    ).fetchone()
    con.close()
    print(f"raw.ledger_lines: {n_ok:,} ok, {n_rej:,} rejected")

    t0 = time.perf_counter()
    again = ingest_dir(raw, wh / "work.duckdb")
    print(
        f"re-ingest (same files): {time.perf_counter() - t0:.1f}s, "
        f"{len(again.by_status('already_loaded'))} already loaded, {len(again.by_status('loaded'))} loaded"
    )

    if not args.no_dbt:
        print(f"load average before dbt: {os.getloadavg()[0]:.1f}")
        t_dbt, rss_dbt, ok = _dbt_build(wh)
        print(f"dbt build: {'ok' if ok else 'FAILED'} in {t_dbt:.1f}s, peak RSS of dbt {rss_dbt:.0f} MB")
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
