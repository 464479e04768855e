"""Benchmark: the dense real archive (../shared/ice_287g_archive) — ingest and full build, beside the
time python-calamine needs to hash and read the same files, measured in the same run.

The machine is shared, so absolute times are noisy: each ingest is timed between two calamine reads of
the same files (the floor), and the ratio is to the mean of the two. ``--runs N`` repeats that.
Ends with a table: figure, measured, floor, ratio, target. Asserts nothing (targets live here, not
in tests). See bench/README.md.

Usage: .venv/bin/python bench/bench_archive.py [--archive PATH] [--realdata PATH] [--runs N]
                                               [--realdata-runs N] [--with-realdata PATH] [--skip-build]
"""

from __future__ import annotations

import argparse
import hashlib
import io
import shutil
import statistics
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


INGEST_TARGET = 3.0  # ingest <= 3x the calamine hash + read of the same files (issue 11)


def ingest_beside_floor(raw_dirs: list[Path], runs: int) -> list[tuple[float, float, object]]:
    """(ingest seconds, floor seconds, summary) per run; the floor is the mean of a read before and after."""
    from ingest.pipeline import ingest_dir

    out = []
    for _ in range(runs):
        before = sum(calamine_floor(d)[0] for d in raw_dirs)
        with tempfile.TemporaryDirectory() as tmp:
            t0 = time.perf_counter()
            summary = ingest_dir(raw_dirs if len(raw_dirs) > 1 else raw_dirs[0], Path(tmp) / "wh" / "work.duckdb")
            t_ingest = time.perf_counter() - t0
        after = sum(calamine_floor(d)[0] for d in raw_dirs)
        out.append((t_ingest, (before + after) / 2, summary))
    return out


def _table(rows: list[tuple[str, str, str, str, str]]) -> str:
    header = ("figure", "measured", "floor (calamine hash + read)", "ratio", "target")
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(5)]
    line = "| " + " | ".join("-" * w for w in widths) + " |"
    fmt = [("| " + " | ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) + " |") for r in [header, *rows]]
    return "\n".join([fmt[0], line, *fmt[1:]])


def _ingest_rows(label: str, results: list[tuple[float, float, object]]) -> list[tuple[str, str, str, str, str]]:
    rows = []
    for k, (t, floor, summary) in enumerate(results, start=1):
        loaded = summary.by_status("loaded")
        n_rows = sum(o.n_rows for o in loaded)
        verdict = "ok" if t / floor <= INGEST_TARGET else "MISSED"
        name = f"{label}, run {k} ({len(loaded)} files landed, {n_rows:,} rows)"
        rows.append((name, f"{t:.2f}s", f"{floor:.2f}s", f"{t / floor:.1f}x", f"<= {INGEST_TARGET:.0f}x {verdict}"))
    return rows


def _median_row(label: str, results: list[tuple[float, float, object]]) -> tuple[str, str, str, str, str]:
    """The median ingest, the median floor and the median of the runs' ratios."""
    t = statistics.median(r[0] for r in results)
    floor = statistics.median(r[1] for r in results)
    ratio = statistics.median(r[0] / r[1] for r in results)
    verdict = "ok" if ratio <= INGEST_TARGET else "MISSED"
    return (label, f"{t:.2f}s", f"{floor:.2f}s", f"{ratio:.1f}x", f"<= {INGEST_TARGET:.0f}x {verdict}")


def _fixed_cost_row(sheet_dirs: list[Path], runs: int = 9) -> tuple[str, str, str, str, str]:
    """What every ingest pays whatever it reads: the smallest ICE sheet into a fresh warehouse (creating the
    work file and its tables, one batch's commit, the re-dating and the checkpoint), median of ``runs``."""
    from ingest.pipeline import ingest_dir

    smallest = min((p for d in sheet_dirs for p in d.rglob("*.xlsx")), key=lambda p: p.stat().st_size)
    seconds, floors = [], []
    with tempfile.TemporaryDirectory() as tmp:
        raw = Path(tmp) / "raw"
        raw.mkdir()
        shutil.copy(smallest, raw / smallest.name)
        for k in range(runs):
            t0 = time.perf_counter()
            ingest_dir(raw, Path(tmp) / f"wh{k}" / "work.duckdb")
            seconds.append(time.perf_counter() - t0)
            floors.append(calamine_floor(raw)[0])
    label = f"fixed cost of an ingest: one {smallest.stat().st_size // 1024} KB sheet into a fresh warehouse"
    return (label, f"{statistics.median(seconds):.3f}s", f"{statistics.median(floors):.4f}s", "—", "— (for scale)")


def _ice_sheet_dirs(realdata: Path) -> list[Path]:
    return [d for d in sorted(realdata.glob("ice_287g_sheets*")) if d.is_dir()]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--archive", type=Path, default=REPO.parent / "shared" / "ice_287g_archive")
    parser.add_argument("--realdata", type=Path, default=REPO.parent / "shared" / "realdata", help="its ICE sheets")
    parser.add_argument("--runs", type=int, default=3, help="ingest runs, each between two floor reads")
    parser.add_argument(
        "--realdata-runs", type=int, default=9, help="runs of the realdata ingest (0.5 s each: noisy, so a median too)"
    )
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
    rows = _ingest_rows(f"ingest {args.archive.name}", ingest_beside_floor([args.archive], args.runs))
    sheet_dirs = _ice_sheet_dirs(args.realdata) if args.realdata.is_dir() else []
    if sheet_dirs:
        n_sheets = sum(len(list(d.rglob("*.xlsx"))) for d in sheet_dirs)
        label = f"ingest realdata ICE sheets ({n_sheets} xlsx)"
        results = ingest_beside_floor(sheet_dirs, args.realdata_runs)
        rows += _ingest_rows(label, results)
        rows.append(_median_row(f"{label}, median of {len(results)} runs", results))
        rows.append(_fixed_cost_row(sheet_dirs))
    for row in rows:
        print(f"{row[0]}: {row[1]} beside a floor of {row[2]} = {row[3]}")
    if not args.skip_build:
        with tempfile.TemporaryDirectory() as tmp:
            wh = Path(tmp) / "wh"
            ingest_dir(args.archive, wh / "work.duckdb")
            t0 = time.perf_counter()
            result = run_dbt(["build"], wh)
            print(f"dbt build of the archive: {'ok' if result.ok else 'FAILED'} in {time.perf_counter() - t0:.1f}s")
            if args.with_realdata:
                wh2 = Path(tmp) / "wh2"
                t0 = time.perf_counter()
                ingest_dir([args.archive, args.with_realdata], wh2 / "work.duckdb")
                t1 = time.perf_counter()
                result = run_dbt(["build"], wh2)
                print(
                    f"archive + {args.with_realdata}: ingest {t1 - t0:.1f}s, dbt build "
                    f"{'ok' if result.ok else 'FAILED'} in {time.perf_counter() - t1:.1f}s"
                )
    print()
    print(_table(rows))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
