"""Privacy of what is published (README "Privacy"): the sample's published marts and exports carry no
birth date, no personal field of the arrest releases and none of their identifier values."""

from __future__ import annotations

from pathlib import Path

import duckdb

from ingest.publish import DENY_COLUMNS
from tools.sample import arrests as S


def _rows(db: Path, sql: str) -> list[tuple]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def test_published_sample_carries_no_personal_fields(built_sample_warehouse: Path) -> None:
    wh = built_sample_warehouse
    cols = _rows(
        wh / "marts.duckdb",
        "select table_name, lower(column_name) from duckdb_columns() where database_name = 'marts'",
    )
    assert not [c for c in cols if c[1] in DENY_COLUMNS or "birth" in c[1]]
    # no identifier value (the synthetic SYN-... ids) leaks into any published table or export
    idents = {r[-1] for r in S.ddp_rows()} | {r[-1] for r in S.ddp_early_rows()} | {r[-4] for r in S.ddp_early_rows()}
    idents.discard(S.DDP_REDACTED)
    exported = "\n".join(p.read_text() for p in (wh / "exports").glob("*.csv"))
    assert exported and not [i for i in idents if i in exported]
    con = duckdb.connect(str(wh / "marts.duckdb"), read_only=True)
    try:
        for (table,) in con.execute("select table_name from duckdb_tables() where schema_name = 'main'").fetchall():
            text = str(con.execute(f'select * from "{table}"').fetchall())
            assert not [i for i in idents if i in text], table
    finally:
        con.close()
