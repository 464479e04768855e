"""Census Bureau population and geography files, told apart by their content (never by date).

| kind             | file (official name)                 | format                                          |
|------------------|--------------------------------------|-------------------------------------------------|
| pep_county       | ``co-est2024-alldata.csv``           | comma CSV, **Latin-1**, 83 cols, SUMLEV 040/050 |
| acs_county       | ACS 5-year API ``for=county:*``      | JSON array of arrays of strings, header first   |
| acs_place        | ACS 5-year API ``for=place:*``       | same, last column ``place``                     |
| gazetteer_county | ``<year>_Gaz_counties_national.txt`` | pipe-delimited, UTF-8, header row 1             |
| gazetteer_place  | ``<year>_Gaz_place_national.txt``    | pipe-delimited, header has LSAD and FUNCSTAT    |

Every value lands as printed, as text: FIPS parts are zero-padded text (``01``, ``001``) that a
type-sniffing reader would turn into integers, so nothing here infers types. The PEP file is
decoded as Latin-1 (``Do\\xf1a Ana County``), the others strictly as UTF-8 (ASCII in practice);
a byte that does not decode is an error naming the line and column, never a guess.
"""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass
from typing import Any, ClassVar

import pandas as pd

from ingest.errors import IngestError
from ingest.sources.base import Detection, FileInfo, LoadContext, Parsed, Source

PEP_YEARS = range(2020, 2025)
PEP_RATE_YEARS = range(2021, 2025)


def _series(prefix: str, years: range) -> list[str]:
    return [f"{prefix}{y}" for y in years]


PEP_COLUMNS: list[str] = [
    "SUMLEV", "REGION", "DIVISION", "STATE", "COUNTY", "STNAME", "CTYNAME", "ESTIMATESBASE2020",
    *(c for p in ("POPESTIMATE", "NPOPCHG", "BIRTHS", "DEATHS", "NATURALCHG", "INTERNATIONALMIG",
                  "DOMESTICMIG", "NETMIG", "RESIDUAL") for c in _series(p, PEP_YEARS)),
    "GQESTIMATESBASE2020",
    *_series("GQESTIMATES", PEP_YEARS),
    *(c for p in ("RBIRTH", "RDEATH", "RNATURALCHG", "RINTERNATIONALMIG", "RDOMESTICMIG", "RNETMIG")
      for c in _series(p, PEP_RATE_YEARS)),
]  # fmt: skip
ACS_COUNTY_COLUMNS = ["NAME", "B01003_001E", "B25001_001E", "state", "county"]
ACS_PLACE_COLUMNS = ["NAME", "B01003_001E", "B25001_001E", "state", "place"]
GAZ_COUNTY_COLUMNS = [
    "USPS",
    "GEOID",
    "GEOIDFQ",
    "ANSICODE",
    "NAME",
    "ALAND",
    "AWATER",
    "ALAND_SQMI",
    "AWATER_SQMI",
    "INTPTLAT",
    "INTPTLONG",
]
GAZ_PLACE_COLUMNS = [
    "USPS",
    "GEOID",
    "GEOIDFQ",
    "ANSICODE",
    "NAME",
    "LSAD",
    "FUNCSTAT",
    "ALAND",
    "AWATER",
    "ALAND_SQMI",
    "AWATER_SQMI",
    "INTPTLAT",
    "INTPTLONG",
]


@dataclass(frozen=True)
class CensusKind:
    """One census file kind: its raw table, header, format and text encoding."""

    kind: str
    table: str
    columns: list[str]
    fmt: str  # csv | json
    delimiter: str = ","
    encoding: str = "utf-8"


KINDS: dict[str, CensusKind] = {
    "pep_county": CensusKind("pep_county", "census_pep_county", PEP_COLUMNS, "csv", ",", "latin-1"),
    "acs_county": CensusKind("acs_county", "census_acs_county", ACS_COUNTY_COLUMNS, "json"),
    "acs_place": CensusKind("acs_place", "census_acs_place", ACS_PLACE_COLUMNS, "json"),
    "gazetteer_county": CensusKind("gazetteer_county", "census_gazetteer_county", GAZ_COUNTY_COLUMNS, "csv", "|"),
    "gazetteer_place": CensusKind("gazetteer_place", "census_gazetteer_place", GAZ_PLACE_COLUMNS, "csv", "|"),
}

# File names the Census Bureau uses; a file named like this that does not parse is an error,
# while an unrecognised file with another name is simply not a census file.
NAME_HINTS = re.compile(r"(?i)(co-est\d{4}|_gaz_(counties|place))")
HEAD_BYTES = 4096


def _first_line(head: bytes) -> str:
    line = head.split(b"\n", 1)[0].rstrip(b"\r")
    return line.decode("latin-1")


def _split_header(line: str) -> tuple[str, list[str]]:
    """The delimiter a header row uses (pipe, comma or tab) and its cells, stripped."""
    counts = {d: line.count(d) for d in ("|", ",", "\t")}
    delim = max(counts, key=counts.get)
    return delim, [c.strip().strip('"') for c in line.split(delim)]


def _json_header(head: bytes) -> list[str] | None:
    """Header array of an ACS API response, read from the first bytes (None if not that shape)."""
    text = head.decode("utf-8", errors="replace").lstrip()
    if not text.startswith("[["):
        return None
    end = text.find("]")
    if end < 0:
        return None
    try:
        header = json.loads(text[1 : end + 1])
    except json.JSONDecodeError:
        return None
    return header if isinstance(header, list) and all(isinstance(h, str) for h in header) else None


def classify(head: bytes) -> tuple[str | None, str]:
    """Census kind of a file from its first bytes, and why (for error messages)."""
    header = _json_header(head)
    if header is not None:
        if header == ACS_COUNTY_COLUMNS:
            return "acs_county", "ACS JSON header with county"
        if header == ACS_PLACE_COLUMNS:
            return "acs_place", "ACS JSON header with place"
        if "B01003_001E" in header:
            return None, f"ACS JSON header {header} is neither the county nor the place variant"
        return None, "JSON array whose header names no ACS variable"
    delim, cells = _split_header(_first_line(head))
    if cells[:5] == PEP_COLUMNS[:5]:
        return "pep_county", "PEP header"
    if cells[:2] == ["USPS", "GEOID"]:
        if "LSAD" in cells:
            return "gazetteer_place", "Gazetteer header with LSAD"
        return "gazetteer_county", "Gazetteer header without LSAD"
    return None, f"header {cells[:6]} (delimiter {delim!r}) is no known census layout"


def _decode(file: FileInfo, data: bytes, encoding: str) -> str:
    """Decode the whole file; a bad byte raises IngestError with its line and column number."""
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        line_no = data.count(b"\n", 0, exc.start) + 1
        line_start = data.rfind(b"\n", 0, exc.start) + 1
        prefix = data[line_start : exc.start].decode(encoding, errors="replace")
        raise IngestError(
            f"byte 0x{data[exc.start]:02x} at offset {exc.start} is not valid {encoding} "
            f"(character {len(prefix) + 1} of the line); the file must be {encoding}-encoded",
            file=file.rel_path,
            row=line_no,
            examples=[data[line_start : data.find(b"\n", exc.start)].decode(encoding, errors="replace")[:200]],
        ) from exc


def _check_header(file: FileInfo, spec: CensusKind, header: list[str]) -> None:
    if header == spec.columns:
        return
    missing = [c for c in spec.columns if c not in header]
    extra = [c for c in header if c not in spec.columns]
    detail = []
    if missing:
        detail.append(f"missing column(s) {missing}")
    if extra:
        detail.append(f"unexpected column(s) {extra}")
    if not detail:
        detail.append("columns in an unexpected order")
    raise IngestError(
        f"{spec.kind} header does not match the published layout: {'; '.join(detail)}",
        file=file.rel_path,
        row=1,
    )


def _parse_delimited(file: FileInfo, spec: CensusKind) -> tuple[list[dict[str, Any]], int]:
    text = _decode(file, file.path.read_bytes(), spec.encoding)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=spec.delimiter)
    try:
        header = [h.strip() for h in next(reader)]
    except StopIteration as exc:
        raise IngestError("empty file", file=file.rel_path) from exc
    if len(header) == 1 and spec.delimiter not in header[0]:
        raise IngestError(
            f"header is not {spec.delimiter!r}-delimited", file=file.rel_path, row=1, column=header[0][:40]
        )
    _check_header(file, spec, header)
    records = []
    for row in reader:
        line = reader.line_num
        if not row or all(c == "" for c in row):
            continue
        if len(row) != len(header):
            column = header[len(row)] if len(row) < len(header) else f"field {len(row)} (past {header[-1]})"
            raise IngestError(
                f"{len(row)} fields where the header has {len(header)} (delimiter {spec.delimiter!r})",
                file=file.rel_path,
                row=line,
                column=column,
                examples=[spec.delimiter.join(row)[:200]],
            )
        rec: dict[str, Any] = {"_row_number": line}
        rec.update(zip(spec.columns, row, strict=True))
        records.append(rec)
    return records, 1


def _parse_json(file: FileInfo, spec: CensusKind) -> tuple[list[dict[str, Any]], int]:
    text = _decode(file, file.path.read_bytes(), spec.encoding)
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise IngestError(
            f"not valid JSON: {exc.msg}", file=file.rel_path, row=exc.lineno, column=f"character {exc.colno}"
        ) from exc
    if not isinstance(data, list) or not data or not isinstance(data[0], list):
        raise IngestError("an ACS API response is an array of arrays with the header first", file=file.rel_path)
    _check_header(file, spec, data[0])
    records = []
    for i, row in enumerate(data[1:], start=2):
        if not isinstance(row, list) or len(row) != len(spec.columns):
            raise IngestError(
                f"array {i} has {len(row) if isinstance(row, list) else 'no'} values, "
                f"the header has {len(spec.columns)}",
                file=file.rel_path,
                row=i,
            )
        for col, value in zip(spec.columns, row, strict=True):
            if value is not None and not isinstance(value, str):
                raise IngestError(
                    f"value {value!r} is not a string (the API prints every value as text)",
                    file=file.rel_path,
                    row=i,
                    column=col,
                )
        rec: dict[str, Any] = {"_row_number": i}
        rec.update(zip(spec.columns, row, strict=True))
        records.append(rec)
    return records, 1


class Census(Source):
    """Census PEP, ACS and Gazetteer files -> raw.census_* (every column as printed, as text)."""

    name = "census"
    tables: ClassVar[dict[str, list[tuple[str, str]]]] = {
        spec.table: [(c, "varchar") for c in spec.columns] for spec in KINDS.values()
    }

    def detect(self, file: FileInfo) -> Detection | None:
        if file.is_excel:
            return None
        named = bool(NAME_HINTS.search(file.path.name))
        kind, why = classify(file.head_bytes(HEAD_BYTES))
        if kind is None:
            if named:
                raise IngestError(f"named like a census file but {why}", file=file.rel_path, row=1)
            return None
        return Detection(self.name, kind, "content", {"why": why})

    def parse(self, file: FileInfo, detection: Detection, context: LoadContext) -> Parsed:
        spec = KINDS[detection.kind]
        records, header_row = (_parse_json if spec.fmt == "json" else _parse_delimited)(file, spec)
        if not records:
            raise IngestError("no data rows below the header", file=file.rel_path, row=header_row)
        frame = pd.DataFrame.from_records(records, columns=["_row_number", *spec.columns])
        meta: dict[str, Any] = {
            "encoding": spec.encoding,
            "delimiter": spec.delimiter if spec.fmt == "csv" else None,
        }
        if spec.kind == "pep_county":
            levels = frame["SUMLEV"].value_counts().to_dict()
            unknown = sorted(set(levels) - {"040", "050"})
            if unknown:
                bad = frame[frame["SUMLEV"].isin(unknown)].iloc[0]
                raise IngestError(
                    f"SUMLEV {bad['SUMLEV']!r} is neither 040 (state) nor 050 (county)",
                    file=file.rel_path,
                    row=int(bad["_row_number"]),
                    column="SUMLEV",
                )
            meta["n_state_rows"] = int(levels.get("040", 0))
            meta["n_county_rows"] = int(levels.get("050", 0))
        return Parsed(
            source=self.name,
            kind=spec.kind,
            layout=spec.kind,
            table=spec.table,
            frame=frame,
            header_row=header_row,
            n_rows=len(frame),
            meta=meta,
        )
