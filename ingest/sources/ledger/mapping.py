"""Ledger mappings: the YAML that names a ledger's columns for the canonical fields (keys in
``ingest.sources.ledger``), read as a control file and checked key by key."""

from __future__ import annotations

import codecs
import functools
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ingest.control_files import read_control_text
from ingest.errors import IngestError
from ingest.readers.headers import header_key

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
HEADER_SCAN_ROWS = 20
PACKAGED_MAPPINGS = Path(__file__).resolve().parents[2] / "ledger_mappings"


@dataclass(frozen=True)
class Mapping:
    """A validated ledger mapping (see the module docstring for the keys); frozen, since the packaged
    ones are read once per process and shared (``packaged_mappings``)."""

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
        present = {norm(h) for h in header if h is not None}
        return [self.columns[f] for f in REQUIRED_FIELDS if norm(self.columns[f]) not in present]

    def fits(self, header: list[str]) -> bool:
        return not self.missing(header)


def norm(text: Any) -> str:
    """A header as the mapping compares it: whitespace runs to one space, trimmed, lower case."""
    return header_key(str(text), "lower")


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
    return packaged_mappings()


def packaged_mappings() -> list[Mapping]:
    """The packaged default mappings, each read once per process while its file is unchanged.

    Every file that no earlier source claims is tried as a ledger against them, on every ingest (a
    file that is skipped never lands, so it is examined again next time): the archive and realdata
    hold ~100 such files, and parsing the YAML again for each took ~0.2 s of every new-sheet build.
    """
    out = []
    for path in sorted(PACKAGED_MAPPINGS.glob("*.yaml")):
        try:
            stat = path.stat()
        except OSError:  # gone since the listing: load_mapping names the file and the error
            out.append(load_mapping(path))
            continue
        out.append(_packaged_mapping(path, stat.st_mtime_ns, stat.st_size))
    return out


@functools.lru_cache(maxsize=32)
def _packaged_mapping(path: Path, mtime_ns: int, size: int) -> Mapping:
    return load_mapping(path)


def is_mapping_file(path: Path) -> bool:
    """Mapping YAMLs sit beside the ledgers; they are control files, not raw data."""
    return path.name == "ledger_mapping.yaml" or path.name.endswith(".mapping.yaml")
