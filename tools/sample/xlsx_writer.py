"""Small deterministic xlsx writer for synthetic sample files (built on openpyxl).

Writes one worksheet per workbook, header on row 1, with

* text cells written exactly as given (trailing spaces, NBSP, curly quotes kept;
  note that openpyxl stores the Excel error literals such as ``'#N/A'`` as
  *error* cells, which is also how ICE's sheets carry them),
* ``datetime.date`` values as real Excel dates with a chosen number format
  (``'mm-dd-yy'`` like ICE's SIGNED column),
* optional per-cell hyperlink targets (external relationships, as Excel
  writes them; readable with openpyxl ``cell.hyperlink.target``),
* an optional used range that extends past the data (empty trailing rows and
  columns, e.g. out to column M like the real ICE files) and an optional
  autofilter range.

The output is byte-for-byte deterministic: workbook created/modified
properties are fixed, and the zip package is re-packed with sorted member
names, fixed 1980-01-01 timestamps and fixed attributes. Members are
*stored* (not deflated) so the bytes do not depend on the zlib build.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment
from openpyxl.utils import get_column_letter
from openpyxl.writer.excel import ExcelWriter

FIXED_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
DEFAULT_TIMESTAMP = dt.datetime(2025, 1, 1, 0, 0, 0)


@dataclass(frozen=True)
class Cell:
    """A cell value plus optional hyperlink target and number format."""

    value: Any = None
    hyperlink: str | None = None
    number_format: str | None = None


@dataclass
class SheetSpec:
    """Everything needed to write one single-sheet workbook."""

    sheet_name: str
    rows: Sequence[Sequence[Any]]  # row 1 = header; items are plain values or Cell
    used_cols: int | None = None  # extend used range to this many columns
    used_rows: int | None = None  # extend used range to this many rows (incl. header)
    autofilter: str | None = None  # e.g. "A1:H42"; None = no autofilter
    date_format: str = "mm-dd-yy"
    column_formats: dict[int, str] = field(default_factory=dict)  # 1-based col -> number_format
    creator: str = "SYNTHETIC sample generator"
    timestamp: dt.datetime = DEFAULT_TIMESTAMP


def _as_cell(v: Any) -> Cell:
    return v if isinstance(v, Cell) else Cell(v)


def build_workbook(spec: SheetSpec) -> Workbook:
    wb = Workbook()
    ws = wb.active
    ws.title = spec.sheet_name
    n_rows = len(spec.rows)
    n_cols = max((len(r) for r in spec.rows), default=0)
    for r_idx, row in enumerate(spec.rows, start=1):
        for c_idx, raw in enumerate(row, start=1):
            c = _as_cell(raw)
            cell = ws.cell(row=r_idx, column=c_idx)
            value = c.value
            if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
                value = dt.datetime(value.year, value.month, value.day)
            cell.value = value
            fmt = c.number_format or spec.column_formats.get(c_idx)
            if fmt is None and isinstance(value, dt.datetime):
                fmt = spec.date_format
            if fmt is not None and r_idx > 1:
                cell.number_format = fmt
            if c.hyperlink is not None:
                cell.hyperlink = c.hyperlink
    # Extend the used range with styled empty cells (written as <c r=".." s=".."/>,
    # like the formatted-but-empty cells in ICE's files); openpyxl skips unstyled
    # empty cells, so they get a wrap-text alignment.
    last_row = max(n_rows, spec.used_rows or 0)
    last_col = max(n_cols, spec.used_cols or 0)
    filler = Alignment(wrap_text=True)
    if last_row > n_rows or last_col > n_cols:
        for r_idx in range(1, last_row + 1):
            for c_idx in range(1, last_col + 1):
                outside = r_idx > n_rows or c_idx > n_cols
                if outside and ws.cell(row=r_idx, column=c_idx).value is None:
                    ws.cell(row=r_idx, column=c_idx).alignment = filler
    if spec.autofilter:
        ws.auto_filter.ref = spec.autofilter
    props = wb.properties
    props.creator = spec.creator
    props.lastModifiedBy = spec.creator
    props.title = None
    props.created = spec.timestamp
    props.modified = spec.timestamp
    return wb


_MODIFIED_RE = re.compile(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)")
_CREATED_RE = re.compile(rb"(<dcterms:created[^>]*>)[^<]*(</dcterms:created>)")


def _workbook_bytes(wb: Workbook, timestamp: dt.datetime) -> bytes:
    buf = io.BytesIO()
    archive = zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, allowZip64=True)
    # ExcelWriter directly (save_workbook would stamp "modified" with now()).
    ExcelWriter(wb, archive).save()
    return repack(buf.getvalue(), timestamp)


_INLINE_RE = re.compile(
    rb'<c ([^>]*?)t="inlineStr"([^>]*)><is><t( xml:space="preserve")?>(.*?)</t></is></c>',
    re.S,
)
_SST_CT = (
    b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
    b'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml" />'
)
_SST_REL = (
    b'<Relationship Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    b'relationships/sharedStrings" Target="sharedStrings.xml" Id="rIdSst1" />'
)


def _to_shared_strings(members: dict[str, bytes]) -> None:
    """Turn openpyxl's inline strings into a shared-string table, as Excel writes
    (ICE's sheets use xl/sharedStrings.xml). Text is kept exactly (escaped XML)."""
    sheets = sorted(n for n in members if n.startswith("xl/worksheets/sheet") and n.endswith(".xml"))
    index: dict[bytes, int] = {}
    count = 0

    def sub(m: re.Match) -> bytes:
        nonlocal count
        text = m.group(4)
        idx = index.setdefault(text, len(index))
        count += 1
        return b"<c " + m.group(1) + b't="s"' + m.group(2) + b"><v>" + str(idx).encode() + b"</v></c>"

    for name in sheets:
        members[name] = _INLINE_RE.sub(sub, members[name])
    if not index or "xl/sharedStrings.xml" in members:
        return
    items = []
    for text in index:  # insertion order = first use
        space = b' xml:space="preserve"' if text != text.strip() or b"  " in text else b""
        items.append(b"<si><t" + space + b">" + text + b"</t></si>")
    members["xl/sharedStrings.xml"] = (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="'
        + str(count).encode()
        + b'" uniqueCount="'
        + str(len(index)).encode()
        + b'">'
        + b"".join(items)
        + b"</sst>"
    )
    members["[Content_Types].xml"] = members["[Content_Types].xml"].replace(b"</Types>", _SST_CT + b"</Types>")
    rels = "xl/_rels/workbook.xml.rels"
    members[rels] = members[rels].replace(b"</Relationships>", _SST_REL + b"</Relationships>")


def repack(xlsx: bytes, timestamp: dt.datetime = DEFAULT_TIMESTAMP, shared_strings: bool = True) -> bytes:
    """Re-pack an xlsx zip deterministically (sorted members, fixed times/attrs)."""
    stamp = timestamp.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    with zipfile.ZipFile(io.BytesIO(xlsx)) as src:
        members = {name: src.read(name) for name in src.namelist()}
    if shared_strings:
        _to_shared_strings(members)
    if "docProps/core.xml" in members:
        core = members["docProps/core.xml"]
        core = _MODIFIED_RE.sub(rb"\g<1>" + stamp + rb"\g<2>", core)
        core = _CREATED_RE.sub(rb"\g<1>" + stamp + rb"\g<2>", core)
        members["docProps/core.xml"] = core
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as dst:
        for name in sorted(members):  # "[Content_Types].xml" sorts first
            info = zipfile.ZipInfo(name, date_time=FIXED_ZIP_TIME)
            info.compress_type = zipfile.ZIP_STORED
            info.create_system = 3
            info.create_version = 20
            info.extract_version = 20
            info.external_attr = 0o100644 << 16
            info.flag_bits = 0
            dst.writestr(info, members[name])
    return out.getvalue()


def write_xlsx(path: Path, spec: SheetSpec) -> Path:
    """Write ``spec`` to ``path`` (parents created); returns ``path``."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    data = _workbook_bytes(build_workbook(spec), spec.timestamp)
    path.write_bytes(data)
    return path


def a1_range(n_cols: int, n_rows: int) -> str:
    """``A1:<col><row>`` for a block starting at A1."""
    return f"A1:{get_column_letter(n_cols)}{n_rows}"
