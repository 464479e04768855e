"""The data dictionary of the published tables, generated from the dbt docs: one generator for every
place that describes the data (``exports/dictionary.csv``, ``exports/README.md``, the Parquet schema
metadata, the primary keys of the PostgreSQL publication, and the data page of the future static site).

Sources, all produced by dbt from the project's YAML:

- ``manifest.json`` (written by every ``dbt build`` into ``<warehouse>/dbt_target``): model and seed
  descriptions, column descriptions, and the primary key — a ``primary_key`` constraint, else the
  model's ``unique_combination`` test (its own, or one its ``column_checks`` test lists in
  ``unique_combinations``), else its first ``unique`` column test (its own, or a ``unique`` check a
  column declares for ``column_checks``; every model has one);
- the column types: ``catalog.json`` carries what the database reports, so they are read from the
  published DuckDB file itself (the same query ``dbt docs generate`` runs), in column order.
"""

from __future__ import annotations

import csv
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

# dbt schema of a node -> schema of the table in marts.duckdb
PUBLISHED_SCHEMA_OF = {"marts": "main", "reference": "reference"}
DICTIONARY_FIELDS = ("table", "column", "type", "description", "is_primary_key")


@dataclass
class ColumnDoc:
    """One column: name, DuckDB type, description."""

    name: str
    type: str
    description: str = ""


@dataclass
class TableDoc:
    """One published table: where it lives, its grain/description, primary key and columns."""

    name: str
    dbt_schema: str  # marts | reference
    description: str = ""
    primary_key: list[str] = field(default_factory=list)
    columns: list[ColumnDoc] = field(default_factory=list)
    materialization: str = ""

    @property
    def published_schema(self) -> str:
        return PUBLISHED_SCHEMA_OF[self.dbt_schema]

    @property
    def grain(self) -> str:
        """The first sentence of the description (descriptions state their grain first)."""
        text = " ".join(self.description.split())
        text = re.sub(r"^grain\s*[:\-–]\s*", "", text, flags=re.IGNORECASE)
        return text.split(". ")[0].rstrip(".") + "." if text else ""


def _clean(text: str | None) -> str:
    return " ".join((text or "").split())


def _primary_key(node: dict, tests: list[dict]) -> list[str]:
    for constraint in node.get("constraints") or []:
        if constraint.get("type") == "primary_key" and constraint.get("columns"):
            return list(constraint["columns"])
    column_pk = [
        name
        for name, col in (node.get("columns") or {}).items()
        if any(c.get("type") == "primary_key" for c in col.get("constraints") or [])
    ]
    if column_pk:
        return column_pk
    # the first in the order of dbt's test names (unique_combination_<model>_<a>__<b>, unique_<model>_<column>),
    # wherever the key is declared: a test of its own or the model's column_checks test (CONTRIBUTING
    # "Tests and contracts")
    keys: list[list[str]] = []
    unique: list[str] = []
    for test in tests:
        meta = test.get("test_metadata") or {}
        if meta.get("name") == "unique_combination":
            keys.append(list(meta.get("kwargs", {}).get("columns") or []))
        elif meta.get("name") == "unique" and test.get("column_name"):
            unique.append(test["column_name"])
        elif meta.get("name") == "column_checks":
            keys += [list(k) for k in (meta.get("kwargs") or {}).get("unique_combinations") or []]
            unique += [name for name, col in (node.get("columns") or {}).items() if "unique" in _checks(col)]
    if keys:
        return min(keys, key="__".join)
    return [min(unique)] if unique else []


def _checks(column: dict) -> list[str]:
    """The names of the checks a column declares for the column_checks test (config.meta.checks)."""
    meta = (column.get("config") or {}).get("meta") or column.get("meta") or {}
    return [c if isinstance(c, str) else next(iter(c)) for c in meta.get("checks") or []]


def load_manifest(path: Path) -> dict:
    return json.loads(Path(path).read_text(encoding="utf-8"))


def from_manifest(manifest: dict, schemas: tuple[str, ...] = ("marts", "reference")) -> dict[str, TableDoc]:
    """Table docs (without types) keyed ``<dbt schema>.<name>`` for every model/seed in ``schemas``."""
    nodes = manifest.get("nodes", {})
    tests_of: dict[str, list[dict]] = {}
    for node in sorted(nodes.values(), key=lambda n: n.get("unique_id", "")):
        if node.get("resource_type") == "test" and node.get("attached_node"):
            tests_of.setdefault(node["attached_node"], []).append(node)
    docs: dict[str, TableDoc] = {}
    for uid, node in nodes.items():
        if node.get("resource_type") not in ("model", "seed") or node.get("schema") not in schemas:
            continue
        doc = TableDoc(
            name=node.get("alias") or node["name"],
            dbt_schema=node["schema"],
            description=_clean(node.get("description")),
            primary_key=_primary_key(node, tests_of.get(uid, [])),
            materialization=(node.get("config") or {}).get("materialized", ""),
        )
        doc.columns = [ColumnDoc(name, "", _clean(col.get("description"))) for name, col in node["columns"].items()]
        docs[f"{doc.dbt_schema}.{doc.name}"] = doc
    return docs


def with_types(
    docs: dict[str, TableDoc], con: duckdb.DuckDBPyConnection, database: str, *, published: bool = True
) -> list[TableDoc]:
    """The docs of the tables present in ``database`` (a DuckDB catalog holding the published schemas, or
    with ``published=False`` a work file holding dbt's), every column in the table's order with its type;
    a column the YAML does not describe keeps its database comment (or an empty description)."""
    rows = con.execute(
        "select c.schema_name, c.table_name, c.column_name, c.data_type, c.comment from duckdb_columns() as c "
        "join duckdb_tables() as t using (database_name, schema_name, table_name) "  # tables only: what is published
        "where c.database_name = ? order by c.schema_name, c.table_name, c.column_index",
        [database],
    ).fetchall()
    by_table: dict[tuple[str, str], list[tuple[str, str, str | None]]] = {}
    for schema, table, column, dtype, comment in rows:
        by_table.setdefault((schema, table), []).append((column, dtype, comment))
    out = []
    for doc in sorted(docs.values(), key=lambda d: (d.dbt_schema, d.name)):
        cols = by_table.get((doc.published_schema if published else doc.dbt_schema, doc.name))
        if cols is None:
            continue
        described = {c.name.lower(): c.description for c in doc.columns}
        doc.columns = [
            ColumnDoc(name, dtype, described.get(name.lower()) or _clean(comment)) for name, dtype, comment in cols
        ]
        out.append(doc)
    return out


def build(manifest_path: Path, marts_db: Path) -> list[TableDoc]:
    """The dictionary of a published marts.duckdb, from the build's manifest."""
    docs = from_manifest(load_manifest(manifest_path))
    con = duckdb.connect()
    try:
        con.execute(f"attach '{Path(marts_db).as_posix()}' as published (read_only)")
        return with_types(docs, con, "published")
    finally:
        con.close()


def write_dictionary_csv(tables: list[TableDoc], path: Path) -> None:
    """``dictionary.csv``: one row per column (table, column, type, description, is_primary_key); UTF-8 with
    a BOM like the other CSV exports."""
    with open(path, "w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(DICTIONARY_FIELDS)
        for table in tables:
            for col in table.columns:
                writer.writerow(
                    [table.name, col.name, col.type, col.description, str(col.name in table.primary_key).lower()]
                )


def _md(text: str) -> str:
    return text.replace("|", "\\|")


def exports_readme(tables: list[TableDoc], info: dict[str, str]) -> str:
    """``exports/README.md``: what the files are, how to open them, and every table with its grain and key."""
    lines = [
        "# 287(g) warehouse exports",
        "",
        f"Publication `{info.get('publication', '')}`, built {info.get('built_at', '')} from "
        f"{info.get('n_raw_files', '?')} raw files (code `{info.get('code_version', '')}`). Generated by "
        "`ingest/dictionary.py` from the dbt docs; the same tables are in `marts.duckdb`.",
        "",
        "## Files",
        "",
        "- `<table>.parquet`: typed columns (codes such as FIPS and GEOIDs are text, money is DECIMAL);",
        "  the table description, grain and primary key are in the schema metadata (`description`,",
        "  `primary_key`) and each column's description in its field metadata (`description`).",
        "- `<table>.csv`: UTF-8 **with a byte-order mark**, comma-separated, header row, sorted by the",
        "  primary key, empty field = null. The BOM makes Excel read `Doña Ana` and `Sheriff’s`",
        "  correctly on a double-click; DuckDB, pandas, R and LibreOffice skip it (Python's csv module:",
        "  open with `encoding='utf-8-sig'`). CSV carries no types: read codes as text (in Excel use",
        "  Data → From Text/CSV and set the column to Text, or the types in `dictionary.csv`), so",
        "  FIPS `09160` keeps its leading zero.",
        "- `dictionary.csv`: every column of every table: table, column, type (DuckDB), description,",
        "  is_primary_key.",
        "",
        "## Tables",
        "",
        "| table | rows are | primary key |",
        "|---|---|---|",
    ]
    for table in tables:
        lines.append(f"| `{table.name}` | {_md(table.grain)} | {', '.join(table.primary_key) or '—'} |")
    lines.append("")
    return "\n".join(lines)
