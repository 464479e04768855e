"""Is this build made of the synthetic sample? Recorded in ``build_info`` and shown on every output.

The sample is labelled in two ways the warehouse can see (``data/sample/README.md``): its files carry
``SYNTHETIC`` in their names (the arrests files), and every one of them is a committed, byte-for-byte
deterministic file of ``data/sample/`` — files are identified by sha256, so a loaded file whose hash is
one of the committed sample's is a sample file wherever it was copied to.
"""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path

import duckdb

from ingest.sql import quote_ident

LABEL = "SYNTHETIC"


@cache
def _sample_hashes(sample_dir: Path) -> frozenset[str]:
    if not sample_dir.is_dir():
        return frozenset()
    return frozenset(
        hashlib.sha256(p.read_bytes()).hexdigest() for p in sample_dir.rglob("*") if p.is_file() and p.suffix != ".md"
    )


def sample_label(con: duckdb.DuckDBPyConnection, work_alias: str, project: Path) -> dict[str, str]:
    """``is_synthetic_sample`` (true/false) and ``n_synthetic_files`` for build_info, from raw.load_manifest."""
    try:
        rows = con.execute(
            f"select file_sha256, source_file from {quote_ident(work_alias)}.raw.load_manifest"
        ).fetchall()
    except duckdb.CatalogException:
        rows = []
    known = _sample_hashes((project / "data" / "sample").resolve())
    synthetic = [path for sha, path in rows if sha in known or LABEL in (path or "").upper()]
    return {"is_synthetic_sample": str(bool(synthetic)).lower(), "n_synthetic_files": str(len(synthetic))}
