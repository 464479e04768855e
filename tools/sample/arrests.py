"""SYNTHETIC ICE arrest files in the real release layouts (MANIFEST.md section 3).

Every row here is invented. Agencies, counties and ERO sub-office codes are real places, chosen to
match the synthetic ICE sheets (``tools/sample/ice_sheets.py``: Clay County FL, Knox County TN,
Lubbock County TX, ...) so the arrests link to the sample agencies; the arrests themselves never
happened. Birth dates and identifiers are redacted or obviously fake (``SYN-...``).

The scenario is plain Python data so tests derive their expectations from it:

* ``PLACES``: each landmark profile with the county FIPS and link method the linking should find
  (``None`` = it must stay unlinked and appear in ``rpt_arrest_link_unmatched``);
* ``lesa_rows()``, ``ddp_rows()``, ``ddp_early_rows()``, ``WEEKLY``: the printed rows of each file.

``write_arrests(dest)`` writes ``dest/arrests/...``:

| file                                                    | layout       |
|---------------------------------------------------------|--------------|
| ``arrests/lesa/EROArrests_SYNTHETIC.csv.gz``            | lesa_fy2019  |
| ``arrests/ddp/ICE_arrests_2025_SYNTHETIC.xlsx`` (2 sheets) | ddp_2025  |
| ``arrests/ddp/ICE_arrests_early_SYNTHETIC.xlsx``        | ddp_early    |
| ``arrests/weekly/agency_arrests_weekly_SYNTHETIC.csv``  | weekly       |
| ``arrests/lookups/county_aor_SYNTHETIC.csv``            | uwchr_county_aor (subset) |
"""

from __future__ import annotations

import csv
import datetime as dt
import gzip
import io
import random
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.writer.excel import ExcelWriter

from ingest.sources import arrests as A

from .xlsx_writer import DEFAULT_TIMESTAMP, repack

ARRESTS_DIR = "arrests"
SEED = 287
METHOD_287G = "287(g) Program"
LESA_REDACTED_DOB = "(B)(6);(B)(7)(C) "
LESA_REDACTED_OP = "(B)(7)(E) "
DDP_REDACTED = "b(6), b(7)c"


@dataclass(frozen=True)
class Place:
    """A landmark as printed, in an AOR, with what linking should find for it."""

    aor: str  # long AOR name as LESA prints it
    landmark: str | None
    weight: int
    county_fips: str | None  # expected county (None: stays unlinked)
    link_method: str | None  # expected link_method for LESA rows
    agency: str | None = None  # arresting agency (DDP 2025 rows) when the arrest is a 287(g) one
    state: str | None = None  # DDP state as printed
    county: str | None = None  # DDP county as printed


def _aor(name: str) -> str:
    return f"{name} Area of Responsibility"


# fmt: off
PLACES: tuple[Place, ...] = (
    Place(_aor("Miami"), "287(G)-CLAY COUNTY SHERIFF'S OFFICE", 9, "12019", "landmark_county",
          "Clay County Sheriff's Office", "FLORIDA", "CLAY"),
    Place(_aor("Miami"), "JAC GENERAL AREA, NON-SPECIFIC", 4, "12031", "landmark_sub_office"),
    Place(_aor("Miami"), "WALTON COUNTY JAIL 287G", 5, "12131", "landmark_county",
          "Walton County Sheriff's Office", "FLORIDA", "WALTON"),
    Place(_aor("New Orleans"), "287(G)-KNOX COUNTY SHERIFF'S OFFICE", 7, "47093", "landmark_county",
          "Knox County Sheriff's Office", "TENNESSEE", "KNOX"),
    Place(_aor("New Orleans"), "KNX GENERAL AREA, NON-SPECIFIC", 3, "47093", "landmark_sub_office"),
    Place(_aor("New Orleans"), "JEFFERSON DAVIS PARISH JAIL", 3, "22053", "landmark_county",
          "Jefferson Davis Parish Sheriff's Office", "LOUISIANA", "JEFFERSON DAVIS"),
    Place(_aor("Dallas"), "LUBBOCK COUNTY SHERIFF'S OFFICE", 6, "48303", "landmark_county",
          "Lubbock County Sheriff's Office", "TEXAS", "LUBBOCK"),
    Place(_aor("Dallas"), "LBK GENERAL AREA, NON-SPECIFIC", 2, "48303", "landmark_sub_office"),
    Place(_aor("Washington"), "ROCKINGHAM COUNTY JAIL - VA", 4, "51165", "landmark_county",
          "Rockingham County Sheriff's Office", "VIRGINIA", "ROCKINGHAM"),
    Place(_aor("Washington"), "PRINCE WILLIAM/MANASSAS REGIONAL JAIL - VA", 3, "51153", "landmark_facility"),
    Place(_aor("Atlanta"), "GWINNETT COUNTY JAIL - 287(G)", 5, "13135", "landmark_county"),
    Place(_aor("Salt Lake City"), "LAS VEGAS CAP PROCESSING", 2, "32003", "landmark_facility"),
    Place(_aor("Atlanta"), "FIELD ARREST", 2, None, None),
    Place(_aor("Atlanta"), "ZZQ GENERAL AREA, NON-SPECIFIC", 1, None, None),
    Place(_aor("Denver"), "NATRONA COUNTY DETENTION CENTER", 3, "56025", "landmark_county",
          "Natrona County Sheriff's Office", "WYOMING", "NATRONA"),
)
# fmt: on
OTHER_METHODS = ("CAP Local Incarceration", "Non-Custodial Arrest", "Located", "CAP State Incarceration")
DISPOSITIONS = ("Warrant of Arrest/Notice to Appear", "REINSTATEMENT OF DEPORT ORDER I-871", "Other")
COUNTRIES = ("MEXICO", "GUATEMALA", "HONDURAS", "EL SALVADOR")
GENDERS = ("Male", "Female")
N_LESA = 240
N_DDP = 120
N_DDP_EARLY = 60
FY_START = dt.date(2018, 10, 1)
DDP_START = dt.date(2025, 1, 20)


def _pick(rng: random.Random) -> Place:
    return rng.choices(PLACES, weights=[p.weight for p in PLACES])[0]


def lesa_rows() -> list[list[str | None]]:
    """The LESA data rows as printed (9 columns), after the title rows and header."""
    rng = random.Random(SEED)
    rows = []
    for i in range(N_LESA):
        place = _pick(rng)
        method = METHOD_287G if rng.random() < 0.7 else rng.choice(OTHER_METHODS)
        day = FY_START + dt.timedelta(days=rng.randrange(0, 336))
        operation = rng.choice([LESA_REDACTED_OP, None, "--"])
        landmark = place.landmark if i % 37 else None  # a few rows without a landmark
        rows.append(
            [
                place.aor,
                f"{day.month}/{day.day}/{day.year}",
                method,
                landmark,
                operation,
                rng.choice(DISPOSITIONS),
                LESA_REDACTED_DOB,
                rng.choice(COUNTRIES),
                rng.choice(GENDERS),
            ]
        )
    return rows


LESA_TITLE = [
    "ERO-LESA Statistical Tracking Unit (SYNTHETIC SAMPLE)",
    "For Official Use Only (FOUO)/Pre-decisional",
    "SYNTHETIC-0000-00000",
    None,
    "ERO Administrative Arrests for FY2019 (10/1/2018 - 8/31/2019) - SYNTHETIC",
]
LESA_HEADER = A.LESA.headers  # the reader's header list, not a copy


def _psv_line(cells: list[Any], quote_all_text: bool = True) -> str:
    out = []
    for c in cells:
        if c is None:
            out.append("")
        elif isinstance(c, str) and quote_all_text and not _is_us_date(c):
            out.append('"' + c.replace('"', '""') + '"')
        else:
            out.append(str(c))
    return "|".join(out)


def _is_us_date(text: str) -> bool:
    parts = text.split("/")
    return len(parts) == 3 and all(p.isdigit() for p in parts)


def lesa_text(rows: list[list[str | None]] | None = None) -> str:
    """The whole LESA file as text: 5 title rows, header on line 6, pipe-delimited, quoted, LF."""
    lines = [_psv_line([t] + [None] * 8) if t else "|" * 8 for t in LESA_TITLE]
    lines.append(_psv_line(LESA_HEADER))
    lines.extend(_psv_line(r) for r in (rows if rows is not None else lesa_rows()))
    return "\n".join(lines) + "\n"


def write_gzip(path: Path, text: str) -> Path:
    """gzip with a fixed mtime and no file name, so the bytes are deterministic."""
    path.parent.mkdir(parents=True, exist_ok=True)
    buf = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=buf, mtime=0, compresslevel=6) as gz:
        gz.write(text.encode("utf-8"))
    path.write_bytes(buf.getvalue())
    return path


DDP_2025_HEADER = A.DDP_2025.headers  # the reader's header list, not a copy
DDP_EARLY_HEADER = A.DDP_EARLY.headers  # the reader's header list, not a copy
DDP_TITLE_2025 = [
    "SYNTHETIC SAMPLE - not ICE data",
    "ICE Enforcement and Removal Operations",
    "Administrative Arrests",
    "FOIA 2025-ICFO-SYNTHETIC",
    "Data through 2025-10-15",
    None,
]
DDP_TITLE_EARLY = DDP_TITLE_2025[:5]


def ddp_rows() -> list[list[Any]]:
    """Rows of the 25-column release (Apprehension Date as a datetime)."""
    rng = random.Random(SEED + 1)
    people = [f"SYN-{rng.randrange(16**10):010x}" for _ in range(80)]  # repeat arrests share an id
    rows = []
    for i in range(N_DDP):
        place = _pick(rng)
        is_287g = place.agency is not None and rng.random() < 0.8
        when = dt.datetime.combine(
            DDP_START + dt.timedelta(days=rng.randrange(0, 260)),
            dt.time(rng.randrange(0, 24), rng.randrange(0, 60)),
        )
        rows.append(
            [
                when,
                rng.choice(["Administrative", "Criminal"]),
                place.state if is_287g or i % 3 == 0 else None,
                place.county if is_287g or i % 3 == 0 else None,
                place.aor,
                "ERO Criminal Alien Program" if not is_287g else "287(g) Program",
                place.agency.upper() if is_287g else None,
                METHOD_287G if is_287g else rng.choice(OTHER_METHODS),
                rng.choice(["1 Convicted Criminal", "2 Pending Criminal Charges", "3 Other Immigration Violator"]),
                rng.choice(["ACTIVE", "CLOSED"]),
                "[8C] Excludable / Inadmissible",
                rng.choice(COUNTRIES),
                rng.choice(["YES", "NO"]),
                DDP_REDACTED,
                1980 + rng.randrange(0, 25),
                rng.choice(COUNTRIES),
                rng.choice(GENDERS),
                None,
                None,
                place.landmark,
                DDP_REDACTED if rng.random() < 0.5 else None,
                None,
                None,
                None,
                rng.choice(people) if i % 11 else DDP_REDACTED,
            ]
        )
    return rows


def ddp_early_rows() -> list[list[Any]]:
    """Rows of the earlier 23-column release (state as USPS code, county as printed)."""
    rng = random.Random(SEED + 2)
    usps = {
        "FLORIDA": "FL",
        "TENNESSEE": "TN",
        "LOUISIANA": "LA",
        "TEXAS": "TX",
        "VIRGINIA": "VA",
        "WYOMING": "WY",
    }
    rows = []
    for i in range(N_DDP_EARLY):
        place = _pick(rng)
        when = dt.datetime.combine(dt.date(2024, 10, 1) + dt.timedelta(days=rng.randrange(0, 100)), dt.time(8))
        rows.append(
            [
                when,
                usps.get(place.state or ""),
                f"{place.county.title()} County" if place.county else None,
                place.aor,
                "287(g) Program" if place.agency else "ERO Criminal Alien Program",
                "287(g)",
                METHOD_287G if place.agency else rng.choice(OTHER_METHODS),
                "1 Convicted Criminal",
                "ACTIVE",
                "[8C] Excludable / Inadmissible",
                None,
                None,
                "NO",
                None,
                DDP_REDACTED,
                1970 + rng.randrange(0, 30),
                rng.choice(COUNTRIES),
                rng.choice(GENDERS),
                place.landmark,
                DDP_REDACTED,
                f"SYN-EIDC-{i:05d}",
                f"SYN-EIDS-{i % 40:05d}",
                f"SYN-UID-{i % 40:05d}",
            ]
        )
    return rows


# Weekly 287(g) agency summaries (agency, state, week, arrests), the internal-summary shape.
WEEKLY: tuple[tuple[str, str, str, str], ...] = tuple(
    (agency, state, week, str(n))
    for week_i, week in enumerate(("2025-09-01", "2025-09-08", "2025-09-15"))
    for agency, state, n in (
        ("Clay County Sheriff's Office", "FL", 41 + week_i),
        ("Knox County Sheriff's Office", "TN", 33 - week_i),
        ("Lubbock County Sheriff's Office", "TX", 12 + 2 * week_i),
        ("Natrona County Sheriff's Office", "WY", 3),
        ("Gwinnett County Sheriff's Office", "GA", 25),  # not in the sample ICE sheets
    )
)


def _write_workbook(path: Path, sheets: list[tuple[str, list[Any], list[str], list[list[Any]]]]) -> Path:
    """Workbook with one sheet per (name, title rows, header, rows); dates as Excel datetimes."""
    wb = Workbook()
    wb.remove(wb.active)
    for name, titles, header, rows in sheets:
        ws = wb.create_sheet(name)
        for title in titles:
            ws.append([title])
        ws.append(header)
        for row in rows:
            ws.append(row)
            for cell in ws[ws.max_row]:
                if isinstance(cell.value, dt.datetime):
                    cell.number_format = "m/d/yyyy h:mm"
    wb.properties.creator = "SYNTHETIC sample generator"
    wb.properties.created = DEFAULT_TIMESTAMP
    wb.properties.modified = DEFAULT_TIMESTAMP
    buf = io.BytesIO()
    import zipfile

    archive = zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED)
    ExcelWriter(wb, archive).save()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(repack(buf.getvalue(), DEFAULT_TIMESTAMP))
    return path


def weekly_text() -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(A.WEEKLY.headers)
    writer.writerows(WEEKLY)
    return buf.getvalue()


# County -> AOR lookup in UWCHR's layout, for the sample's counties plus same-name counties elsewhere in
# their AORs (so linking meets ambiguity). FIPS codes, names and AORs are public facts.
COUNTY_AOR: tuple[tuple[str, str, str], ...] = (
    ("12019", "clay county, florida", "MIA"),
    ("12031", "duval county, florida", "MIA"),
    ("12131", "walton county, florida", "MIA"),
    ("12009", "brevard county, florida", "MIA"),
    ("12083", "marion county, florida", "MIA"),
    ("47093", "knox county, tennessee", "NOL"),
    ("47147", "robertson county, tennessee", "NOL"),
    ("22053", "jefferson davis parish, louisiana", "NOL"),
    ("28067", "jones county, mississippi", "NOL"),
    ("48303", "lubbock county, texas", "DAL"),
    ("48221", "hood county, texas", "DAL"),
    ("48029", "bexar county, texas", "SNA"),
    ("51165", "rockingham county, virginia", "WAS"),
    ("51153", "prince william county, virginia", "WAS"),
    ("51683", "manassas city, virginia", "WAS"),
    ("13135", "gwinnett county, georgia", "ATL"),
    ("13121", "fulton county, georgia", "ATL"),
    ("37157", "rockingham county, north carolina", "ATL"),
    ("32003", "clark county, nevada", "SLC"),
    ("16033", "clark county, idaho", "SLC"),
    ("56025", "natrona county, wyoming", "DEN"),
    ("56021", "laramie county, wyoming", "DEN"),
    ("56005", "campbell county, wyoming", "DEN"),
    ("42017", "bucks county, pennsylvania", "PHI"),
)


def county_aor_text() -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(A.COUNTY_AOR.headers)
    for geoid, name, aor in COUNTY_AOR:
        writer.writerow([geoid, geoid[:2], geoid[2:], name, aor])
    return buf.getvalue()


def write_arrests(dest: Path) -> list[Path]:
    """Write every synthetic arrests file under dest/arrests; returns the paths."""
    root = Path(dest) / ARRESTS_DIR
    ddp = ddp_rows()
    half = len(ddp) // 2
    written = [
        write_gzip(root / "lesa" / "EROArrests_SYNTHETIC.csv.gz", lesa_text()),
        _write_workbook(
            root / "ddp" / "ICE_arrests_2025_SYNTHETIC.xlsx",
            [
                ("Arrests 1", DDP_TITLE_2025, DDP_2025_HEADER, ddp[:half]),
                ("Arrests 2", DDP_TITLE_2025, DDP_2025_HEADER, ddp[half:]),
            ],
        ),
        _write_workbook(
            root / "ddp" / "ICE_arrests_early_SYNTHETIC.xlsx",
            [
                ("Sheet1", DDP_TITLE_EARLY, DDP_EARLY_HEADER, ddp_early_rows()),
            ],
        ),
    ]
    weekly = root / "weekly" / "agency_arrests_weekly_SYNTHETIC.csv"
    weekly.parent.mkdir(parents=True, exist_ok=True)
    weekly.write_text(weekly_text(), encoding="utf-8")
    written.append(weekly)
    lookup = root / "lookups" / "county_aor_SYNTHETIC.csv"
    lookup.parent.mkdir(parents=True, exist_ok=True)
    lookup.write_text(county_aor_text(), encoding="utf-8")
    written.append(lookup)
    return written
