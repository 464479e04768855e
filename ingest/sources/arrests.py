"""ICE arrest releases in every known layout, told apart by their header row wherever it sits.

Layouts (raw table):

* ``lesa_fy2019`` - delimited (``|``, gzip or plain), 9 columns from Area of Responsibility to Gender
  (arrests_lesa_rows);
* ``ddp_2025`` - xlsx, one or more sheets, 6 title rows, 25 columns from Apprehension Date to
  Anonymized Identifier (arrests_ddp_rows);
* ``ddp_early`` - xlsx, 5 title rows, 23 columns ending with Unique Identifier (arrests_ddp_early_rows);
* ``weekly_snapshot`` - csv or xlsx: Agency, State, Week, Arrests (arrests_weekly_rows);
* ``uwchr_county_aor`` - csv lookup: geoid, geoid_state, geoid_county, name, aor (arrests_county_aor_rows).

Title rows are never skipped by count: the first lines/rows are scanned for a known header.
Values land exactly as printed (redaction strings included); dates from xlsx are rendered ISO.
Delimited files are read by DuckDB's CSV reader (``Parsed.relation_sql``), never row by row in Python.
Where a release carries a person identifier, ``person_key`` (HMAC-SHA256, see ``ingest.person_key``)
is added beside it; the identifier itself stays in raw and never goes further.
"""

from __future__ import annotations

import csv
import gzip
import io
import re
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

import pandas as pd

from ingest.errors import IngestError
from ingest.person_key import key_id, load_or_create_key, person_key
from ingest.readers.headers import header_key
from ingest.readers.xlsx import Sheet, cell_text
from ingest.sources.base import Detection, FileInfo, LoadContext, Parsed, Source
from ingest.sql import quote_ident, quote_literal

HEADER_SCAN_LINES = 30
DELIMITED_SUFFIXES = (".csv", ".csv.gz", ".txt", ".txt.gz", ".tsv", ".psv", ".psv.gz")
DELIMITERS = ("|", ",", "\t", ";")
# Redaction strings as ICE prints them (compared after trim + lower case) — identifiers that carry one
# are treated as missing before hashing. Staging turns the same strings into nulls for every column.
REDACTIONS = {"(b)(6);(b)(7)(c)", "b(6), b(7)c", "(b)(7)(e)", "--", "(b)(6)", "(b)(7)(c)"}


def norm_header(text: Any) -> str:
    """Header cell compared case- and space-insensitively (a blank, 0 or False cell is blank)."""
    return header_key(str(text or ""), "casefold")


@dataclass(frozen=True)
class Layout:
    """One known release layout: its header columns (as printed) -> raw column names."""

    name: str
    kind: str
    table: str
    columns: tuple[tuple[str, str], ...]  # (header as printed, raw column)
    required: tuple[str, ...]  # headers that must all be present to claim the layout
    identifier: str | None = None  # raw column holding the person identifier, hashed into person_key
    exact: bool = True  # header must be exactly the column set (else a known subset)

    @property
    def headers(self) -> list[str]:
        """The header row as printed, in order (the sample generator writes exactly this)."""
        return [h for h, _ in self.columns]

    @property
    def by_header(self) -> dict[str, str]:
        return {norm_header(h): c for h, c in self.columns}


def _cols(*headers: str) -> tuple[tuple[str, str], ...]:
    return tuple((h, re.sub(r"[^a-z0-9]+", "_", h.lower()).strip("_")) for h in headers)


LESA = Layout(
    "lesa_fy2019",
    "lesa",
    "arrests_lesa_rows",
    _cols(
        "Area of Responsibility",
        "Apprehension Date",
        "Apprehension Method",
        "Apprehension Landmark",
        "Operation",
        "Processing Disposition",
        "Birth Date",
        "Citizenship",
        "Gender",
    ),
    required=("Area of Responsibility", "Apprehension Date", "Apprehension Method", "Apprehension Landmark"),
)
DDP_2025 = Layout(
    "ddp_2025",
    "ddp",
    "arrests_ddp_rows",
    _cols(
        "Apprehension Date",
        "Apprehension Type",
        "State",
        "County",
        "TOA Current Duty AOR",
        "Apprehension Final Program",
        "Arresting Agency",
        "Apprehension Method",
        "Apprehension Criminality",
        "Case Status",
        "Case Category",
        "Departure Country",
        "Final Order Yes No",
        "Birth Date",
        "Birth Year",
        "Citizenship Country",
        "Gender",
        "Departed Date",
        "Final Order Date",
        "Apprehension Site Landmark",
        "Operation",
        "TOA Current Duty Site",
        "Case Criminality",
        "Case Threat Level",
        "Anonymized Identifier",
    ),
    required=("Apprehension Date", "TOA Current Duty AOR", "Apprehension Method"),
    identifier="anonymized_identifier",
    exact=False,
)
DDP_EARLY = Layout(
    "ddp_early",
    "ddp",
    "arrests_ddp_early_rows",
    _cols(
        "Apprehension Date",
        "Apprehension State",
        "Apprehension County",
        "Apprehension AOR",
        "Final Program",
        "Final Program Group",
        "Apprehension Method",
        "Apprehension Criminality",
        "Case Status",
        "Case Category",
        "Departed Date",
        "Departure Country",
        "Final Order Yes No",
        "Final Order Date",
        "Birth Date",
        "Birth Year",
        "Citizenship Country",
        "Gender",
        "Apprehension Site Landmark",
        "Alien File Number",
        "EID Case ID",
        "EID Subject ID",
        "Unique Identifier",
    ),
    required=("Apprehension Date", "Apprehension AOR", "Apprehension Method"),
    identifier="unique_identifier",
    exact=False,
)
WEEKLY = Layout(
    "weekly_snapshot",
    "weekly",
    "arrests_weekly_rows",
    (("Agency", "agency"), ("State", "state"), ("Week", "week"), ("Arrests", "arrests")),
    required=("Agency", "State", "Week", "Arrests"),
)
# UWCHR's county -> AOR lookup (geoid, "autauga county, alabama", ATL): county names and FIPS for the
# landmark linking, and the county-level AOR split of TX/CA/NY. A lookup read from the raw folder.
COUNTY_AOR = Layout(
    "uwchr_county_aor",
    "county_aor",
    "arrests_county_aor_rows",
    _cols("geoid", "geoid_state", "geoid_county", "name", "aor"),
    required=("geoid", "name", "aor"),
)
LAYOUTS = (LESA, DDP_2025, DDP_EARLY, WEEKLY, COUNTY_AOR)
# Header spellings of the weekly summaries that mean the same column.
WEEKLY_ALIASES = {
    "agency name": "agency",
    "arresting agency": "agency",
    "week of": "week",
    "week start": "week",
    "week starting": "week",
    "week start date": "week",
    "arrest count": "arrests",
    "n arrests": "arrests",
    "total arrests": "arrests",
}


def _table_columns(layout: Layout) -> list[tuple[str, str]]:
    cols = [(c, "varchar") for _, c in layout.columns]
    if layout.identifier:
        cols.append(("person_key", "varchar"))
    return cols


def match_layout(cells: list[Any]) -> tuple[Layout, dict[int, str]] | None:
    """The layout whose header this row is, with raw column by cell position; None when it is none.

    Raises IngestError (column named) when a row is clearly a known header but carries an unknown column:
    a new release needs its mapping reviewed, never a silent drop.
    """
    heads = [norm_header(c) for c in cells]
    present = {h for h in heads if h}
    if len(present) < 4:
        return None
    for layout in LAYOUTS:
        known = dict(layout.by_header)
        if layout is WEEKLY:
            known.update(WEEKLY_ALIASES)
        required = {norm_header(h) for h in layout.required}
        if layout is WEEKLY:
            mapped = {known.get(h, h) for h in present}
            if not required <= {norm_header(m) for m in mapped} or len(present) != 4:
                continue
        elif not required <= present:
            continue
        unknown = [cells[i] for i, h in enumerate(heads) if h and h not in known]
        if unknown and layout.exact:
            continue
        if unknown:
            raise IngestError(
                f"header looks like the {layout.name} layout but has column(s) it does not know: "
                f"{', '.join(repr(u) for u in unknown)} (add them to the layout's mapping after review)",
                column=str(unknown[0]),
            )
        if layout.exact and len(present) != len(layout.columns):
            continue
        return layout, {i: known[h] for i, h in enumerate(heads) if h}
    return None


def _is_delimited(file: FileInfo) -> bool:
    name = file.path.name.lower()
    return name.endswith(DELIMITED_SUFFIXES)


def _head_lines(file: FileInfo, n_bytes: int = 65536) -> list[str]:
    """The first lines of a delimited file (gunzipped when it is gzip), decoded leniently."""
    with open(file.path, "rb") as fh:
        magic = fh.read(2)
    if magic == b"\x1f\x8b":
        try:
            with gzip.open(file.path, "rb") as fh:
                data = fh.read(n_bytes)
        except (OSError, EOFError, zlib.error) as exc:
            raise IngestError(f"gzip file cannot be read (truncated or corrupt): {exc}", file=file.rel_path) from exc
    else:
        data = file.head_bytes(n_bytes)
    text = data.decode("utf-8", errors="replace").lstrip("\ufeff")
    return text.splitlines()[:HEADER_SCAN_LINES]


def find_delimited_header(lines: list[str]) -> tuple[int, str, Layout, dict[int, str]] | None:
    """(1-based header line, delimiter, layout, columns) of the first known header in the first lines."""
    for i, line in enumerate(lines, start=1):
        for delim in DELIMITERS:
            if delim not in line:
                continue
            cells = next(csv.reader(io.StringIO(line), delimiter=delim, quotechar='"'), [])
            hit = match_layout(cells)
            if hit:
                return i, delim, hit[0], hit[1]
    return None


def find_sheet_header(sheet: Sheet) -> tuple[int, Layout, dict[int, str]] | None:
    """(index into sheet.rows, layout, columns) of a known header in the first rows of a worksheet."""
    for idx, row in enumerate(sheet.rows[:HEADER_SCAN_LINES]):
        hit = match_layout(list(row))
        if hit:
            return idx, hit[0], hit[1]
    return None


class Arrests(Source):
    """ICE arrest releases (LESA FY2019, Deportation Data Project xlsx, weekly agency snapshots)."""

    name = "arrests"
    tables: ClassVar[dict[str, list[tuple[str, str]]]] = {layout.table: _table_columns(layout) for layout in LAYOUTS}

    def detect(self, file: FileInfo) -> Detection | None:
        if _is_delimited(file):
            try:
                lines = _head_lines(file)
                hit = find_delimited_header(lines)
            except IngestError as exc:
                exc.file = exc.file or file.rel_path
                raise IngestError(exc.reason, file=file.rel_path, column=exc.column) from exc
            if hit is None:
                return None
            line, delim, layout, columns = hit
            return Detection(
                self.name,
                layout.kind,
                "content",
                {
                    "format": "delimited",
                    "header_line": line,
                    "delimiter": delim,
                    "layout": layout,
                    "columns": columns,
                },
            )
        if not file.is_excel:
            return None
        try:
            sheets = file.sheets
        except IngestError:
            return None
        hits = []
        for sheet in sheets:
            try:
                hit = find_sheet_header(sheet)
            except IngestError as exc:
                raise IngestError(exc.reason, file=file.rel_path, column=exc.column) from exc
            if hit:
                hits.append((sheet, *hit))
        if not hits:
            return None
        layouts = {h[2].name for h in hits}
        if len(layouts) > 1:
            raise IngestError(
                f"worksheets carry different arrest layouts ({', '.join(sorted(layouts))}); "
                "one file must hold one layout",
                file=file.rel_path,
            )
        return Detection(self.name, hits[0][2].kind, "content", {"format": "xlsx", "hits": hits})

    def parse(self, file: FileInfo, detection: Detection, context: LoadContext) -> Parsed:
        if detection.detail["format"] == "delimited":
            return self._parse_delimited(file, detection)
        return self._parse_xlsx(file, detection, context)

    # -- delimited: DuckDB's CSV reader ---------------------------------------------------------
    def _parse_delimited(self, file: FileInfo, detection: Detection) -> Parsed:
        layout: Layout = detection.detail["layout"]
        line: int = detection.detail["header_line"]
        delim: str = detection.detail["delimiter"]
        positions: dict[int, str] = detection.detail["columns"]
        width = max(positions) + 1
        names = [positions.get(i, f"_unnamed_{i}") for i in range(width)]
        col_types = "{" + ", ".join(f"{quote_literal(n)}: 'VARCHAR'" for n in names) + "}"
        data_cols = [c for _, c in layout.columns]
        select_cols = ", ".join(
            quote_ident(c) if c in names else f"null::varchar as {quote_ident(c)}" for c in data_cols
        )
        not_blank = " or ".join(f"nullif(trim({quote_ident(c)}), '') is not null" for c in names)
        # Rows are numbered as file lines (header line + ordinal): the reader keeps file order.
        path, delim_sql = quote_literal(file.duckdb_path()), quote_literal(delim)
        relation_sql = (
            f"select {line} + ordinality as _row_number, {select_cols} "
            f"from read_csv({path}, delim={delim_sql}, quote='\"', escape='\"', "
            f"header=false, skip={line}, columns={col_types}, compression='auto', strict_mode=true, "
            f"auto_detect=false, "
            f"null_padding=false, parallel=true, encoding='utf-8') with ordinality "
            f"where {not_blank}"
        )
        if layout.kind == "weekly":
            self._check_weekly_sql(file, relation_sql)
        return Parsed(
            source=self.name,
            kind=layout.kind,
            layout=layout.name,
            table=layout.table,
            relation_sql=relation_sql,
            header_row=line,
            meta={"columns": data_cols, "delimiter": delim, "header_line": line},
        )

    # -- xlsx: calamine rows -> one frame over every sheet ---------------------------------------
    def _parse_xlsx(self, file: FileInfo, detection: Detection, context: LoadContext) -> Parsed:
        hits = detection.detail["hits"]
        layout: Layout = hits[0][2]
        data_cols = [c for _, c in layout.columns]
        records: list[dict[str, Any]] = []
        sheets_meta = []
        for sheet, idx, _layout, positions in hits:
            header_excel_row = sheet.first_row + idx
            n_before = len(records)
            for offset, row in enumerate(sheet.rows[idx + 1 :], start=1):
                texts = {positions[i]: cell_text(v) for i, v in enumerate(row) if i in positions}
                if all(t is None or not str(t).strip() for t in texts.values()):
                    continue
                extra = [i for i, v in enumerate(row) if i not in positions and cell_text(v) not in (None, "")]
                if extra:
                    raise IngestError(
                        f"value {cell_text(row[extra[0]])!r} under no header (sheet {sheet.name!r})",
                        file=file.rel_path,
                        row=header_excel_row + offset,
                        column=f"column {extra[0] + 1 + sheet.first_col}",
                    )
                rec = {c: texts.get(c) for c in data_cols}
                rec["_row_number"] = header_excel_row + offset
                rec["_sheet"] = sheet.name
                records.append(rec)
            sheets_meta.append(
                {
                    "sheet": sheet.name,
                    "header_row": header_excel_row,
                    "n_rows": len(records) - n_before,
                    "missing_columns": sorted(set(data_cols) - set(positions.values())),
                }
            )
        meta: dict[str, Any] = {"sheets": sheets_meta}
        frame = pd.DataFrame.from_records(records, columns=["_row_number", "_sheet", *data_cols])
        if layout.kind == "weekly":
            self._check_weekly(file, frame)
        if layout.identifier:
            if context.warehouse_dir is None:
                raise IngestError(
                    "a person identifier needs the warehouse's person key (no warehouse dir)",
                    file=file.rel_path,
                )
            key = load_or_create_key(context.warehouse_dir)
            ids = frame[layout.identifier]
            frame["person_key"] = [
                None if v is None or norm_header(v) in REDACTIONS else person_key(key, v) for v in ids
            ]
            meta["person_key_id"] = key_id(key)
        return Parsed(
            source=self.name,
            kind=layout.kind,
            layout=layout.name,
            table=layout.table,
            frame=frame.astype(object).where(frame.notna(), None),
            sheet=hits[0][0].name if len(hits) == 1 else None,
            header_row=hits[0][0].first_row + hits[0][1],
            n_rows=len(frame),
            meta=meta,
        )

    @staticmethod
    def _check_weekly_sql(file: FileInfo, relation_sql: str) -> None:
        """Weekly snapshot (small, delimited): the first row whose arrests is not a whole number, if any."""
        import duckdb

        con = duckdb.connect()
        try:
            bad = con.execute(
                f"select _row_number, arrests from ({relation_sql}) "
                "where not regexp_full_match(coalesce(replace(trim(arrests), ',', ''), ''), '[0-9]+') "
                "order by _row_number limit 1"
            ).fetchone()
        finally:
            con.close()
        if bad:
            raise IngestError(
                f"arrests {bad[1]!r} is not a whole number",
                file=file.rel_path,
                row=int(bad[0]),
                column="Arrests",
            )

    @staticmethod
    def _check_weekly(file: FileInfo, frame: pd.DataFrame) -> None:
        """Weekly snapshots: arrests must be whole numbers (a typo would silently change totals)."""
        for rec in frame.itertuples(index=False):
            value = rec.arrests
            if value is None or not re.fullmatch(r"\s*\d+\s*", str(value).replace(",", "")):
                raise IngestError(
                    f"arrests {value!r} is not a whole number",
                    file=file.rel_path,
                    row=rec._row_number,
                    column="Arrests",
                )


def layout_names() -> list[str]:
    """Every layout the arrests source knows (for docs and tests)."""
    return [layout.name for layout in LAYOUTS]


__all__ = ["DDP_2025", "DDP_EARLY", "LAYOUTS", "LESA", "WEEKLY", "Arrests", "Path", "layout_names"]
