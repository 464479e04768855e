"""Build small xlsx fixtures for tests (real Excel files written with openpyxl, never mocks)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from tools.sample.xlsx_writer import Cell, SheetSpec, write_xlsx

HEADER_8 = ["STATE", "LAW ENFORCEMENT AGENCY", "TYPE", "COUNTY", "SUPPORT TYPE", "SIGNED", "MOA", "ADDENDUM"]
HEADER_7 = HEADER_8[:7]
HEADER_6 = ["STATE", "LAW ENFORCEMENT AGENCY", "TYPE", "SUPPORT TYPE", "SIGNED", "MOA"]
HEADER_HTML = ["STATE", "LAW ENFORCEMENT AGENCY", "SUPPORT TYPE", "SIGNED", "MOA"]
HEADER_PENDING = ["STATE", "LAW ENFORCEMENT AGENCY", "TYPE", "COUNTY", "SUPPORT TYPE"]

MOA = "https://www.ice.gov/doclib/287gMOA/TestAgencyWY_TFM_MOA_01022025.pdf"


def row8(
    agency: str = "Test County Sheriff's Office",
    *,
    state: str = "WYOMING",
    signed: Any = None,
    moa: Any = None,
    county: Any = "Laramie County",
    support: str = "Task Force Model",
    agency_type: str = "County",
    addendum: Any = None,
) -> list[Any]:
    """One 8-column participating row; MOA defaults to a hyperlinked 'link'."""
    return [
        state,
        agency,
        agency_type,
        county,
        support,
        signed or dt.date(2025, 1, 2),
        moa if moa is not None else Cell("link", hyperlink=MOA),
        addendum,
    ]


def write_sheet(
    path: Path,
    header: list[str],
    rows: list[list[Any]],
    *,
    sheet_name: str = "Sheet1",
    used_cols: int | None = None,
    used_rows: int | None = None,
) -> Path:
    """Write a one-sheet workbook with the header on row 1."""
    path.parent.mkdir(parents=True, exist_ok=True)
    return write_xlsx(
        path, SheetSpec(sheet_name=sheet_name, rows=[header, *rows], used_cols=used_cols, used_rows=used_rows)
    )
