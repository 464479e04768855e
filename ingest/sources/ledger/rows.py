"""The ledger's lines below its header, numbered as the file numbers them: a DuckDB ``read_csv``
relation, or a text frame for worksheets and for CSVs whose quoted values hold line breaks."""

from __future__ import annotations

import csv
import io

import duckdb
import pandas as pd

from ingest.errors import IngestError
from ingest.readers.xlsx import Sheet
from ingest.sources.base import FileInfo
from ingest.sources.ledger.header import delimiter, is_utf8, sheet_rows
from ingest.sources.ledger.mapping import Mapping
from ingest.sql import quote_literal


def csv_relation(file: FileInfo, mapping: Mapping, header_index: int) -> tuple[list[str], str]:
    """The CSV's column names as DuckDB reads them and a SELECT with ``_row_number`` (file line number)."""
    options = [
        "header = true",
        "all_varchar = true",
        f"skip = {header_index}",
        "null_padding = true",
        f"encoding = {quote_literal(mapping.encoding)}",
    ]
    if mapping.delimiter:
        options.append(f"delim = {quote_literal(mapping.delimiter)}")
    reader = f"read_csv({quote_literal(file.duckdb_path())}, {', '.join(options)})"
    try:
        with duckdb.connect() as con:
            header = [r[0] for r in con.execute(f"describe select * from {reader}").fetchall()]
    except duckdb.Error as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        hint = ""
        if "unicode" in first.lower() or "utf" in first.lower():
            hint = f"; the mapping reads it as {mapping.encoding}: set `encoding` in the mapping or save it as UTF-8"
        raise IngestError(f"not a readable delimited file: {first}{hint}", file=file.rel_path) from exc
    # The header is line header_index + 1 and every record is one line (files whose values hold line
    # breaks are read by multiline_frame instead), so the record number plus the header is the line.
    sql = f"select row_number() over () + {header_index + 1} as _row_number, * from {reader}"
    return header, sql


def multiline_frame(file: FileInfo, mapping: Mapping, header_index: int) -> tuple[pd.DataFrame, list[str]] | None:
    """The rows below the header as text with the *file line* each starts on, when a quoted value
    holds a line break (DuckDB's parallel reader refuses those with null_padding, and its record
    numbers are not file lines); None when every record is one line (DuckDB reads the file)."""
    data = file.path.read_bytes()
    if b'"' not in data or not is_utf8(mapping.encoding):
        return None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None  # DuckDB's reader refuses it with the encoding named
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter(file, mapping))
    records: list[tuple[int, list[str]]] = []
    spans_lines = False
    try:
        last_line = 0
        for row in reader:
            start = last_line + 1
            last_line = reader.line_num
            spans_lines = spans_lines or last_line > start
            records.append((start, row))
    except csv.Error as exc:
        raise IngestError(f"not a readable delimited file: {exc}", file=file.rel_path, row=reader.line_num) from exc
    if not spans_lines or len(records) <= header_index:
        return None
    header = [h if h else f"column{i}" for i, h in enumerate(records[header_index][1])]
    out = []
    for line, row in records[header_index + 1 :]:
        if all(not v.strip() for v in row):
            continue
        if len(row) > len(header):
            raise IngestError(
                f"{len(row)} values but the header names {len(header)} columns", file=file.rel_path, row=line
            )
        out.append([line, *(row + [None] * (len(header) - len(row)))])
    frame = pd.DataFrame(out, columns=["_row_number", *header], dtype=object)
    frame["_row_number"] = frame["_row_number"].astype("int64")
    for col in header:
        frame[col] = frame[col].astype("string")
    return frame, header


def sheet_frame(file: FileInfo, sheet: Sheet, header_index: int) -> tuple[pd.DataFrame, list[str]]:
    """The worksheet below its header as text, with the Excel row number of every non-empty row."""
    rows = sheet_rows(sheet)
    raw_header = rows[header_index]
    header = [h if h else f"column{i}" for i, h in enumerate(raw_header)]
    records = []
    for offset, row in enumerate(rows[header_index + 1 :], start=header_index + 1):
        if all(v is None or not str(v).strip() for v in row):
            continue
        padded = (row + [None] * len(header))[: len(header)]
        records.append([sheet.first_row + offset, *padded])
    frame = pd.DataFrame(records, columns=["_row_number", *header], dtype=object)
    frame["_row_number"] = frame["_row_number"].astype("int64")
    for col in header:
        frame[col] = frame[col].astype("string")
    return frame, header
