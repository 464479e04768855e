"""The consolidated column_checks test (macros/tests/column_checks.sql) fails on each broken check and
says which: model or source table, column, check, rows and an example (CONTRIBUTING "Tests and contracts").

Reuses the built sample's work file: in a copy, a table model gets a null, an unaccepted value, an
out-of-range value, a null its where'd not_null sees (and nulls it does not) and a duplicated composite
key (unique_combinations), a view (through the tables it reads) a duplicated unique column and an
agency_id missing from dim_agencies (relationships), a raw table an unaccepted value; only the
column_checks tests of those three relations run (a few seconds, no build)."""

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
    # not_null where column_name <> 'agency_type': nulls there pass, one on a state fails
    "update intermediate.int_ice_values_resolved set resolved_code = null where column_name = 'agency_type'",
    "update intermediate.int_ice_values_resolved set resolved_code = null where column_name = 'state' "
    "and value_printed = (select max(value_printed) from intermediate.int_ice_values_resolved "
    "where column_name = 'state')",
    # a composite key (column_name, value_printed) twice: a copy of a row the updates above left alone
    "insert into intermediate.int_ice_values_resolved select * from intermediate.int_ice_values_resolved "
    "where method <> 'made_up' and confidence between 0 and 1 order by column_name, value_printed limit 1",
    # int_ice_rows_resolved is a view: through the tables it reads, a unique column (row_id) twice (a
    # printed row copied), and an agency_id no dim_agencies row has (one row's spelling, new, aliased to it)
    "insert into intermediate.int_ice_rows_normalised select * from intermediate.int_ice_rows_normalised "
    "where row_id = (select min(row_id) from intermediate.int_ice_rows_normalised)",
    "update intermediate.int_ice_rows_normalised set name_key = 'zz nowhere' "
    "where row_id = (select max(row_id) from intermediate.int_ice_rows_normalised)",
    "insert into intermediate.int_agency_aliases (state_code, name_key, agency_id) "
    "select state_code, name_key, 'ZZ-nowhere' from intermediate.int_ice_rows_normalised "
    "where row_id = (select max(row_id) from intermediate.int_ice_rows_normalised)",
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
    ((key,),) = con.execute(
        "select column_name || ', ' || value_printed from intermediate.int_ice_values_resolved "
        "group by column_name, value_printed having count(*) > 1"
    ).fetchall()
    ((row_id,),) = con.execute("select cast(min(row_id) as varchar) from intermediate.int_ice_rows_resolved").fetchall()
    con.close()

    selected = [
        "test_name:column_checks,int_ice_values_resolved",
        "test_name:column_checks,int_ice_rows_resolved",
        "test_name:column_checks,source:ice.ice_participating_rows",
    ]
    result = run_dbt(["test", "--select", *selected], warehouse)

    assert not result.ok
    failed = sorted(f.split(":")[0].split(".")[2] for f in result.failures)
    assert len(failed) == 3, failed  # dbt names a test with arguments after them (or a hash of them)
    assert failed[0].startswith("column_checks_int_ice_rows_resolved_"), failed
    assert failed[1].startswith("column_checks_int_ice_values_resolved_"), failed
    assert failed[2] == "source_column_checks_ice_ice_participating_rows_", failed
    lines = column_check_failures(warehouse / "work.duckdb", result)
    assert sorted(lines) == [
        "ice.ice_participating_rows.moa_link_origin: accepted_values fails on 1 row(s) (e.g. 'pigeon')",
        "int_ice_rows_resolved.agency_id: relationships(dim_agencies.agency_id) fails on 1 row(s) (e.g. 'ZZ-nowhere')",
        f"int_ice_rows_resolved.row_id: unique fails on 2 row(s) (e.g. {row_id!r})",
        f"int_ice_values_resolved.(column_name, value_printed): unique_combination fails on 2 row(s) (e.g. {key!r})",
        "int_ice_values_resolved.confidence: not_null fails on 1 row(s) (e.g. null)",
        "int_ice_values_resolved.confidence: value_between fails on 1 row(s) (e.g. '7.0')",
        "int_ice_values_resolved.method: accepted_values fails on 1 row(s) (e.g. 'made_up')",
        "int_ice_values_resolved.resolved_code: not_null fails on 1 row(s) (e.g. null)",
    ], lines
