"""The ledger ``Source``: detect a ledger by a mapping's header, parse it into one landing SELECT."""

from __future__ import annotations

import re
from typing import ClassVar

from ingest.errors import IngestError
from ingest.readers.xlsx import Sheet
from ingest.sources.base import Detection, FileInfo, LoadContext, Parsed, Source
from ingest.sources.ledger.header import HEADER_SCAN_ROWS, check_encoding, find_header, sheet_rows, text_rows
from ingest.sources.ledger.mapping import Mapping, candidate_mappings, is_mapping_file
from ingest.sources.ledger.parse_sql import build_select
from ingest.sources.ledger.rows import csv_relation, multiline_frame, sheet_frame

TEXT_SUFFIXES = {".csv", ".tsv", ".txt"}
NAME_PATTERN = re.compile(r"(?i)(ledger|payment|payout|disbursement)")

LEDGER_COLUMNS: list[tuple[str, str]] = [
    ("mapping_name", "varchar"),
    # as printed (text, untrimmed)
    ("payee_name", "varchar"),
    ("state", "varchar"),
    ("payment_date", "varchar"),
    ("fiscal_year", "varchar"),
    ("category", "varchar"),
    ("amount", "varchar"),
    ("certified_officers", "varchar"),
    ("document_id", "varchar"),
    ("description", "varchar"),
    # parsed by the landing SELECT
    ("payment_date_value", "date"),
    ("date_parse_method", "varchar"),
    ("amount_usd", "decimal(14,2)"),
    ("fiscal_year_value", "integer"),
    ("certified_officer_count", "integer"),
    ("category_code", "varchar"),
    ("category_method", "varchar"),
    ("parse_status", "varchar"),
    ("reject_reason", "varchar"),
    ("reject_column", "varchar"),
]


class Ledger(Source):
    """A payments ledger (CSV or XLSX) in any layout a mapping describes."""

    name = "ledger"
    tables: ClassVar[dict[str, list[tuple[str, str]]]] = {"ledger_lines": LEDGER_COLUMNS}

    def detect(self, file: FileInfo) -> Detection | None:
        if is_mapping_file(file.path):
            return None
        if file.suffix not in TEXT_SUFFIXES and not file.is_excel:
            return None
        named = bool(NAME_PATTERN.search(file.path.name))
        mappings = candidate_mappings(file.path)
        tried: list[str] = []
        for mapping in mappings:
            if file.is_excel:
                try:
                    sheets = file.sheets
                except IngestError:
                    if named or mapping.adjacent:
                        raise
                    return None
                hits = []
                for sheet in sheets:
                    if mapping.sheet and sheet.name != mapping.sheet:
                        continue
                    idx = find_header(sheet_rows(sheet)[: HEADER_SCAN_ROWS + 1], mapping)
                    if idx is not None:
                        hits.append((sheet, idx))
                if len(hits) > 1:
                    raise IngestError(
                        f"more than one worksheet fits ledger mapping {mapping.name!r} "
                        f"({', '.join(s.name for s, _ in hits)}); set `sheet` in the mapping",
                        file=file.rel_path,
                    )
                if hits:
                    sheet, idx = hits[0]
                    return Detection(
                        self.name,
                        "ledger",
                        "content",
                        {"mapping": mapping, "sheet": sheet, "header_index": idx},
                    )
                header_desc = "no worksheet"
            else:
                rows = text_rows(file, mapping)
                idx = find_header(rows, mapping)
                if idx is not None:
                    return Detection(self.name, "ledger", "content", {"mapping": mapping, "header_index": idx})
                header_desc = f"header {str(rows[0] if rows else [])[:300]}"
            tried.append(f"{mapping.name} ({mapping.path.name}) needs {mapping.missing([])}; {header_desc} has them")
        if named or any(m.adjacent for m in mappings):
            if not file.is_excel:
                check_encoding(file, mappings[0])  # a UTF-16 file: name the encoding, not its header
            raise IngestError(
                "looks like a payments ledger but no ledger mapping fits its header: "
                + "; ".join(tried).replace(" has them", " lacks some"),
                file=file.rel_path,
            )
        return None

    def parse(self, file: FileInfo, detection: Detection, context: LoadContext) -> Parsed:
        mapping: Mapping = detection.detail["mapping"]
        header_index: int = detection.detail["header_index"]
        sheet: Sheet | None = detection.detail.get("sheet")
        frame = None
        if sheet is not None:
            frame, header = sheet_frame(file, sheet, header_index)
            source_sql = "select * from _incoming"
            formats = [*mapping.date_formats, "%Y-%m-%d", "%Y-%m-%dT%H:%M:%S"]
        else:
            check_encoding(file, mapping)
            multiline = multiline_frame(file, mapping, header_index)
            if multiline is not None:  # a value holds a line break: rows numbered by file line
                frame, header = multiline
                source_sql = "select * from _incoming"
            else:
                header, source_sql = csv_relation(file, mapping, header_index)
            formats = list(mapping.date_formats)
        select = build_select(mapping, header, source_sql, formats, file=file.rel_path)
        return Parsed(
            source=self.name,
            kind="ledger",
            layout=f"ledger:{mapping.name}",
            table="ledger_lines",
            frame=frame,
            relation_sql=select,
            sheet=sheet.name if sheet else None,
            header_row=header_index + 1,
            meta={
                "columns": [c for c, _ in LEDGER_COLUMNS],
                "mapping": mapping.name,
                "mapping_file": str(mapping.path),
                "money_format": mapping.money_format,
                "date_formats": formats,
            },
        )
