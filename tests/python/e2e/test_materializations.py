"""The project's DuckDB table and view materializations (macros/materializations.sql), on a copy of the
built sample's work file: a rebuild replaces the relation in place (no ``__dbt_tmp`` or ``__dbt_backup``
left), a mart keeps the comments dbt's persist_docs wrote (its description and every column's, from the
manifest), a failed rebuild leaves the previous relation and its rows as they were, and a relation of
the other type (a table where the model is a view) is replaced by the model's type."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import duckdb
import pytest

from ingest.project import run_dbt

MART, MART_PARENT = "dim_publications", "int_publications_sequenced"
VIEW = "stg_ice__publications"


@pytest.fixture
def warehouse(built_sample_warehouse: Path, tmp_path: Path) -> Path:
    wh = tmp_path / "wh"
    wh.mkdir()
    shutil.copyfile(built_sample_warehouse / "work.duckdb", wh / "work.duckdb")
    return wh


def _query(wh: Path, sql: str) -> list[tuple]:
    con = duckdb.connect(str(wh / "work.duckdb"), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def _comments(wh: Path, table: str) -> tuple[str | None, dict[str, str | None]]:
    where = f"where schema_name = 'marts' and table_name = '{table}'"
    ((relation,),) = _query(wh, f"select comment from duckdb_tables() {where}")
    columns = _query(wh, f"select column_name, comment from duckdb_columns() {where}")
    return relation, dict(columns)


def _relation_types(wh: Path) -> dict[str, str]:
    rows = _query(
        wh,
        "select table_name, 'table' from duckdb_tables() union all "
        "select view_name, 'view' from duckdb_views() where not internal",
    )
    return dict(rows)


def test_rebuilt_mart_keeps_its_rows_and_documented_comments(warehouse: Path):
    before = _query(warehouse, f"select * from marts.{MART} order by all")
    result = run_dbt(["run", "--select", MART, VIEW], warehouse)
    assert result.ok, result.failures

    assert _query(warehouse, f"select * from marts.{MART} order by all") == before
    names = _relation_types(warehouse)
    assert not [n for n in names if n.endswith(("__dbt_tmp", "__dbt_backup"))], sorted(names)
    assert names[MART] == "table" and names[VIEW] == "view"
    manifest = json.loads((warehouse / "dbt_target" / "manifest.json").read_text())
    node = manifest["nodes"][f"model.ice287g.{MART}"]
    relation, columns = _comments(warehouse, MART)
    assert node["description"] and relation == node["description"]
    assert columns == {name: col["description"] for name, col in node["columns"].items()}
    assert all(columns.values())  # every documented column carries its description


def test_failed_rebuild_leaves_the_previous_relation(warehouse: Path):
    before = _query(warehouse, f"select * from marts.{MART} order by all")
    comments = _comments(warehouse, MART)
    con = duckdb.connect(str(warehouse / "work.duckdb"))
    con.execute(f"drop table intermediate.{MART_PARENT}")  # the model's query now fails
    con.close()

    result = run_dbt(["run", "--select", MART], warehouse)

    assert not result.ok
    assert any(MART in f for f in result.failures), result.failures
    assert _query(warehouse, f"select * from marts.{MART} order by all") == before
    assert _comments(warehouse, MART) == comments


def test_relation_of_the_other_type_is_replaced(warehouse: Path):
    con = duckdb.connect(str(warehouse / "work.duckdb"))
    expected = con.execute(f"select * from staging.{VIEW} order by all").fetchall()
    con.execute(f"drop view staging.{VIEW}")
    con.execute(f"create table staging.{VIEW} as select 1 as leftover")
    con.close()

    result = run_dbt(["run", "--select", VIEW], warehouse)

    assert result.ok, result.failures
    assert _relation_types(warehouse)[VIEW] == "view"
    assert _query(warehouse, f"select * from staging.{VIEW} order by all") == expected
