"""Finding a ledger's header: its encoding (byte-order mark or NUL bytes), its delimiter and the row
that holds a mapping's required columns."""

from __future__ import annotations

import codecs
import csv
import io
import re

from ingest.errors import IngestError
from ingest.readers.xlsx import Sheet, cell_text
from ingest.sources.base import FileInfo
from ingest.sources.ledger.mapping import HEADER_SCAN_ROWS, Mapping

BOMS = (  # longest first: the UTF-32 LE mark starts with the UTF-16 LE one
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


def sniff_encoding(head: bytes) -> str | None:
    """The encoding a byte-order mark (or the NUL bytes of BOM-less UTF-16 text) shows, else None."""
    for bom, name in BOMS:
        if head.startswith(bom):
            return name
    sample = head[:4096]
    if len(sample) >= 16 and sample.count(0) > len(sample) // 4:
        return "utf-16-le" if sample[1::2].count(0) > sample[0::2].count(0) else "utf-16-be"
    return None


def is_utf8(encoding: str) -> bool:
    return codecs.lookup(encoding).name == "utf-8"


def text_rows(file: FileInfo, mapping: Mapping) -> list[list[str]]:
    """The first rows of a delimited file, split with the mapping's (or a sniffed) delimiter."""
    head = file.head_bytes()
    sniffed = sniff_encoding(head)
    encoding = mapping.encoding
    if sniffed and not is_utf8(sniffed) and is_utf8(mapping.encoding):
        encoding = sniffed  # read the header as it is written; parse() refuses the file by name
    if is_utf8(encoding):
        encoding = "utf-8-sig"
    try:
        text = head.decode(encoding, errors="replace").lstrip("\ufeff")
    except LookupError as exc:
        raise IngestError(f"unknown encoding {mapping.encoding!r}", file=mapping.path, column="encoding") from exc
    lines = text.splitlines()[: HEADER_SCAN_ROWS + 1]
    delimiter = mapping.delimiter
    if not delimiter:
        counts = {d: sum(line.count(d) for line in lines) for d in (",", ";", "\t", "|")}
        delimiter = max(counts, key=lambda d: counts[d])
    return [row for row in csv.reader(io.StringIO("\n".join(lines)), delimiter=delimiter)]


def find_header(rows: list[list[str]], mapping: Mapping) -> int | None:
    """0-based index of the header row (the mapping's, or the first row holding the required fields)."""
    if mapping.header_row is not None:
        idx = mapping.header_row - 1
        return idx if idx < len(rows) and mapping.fits(rows[idx]) else None
    for idx, row in enumerate(rows[:HEADER_SCAN_ROWS]):
        if mapping.fits(row):
            return idx
    return None


def sheet_rows(sheet: Sheet) -> list[list[str | None]]:
    return [[cell_text(v) for v in row] for row in sheet.rows]


def encoding_family(encoding: str) -> str:
    name = codecs.lookup(encoding).name
    return re.sub(r"-(le|be)$", "", name)


def check_encoding(file: FileInfo, mapping: Mapping) -> None:
    """Refuse a file whose byte-order mark shows another encoding than its mapping reads, by name."""
    sniffed = sniff_encoding(file.head_bytes(4096))
    if sniffed is None or encoding_family(sniffed) == encoding_family(mapping.encoding):
        return
    how = "byte-order mark" if any(file.head_bytes(4).startswith(b) for b, _ in BOMS) else "NUL bytes, no mark"
    fix = "set `encoding: utf-16` in its mapping or save it as UTF-8" if "16" in sniffed else "save it as UTF-8"
    raise IngestError(
        f"the file is {sniffed.upper()} ({how}) but ledger mapping {mapping.name!r} reads {mapping.encoding}: {fix}",
        file=file.rel_path,
    )


def delimiter(file: FileInfo, mapping: Mapping) -> str:
    if mapping.delimiter:
        return mapping.delimiter
    text = file.head_bytes().decode("utf-8", errors="replace")
    lines = text.splitlines()[: HEADER_SCAN_ROWS + 1]
    counts = {d: sum(line.count(d) for line in lines) for d in (",", ";", "\t", "|")}
    return max(counts, key=lambda d: counts[d])
