"""ICE's 287(g) participating and pending agency sheets, in every layout published since 2025.

Layouts are told apart by the header row, never by the file's date:

| layout                 | header                                                                    |
|------------------------|---------------------------------------------------------------------------|
| participating_html5    | STATE, LAW ENFORCEMENT AGENCY, SUPPORT TYPE, SIGNED (text), MOA (URL text) |
| participating_xlsx6    | STATE, LAW ENFORCEMENT AGENCY, TYPE, SUPPORT TYPE, SIGNED, MOA             |
| participating_xlsx7    | ... TYPE, COUNTY, SUPPORT TYPE, SIGNED, MOA                                |
| participating_xlsx8    | ... SIGNED, MOA, ADDENDUM                                                  |
| pending_xlsx5          | STATE, LAW ENFORCEMENT AGENCY, TYPE, COUNTY, SUPPORT TYPE                  |
| pending_xlsx6          | ... SUPPORT TYPE, MOA (all "link pending")                                 |

Values land exactly as printed (no trimming). SIGNED and the links also get a parsed value and a
status (see ``ice_parsing``).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any, ClassVar

import pandas as pd

from ingest.errors import IngestError, UnsafeFileError
from ingest.readers.xlsx import Sheet, cell_kind, cell_text, column_letter
from ingest.sources.base import Detection, FileInfo, LoadContext, Parsed, Source
from ingest.sources.ice_parsing import infer_publication_date, looks_like_url, parse_signed
from ingest.sources.url_safety import published_url

HEADER_COLUMNS = {
    "STATE": "state",
    "LAW ENFORCEMENT AGENCY": "law_enforcement_agency",
    "TYPE": "type",
    "COUNTY": "county",
    "SUPPORT TYPE": "support_type",
    "SIGNED": "signed",
    "MOA": "moa",
    "ADDENDUM": "addendum",
}

LAYOUTS: dict[tuple[str, ...], tuple[str, str]] = {
    ("STATE", "LAW ENFORCEMENT AGENCY", "SUPPORT TYPE", "SIGNED", "MOA"): ("participating", "participating_html5"),
    ("STATE", "LAW ENFORCEMENT AGENCY", "TYPE", "SUPPORT TYPE", "SIGNED", "MOA"): (
        "participating",
        "participating_xlsx6",
    ),
    ("STATE", "LAW ENFORCEMENT AGENCY", "TYPE", "COUNTY", "SUPPORT TYPE", "SIGNED", "MOA"): (
        "participating",
        "participating_xlsx7",
    ),
    ("STATE", "LAW ENFORCEMENT AGENCY", "TYPE", "COUNTY", "SUPPORT TYPE", "SIGNED", "MOA", "ADDENDUM"): (
        "participating",
        "participating_xlsx8",
    ),
    ("STATE", "LAW ENFORCEMENT AGENCY", "TYPE", "COUNTY", "SUPPORT TYPE"): ("pending", "pending_xlsx5"),
    ("STATE", "LAW ENFORCEMENT AGENCY", "TYPE", "COUNTY", "SUPPORT TYPE", "MOA"): ("pending", "pending_xlsx6"),
}

HEADER_SCAN_ROWS = 30
NAME_PATTERN = re.compile(r"(?i)(participating|pending)(agenc|entit)")

PARTICIPATING_COLUMNS = [
    ("state", "varchar"),
    ("law_enforcement_agency", "varchar"),
    ("type", "varchar"),
    ("county", "varchar"),
    ("support_type", "varchar"),
    ("signed", "varchar"),
    ("signed_cell_type", "varchar"),
    ("signed_date", "date"),
    ("signed_parse_status", "varchar"),
    ("moa", "varchar"),
    ("moa_link_target", "varchar"),
    ("moa_link_origin", "varchar"),
    ("moa_url", "varchar"),
    ("addendum", "varchar"),
    ("addendum_link_target", "varchar"),
    ("addendum_link_origin", "varchar"),
    ("addendum_url", "varchar"),
]
PENDING_COLUMNS = [
    ("state", "varchar"),
    ("law_enforcement_agency", "varchar"),
    ("type", "varchar"),
    ("county", "varchar"),
    ("support_type", "varchar"),
    ("moa", "varchar"),
]


def _norm_header(value: Any) -> str:
    text = cell_text(value) or ""
    return re.sub(r"\s+", " ", text).strip().upper()


def find_header(sheet: Sheet) -> tuple[int, list[str]] | None:
    """Index (into sheet.rows) and normalised cells of the first row naming STATE and LAW ENFORCEMENT AGENCY."""
    for i, row in enumerate(sheet.rows[:HEADER_SCAN_ROWS]):
        cells = [_norm_header(v) for v in row]
        if "STATE" in cells and "LAW ENFORCEMENT AGENCY" in cells:
            return i, cells
    return None


def _is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and value.strip() == "")


class IceSheets(Source):
    """ICE participating / pending sheets -> raw.ice_participating_rows, raw.ice_pending_rows."""

    name = "ice"
    tables: ClassVar[dict[str, list[tuple[str, str]]]] = {
        "ice_participating_rows": PARTICIPATING_COLUMNS,
        "ice_pending_rows": PENDING_COLUMNS,
    }

    def detect(self, file: FileInfo) -> Detection | None:
        if not file.is_excel:
            return None
        named = bool(NAME_PATTERN.search(file.path.name))
        try:
            sheets = file.sheets
        except UnsafeFileError:
            raise  # a hostile archive is quarantined whatever its name
        except IngestError:
            if named:
                raise
            return None
        hits = [(s, h) for s in sheets if (h := find_header(s)) is not None]
        if not hits:
            if named:
                raise IngestError(
                    "named like an ICE 287(g) sheet but no worksheet has a header row with STATE and "
                    f"LAW ENFORCEMENT AGENCY in its first {HEADER_SCAN_ROWS} rows "
                    f"(worksheets: {', '.join(s.name for s in sheets) or 'none'})",
                    file=file.rel_path,
                )
            return None
        if len(hits) > 1:
            raise IngestError(
                "more than one worksheet looks like an ICE sheet "
                f"({', '.join(s.name for s, _ in hits)}); refusing to pick one",
                file=file.rel_path,
            )
        sheet, (idx, cells) = hits[0]
        named_cols = tuple(c for c in cells if c)
        kind = "participating" if "SIGNED" in named_cols else "pending"
        return Detection(self.name, kind, "content", {"sheet": sheet, "header_index": idx, "cells": cells})

    def parse(self, file: FileInfo, detection: Detection, context: LoadContext) -> Parsed:
        sheet: Sheet = detection.detail["sheet"]
        idx: int = detection.detail["header_index"]
        cells: list[str] = detection.detail["cells"]
        header_row = sheet.first_row + idx
        positions = [(j, c) for j, c in enumerate(cells) if c]
        named = tuple(c for _, c in positions)
        if named not in LAYOUTS:
            known = set(HEADER_COLUMNS)
            unknown = [c for c in named if c not in known]
            expected = min(LAYOUTS, key=lambda k: (len(set(k) ^ set(named)), -len(k)))  # ties: newer layout
            missing = [c for c in expected if c not in named]
            detail = []
            if unknown:
                detail.append(f"unexpected column(s) {unknown}")
            if missing:
                detail.append(f"missing column(s) {missing}")
            if not detail:
                detail.append("columns in an unknown order")
            raise IngestError(
                f"header {list(named)} matches no known ICE layout: {'; '.join(detail)}",
                file=file.rel_path,
                row=header_row,
            )
        kind, layout = LAYOUTS[named]
        col_of = {c: j for j, c in positions}
        named_idx = {j for j, _ in positions}
        records: list[dict[str, Any]] = []
        today = dt.date.today()
        for offset, row in enumerate(sheet.rows[idx + 1 :], start=1):
            excel_row = header_row + offset
            if sheet.errors:
                row = [sheet.value(excel_row, sheet.first_col + j, v) for j, v in enumerate(row)]
            if all(_is_blank(v) for v in row):
                continue
            for j, v in enumerate(row):
                if j not in named_idx and not _is_blank(v):
                    raise IngestError(
                        f"value {cell_text(v)!r} in a column without a header",
                        file=file.rel_path,
                        row=excel_row,
                        column=column_letter(sheet.first_col + j),
                    )
            rec = {"_row_number": excel_row}
            for header, j in col_of.items():
                rec[HEADER_COLUMNS[header]] = cell_text(row[j]) if j < len(row) else None
            if kind == "participating":
                raw_signed = row[col_of["SIGNED"]] if col_of["SIGNED"] < len(row) else None
                sp = parse_signed(raw_signed, today=today)
                rec["signed_cell_type"] = cell_kind(raw_signed)
                rec["signed_date"] = sp.date
                rec["signed_parse_status"] = sp.status
                for col in ("MOA", "ADDENDUM"):
                    if col not in col_of:
                        continue
                    key = HEADER_COLUMNS[col]
                    target = sheet.hyperlink(excel_row, sheet.first_col + col_of[col])
                    origin = "hyperlink" if target is not None else None
                    if target is None and looks_like_url(rec.get(key)):
                        target, origin = rec[key], "text"  # the address printed as text (HTML era)
                    rec[f"{key}_link_target"] = target
                    rec[f"{key}_link_origin"] = origin
                    rec[f"{key}_url"] = published_url(target)  # only http(s) becomes a URL
            records.append(rec)
        if not records:
            raise IngestError("no data rows below the header (all rows blank)", file=file.rel_path, row=header_row)
        spec = PARTICIPATING_COLUMNS if kind == "participating" else PENDING_COLUMNS
        columns = ["_row_number"] + [c for c, _ in spec]
        frame = pd.DataFrame.from_records(records, columns=columns)
        meta: dict[str, Any] = {"header": " | ".join(named)}
        latest = None
        if kind == "participating":
            dates = [d for d in frame["signed_date"] if d is not None and not pd.isna(d)]
            latest = max(dates) if dates else None
        override = context.date_overrides.get(file.sha256) or context.date_overrides.get(file.path.name)
        pub = infer_publication_date(file.path, latest, override=override)
        meta.update(
            published_date=pub.published_date,
            date_method=pub.method,
            filename_date=pub.filename_date,
            filename_pattern=pub.filename_pattern,
            latest_signed_date=latest,
            date_flag=pub.flag,
        )
        return Parsed(
            source=self.name,
            kind=kind,
            layout=layout,
            table=f"ice_{kind}_rows",
            frame=frame,
            sheet=sheet.name,
            header_row=header_row,
            n_rows=len(frame),
            meta=meta,
        )
