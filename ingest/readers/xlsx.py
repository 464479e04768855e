"""Read xlsx worksheets: cell values with python-calamine, hyperlink targets from the sheet XML.

pandas and calamine drop hyperlinks, yet ICE's MOA and ADDENDUM cells carry the PDF address only in
the hyperlink. The targets live in ``xl/worksheets/_rels/sheetN.xml.rels`` and the ``<hyperlinks>``
element of ``xl/worksheets/sheetN.xml``; both are small and parsed with defusedxml after the archive
has been checked against size limits (zip bombs, entity expansion).
"""

from __future__ import annotations

import datetime as dt
import html
import io
import os
import posixpath
import re
import struct
import xml.etree.ElementTree as _FastET  # only on parts _plain_xml has cleared
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from operator import itemgetter
from pathlib import Path
from typing import Any

from defusedxml import ElementTree as SafeET
from python_calamine import CalamineWorkbook

from ingest.errors import IngestError, UnsafeFileError

# Limits that keep a hostile or absurd workbook from exhausting the machine.
MAX_UNCOMPRESSED_BYTES = 512 * 1024 * 1024
MAX_COMPRESSION_RATIO = 200
MAX_MEMBERS = 10_000
MAX_SHEET_ROWS = 1_048_576  # Excel's limit; ICE287G_MAX_SHEET_ROWS lowers it
OLE2_MAGIC = bytes.fromhex("d0cf11e0a1b11ae1")
MAX_IN_MEMORY_BYTES = 64 * 1024 * 1024  # workbooks up to this size are read into memory once

_NS_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_NS_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_NS_PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_CELL_REF = re.compile(r"^([A-Z]{1,3})(\d+)$")
_HYPERLINK = re.compile(rb"<hyperlink\b([^>]*)/?>")
_ATTR = re.compile(rb'([\w:]+)="([^"]*)"')
# ref (one cell), r:id and Excel's xr:uid, nothing else and no character references
_PLAIN_HYPERLINK = re.compile(rb' ref="([A-Z]{1,3})([0-9]+)" r:id="([^"&]+)"(?: xr:uid="[^"]*")?/?')


@dataclass
class Sheet:
    """One worksheet: rows of Python values (Excel row ``first_row`` first) and hyperlinks by cell."""

    name: str
    rows: list[list[Any]]
    first_row: int  # Excel row number of rows[0]
    first_col: int  # 0-based column index of rows[*][0]
    hyperlinks: dict[tuple[int, int], str] = field(default_factory=dict)  # (excel_row, col0) -> target
    errors: dict[tuple[int, int], str] = field(default_factory=dict)  # (excel_row, col0) -> '#N/A'

    def hyperlink(self, excel_row: int, col0: int) -> str | None:
        """Target of the hyperlink on a cell, or None."""
        return self.hyperlinks.get((excel_row, col0))

    def value(self, excel_row: int, col0: int, value: Any) -> Any:
        """A cell's value, with Excel error cells (``#N/A``) as the text Excel prints.

        calamine returns error cells as empty; ICE's COUNTY column holds hundreds of ``#N/A`` errors,
        which are data (a lookup ICE's staff did not fill), not blanks.
        """
        if (value is None or value == "") and self.errors:
            return self.errors.get((excel_row, col0), value)
        return value


def column_letter(col0: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA."""
    letters = ""
    n = col0 + 1
    while n:
        n, rem = divmod(n - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def _column_index(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + (ord(ch) - 64)
    return n - 1


def max_sheet_rows() -> int:
    """Rows a worksheet may have (``ICE287G_MAX_SHEET_ROWS``; default Excel's own maximum)."""
    return int(os.environ.get("ICE287G_MAX_SHEET_ROWS", MAX_SHEET_ROWS))


def _check_not_ole(path: Path, data: bytes | None = None) -> None:
    """Refuse an OLE2 compound file: an encrypted (password-protected) workbook or a legacy .xls."""
    if data is not None:
        head = data[: 1 << 16]
    else:
        with open(path, "rb") as fh:
            head = fh.read(1 << 16)
    if not head:
        raise IngestError("empty file (0 bytes): not an xlsx workbook", file=path)
    if head.startswith(OLE2_MAGIC):
        if "EncryptedPackage".encode("utf-16-le") in head or "EncryptionInfo".encode("utf-16-le") in head:
            raise IngestError(
                "workbook is password-protected (an encrypted OLE2 package); save it without a password",
                file=path,
            )
        raise IngestError("an OLE2 compound file (legacy .xls or encrypted workbook), not an xlsx", file=path)


def _check_xml_members(zf: zipfile.ZipFile, path: Path, data: bytes | None = None) -> None:
    """Refuse any XML part that declares a DTD or entities (billion laughs, external entities).

    ``data``: the archive's bytes (``zf`` reads them from memory); each part's first bytes are then
    read from them by ``_member_head``, or by zipfile where that leaves a part to it.
    """
    for info in zf.infolist():
        if not info.filename.endswith((".xml", ".rels", ".vml")):
            continue
        head = _member_head(data, info) if data is not None else None
        if head is None:
            with zf.open(info) as fh:
                head = fh.read(HEAD_BYTES)
        if b"<!DOCTYPE" in head or b"<!ENTITY" in head:
            raise UnsafeFileError(f"{info.filename} declares a DTD/entities: refusing a possible XML bomb", file=path)


HEAD_BYTES = 4096  # the first bytes of each XML part searched for a DTD or an entity declaration
_LOCAL_HEADER = struct.Struct(zipfile.structFileHeader)  # signature, versions, flags, ..., name and extra lengths
_LH_FLAGS, _LH_NAME_LENGTH, _LH_EXTRA_LENGTH = 3, 10, 11
_MIN_READ = zipfile.ZipExtFile.MIN_READ_SIZE


def _member_head(data: bytes, info: zipfile.ZipInfo) -> bytes | None:
    """``zf.open(info).read(HEAD_BYTES)`` of an archive read from ``data``, without a ZipExtFile.

    The same steps as zipfile's (the local header and its name checked, compressed data read and
    inflated in zipfile's chunks, the CRC checked when the member ends within the bytes read), so the
    same bytes. Wherever zipfile would raise (a bad header, corrupt or truncated data, a CRC mismatch)
    or do anything else (encryption, another compression), None: the caller reads the member with
    zipfile, which raises as before (``test_member_heads_read_as_zipfile_reads_them``).
    """
    if info.flag_bits & 0x61 or info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        return None  # encrypted, patched data, strong encryption; bzip2/lzma
    start = info.header_offset
    header = data[start : start + _LOCAL_HEADER.size]
    if len(header) != _LOCAL_HEADER.size:
        return None
    fields = _LOCAL_HEADER.unpack(header)
    if fields[0] != zipfile.stringFileHeader:
        return None
    pos = start + _LOCAL_HEADER.size
    name_len, extra_len = fields[_LH_NAME_LENGTH], fields[_LH_EXTRA_LENGTH]
    name = data[pos : pos + name_len]
    try:
        utf8 = fields[_LH_FLAGS] & 0x800
        if name.decode("utf-8" if utf8 else "cp437") != info.orig_filename:
            return None
    except UnicodeDecodeError:
        return None
    pos += name_len + extra_len
    stored = info.compress_type == zipfile.ZIP_STORED
    try:
        return _inflate_head(data, pos, info, None if stored else zlib.decompressobj(-15))
    except (zlib.error, EOFError):
        return None


def _inflate_head(data: bytes, pos: int, info: zipfile.ZipInfo, inflater: Any) -> bytes | None:
    """ZipExtFile.read(HEAD_BYTES) from ``pos`` (its _read1/_read2 loop); None on a CRC mismatch."""
    compress_left, left, crc = info.compress_size, info.file_size, zlib.crc32(b"")
    want, buf, eof = HEAD_BYTES, b"", False
    while want > 0 and not eof:
        chunk = b"" if inflater is None else inflater.unconsumed_tail
        if inflater is None or want > len(chunk):
            k = want - len(chunk) if inflater is not None else want
            if compress_left > 0:
                k = min(max(k, _MIN_READ), compress_left)
                more = data[pos : pos + k]
                pos += len(more)
                compress_left -= len(more)
                if not more:
                    raise EOFError
                chunk += more
        if inflater is None:
            out = chunk
            eof = compress_left <= 0
        else:
            out = inflater.decompress(chunk, max(want, _MIN_READ))
            eof = inflater.eof or (compress_left <= 0 and not inflater.unconsumed_tail)
            if eof:
                out += inflater.flush()
        out = out[:left]
        left -= len(out)
        if left <= 0:
            eof = True
        crc = zlib.crc32(out, crc)
        if eof and crc != info.CRC:
            return None
        if want < len(out):
            return buf + out[:want]
        buf += out
        want -= len(out)
    return buf


def check_archive(path: Path, data: bytes | None = None) -> zipfile.ZipFile:
    """Open an xlsx as a zip and refuse it when it is not one or would unpack beyond the limits.

    ``data``: the file's bytes when the caller has read them (the archive is then read from memory).
    """
    _check_not_ole(path, data)
    try:
        zf = zipfile.ZipFile(path if data is None else io.BytesIO(data))
    except zipfile.BadZipFile as exc:
        raise IngestError(
            f"not a readable xlsx workbook (not a zip archive: {exc}); is it truncated or another format "
            "renamed to .xlsx?",
            file=path,
        ) from exc
    infos = zf.infolist()
    if len(infos) > MAX_MEMBERS:
        raise UnsafeFileError(f"archive has {len(infos)} members (limit {MAX_MEMBERS})", file=path)
    total = 0
    for info in infos:
        name = info.filename
        if name.startswith("/") or ".." in name.split("/") or "\\" in name:  # ".." in Path(name).parts
            raise UnsafeFileError(f"archive member with an unsafe path: {name!r}", file=path)
        total += info.file_size
        if info.compress_size and info.file_size / info.compress_size > MAX_COMPRESSION_RATIO:
            raise UnsafeFileError(
                f"archive member {name!r} expands {info.file_size / info.compress_size:.0f}x "
                f"(limit {MAX_COMPRESSION_RATIO}x): refusing a possible zip bomb",
                file=path,
            )
    if total > MAX_UNCOMPRESSED_BYTES:
        raise UnsafeFileError(f"archive would unpack to {total:,} bytes (limit {MAX_UNCOMPRESSED_BYTES:,})", file=path)
    names = {i.filename for i in infos}
    if any(n.lower().endswith("vbaproject.bin") for n in names):
        raise UnsafeFileError(
            "workbook contains macros (xl/vbaProject.bin); the sources publish plain .xlsx — refusing a macro workbook",
            file=path,
        )
    _check_xml_members(zf, path, data)
    if "xl/workbook.xml" not in names:
        if "EncryptedPackage" in names or "EncryptionInfo" in names:
            raise IngestError("workbook is password-protected (encrypted); save it without a password", file=path)
        raise IngestError("zip archive without xl/workbook.xml: not an xlsx workbook", file=path)
    return zf


def _parse_xml(zf: zipfile.ZipFile, member: str, path: Path, data: bytes | None = None) -> Any:
    """Parse one XML part, refusing DTDs and entities.

    A part in an ASCII-compatible encoding (UTF-8, as Excel writes them) with no ``<!DOCTYPE`` or
    ``<!ENTITY`` anywhere in its bytes cannot declare an entity, so the C parser reads it safely and
    ~20x faster than defusedxml's pure-Python one; anything else (UTF-16, another declared encoding,
    a DTD) goes through defusedxml with ``forbid_dtd`` as before.
    """
    if data is None:
        data = zf.read(member)
    if _plain_xml(data):
        try:
            return _FastET.fromstring(data)
        except _FastET.ParseError as exc:
            raise UnsafeFileError(f"{member} cannot be parsed safely: {exc}", file=path) from exc
    try:
        return SafeET.fromstring(data, forbid_dtd=True)
    except Exception as exc:  # defusedxml raises DTDForbidden/EntitiesForbidden, ParseError
        raise UnsafeFileError(f"{member} cannot be parsed safely: {exc}", file=path) from exc


_XML_DECL_ENCODING = re.compile(rb"""^<\?xml[^>]*?\bencoding\s*=\s*["']([A-Za-z0-9._-]+)["']""")
_PLAIN_ENCODINGS = {b"utf-8", b"utf8", b"us-ascii", b"ascii"}


def _plain_xml(data: bytes) -> bool:
    """True for an XML document in UTF-8/ASCII with no DTD or entity declaration anywhere."""
    head = data[:256]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in head:
        return False  # UTF-16/32: the byte search below would not see a DTD
    m = _XML_DECL_ENCODING.match(head.lstrip(b"\xef\xbb\xbf"))
    if m and m.group(1).lower() not in _PLAIN_ENCODINGS:
        return False
    return b"<!DOCTYPE" not in data and b"<!ENTITY" not in data


def _sheet_parts(zf: zipfile.ZipFile, path: Path) -> dict[str, str]:
    """Worksheet name -> part name (``xl/worksheets/sheet1.xml``)."""
    wb = _parse_xml(zf, "xl/workbook.xml", path)
    rels = _parse_xml(zf, "xl/_rels/workbook.xml.rels", path)
    targets = {r.get("Id"): r.get("Target") for r in rels.iter(f"{_NS_PKG_REL}Relationship")}
    parts: dict[str, str] = {}
    for sheet in wb.iter(f"{_NS_MAIN}sheet"):
        target = targets.get(sheet.get(f"{_NS_REL}id"), "")
        part = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join("xl", target))
        parts[sheet.get("name")] = part
    return parts


def _hyperlinks(zf: zipfile.ZipFile, part: str, path: Path, raw: bytes | None = None) -> dict[tuple[int, int], str]:
    """Hyperlink targets of one worksheet part, keyed by (excel_row, col0)."""
    names = set(zf.namelist())
    if raw is None:
        if part not in names:
            return {}
        raw = zf.read(part)
    if b"<!DOCTYPE" in raw[:4096] or b"<!ENTITY" in raw[:4096]:
        raise UnsafeFileError(f"{part} declares a DTD/entities: refusing possible XML bomb", file=path)
    start = raw.find(b"<hyperlinks")
    if start < 0:
        return {}
    end = raw.find(b"</hyperlinks>", start)
    if end < 0:
        raise IngestError(f"{part}: unterminated <hyperlinks> element", file=path)
    fragment = raw[start:end]
    rels_part = posixpath.join(posixpath.dirname(part), "_rels", posixpath.basename(part) + ".rels")
    rel_targets: dict[str, str] = {}
    if rels_part in names:
        rel_targets = _relationship_targets(zf, rels_part, path)
    plain = _plain_links(fragment, rel_targets)  # every link in Excel's one-cell form: one regex pass
    if plain is not None:
        return plain
    links: dict[tuple[int, int], str] = {}
    columns: dict[str, int] = {}
    # The <hyperlinks> element is flat and machine-written: attributes are read with a regex, which is
    # ~10x faster than an XML parse of the fragment (the whole part was already checked for DTDs).
    for m in _HYPERLINK.finditer(fragment):
        plain = _PLAIN_HYPERLINK.fullmatch(m.group(1))
        if plain is not None:  # the one-cell form Excel writes: the same reading as below, fewer steps
            target = rel_targets.get(plain.group(3).decode("utf-8"))
            if target is not None:
                c = plain.group(1)
                col = columns.get(c)
                if col is None:
                    col = columns[c] = _column_index(c.decode())
                links[(int(plain.group(2)), col)] = target
            continue
        raw_attrs = dict(_ATTR.findall(m.group(1)))
        rid = next((v for k, v in raw_attrs.items() if k.endswith(b":id")), None)  # r:id, whatever the prefix
        target = rel_targets.get(_attr_text(rid)) if rid else None
        if target is None and raw_attrs.get(b"location"):
            target = "#" + _attr_text(raw_attrs[b"location"])
        if target is None:
            continue
        cells = _attr_text(raw_attrs.get(b"ref", b"")).split(":")
        m1 = _CELL_REF.match(cells[0])
        m2 = m1 if len(cells) == 1 else _CELL_REF.match(cells[-1])
        if not (m1 and m2):
            continue
        c1, c2 = m1.group(1), m2.group(1)
        col1 = columns.get(c1)
        if col1 is None:
            col1 = columns[c1] = _column_index(c1)
        col2 = columns.get(c2)
        if col2 is None:
            col2 = columns[c2] = _column_index(c2)
        for row in range(int(m1.group(2)), int(m2.group(2)) + 1):
            for col in range(col1, col2 + 1):
                links[(row, col)] = target
    return links


# A <hyperlinks> element holding nothing but one-cell links as Excel writes them: ref, an ASCII r:id
# and any of display, tooltip and xr:uid (which the reading ignores), no ``>`` in any value. Each is a
# match of _HYPERLINK whose ref and r:id the general reading in ``_hyperlinks`` takes as they are.
_PLAIN_LINK = (
    rb'<hyperlink ref="([A-Z]{1,3})([0-9]+)" r:id="([\x20\x21\x23-\x25\x27-\x3d\x3f-\x7e]+)"'
    rb'(?: (?:display|tooltip|xr:uid)="[^">]*")*/?>'
)
_PLAIN_LINK_RE = re.compile(_PLAIN_LINK)
_PLAIN_HYPERLINKS = re.compile(rb"<hyperlinks>(?:" + _PLAIN_LINK + rb")*")


# The same pattern over the bytes as latin-1, the whole element captured too (``_plain_links``)
_PLAIN_LINK_TEXT = re.compile("(" + _PLAIN_LINK.decode("latin-1") + ")")
_HYPERLINKS_OPEN = "<hyperlinks>"


def _plain_links(fragment: bytes, rel_targets: dict[str, str]) -> dict[tuple[int, int], str] | None:
    """The links of a <hyperlinks> fragment in Excel's one-cell form (``_PLAIN_HYPERLINKS`` matches it
    whole): what the general reading of ``_hyperlinks`` gives (a later link to the same cell wins, an
    unknown r:id is no link), found in one regex pass; None for a fragment in any other form.

    One ``findall`` both reads the links and decides the form: its matches (each starting where the
    previous one ended, since a link's match at a position is unique) cover everything after the
    opening tag exactly when the fragment is that tag and links in Excel's form, nothing between
    (``test_plain_links_decide_as_the_whole_fragment_pattern``). Read as latin-1 (one character per
    byte, so the pattern matches as it does on the bytes), the cell and r:id captures are ASCII text,
    as the general reading decodes them.
    """
    text = fragment.decode("latin-1")
    if not text.startswith(_HYPERLINKS_OPEN):
        return None
    found = _PLAIN_LINK_TEXT.findall(text, len(_HYPERLINKS_OPEN))
    if sum(map(len, map(itemgetter(0), found))) != len(text) - len(_HYPERLINKS_OPEN):
        return None  # something between or around the links: not the plain form
    columns = {c: _column_index(c) for c in {c for _, c, _, _ in found}}
    get = rel_targets.get
    return {(int(row), columns[c]): t for _, c, row, rid in found if (t := get(rid)) is not None}


# A relationships part exactly as Excel writes it: the declaration, the root in the package namespace
# and nothing but <Relationship Id Type Target [TargetMode]/> elements whose values are printable ASCII
# (``&amp;`` the only reference). Such a part is well-formed XML and ElementTree would read the same
# Id -> Target pairs, so they are read with one regex; any other part goes through ``_parse_xml``.
_VALUE_TEXT = rb"[\x20-\x21\x23-\x25\x27-\x3b\x3d\x3f-\x7e]*(?:&amp;[\x20-\x21\x23-\x25\x27-\x3b\x3d\x3f-\x7e]*)*"
_RELATIONSHIP = (
    rb'<Relationship Id="(' + _VALUE_TEXT + rb')" Type="' + _VALUE_TEXT + rb'" Target="(' + _VALUE_TEXT + rb')"'
    rb'(?: TargetMode="External")?/>'
)
_RELS_HEAD = (
    rb'<\?xml version="1\.0" encoding="UTF-8" standalone="yes"\?>\r?\n?'
    rb'<Relationships xmlns="http://schemas\.openxmlformats\.org/package/2006/relationships">'
)
_RELS_TAIL = rb"</Relationships>[ \t\r\n]*"
_PLAIN_RELS = re.compile(_RELS_HEAD + rb"(?:" + _RELATIONSHIP + rb")*" + _RELS_TAIL)
_RELATIONSHIP_RE = re.compile(_RELATIONSHIP)
# The same part read in one pass (``_relationship_targets``): its head and tail, and each
# <Relationship> element captured whole with its Id and Target, over the part as ASCII text.
_PLAIN_RELS_HEAD = re.compile(_RELS_HEAD.decode("ascii"))
_PLAIN_RELS_TAIL = re.compile(_RELS_TAIL.decode("ascii"))
_RELATIONSHIP_TEXT = re.compile("(" + _RELATIONSHIP.decode("ascii") + ")")


def _plain_relationships(data: bytes) -> dict[str, str] | None:
    """Id -> Target of a part ``_PLAIN_RELS`` matches whole, in one ``findall``; None for any other part.

    As in ``_plain_links``: the matches of the element pattern over the text between the head and the
    tail cover it exactly when it is nothing but such elements
    (``test_plain_relationships_decide_as_the_whole_part_pattern``). Every ``&`` opens an ``&amp;``
    inside a value, so each value's replacement is its own.
    """
    try:
        text = data.decode("ascii")
    except UnicodeDecodeError:
        return None  # the plain form is ASCII throughout
    head = _PLAIN_RELS_HEAD.match(text)
    end = text.rfind("</Relationships>")
    if head is None or end < head.end() or not _PLAIN_RELS_TAIL.fullmatch(text, end):
        return None
    found = _RELATIONSHIP_TEXT.findall(text, head.end(), end)
    if sum(len(whole) for whole, _, _ in found) != end - head.end():
        return None
    if "&" in text:
        return {rid.replace("&amp;", "&"): target.replace("&amp;", "&") for _, rid, target in found}
    return {rid: target for _, rid, target in found}


def _relationship_targets(zf: zipfile.ZipFile, part: str, path: Path) -> dict[str, str]:
    """Id -> Target of a relationships part (the plain form by regex, any other by the XML parser)."""
    data = zf.read(part)
    plain = _plain_relationships(data)
    if plain is not None:
        return plain
    rels = _parse_xml(zf, part, path, data)
    return {r.get("Id"): r.get("Target") for r in rels.iter(f"{_NS_PKG_REL}Relationship")}


def _attr_text(value: bytes) -> str:
    """An attribute value as written (UTF-8), with its character and entity references decoded."""
    text = value.decode("utf-8")
    return html.unescape(text) if "&" in text else text


_ERROR_CELL = re.compile(rb'<c\b([^>]*\bt="e"[^>]*)>(.*?)</c>', re.S)
_ATTR_R = re.compile(rb'\br="([A-Z]{1,3})(\d+)"')
_VALUE = re.compile(rb"<v>([^<]*)</v>")


def _error_cells(zf: zipfile.ZipFile, part: str, raw: bytes | None = None) -> dict[tuple[int, int], str]:
    """Excel error cells (``t="e"``, e.g. ``#N/A``) of one worksheet part, keyed by (excel_row, col0)."""
    if raw is None:
        if part not in set(zf.namelist()):
            return {}
        raw = zf.read(part)
    if b't="e"' not in raw:
        return {}
    errors: dict[tuple[int, int], str] = {}
    for m in _error_cell_matches(raw):
        ref = _ATTR_R.search(m.group(1))
        val = _VALUE.search(m.group(2))
        if ref and val:
            errors[(int(ref.group(2)), _column_index(ref.group(1).decode()))] = val.group(1).decode("utf-8", "replace")
    return errors


_WORD_BYTES = frozenset(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_")  # rb"\w"
_CELL_START = re.compile(rb"<c\b")


def _error_cell_matches(raw: bytes) -> Iterator[re.Match[bytes]]:
    """The matches of ``_ERROR_CELL.finditer(raw)``, found from each ``t="e"`` instead of trying the
    pattern at every cell of the sheet (a sheet has thousands of cells and a few error cells).

    A match must start at a ``<c`` between the last ``>`` before a ``t="e"`` and that ``t="e"``
    (the attributes hold no ``>``); the leftmost such start after the previous match is where
    ``finditer`` finds it (``test_error_cells_match_the_scan_of_every_cell`` compares the two).
    """
    last_end = 0
    p = -1
    while (p := raw.find(b't="e"', p + 1)) >= 0:
        if p < last_end or (p and raw[p - 1] in _WORD_BYTES):
            continue  # inside the previous match, or not at a word boundary (``\bt="e"``)
        lo = max(raw.rfind(b">", last_end, p) + 1, last_end)
        start = _CELL_START.search(raw, lo, p)
        if start is None:
            continue
        m = _ERROR_CELL.match(raw, start.start())
        if m is None:
            continue
        last_end = m.end()
        yield m


def read_workbook(path: Path, *, with_hyperlinks: bool = True) -> list[Sheet]:
    """Every worksheet of an xlsx file, values via calamine, hyperlinks from the XML."""
    path = Path(path)
    try:
        return _read_workbook(path, with_hyperlinks)
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError) as exc:  # a damaged member
        raise IngestError(
            f"not a readable xlsx workbook (corrupt or truncated archive: {exc}); is it damaged or cut short?",
            file=path,
        ) from exc


def _read_workbook(path: Path, with_hyperlinks: bool) -> list[Sheet]:
    # A workbook of ordinary size is read once into memory, for the archive checks, the XML parts and
    # calamine alike (instead of three readers seeking in the file); a larger one is read from disk.
    data = path.read_bytes() if path.stat().st_size <= MAX_IN_MEMORY_BYTES else None
    zf = check_archive(path, data)
    with zf, open(path, "rb") if data is None else io.BytesIO(data) as fh:
        parts = _sheet_parts(zf, path)
        members = set(zf.namelist())
        try:
            workbook = CalamineWorkbook.from_filelike(fh)  # a file object: any file name works
        except Exception as exc:
            raise IngestError(f"not a readable xlsx workbook: {exc}", file=path) from exc
        sheets: list[Sheet] = []
        for name in workbook.sheet_names:
            try:
                cal = workbook.get_sheet_by_name(name)
                if cal.height > max_sheet_rows():
                    raise UnsafeFileError(
                        f"worksheet {name!r} has {cal.height:,} rows (limit {max_sheet_rows():,})", file=path
                    )
                rows = cal.to_python(skip_empty_area=False)
            except IngestError:
                raise
            except Exception as exc:
                raise IngestError(f"worksheet {name!r} cannot be read: {exc}", file=path) from exc
            start = cal.start or (0, 0)
            part = parts.get(name)
            raw = zf.read(part) if part is not None and part in members else None  # read once for both
            links = _hyperlinks(zf, part, path, raw) if with_hyperlinks and raw is not None else {}
            errors = _error_cells(zf, part, raw) if raw is not None else {}
            sheets.append(
                Sheet(name=name, rows=rows, first_row=start[0] + 1, first_col=start[1], hyperlinks=links, errors=errors)
            )
    return sheets


def cell_text(value: Any) -> str | None:
    """A cell's value as text, as printed: dates ISO, whole numbers without '.0', empty -> None."""
    if value is None:
        return None
    if isinstance(value, str):
        return value if value != "" else None
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0, 0):
            return value.date().isoformat()
        return value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    return str(value)


def cell_kind(value: Any) -> str:
    """'date', 'text', 'number', 'boolean' or 'empty' — how the cell was stored in the workbook."""
    if value is None or value == "":
        return "empty"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, dt.date | dt.datetime):
        return "date"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, dt.time | dt.timedelta):
        return "time"
    return "text"
