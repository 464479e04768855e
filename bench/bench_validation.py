"""What the GX quality gate adds to ingestion: GX start-up, validation time, whole ingest with and without it.

    .venv/bin/python bench/bench_validation.py [RAW_DIR ...]   (default: data/sample and ../shared/realdata)

Each run ingests into a fresh temporary work file. "without gate" replaces the validation step by a
no-op in this process only (to measure the baseline); the product never runs without it.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))


def _ingest(raw: Path, gate: bool) -> tuple[float, float, int]:
    import ingest.pipeline as pipeline

    spent = [0.0]
    real = pipeline.validate_many

    def timed(items):
        t0 = time.perf_counter()
        out = real(items) if gate else [[] for _ in items]
        spent[0] += time.perf_counter() - t0
        return out

    pipeline.validate_many = timed
    try:
        with tempfile.TemporaryDirectory() as tmp:
            t0 = time.perf_counter()
            summary = pipeline.ingest_dir(raw, Path(tmp) / "work.duckdb")
            total = time.perf_counter() - t0
    finally:
        pipeline.validate_many = real
    return total, spent[0], len(summary.by_status("loaded"))


def main(argv: list[str]) -> None:
    raws = [Path(a) for a in argv] or [REPO / "data" / "sample", REPO.parent / "shared" / "realdata"]
    t0 = time.perf_counter()
    from ingest.validation.gate import _runtime

    _runtime()
    print(f"GX import + ephemeral context: {time.perf_counter() - t0:.2f}s (once per process)")
    for raw in raws:
        if not raw.is_dir():
            print(f"{raw}: absent, skipped")
            continue
        _ingest(raw, True)  # warm the suites and caches
        base, _, n = _ingest(raw, False)
        total, gx, n2 = _ingest(raw, True)
        assert n == n2
        print(
            f"{raw}: {n} files; ingest without gate {base:.2f}s, with gate {total:.2f}s "
            f"(validation {gx:.2f}s = {gx / max(n, 1) * 1000:.0f} ms per file)"
        )


if __name__ == "__main__":
    main(sys.argv[1:])
