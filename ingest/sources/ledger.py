"""ICE payment ledgers (payouts to 287(g) agencies), CSV or XLSX, in any column layout.

No public ledger exists (realdata MANIFEST section 5), so a user brings one in whatever shape they
obtained it. A small YAML *mapping* names the ledger's columns for the canonical fields, its date
formats, its money format and the keywords that map printed categories to the canonical ones:

| key            | meaning                                                                          |
|----------------|----------------------------------------------------------------------------------|
| name           | the mapping's name (recorded on every landed line)                               |
| columns        | canonical field -> header as printed (trimmed, any case). Required fields:       |
|                | payee_name, payment_date, amount. Optional: state, fiscal_year, category,         |
|                | certified_officers, document_id, description                                     |
| date_formats   | strptime formats tried in order, plus `excel_serial` (days since 1899-12-30)      |
| money_format   | `us` (1,325.00) or `eu` (1.325,00); the other style is rejected as ambiguous      |
| category_from  | fields searched for category keywords, in order (default: category, description) |
| categories     | ordered rules `{category: <code>, keywords: [...]}`; first whole-word hit wins    |
| header_row     | 1-based header row (default: found in the first 20 rows)                         |
| sheet          | worksheet name for xlsx (default: the one sheet whose header fits)               |
| delimiter, encoding | CSV options (default: sniffed delimiter, utf-8)                             |

Mappings are looked up next to the ledger (`<file>.mapping.yaml`, `<stem>.mapping.yaml`,
`ledger_mapping.yaml`), then among the packaged defaults in ``ingest/ledger_mappings/``.

The ledger lands as printed (every mapped field as text) in ``raw.ledger_lines``; the same DuckDB
SELECT also parses amount, date, fiscal year, officer count and category. A line that fails parsing
still lands, with ``parse_status = 'rejected'`` and a ``reject_reason`` naming the column — nothing
is dropped. CSV is read by DuckDB's ``read_csv`` (no per-row Python); xlsx is read with calamine
and parsed by the same SELECT.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar

import duckdb
import pandas as pd
import yaml

from ingest.control_files import read_control_text
from ingest.errors import IngestError
from ingest.readers.xlsx import Sheet, cell_text
from ingest.sources.base import Detection, FileInfo, LoadContext, Parsed, Source

CATEGORIES = ("vehicle", "equipment", "salary_benefits", "overtime", "performance_award", "other")
FIELDS = (
    "payee_name",
    "state",
    "payment_date",
    "fiscal_year",
    "category",
    "amount",
    "certified_officers",
    "document_id",
    "description",
)
REQUIRED_FIELDS = ("payee_name", "payment_date", "amount")
MAPPING_KEYS = {
    "name",
    "columns",
    "date_formats",
    "money_format",
    "category_from",
    "categories",
    "header_row",
    "sheet",
    "delimiter",
    "encoding",
}
TEXT_SUFFIXES = {".csv", ".tsv", ".txt"}
NAME_PATTERN = re.compile(r"(?i)(ledger|payment|payout|disbursement)")
HEADER_SCAN_ROWS = 20
PACKAGED_MAPPINGS = Path(__file__).resolve().parents[1] / "ledger_mappings"
# Excel serials accepted as dates: 1990-01-01 .. 2099-12-31
SERIAL_MIN, SERIAL_MAX = 32874, 73415
YEAR_MIN, YEAR_MAX = 1990, 2099

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

# money: optional sign / parentheses / $ / USD around a body of digits
_MONEY_SHELL = r"^\(?\s*-?\s*(USD\s*)?\$?\s*-?\s*([0-9][0-9.,]*)\s*\)?$"
_US_BODY = r"^([0-9]{1,3}(,[0-9]{3})+|[0-9]+)(\.[0-9]{1,2})?$"
_EU_BODY = r"^([0-9]{1,3}(\.[0-9]{3})+|[0-9]+)(,[0-9]{1,2})?$"
# a body the other convention would read differently: 1.325,00 / 1.325 / 12,5 under us; mirrored for eu
_US_LOOKS_EU = r"^([0-9]{1,3}(\.[0-9]{3})+(,[0-9]{1,2})?|[0-9]+,[0-9]{1,2})$"
_EU_LOOKS_US = r"^([0-9]{1,3}(,[0-9]{3})+(\.[0-9]{1,2})?|[0-9]+\.[0-9]{1,2})$"


@dataclass
class Mapping:
    """A validated ledger mapping (see the module docstring for the keys)."""

    name: str
    path: Path
    columns: dict[str, str]
    date_formats: list[str]
    money_format: str = "us"
    category_from: list[str] = field(default_factory=lambda: ["category", "description"])
    categories: list[tuple[str, list[str]]] = field(default_factory=list)
    header_row: int | None = None
    sheet: str | None = None
    delimiter: str | None = None
    encoding: str = "utf-8"
    adjacent: bool = False  # found next to the ledger (not a packaged default)

    def missing(self, header: list[str]) -> list[str]:
        """Headers of required fields that the given header row lacks."""
        present = {_norm(h) for h in header if h is not None}
        return [self.columns[f] for f in REQUIRED_FIELDS if _norm(self.columns[f]) not in present]

    def fits(self, header: list[str]) -> bool:
        return not self.missing(header)


def _norm(text: Any) -> str:
    return re.sub(r"\s+", " ", str(text)).strip().lower()


class _NoAliasLoader(yaml.SafeLoader):
    """PyYAML's safe loader that refuses aliases (``*name``): a mapping never needs them, and nested
    aliases expand exponentially (a 600-byte "billion laughs" file takes gigabytes)."""

    def compose_node(self, parent, index):  # type: ignore[no-untyped-def]
        if self.check_event(yaml.AliasEvent):
            mark = self.peek_event().start_mark
            raise yaml.YAMLError(f"line {mark.line + 1}: YAML aliases (*name) are not allowed in a mapping file")
        return super().compose_node(parent, index)


def parse_mapping_yaml(text: str, shown: str) -> Any:
    """The YAML document of a mapping file: safe tags only, no aliases, bounded nesting."""
    try:
        return yaml.load(text, Loader=_NoAliasLoader)  # a SafeLoader subclass: safe tags only
    except yaml.YAMLError as exc:
        raise IngestError(f"ledger mapping is not valid YAML: {' '.join(str(exc).split())}", file=shown) from exc
    except RecursionError as exc:
        raise IngestError("ledger mapping nests too deeply to be a mapping file", file=shown) from exc


def _optional_text(data: dict, key: str, path: Path, *, one_char: bool = False) -> str | None:
    value = data.get(key)
    if value is None:
        return None
    if not isinstance(value, str) or not value or (one_char and len(value) != 1):
        what = "a single character" if one_char else "text"
        raise IngestError(f"`{key}` must be {what}, not {value!r}", file=path, column=key)
    return value


def load_mapping(path: Path, *, adjacent: bool = False) -> Mapping:
    """Read and check a mapping YAML; raise IngestError naming the file and key when it is wrong.

    A mapping is a control file (``ingest.control_files``): a regular file, not a link, at most a few
    hundred kilobytes of UTF-8, and YAML without aliases.
    """
    try:
        text = read_control_text(path, path)
    except OSError as exc:
        raise IngestError(f"ledger mapping cannot be read: {exc.strerror or exc}", file=path) from exc
    except IngestError as exc:
        raise IngestError(f"ledger mapping {exc.reason}", file=path, row=exc.row) from exc
    data = parse_mapping_yaml(text, str(path))
    if not isinstance(data, dict):
        raise IngestError("ledger mapping must be a YAML mapping", file=path)
    unknown = set(data) - MAPPING_KEYS
    if unknown:
        raise IngestError(f"unknown keys {sorted(unknown)}", file=path, column=sorted(unknown)[0])
    columns = data.get("columns")
    if not isinstance(columns, dict) or not all(isinstance(v, str | None) for v in columns.values()):
        raise IngestError("`columns` must map canonical fields to ledger headers", file=path, column="columns")
    bad = [k for k in columns if k not in FIELDS]
    if bad:
        raise IngestError(f"unknown canonical fields {bad} (known: {', '.join(FIELDS)})", file=path, column="columns")
    missing = [f for f in REQUIRED_FIELDS if not columns.get(f)]
    if missing:
        raise IngestError(f"`columns` must name the ledger header for {missing}", file=path, column="columns")
    formats = data.get("date_formats") or ["%Y-%m-%d"]
    if not isinstance(formats, list) or not all(isinstance(f, str) and f for f in formats):
        raise IngestError(
            "`date_formats` must be a list of strptime formats or excel_serial",
            file=path,
            column="date_formats",
        )
    money = data.get("money_format", "us")
    if money not in ("us", "eu"):
        raise IngestError(f"`money_format` must be us or eu, not {money!r}", file=path, column="money_format")
    rules: list[tuple[str, list[str]]] = []
    for i, rule in enumerate(data.get("categories") or []):
        if not isinstance(rule, dict) or rule.get("category") not in CATEGORIES:
            raise IngestError(f"categories[{i}] needs `category` in {list(CATEGORIES)}", file=path, column="categories")
        words = rule.get("keywords") or []
        if not isinstance(words, list) or not all(isinstance(w, str) and w.strip() for w in words):
            raise IngestError(f"categories[{i}].keywords must be a list of words", file=path, column="categories")
        rules.append((rule["category"], [w.strip() for w in words]))
    category_from = data.get("category_from") or ["category", "description"]
    if not isinstance(category_from, list) or any(f not in FIELDS for f in category_from):
        raise IngestError(
            f"`category_from` must list canonical fields, not {category_from}",
            file=path,
            column="category_from",
        )
    header_row = data.get("header_row")
    if header_row is not None and (
        not isinstance(header_row, int) or isinstance(header_row, bool) or not 1 <= header_row <= HEADER_SCAN_ROWS
    ):
        raise IngestError(
            f"`header_row` must be a whole number from 1 to {HEADER_SCAN_ROWS}", file=path, column="header_row"
        )
    name = _optional_text(data, "name", path)
    sheet = _optional_text(data, "sheet", path)
    delimiter = _optional_text(data, "delimiter", path, one_char=True)
    encoding = _optional_text(data, "encoding", path) or "utf-8"
    try:
        codecs.lookup(encoding)
    except LookupError as exc:
        raise IngestError(f"unknown encoding {encoding!r}", file=path, column="encoding") from exc
    return Mapping(
        name=name or path.stem,
        path=path,
        columns={k: str(v) for k, v in columns.items() if v},
        date_formats=formats,
        money_format=money,
        category_from=list(category_from),
        categories=rules,
        header_row=header_row,
        sheet=sheet,
        delimiter=delimiter,
        encoding=encoding,
        adjacent=adjacent,
    )


def candidate_mappings(file: Path) -> list[Mapping]:
    """Mappings next to the ledger (most specific first), else the packaged defaults."""
    adjacent = [
        file.with_name(file.name + ".mapping.yaml"),
        file.with_name(file.stem + ".mapping.yaml"),
        file.with_name("ledger_mapping.yaml"),
    ]
    for path in adjacent:
        if path.is_symlink() or path.exists():  # a linked mapping is refused by name, not skipped
            return [load_mapping(path, adjacent=True)]
    return [load_mapping(p) for p in sorted(PACKAGED_MAPPINGS.glob("*.yaml"))]


def is_mapping_file(path: Path) -> bool:
    """Mapping YAMLs sit beside the ledgers; they are control files, not raw data."""
    return path.name == "ledger_mapping.yaml" or path.name.endswith(".mapping.yaml")


# ---------------------------------------------------------------------------------------------------
# Reading the header
# ---------------------------------------------------------------------------------------------------
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


def _is_utf8(encoding: str) -> bool:
    return codecs.lookup(encoding).name == "utf-8"


def _text_rows(file: FileInfo, mapping: Mapping) -> list[list[str]]:
    """The first rows of a delimited file, split with the mapping's (or a sniffed) delimiter."""
    head = file.head_bytes()
    sniffed = sniff_encoding(head)
    encoding = mapping.encoding
    if sniffed and not _is_utf8(sniffed) and _is_utf8(mapping.encoding):
        encoding = sniffed  # read the header as it is written; parse() refuses the file by name
    if _is_utf8(encoding):
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


def _find_header(rows: list[list[str]], mapping: Mapping) -> int | None:
    """0-based index of the header row (the mapping's, or the first row holding the required fields)."""
    if mapping.header_row is not None:
        idx = mapping.header_row - 1
        return idx if idx < len(rows) and mapping.fits(rows[idx]) else None
    for idx, row in enumerate(rows[:HEADER_SCAN_ROWS]):
        if mapping.fits(row):
            return idx
    return None


def _sheet_rows(sheet: Sheet) -> list[list[str | None]]:
    return [[cell_text(v) for v in row] for row in sheet.rows]


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
                    idx = _find_header(_sheet_rows(sheet)[: HEADER_SCAN_ROWS + 1], mapping)
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
                rows = _text_rows(file, mapping)
                idx = _find_header(rows, mapping)
                if idx is not None:
                    return Detection(self.name, "ledger", "content", {"mapping": mapping, "header_index": idx})
                header_desc = f"header {str(rows[0] if rows else [])[:300]}"
            tried.append(f"{mapping.name} ({mapping.path.name}) needs {mapping.missing([])}; {header_desc} has them")
        if named or any(m.adjacent for m in mappings):
            if not file.is_excel:
                _check_encoding(file, mappings[0])  # a UTF-16 file: name the encoding, not its header
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
            frame, header = _sheet_frame(file, sheet, header_index)
            source_sql = "select * from _incoming"
            formats = [*mapping.date_formats, "%Y-%m-%d", "%Y-%m-%dT%H:%M:%S"]
        else:
            _check_encoding(file, mapping)
            multiline = _multiline_frame(file, mapping, header_index)
            if multiline is not None:  # a value holds a line break: rows numbered by file line
                frame, header = multiline
                source_sql = "select * from _incoming"
            else:
                header, source_sql = _csv_relation(file, mapping, header_index)
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


def _sql_str(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _csv_relation(file: FileInfo, mapping: Mapping, header_index: int) -> tuple[list[str], str]:
    """The CSV's column names as DuckDB reads them and a SELECT with ``_row_number`` (file line number)."""
    options = [
        "header = true",
        "all_varchar = true",
        f"skip = {header_index}",
        "null_padding = true",
        f"encoding = {_sql_str(mapping.encoding)}",
    ]
    if mapping.delimiter:
        options.append(f"delim = {_sql_str(mapping.delimiter)}")
    reader = f"read_csv({_sql_str(file.duckdb_path())}, {', '.join(options)})"
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
    # breaks are read by _multiline_frame instead), so the record number plus the header is the line.
    sql = f"select row_number() over () + {header_index + 1} as _row_number, * from {reader}"
    return header, sql


def _family(encoding: str) -> str:
    name = codecs.lookup(encoding).name
    return re.sub(r"-(le|be)$", "", name)


def _check_encoding(file: FileInfo, mapping: Mapping) -> None:
    """Refuse a file whose byte-order mark shows another encoding than its mapping reads, by name."""
    sniffed = sniff_encoding(file.head_bytes(4096))
    if sniffed is None or _family(sniffed) == _family(mapping.encoding):
        return
    how = "byte-order mark" if any(file.head_bytes(4).startswith(b) for b, _ in BOMS) else "NUL bytes, no mark"
    fix = "set `encoding: utf-16` in its mapping or save it as UTF-8" if "16" in sniffed else "save it as UTF-8"
    raise IngestError(
        f"the file is {sniffed.upper()} ({how}) but ledger mapping {mapping.name!r} reads {mapping.encoding}: {fix}",
        file=file.rel_path,
    )


def _delimiter(file: FileInfo, mapping: Mapping) -> str:
    if mapping.delimiter:
        return mapping.delimiter
    text = file.head_bytes().decode("utf-8", errors="replace")
    lines = text.splitlines()[: HEADER_SCAN_ROWS + 1]
    counts = {d: sum(line.count(d) for line in lines) for d in (",", ";", "\t", "|")}
    return max(counts, key=lambda d: counts[d])


def _multiline_frame(file: FileInfo, mapping: Mapping, header_index: int) -> tuple[pd.DataFrame, list[str]] | None:
    """The rows below the header as text with the *file line* each starts on, when a quoted value
    holds a line break (DuckDB's parallel reader refuses those with null_padding, and its record
    numbers are not file lines); None when every record is one line (DuckDB reads the file)."""
    data = file.path.read_bytes()
    if b'"' not in data or not _is_utf8(mapping.encoding):
        return None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None  # DuckDB's reader refuses it with the encoding named
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(file, mapping))
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


def _sheet_frame(file: FileInfo, sheet: Sheet, header_index: int) -> tuple[pd.DataFrame, list[str]]:
    """The worksheet below its header as text, with the Excel row number of every non-empty row."""
    rows = _sheet_rows(sheet)
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


def build_select(mapping: Mapping, header: list[str], source_sql: str, formats: list[str], *, file: str) -> str:
    """The landing SELECT: printed fields as text plus parsed values and a reject reason per line."""
    by_norm: dict[str, str] = {}
    for h in header:
        by_norm.setdefault(_norm(h), h)
    fields: dict[str, str] = {}
    for f in FIELDS:
        printed = mapping.columns.get(f)
        if printed is None:
            fields[f] = "cast(null as varchar)"
        elif _norm(printed) in by_norm:
            fields[f] = f"cast({_ident(by_norm[_norm(printed)])} as varchar)"
        elif f in REQUIRED_FIELDS:
            raise IngestError(f"ledger has no column {printed!r} (mapping {mapping.name})", file=file, column=printed)
        else:
            raise IngestError(
                f"mapping {mapping.name} names column {printed!r} for {f}, which the ledger lacks",
                file=file,
                column=printed,
            )
    mapped = ",\n        ".join(f"{expr} as {f}" for f, expr in fields.items())

    body_ok, looks_other = (_US_BODY, _US_LOOKS_EU) if mapping.money_format == "us" else (_EU_BODY, _EU_LOOKS_US)
    thousands, decimal = (",", ".") if mapping.money_format == "us" else (".", ",")
    other_style = "1.325,00" if mapping.money_format == "us" else "1,325.00"

    date_exprs = []
    for fmt in formats:
        if fmt == "excel_serial":
            date_exprs.append(
                "case when regexp_full_match(d_t, '[0-9]{5}(\\.0+)?') "
                f"and cast(cast(d_t as double) as integer) between {SERIAL_MIN} and {SERIAL_MAX} "
                "then cast(date '1899-12-30' + cast(cast(d_t as double) as integer) as date) end"
            )
        else:
            date_exprs.append(f"cast(try_strptime(d_t, {_sql_str(fmt)}) as date)")
    date_list = "[" + ", ".join(date_exprs) + "]"
    method_list = "[" + ", ".join(_sql_str(f) for f in formats) + "]"

    cat_rules = []
    for code, words in mapping.categories:
        alternation = "|".join(re.escape(w.lower()) for w in words)
        cat_rules.append((code, f"(^|[^a-z0-9])({alternation})($|[^a-z0-9])"))
    cat_exprs = []
    cat_methods = []
    for src in mapping.category_from:
        col = f"lower({src}_t)"
        canonical = f"when {col} in ({', '.join(_sql_str(c) for c in CATEGORIES)}) then {col}"
        rule_whens = " ".join(
            f"when regexp_matches({col}, {_sql_str(rx)}) then {_sql_str(code)}" for code, rx in cat_rules
        )
        cat_exprs.append(f"case {canonical} {rule_whens} end")
        cat_methods.append((src, f"case {canonical} {rule_whens} end"))
    category_code = "coalesce(" + ", ".join([*cat_exprs, "'other'"]) + ")" if cat_exprs else "'other'"
    codes = ", ".join(_sql_str(c) for c in CATEGORIES)
    method_whens = " ".join(
        f"when lower({src}_t) in ({codes}) then {_sql_str('code:' + src)} "
        f"when ({expr}) is not null then {_sql_str('keyword:' + src)}"
        for src, expr in cat_methods
    )
    any_cat_text = " or ".join(f"{src}_t is not null" for src in mapping.category_from) or "false"
    category_method = (
        f"case {method_whens} when {any_cat_text} then 'unmapped' else 'blank' end" if method_whens else "'blank'"
    )

    return f"""
with source_rows as (
    {source_sql}
),
mapped as (
    select
        _row_number,
        {mapped}
    from source_rows
),
trimmed as (
    select
        *,
        nullif(trim(payee_name), '') as payee_t,
        nullif(trim(payment_date), '') as d_t,
        nullif(trim(fiscal_year), '') as fiscal_year_t,
        nullif(trim(category), '') as category_t,
        nullif(trim(description), '') as description_t,
        nullif(trim(amount), '') as amount_t,
        nullif(trim(certified_officers), '') as certified_officers_t,
        nullif(trim(payee_name), '') as payee_name_t,
        nullif(trim(state), '') as state_t,
        nullif(trim(document_id), '') as document_id_t,
        nullif(trim(payment_date), '') as payment_date_t
    from mapped
),
money as (
    select
        *,
        regexp_extract(upper(amount_t), {_sql_str(_MONEY_SHELL)}, 2) as amount_body,
        (starts_with(amount_t, '(') and ends_with(amount_t, ')')) as amount_in_parens,
        (starts_with(amount_t, '(') <> ends_with(amount_t, ')')) as amount_unbalanced,
        contains(amount_t, '-') as amount_minus,
        length(amount_t) - length(replace(amount_t, '-', '')) as amount_n_minus
    from trimmed
),
parsed as (
    select
        *,
        case when amount_body <> '' and not amount_unbalanced
                  and not (amount_in_parens and amount_minus) and amount_n_minus <= 1
                  and regexp_full_match(amount_body, {_sql_str(body_ok[1:-1])})
             then try_cast(replace(replace(amount_body, {_sql_str(thousands)}, ''), {_sql_str(decimal)}, '.')
                           as decimal(14, 2))
                  * (case when amount_in_parens or amount_minus then -1 else 1 end)
        end as amount_value,
        list_distinct(list_filter({date_list}, lambda x: x is not null)) as date_candidates,
        list_filter(list_zip({date_list}, {method_list}), lambda x: x[1] is not null) as date_hits,
        case when regexp_full_match(coalesce(fiscal_year_t, ''), '(?i)(FY)?\\s*[0-9]{{4}}')
                  then cast(regexp_extract(fiscal_year_t, '[0-9]{{4}}') as integer)
             when regexp_full_match(coalesce(fiscal_year_t, ''), '(?i)FY\\s*[0-9]{{2}}')
                  then 2000 + cast(regexp_extract(fiscal_year_t, '[0-9]{{2}}') as integer)
        end as fiscal_year_parsed,
        case when regexp_full_match(coalesce(certified_officers_t, ''), '[0-9]{{1,6}}(\\.0+)?')
             then cast(cast(certified_officers_t as double) as integer) end as officers_parsed
    from money
),
checked as (
    select
        *,
        case when len(date_candidates) = 1 and year(date_candidates[1]) between {YEAR_MIN} and {YEAR_MAX}
             then date_candidates[1] end as date_value,
        [
            case when payee_t is null then 'payee_name: blank' end,
            case when amount_t is null then 'amount: blank'
                 when amount_value is not null then null
                 when amount_n_minus > 1 or (amount_in_parens and amount_minus)
                     then 'amount: not a money value (more than one sign): ' || amount_t
                 when amount_body <> '' and not amount_unbalanced
                      and regexp_full_match(amount_body, {_sql_str(body_ok[1:-1])})
                     then 'amount: too large for DECIMAL(14,2) (at most 999,999,999,999.99): ' || amount_t
                 when amount_body <> '' and regexp_full_match(amount_body, {_sql_str(looks_other[1:-1])})
                     then 'amount: ambiguous ' || amount_t || ' (reads as {other_style}-style money but the '
                          || 'mapping says money_format: {mapping.money_format})'
                 else 'amount: not a money value: ' || amount_t end,
            case when d_t is null then 'payment_date: blank'
                 when len(date_candidates) > 1 then 'payment_date: ambiguous ' || d_t
                      || ' (formats give different dates)'
                 when len(date_candidates) = 0 then 'payment_date: not in any mapped format: ' || d_t
                 when year(date_candidates[1]) not between {YEAR_MIN} and {YEAR_MAX}
                     then 'payment_date: implausible year: ' || d_t end,
            case when fiscal_year_t is not null and fiscal_year_parsed is null
                 then 'fiscal_year: not a fiscal year: ' || fiscal_year_t end,
            case when certified_officers_t is not null and officers_parsed is null
                 then 'certified_officers: not a whole number: ' || certified_officers_t end
        ] as problems
    from parsed
),
final as (
    select
        _row_number,
        {_sql_str(mapping.name)} as mapping_name,
        payee_name,
        state,
        payment_date,
        fiscal_year,
        category,
        amount,
        certified_officers,
        document_id,
        description,
        date_value as payment_date_value,
        case when date_value is not null then date_hits[1][2] end as date_parse_method,
        amount_value as amount_usd,
        fiscal_year_parsed as fiscal_year_value,
        officers_parsed as certified_officer_count,
        {category_code} as category_code,
        {category_method} as category_method,
        case when len(list_filter(problems, lambda x: x is not null)) = 0 then 'ok' else 'rejected' end
            as parse_status,
        nullif(array_to_string(list_filter(problems, lambda x: x is not null), '; '), '') as reject_reason,
        split_part(list_filter(problems, lambda x: x is not null)[1], ':', 1) as reject_column
    from checked
)
select * from final
"""
