"""Exports people can open: every CSV read with the types of dictionary.csv, every Parquet with pyarrow;
FIPS and GEOID codes as text with their leading zeros, the BOM, rows in key order, descriptions."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest

BOM = b"\xef\xbb\xbf"


@pytest.fixture(scope="module")
def exports(built_sample_warehouse: Path) -> Path:
    return (built_sample_warehouse / "exports").resolve()


@pytest.fixture(scope="module")
def dictionary_rows(exports: Path) -> list[dict]:
    raw = (exports / "dictionary.csv").read_bytes()
    assert raw.startswith(BOM)
    return list(csv.DictReader(io.StringIO(raw[len(BOM) :].decode("utf-8"))))


@pytest.fixture(scope="module")
def marts_tables(built_sample_warehouse: Path) -> list[str]:
    con = duckdb.connect(str(built_sample_warehouse / "marts.duckdb"), read_only=True)
    try:
        return [
            r[0]
            for r in con.execute(
                "select table_name from duckdb_tables() where schema_name = 'main' and table_name <> 'build_info' "
                "order by 1"
            ).fetchall()
        ]
    finally:
        con.close()


def _is_code(column: str) -> bool:
    return "fips" in column or "geoid" in column


def test_dictionary_describes_every_exported_column(
    exports: Path, dictionary_rows, marts_tables, built_sample_warehouse
):
    assert list(dictionary_rows[0]) == ["table", "column", "type", "description", "is_primary_key"]
    con = duckdb.connect(str(built_sample_warehouse / "marts.duckdb"), read_only=True)
    try:
        expected = con.execute(
            "select table_name, column_name, data_type from duckdb_columns() where schema_name = 'main' "
            "and database_name = current_database() "
            "and table_name <> 'build_info' order by table_name, column_index"
        ).fetchall()
    finally:
        con.close()
    assert [(r["table"], r["column"], r["type"]) for r in dictionary_rows] == expected
    assert all(r["description"].strip() for r in dictionary_rows)  # public marts describe every column
    keyed = {r["table"] for r in dictionary_rows if r["is_primary_key"] == "true"}
    assert keyed == set(marts_tables)
    readme = (exports / "README.md").read_text(encoding="utf-8")
    for table in marts_tables:
        assert f"`{table}`" in readme


def test_dictionary_files_come_from_the_one_generator(exports: Path, built_sample_warehouse: Path, tmp_path: Path):
    """ingest.dictionary (what the site's data page will call) regenerates dictionary.csv byte for byte."""
    from ingest import dictionary

    docs = dictionary.build(built_sample_warehouse / "dbt_target" / "manifest.json", exports.parent / "marts.duckdb")
    marts = [d for d in docs if d.dbt_schema == "marts"]
    dictionary.write_dictionary_csv(marts, tmp_path / "dictionary.csv")
    assert (tmp_path / "dictionary.csv").read_bytes() == (exports / "dictionary.csv").read_bytes()


def test_every_csv_reads_with_the_dictionary_types(
    exports: Path, dictionary_rows, marts_tables, built_sample_warehouse
):
    types: dict[str, dict[str, str]] = {}
    keys: dict[str, list[str]] = {}
    for r in dictionary_rows:
        types.setdefault(r["table"], {})[r["column"]] = r["type"]
        if r["is_primary_key"] == "true":
            keys.setdefault(r["table"], []).append(r["column"])
    con = duckdb.connect()
    con.execute(f"attach '{exports.parent / 'marts.duckdb'}' as marts (read_only)")
    n_codes = n_leading_zero = 0
    for table in marts_tables:
        path = exports / f"{table}.csv"
        assert path.read_bytes()[:3] == BOM, f"{table}.csv has no BOM"
        columns = ", ".join(f"'{c}': '{t}'" for c, t in types[table].items())
        rel = f"read_csv('{path}', header = true, columns = {{{columns}}}, auto_detect = false)"
        csv_rows = con.execute(f"select * from {rel}").fetchall()
        db_rows = con.execute(f'select * from marts."{table}"').fetchall()
        assert sorted(map(repr, csv_rows)) == sorted(map(repr, db_rows)), f"{table}.csv differs from the mart"
        key_cols = ", ".join(f'"{c}"' for c in keys[table])
        in_file = con.execute(f"select {key_cols} from {rel}").fetchall()
        in_order = con.execute(f"select {key_cols} from {rel} order by {key_cols} nulls last").fetchall()
        assert in_file == in_order, f"{table}.csv is not sorted by {keys[table]}"
        # the text as printed keeps leading zeros (what a text-typed reader sees)
        with open(path, encoding="utf-8-sig", newline="") as fh:
            reader = csv.DictReader(fh)
            code_cols = [c for c in reader.fieldnames or [] if _is_code(c)]
            for row in reader:
                for col in code_cols:
                    if row[col]:
                        assert types[table][col] == "VARCHAR" and row[col].isdigit(), (table, col, row[col])
                        n_codes += 1
                        n_leading_zero += row[col].startswith("0")
    assert n_codes > 100 and n_leading_zero > 0  # e.g. Connecticut 09..., Alabama 01...


def test_every_parquet_has_text_codes_and_descriptions(exports: Path, dictionary_rows, marts_tables):
    described = {(r["table"], r["column"]): r["description"] for r in dictionary_rows}
    n_leading_zero = 0
    for table in marts_tables:
        pf = pq.read_table(exports / f"{table}.parquet")
        meta = pf.schema.metadata
        assert meta[b"table"].decode() == table
        assert meta[b"description"].decode().strip()
        assert json.loads(meta[b"primary_key"]), table
        for field in pf.schema:
            assert field.metadata[b"description"].decode() == described[(table, field.name)]
            if _is_code(field.name):
                assert str(field.type) in ("string", "large_string"), (table, field.name, field.type)
                values = [v for v in pf.column(field.name).to_pylist() if v]
                n_leading_zero += sum(v.startswith("0") for v in values)
        key = json.loads(meta[b"primary_key"])
        rows = pf.select(key).to_pylist()
        as_tuples = [tuple(r[k] for k in key) for r in rows]
        assert as_tuples == sorted(as_tuples, key=lambda t: tuple((v is None, v) for v in t)), table
    assert n_leading_zero > 0


def test_an_export_that_fails_fails_the_publish_and_keeps_the_previous_one(
    built_sample_warehouse: Path, tmp_path: Path
):
    """A failure while writing the exports (here a column of a type Parquet cannot hold, in a mart the
    site does not read) ends the publish with that error, and the previous publication stays current."""
    from warehouse_support import REPO, Publication

    from ingest.publish import PublishError, publish

    warehouse = _altered_copy(
        built_sample_warehouse,
        tmp_path,
        "alter table marts.rpt_incentive_reconciliation add column odd union(n integer, s varchar)",
    )
    before = Publication.of(warehouse)
    # the exports run in their own process: its error (pyarrow's, naming the union type) ends the publish
    with pytest.raises(PublishError, match=r"exports .* failed .*ArrowNotImplementedError.*union"):
        publish(warehouse, REPO)
    assert Publication.of(warehouse) == before
    assert not list((warehouse / "publications").glob(".publishing-*"))
    assert _export_processes() == []  # both of the publish's processes ended with it


def _altered_copy(built: Path, tmp_path: Path, sql: str) -> Path:
    """A copy of the built warehouse (its current publication too) whose work file ran ``sql``."""
    from warehouse_support import copy_warehouse

    warehouse = copy_warehouse(built, tmp_path / "wh")
    con = duckdb.connect(str(warehouse / "work.duckdb"))
    con.execute(sql)
    con.close()
    return warehouse


def _export_processes() -> list[int]:
    """Pids of this process's children that run ``python -m ingest.exports`` (the publish's helpers)."""
    import os

    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            ppid = int(stat.read_text().rsplit(")", 1)[1].split()[1])
            cmdline = (stat.parent / "cmdline").read_bytes().split(b"\0")
        except (OSError, ValueError, IndexError):
            continue  # ended meanwhile
        if ppid == os.getpid() and b"ingest.exports" in cmdline:
            found.append(int(stat.parent.name))
    return found


def test_a_publish_refused_before_its_exports_ends_the_processes_it_started_ahead(
    built_sample_warehouse: Path, tmp_path: Path
):
    """The marts file's and the exports' processes start with the publish (ingest.exports.spawn_helpers);
    a publish refused before it hands them their work (a denied personal column) ends them too."""
    from warehouse_support import REPO, Publication

    from ingest.publish import PublishError, publish

    warehouse = _altered_copy(
        built_sample_warehouse, tmp_path, "alter table marts.fct_arrests add column birth_date date"
    )
    before = Publication.of(warehouse)
    with pytest.raises(PublishError, match=r"denied personal column\(s\) \['birth_date'\]"):
        publish(warehouse, REPO)
    assert Publication.of(warehouse) == before
    assert _export_processes() == []


def test_a_publish_takes_unchanged_marts_from_the_previous_exports_and_writes_the_changed_ones(
    built_sample_warehouse: Path, tmp_path: Path
):
    """Each mart's export files are a function of its export key (code, docs, rows): a publish hard-links
    those of every mart whose key is the current publication's, writes the others, and the result is
    byte for byte what writing every file afresh makes."""
    from warehouse_support import REPO, copy_warehouse

    from ingest import dictionary
    from ingest.exports import ExportJob, write_exports
    from ingest.publish import publish

    warehouse = copy_warehouse(built_sample_warehouse, tmp_path / "wh")
    publish(warehouse, REPO)  # the baseline publication, with its keys
    first = (warehouse / "exports").resolve()
    con = duckdb.connect(str(warehouse / "work.duckdb"))
    con.execute("update marts.dim_states set state_name = state_name || ' (changed)' where state_code = 'WY'")
    con.close()
    publish(warehouse, REPO)
    second = (warehouse / "exports").resolve()
    assert second != first
    marts = sorted(p.stem for p in second.glob("*.parquet"))
    assert "dim_states" in marts and len(marts) > 20
    for name in marts:
        for suffix in (".parquet", ".csv"):
            same_file = (second / f"{name}{suffix}").stat().st_ino == (first / f"{name}{suffix}").stat().st_ino
            assert same_file is (name != "dim_states"), (name, suffix)
    assert "(changed)" in (second / "dim_states.csv").read_text(encoding="utf-8-sig")
    assert json.loads((second.parent / "exports.keys.json").read_text()).keys() == set(marts)

    # the same publication written afresh (no previous exports): every file has the same bytes
    docs = dictionary.build(warehouse / "dbt_target" / "manifest.json", second.parent / "marts.duckdb")
    con = duckdb.connect(str(second.parent / "marts.duckdb"), read_only=True)
    try:
        reused = write_exports(con, "marts", ExportJob(docs, tmp_path / "fresh", {"publication": "x"}))
    finally:
        con.close()
    assert not any(reused.values())
    for name in marts:
        for suffix in (".parquet", ".csv"):
            assert (tmp_path / "fresh" / f"{name}{suffix}").read_bytes() == (second / f"{name}{suffix}").read_bytes()
