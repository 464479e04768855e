"""A new sheet added to a built warehouse: the build is incremental (int_ice_rows_normalised adds only the
new publication's rows) and publishes marts identical, row for row, to a full rebuild from scratch — for
the newest sheet and for an older sheet that arrives late, out of order.

The full rebuild is the session's built sample warehouse; the warehouse the sheet is added to is built from
the sample without that sheet. Which sheets are held back is read from the full build (never listed here).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from warehouse_support import copy_raw, query, run_cli

from ingest.pipeline import ingest_dir
from ingest.project import dbt_build
from tools.compare_marts import compare

INCREMENTAL_MODEL = "int_ice_rows_normalised"


def _held_back_sheet(full_marts: Path, which: str) -> tuple[str, int]:
    """(source file, publication_seq) of the newest participating sheet, or of one in the middle."""
    pubs = query(
        full_marts,
        "select source_file, publication_seq from dim_publications where kind = 'participating' "
        "order by publication_seq",
    )
    assert len(pubs) >= 3, pubs
    return pubs[-1] if which == "newest" else pubs[len(pubs) // 2]


@pytest.mark.parametrize("which", ["newest", "late"])
def test_new_sheet_build_is_incremental_and_equals_a_full_rebuild(which, built_sample_warehouse, tmp_path):
    full = built_sample_warehouse / "marts.duckdb"
    source_file, seq = _held_back_sheet(full, which)
    raw = copy_raw(tmp_path / "raw")
    held = raw / source_file
    aside = tmp_path / "aside" / held.name
    aside.parent.mkdir()
    shutil.move(held, aside)

    # the warehouse before the sheet arrives: everything else landed and built (models only: the
    # tests of this data ran in the full build)
    warehouse = tmp_path / "wh"
    # the full build's person key, so fct_arrests.person_key (an HMAC under the warehouse's key) compares too
    (warehouse / "secrets").mkdir(parents=True)
    shutil.copy2(built_sample_warehouse / "secrets" / "person_key", warehouse / "secrets" / "person_key")
    summary = ingest_dir(raw, warehouse / "work.duckdb")
    assert not summary.rejected, [o.detail for o in summary.rejected]
    first = dbt_build(warehouse, ["--exclude-resource-type", "test", "--exclude-resource-type", "unit_test"])
    assert first.ok, first.failures
    n_before = query(warehouse / "work.duckdb", f"select count(*) from intermediate.{INCREMENTAL_MODEL}")[0][0]

    shutil.move(aside, held)
    result = run_cli("build", "--raw-dir", str(raw), "--warehouse-dir", str(warehouse), "--strict")
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert "dbt build (incremental" in result.stdout, result.stdout[-2000:]

    # the incremental branch ran: dbt compiled the model with its new-publications filter and appended
    compiled = next((warehouse / "dbt_target" / "compiled").rglob(f"{INCREMENTAL_MODEL}.sql")).read_text()
    assert "not in (select distinct publication_id from" in compiled
    n_after = query(warehouse / "work.duckdb", f"select count(*) from intermediate.{INCREMENTAL_MODEL}")[0][0]
    (n_new,) = query(
        warehouse / "work.duckdb",
        "select count(*) from raw.ice_participating_rows where _source_file = ?",
        [source_file],
    )[0]
    assert n_new > 0 and n_after == n_before + n_new

    # ... and what it published is what a full rebuild publishes, every mart row for row
    assert compare(full, warehouse / "marts.duckdb") == []  # tools/compare_marts.py
    (got_seq,) = query(
        warehouse / "marts.duckdb", "select publication_seq from dim_publications where source_file = ?", [source_file]
    )[0]
    assert got_seq == seq  # the late sheet takes its place in the order, not the end
