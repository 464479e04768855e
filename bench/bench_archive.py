"""Benchmark: the dense real archive (../shared/ice_287g_archive) — ingest and full build, beside the
time python-calamine needs to hash and read the same files, measured in the same run.

Prints measured figures; asserts nothing (timing targets live here, not in tests).
Usage: .venv/bin/python bench/bench_archive.py [--archive PATH] [--with-realdata PATH] [--skip-build]
"""

from __future__ import annotations

import argparse
import hashlib
import io
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def calamine_floor(archive: Path) -> tuple[float, int, int]:
    """Seconds to sha256 and read every worksheet of every xlsx with python-calamine (the reader's floor)."""
    from python_calamine import CalamineWorkbook

    files = sorted(p for p in archive.rglob("*.xlsx") if p.is_file())
    t0 = time.perf_counter()
    n_rows = 0
    for path in files:
        data = path.read_bytes()
        hashlib.sha256(data).hexdigest()
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
        for name in workbook.sheet_names:
            n_rows += len(workbook.get_sheet_by_name(name).to_python())
    return time.perf_counter() - t0, len(files), n_rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--archive", type=Path, default=REPO.parent / "shared" / "ice_287g_archive")
    parser.add_argument("--with-realdata", type=Path, default=None, help="also build archive + this folder")
    parser.add_argument("--skip-build", action="store_true", help="ingest only")
    args = parser.parse_args()
    if not args.archive.is_dir():
        print(f"archive not found: {args.archive}")
        return 2
    sys.path.insert(0, str(REPO))
    from ingest.pipeline import ingest_dir
    from ingest.project import run_dbt

    floor, n_files, n_rows = calamine_floor(args.archive)
    print(f"calamine hash + read, {n_files} xlsx files, {n_rows:,} sheet rows: {floor:.2f}s")
    with tempfile.TemporaryDirectory() as tmp:
        wh = Path(tmp) / "wh"
        t0 = time.perf_counter()
        summary = ingest_dir(args.archive, wh / "work.duckdb")
        t_ingest = time.perf_counter() - t0
        loaded = summary.by_status("loaded")
        print(
            f"ingest: {len(loaded)} files landed, {len(summary.by_status('already_loaded'))} same bytes, "
            f"{len(summary.rejected)} quarantined, {len(summary.by_status('skipped'))} skipped; "
            f"{sum(o.n_rows for o in loaded):,} rows in {t_ingest:.2f}s = {t_ingest / floor:.1f}x the calamine read"
        )
        floor2, _, _ = calamine_floor(args.archive)  # again, warm, after the ingest: the noise band
        print(f"calamine read again (warm): {floor2:.2f}s -> ratio {t_ingest / floor2:.1f}x")
        if not args.skip_build:
            t0 = time.perf_counter()
            result = run_dbt(["build"], wh)
            print(f"dbt build of the archive: {'ok' if result.ok else 'FAILED'} in {time.perf_counter() - t0:.1f}s")
        if args.with_realdata and not args.skip_build:
            wh2 = Path(tmp) / "wh2"
            t0 = time.perf_counter()
            ingest_dir([args.archive, args.with_realdata], wh2 / "work.duckdb")
            t1 = time.perf_counter()
            result = run_dbt(["build"], wh2)
            print(
                f"archive + {args.with_realdata}: ingest {t1 - t0:.1f}s, dbt build "
                f"{'ok' if result.ok else 'FAILED'} in {time.perf_counter() - t1:.1f}s"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
