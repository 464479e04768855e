"""ICE's 287(g) participating and pending agency sheets, in every layout published since 2025.

Layouts are told apart by the header row, never by the file's date:

| layout                 | header                                                                    |
|------------------------|---------------------------------------------------------------------------|
| participating_html5    | STATE, LAW ENFORCEMENT AGENCY, SUPPORT TYPE, SIGNED (text), MOA (URL text) |
| participating_xlsx6    | STATE, LAW ENFORCEMENT AGENCY, TYPE, SUPPORT TYPE, SIGNED, MOA             |
| participating_xlsx7    | ... TYPE, COUNTY, SUPPORT TYPE, SIGNED, MOA                                |
| participating_xlsx8    | ... SIGNED, MOA, ADDENDUM                                                  |
| pending_xlsx4          | STATE, LAW ENFORCEMENT AGENCY, TYPE, SUPPORT TYPE (Feb-Mar 2025, no COUNTY) |
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
import pyarrow as pa

from ingest.errors import IngestError, NotThisSource, UnsafeFileError
from ingest.readers.headers import header_key
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
    ("STATE", "LAW ENFORCEMENT AGENCY", "TYPE", "SUPPORT TYPE"): ("pending", "pending_xlsx4"),
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
    return header_key(cell_text(value) or "", "upper")


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
        if named_cols not in LAYOUTS and not named:
            # ICE's columns in an order or set ICE never printed, under a name ICE never uses: a derived
            # workbook (a monitor's combined_result.xlsx), not a publication. A file *named* like ICE's
            # with an unknown header is quarantined by parse() instead (a new layout must be looked at).
            raise NotThisSource(
                f"header {list(named_cols)} (worksheet {sheet.name!r}) matches no ICE layout and the file "
                "is not named like an ICE sheet (a derived workbook?)"
            )
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
        spec = PARTICIPATING_COLUMNS if kind == "participating" else PENDING_COLUMNS
        data = _read_rows(file, sheet, idx, positions, kind)
        if not data["_row_number"]:
            raise IngestError("no data rows below the header (all rows blank)", file=file.rel_path, row=header_row)
        n = len(data["_row_number"])
        columns = ["_row_number"] + [c for c, _ in spec]
        arrow = _rows_as_arrow(data, columns, n)
        # Arrow rows alone: the frame validation reads is made from them where it is needed (Parsed.frame)
        frame = None if arrow is not None else _rows_as_frame(data, columns, n)
        meta: dict[str, Any] = {"header": " | ".join(named)}
        latest = None
        if kind == "participating":
            dates = [d for d in data["signed_date"] if d is not None]
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
            arrow=arrow,
            sheet=sheet.name,
            header_row=header_row,
            n_rows=n,
            meta=meta,
        )


def _rows_as_tables(data: dict[str, list[Any]], columns: list[str], n: int) -> tuple[pa.Table | None, pd.DataFrame]:
    """The rows as Arrow (what landing inserts) and as the pandas frame validation reads.

    Arrow builds each column in one C call; the frame made from it has the same columns, values and
    dtypes as ``pd.DataFrame`` of the lists (text ``str``, all-empty columns and dates ``object``), at
    a fifth of the cost. Values Arrow refuses fall back to pandas alone (which refuses them the same way).
    """
    arrow = _rows_as_arrow(data, columns, n)
    return arrow, arrow.to_pandas() if arrow is not None else _rows_as_frame(data, columns, n)


# Columns whose values are not all text (or missing): their Arrow type is inferred from the values.
INFERRED_COLUMNS = ("_row_number", "signed_date")


def _text_array(values: list[Any]) -> pa.Array:
    """``pa.array(values)`` of a column ``_read_rows`` builds of text and None only, without inferring
    its type (4x faster): text, or Arrow's null type when every value is missing, as inference gives.
    A number or date among them raises (ArrowTypeError), as a mix of types does under inference."""
    array = pa.array(values, pa.string())
    if array.null_count == len(array):
        return pa.nulls(len(array))
    return array


def _rows_as_arrow(data: dict[str, list[Any]], columns: list[str], n: int) -> pa.Table | None:
    """The rows as an Arrow table (``_rows_as_tables``), or None for values Arrow refuses."""
    try:
        return pa.table(
            {
                c: (pa.array(data[c]) if c in INFERRED_COLUMNS else _text_array(data[c])) if c in data else pa.nulls(n)
                for c in columns
            }
        )
    except (pa.ArrowException, UnicodeError):
        return None


def _rows_as_frame(data: dict[str, list[Any]], columns: list[str], n: int) -> pd.DataFrame:
    return pd.DataFrame({c: data[c] if c in data else [None] * n for c in columns}, columns=columns)


def _is_blank_row(row: list[Any]) -> bool:
    """Every cell empty or whitespace (``_is_blank`` of each cell, without a call per cell)."""
    for v in row:
        if v is None:
            continue
        if v.__class__ is str and (not v or v.isspace()):
            continue
        return False
    return True


def _read_rows(
    file: FileInfo,
    sheet: Sheet,
    idx: int,
    positions: list[tuple[int, str]],
    kind: str,
) -> dict[str, list[Any]]:
    """The data rows below the header as columns (landed column -> values), values as printed.

    One pass over the rows keeps the non-blank ones (and refuses a value under no header, first one
    first); each column is then built in one comprehension, and each distinct SIGNED cell and link
    target is read once (ICE repeats them; ``published_url`` is memoised).
    """
    header_row = sheet.first_row + idx
    col_of = {c: j for j, c in positions}  # header -> column index
    named_idx = {j for j, _ in positions}
    first_col = sheet.first_col
    body = sheet.rows[idx + 1 :]
    width = max((len(r) for r in body), default=0)
    unnamed = [j for j in range(width) if j not in named_idx]
    errors_by_row: dict[int, list[tuple[int, str]]] = {}
    for (r, c), text in sheet.errors.items():
        errors_by_row.setdefault(r, []).append((c - first_col, text))
    kept: list[list[Any]] = []
    row_numbers: list[int] = []
    for excel_row, row in enumerate(body, start=header_row + 1):
        if errors_by_row and excel_row in errors_by_row:  # Excel error cells, as printed (``Sheet.value``)
            row = list(row)
            for j, text in errors_by_row[excel_row]:
                if 0 <= j < len(row) and (row[j] is None or row[j] == ""):
                    row[j] = text
        first = row[0] if row else None
        # a first cell with a value: not blank (most rows), without the call that checks every cell
        if (first is None or (first.__class__ is str and (not first or first.isspace()))) and _is_blank_row(row):
            continue
        if unnamed:
            n = len(row)
            for j in unnamed:
                if j < n and not _is_blank(row[j]):
                    raise IngestError(
                        f"value {cell_text(row[j])!r} in a column without a header",
                        file=file.rel_path,
                        row=excel_row,
                        column=column_letter(first_col + j),
                    )
        kept.append(row)
        row_numbers.append(excel_row)
    short = min((len(r) for r in kept), default=0)

    def column(j: int) -> list[Any]:
        if j < short:
            return [r[j] for r in kept]
        return [r[j] if j < len(r) else None for r in kept]

    data: dict[str, list[Any]] = {"_row_number": row_numbers}
    printed: dict[tuple[type, Any], str | None] = {}  # cell_text of each distinct non-text value (dates repeat)

    def text_of(v: Any) -> str | None:
        key = (v.__class__, v)
        t = printed.get(key)
        if t is None:
            t = printed[key] = cell_text(v)
        return t

    for h, j in col_of.items():
        data[HEADER_COLUMNS[h]] = [
            (v or None) if v.__class__ is str else None if v is None else text_of(v) for v in column(j)
        ]
    signed_j = col_of.get("SIGNED") if kind == "participating" else None
    if signed_j is None:
        return data
    today = dt.date.today()
    signed_memo: dict[tuple[type, Any], tuple[str, Any, str]] = {}
    reads = []
    for raw_signed in column(signed_j):
        memo_key = (raw_signed.__class__, raw_signed)
        read = signed_memo.get(memo_key)
        if read is None:
            sp = parse_signed(raw_signed, today=today)
            read = signed_memo[memo_key] = (cell_kind(raw_signed), sp.date, sp.status)
        reads.append(read)
    data["signed_cell_type"] = [r[0] for r in reads]
    data["signed_date"] = [r[1] for r in reads]
    data["signed_parse_status"] = [r[2] for r in reads]
    links = sheet.hyperlinks
    for h in ("MOA", "ADDENDUM"):
        if h not in col_of:
            continue
        key, c = HEADER_COLUMNS[h], first_col + col_of[h]
        targets = [links.get((r, c)) for r in row_numbers]
        origins = ["hyperlink" if t is not None else None for t in targets]
        for k, text in enumerate(data[key]):
            if targets[k] is None and looks_like_url(text):
                targets[k], origins[k] = text, "text"  # the address printed as text (HTML era)
        data[key + "_link_target"] = targets
        data[key + "_link_origin"] = origins
        data[key + "_url"] = [published_url(t) for t in targets]  # only http(s) becomes a URL
    return data
