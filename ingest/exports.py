"""The exports of a publication: every mart as Parquet and CSV, plus dictionary.csv and README.md.

- Rows are sorted by the table's primary key (from the dictionary), so a diff of two publications
  shows what changed and a spreadsheet opens in key order.
- CSV: UTF-8 with a byte-order mark (one file, not an ``-excel.csv`` twin: Excel is how most readers
  open a CSV and it needs the BOM to read UTF-8, while DuckDB, pandas, R and LibreOffice skip it; a
  second copy of every table would double the exports for one program). Written by DuckDB's CSV
  writer (empty string quoted, null empty).
- Parquet: written with pyarrow from DuckDB's Arrow result so the schema carries the table's
  description, grain and primary key and every field its column description. Codes (FIPS, GEOIDs)
  are strings there, as in the marts.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from ingest.dictionary import TableDoc, exports_readme, write_dictionary_csv
from ingest.export_safety import csv_select
from ingest.sql import quote_ident, quote_literal

BOM = b"\xef\xbb\xbf"


def order_by(table: TableDoc) -> str:
    """ORDER BY clause: the primary key, then every column (a total, repeatable order)."""
    keys = list(table.primary_key) + [c.name for c in table.columns if c.name not in table.primary_key]
    return ", ".join(f"{quote_ident(k)} asc nulls last" for k in keys)


def parquet_schema_metadata(table: TableDoc) -> dict[bytes, bytes]:
    return {
        b"table": table.name.encode(),
        b"description": table.description.encode(),
        b"grain": table.grain.encode(),
        b"primary_key": json.dumps(table.primary_key).encode(),
    }


def write_table(con: duckdb.DuckDBPyConnection, qualified: str, table: TableDoc, export_dir: Path) -> None:
    """``<table>.parquet`` and ``<table>.csv`` of one table, sorted by its key: one sorted read into Arrow,
    both files written from it (DuckDB scans an Arrow table in its order)."""
    relation = con.sql(f"select * from {qualified} order by {order_by(table)}")
    columns = [(name, str(kind)) for name, kind in zip(relation.columns, relation.types, strict=True)]
    arrow = relation.to_arrow_table()
    base = export_dir / table.name
    described = {c.name: c.description for c in table.columns}
    fields = [f.with_metadata({b"description": described.get(f.name, "").encode()}) for f in arrow.schema]
    schema = pa.schema(fields, metadata=parquet_schema_metadata(table))
    # the same columns under the described schema (Table.cast would import pyarrow.compute: ~0.6 s)
    pq.write_table(pa.Table.from_arrays(arrow.columns, schema=schema), f"{base}.parquet")
    plain = export_dir / f".{table.name}.csv.tmp"
    # text cells a spreadsheet would run as a formula are neutralised (ingest/export_safety.py), in key order;
    # the types are the table's own (DuckDB's), so each column is written as DuckDB writes it
    view = f"__export_{table.name}"
    con.register(view, arrow)
    try:
        select = csv_select(quote_ident(view), columns)
        con.execute(f"copy ({select}) to {quote_literal(plain.as_posix())} (format csv, header true)")
    finally:
        con.unregister(view)
    with open(f"{base}.csv", "wb") as out, open(plain, "rb") as src:
        out.write(BOM)
        shutil.copyfileobj(src, out, 1 << 20)
    plain.unlink()


def write_exports(
    con: duckdb.DuckDBPyConnection, database: str, tables: list[TableDoc], export_dir: Path, info: dict[str, str]
) -> None:
    """Every mart of ``tables`` (``dbt_schema == 'marts'``) into export_dir, then dictionary.csv and README.md."""
    export_dir.mkdir(parents=True, exist_ok=True)
    marts = [t for t in tables if t.dbt_schema == "marts"]
    for table in marts:
        write_table(
            con,
            f"{quote_ident(database)}.{quote_ident(table.published_schema)}.{quote_ident(table.name)}",
            table,
            export_dir,
        )
    write_dictionary_csv(marts, export_dir / "dictionary.csv")
    (export_dir / "README.md").write_text(exports_readme(marts, info), encoding="utf-8")
