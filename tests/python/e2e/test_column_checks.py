"""The consolidated column_checks test (macros/tests/column_checks.sql) fails on each broken check and
says which: model or source table, column, check, rows and an example (CONTRIBUTING "Tests and contracts").

Reuses the built sample's work file: in a copy, a table model gets a null, an unaccepted value and an
out-of-range value, a raw table an unaccepted value; only the column_checks tests of those two relations
run (a few seconds, no build)."""

from __future__ import annotations

import shutil

import duckdb

from ingest.project import column_check_failures, run_dbt

MUTATIONS = (
    # a table model: one row each breaks not_null, accepted_values and value_between
    "update intermediate.int_ice_values_resolved set method = 'made_up' "
    "where value_printed = (select min(value_printed) from intermediate.int_ice_values_resolved)",
    "update intermediate.int_ice_values_resolved set confidence = null "
    "where value_printed = (select max(value_printed) from intermediate.int_ice_values_resolved)",
    "update intermediate.int_ice_values_resolved set confidence = 7 "
    "where value_printed = (select max(value_printed) from intermediate.int_ice_values_resolved "
    "where confidence is not null)",
    # a source table (raw): a link origin ingestion never writes
    "update raw.ice_participating_rows set moa_link_origin = 'pigeon' "
    "where rowid = (select min(rowid) from raw.ice_participating_rows)",
)


def test_column_checks_fail_naming_the_model_column_and_check(built_sample_warehouse, tmp_path):
    warehouse = tmp_path / "wh"
    warehouse.mkdir()
    shutil.copyfile(built_sample_warehouse / "work.duckdb", warehouse / "work.duckdb")
    con = duckdb.connect(str(warehouse / "work.duckdb"))
    for sql in MUTATIONS:
        con.execute(sql)
    con.close()

    selected = [
        "test_name:column_checks,int_ice_values_resolved",
        "test_name:column_checks,source:ice.ice_participating_rows",
    ]
    result = run_dbt(["test", "--select", *selected], warehouse)

    assert not result.ok
    failed = sorted(f.split(":")[0].split(".")[2] for f in result.failures)
    assert failed == ["column_checks_int_ice_values_resolved_", "source_column_checks_ice_ice_participating_rows_"]
    lines = column_check_failures(warehouse / "work.duckdb", result)
    assert sorted(lines) == [
        "ice_ice_participating_rows.moa_link_origin: accepted_values fails on 1 row(s) (e.g. 'pigeon')",
        "int_ice_values_resolved.confidence: not_null fails on 1 row(s) (e.g. null)",
        "int_ice_values_resolved.confidence: value_between fails on 1 row(s) (e.g. '7.0')",
        "int_ice_values_resolved.method: accepted_values fails on 1 row(s) (e.g. 'made_up')",
    ], lines
