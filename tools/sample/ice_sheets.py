"""SYNTHETIC ICE 287(g) participating / pending agency sheets.

Everything here is invented test data in the real ICE sheet formats (see
shared/realdata/MANIFEST.md sections 1b, 1c, 7). Some agency names are real
agencies named in public reporting; every row, date, URL and event is made up.

The scenario is plain Python data so tests can derive expected answers from it:

* ``AGREEMENTS`` -- the ground truth, one :class:`Agreement` per
  (agency, support type, signing), with canonical fields, the publications it
  is printed in, and the deliberate printed variants (``overrides``).
* ``PUBLICATIONS`` -- one :class:`Publication` per file, in as-of order, each
  with its fully materialised printed ``rows`` (:class:`PrintedRow`), exactly
  as written to the xlsx (including quirks and the duplicate row).
* ``QUIRKS`` / ``EVENTS`` -- human-readable catalogue of the deliberate quirks
  and history events (also listed in data/sample/README.md).

``write_ice_sheets(dest)`` writes ``dest/ice_287g_sheets/<YYYY-MM-DD>/<file>``
(or ``dest/ice_287g_sheets/<file>`` when ``folder`` is None).
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote

from ingest.sources.ice_sheets import LAYOUTS

from .xlsx_writer import Cell, SheetSpec, a1_range, write_xlsx

D = dt.date
JEM = "Jail Enforcement Model"
TFM = "Task Force Model"
WSO = "Warrant Service Officer"
SUPPORT_SHORT = {JEM: "JEM", TFM: "TFM", WSO: "WSO"}

ICE_MOA_BASE = "https://www.ice.gov/doclib/287gMOA/"
SHEETS_DIR = "ice_287g_sheets"

# ---------------------------------------------------------------------------
# Publications (files). Order = as-of order; P* participating, Q* pending.
# ---------------------------------------------------------------------------
# The header each layout prints, taken from the reader (ingest.sources.ice_sheets.LAYOUTS), not copied.
_HEADER_OF_LAYOUT = {layout: header for header, (_, layout) in LAYOUTS.items()}
PARTICIPATING_COLUMNS = {
    "html5": _HEADER_OF_LAYOUT["participating_html5"],
    "xlsx6": _HEADER_OF_LAYOUT["participating_xlsx6"],
    "xlsx7": _HEADER_OF_LAYOUT["participating_xlsx7"],
    "xlsx8": _HEADER_OF_LAYOUT["participating_xlsx8"],
    "pending5": _HEADER_OF_LAYOUT["pending_xlsx5"],
    "pending6": _HEADER_OF_LAYOUT["pending_xlsx6"],
}


@dataclass(frozen=True)
class PubSpec:
    pub_id: str
    kind: str  # "participating" | "pending"
    layout: str  # key of PARTICIPATING_COLUMNS
    as_of: dt.date  # true as-of date (= folder date)
    folder: str | None  # "YYYY-MM-DD" or None = directly in ice_287g_sheets/
    file_name: str
    file_name_date: dt.date | None  # date encoded in the file name (None = unparseable)
    sheet_name: str
    used_cols: int | None = None  # used range extends to this column (e.g. 13 = M)
    extra_rows: int = 0  # empty formatted rows after the data
    autofilter_cols: int | None = None  # autofilter A1:<col><last data row>; None = none
    wayback_ts: str | None = None  # html5 only


PUB_SPECS: tuple[PubSpec, ...] = (
    PubSpec(
        "P1",
        "participating",
        "html5",
        D(2025, 1, 4),
        "2025-01-04",
        "ParticipatingEntities-20250104041613.xlsx",
        D(2025, 1, 4),
        "287(g) Agreements",
        wayback_ts="20250104041613",
    ),
    PubSpec(
        "P2",
        "participating",
        "xlsx6",
        D(2025, 2, 21),
        "2025-02-21",
        "participatingAgencies-20250221214937.xlsx",
        D(2025, 2, 21),
        "Sheet1",
        autofilter_cols=6,
    ),
    PubSpec(
        "P3",
        "participating",
        "xlsx7",
        D(2025, 4, 28),
        "2025-04-28",
        "participatingAgencies04282025am.xlsx",
        D(2025, 4, 28),
        "Sheet1",
        used_cols=13,
        extra_rows=6,
        autofilter_cols=7,
    ),
    PubSpec(
        "Q1",
        "pending",
        "pending5",
        D(2025, 4, 28),
        "2025-04-28",
        "pendingAgencies04282025am.xlsx",
        D(2025, 4, 28),
        "Sheet1",
        extra_rows=3,
        autofilter_cols=7,
    ),
    # No date folder: the as-of date must come from the file name.
    PubSpec(
        "P4",
        "participating",
        "xlsx8",
        D(2025, 7, 18),
        None,
        "participatingAgencies07182025pm.xlsx",
        D(2025, 7, 18),
        "Sheet1",
        used_cols=9,
        extra_rows=5,
        autofilter_cols=8,
    ),
    PubSpec(
        "Q2",
        "pending",
        "pending5",
        D(2025, 7, 18),
        "2025-07-18",
        "pendingAgencies07182025am.xlsx",
        D(2025, 7, 18),
        "Sheet1",
        extra_rows=2,
        autofilter_cols=7,
    ),
    # File name says 08/02/2025 but it was published ~2025-09-02 (SIGNED up to 2025-08-28).
    PubSpec(
        "P5",
        "participating",
        "xlsx8",
        D(2025, 9, 2),
        "2025-09-02",
        "participatingAgencies08022025pm.xlsx",
        D(2025, 8, 2),
        "Sheet1",
        used_cols=13,
        extra_rows=8,
        autofilter_cols=8,
    ),
    PubSpec(
        "Q3",
        "pending",
        "pending5",
        D(2025, 9, 2),
        "2025-09-02",
        "pendingAgencies09022025am.xlsx",
        D(2025, 9, 2),
        "Sheet 1",
        extra_rows=1,
        autofilter_cols=7,
    ),
    # File-name year typo "4025" (like the real participatingAgencies11114025am.xlsx).
    PubSpec(
        "P6",
        "participating",
        "xlsx8",
        D(2025, 11, 14),
        "2025-11-14",
        "participatingAgencies11114025am.xlsx",
        None,
        "Sheet1",
        used_cols=13,
        extra_rows=10,
        autofilter_cols=13,
    ),
    PubSpec(
        "Q4",
        "pending",
        "pending5",
        D(2025, 11, 14),
        "2025-11-14",
        "pendingAgencies11142025am.xlsx",
        D(2025, 11, 14),
        "Sheet 1",
        extra_rows=4,
        autofilter_cols=7,
    ),
    PubSpec(
        "P7",
        "participating",
        "xlsx8",
        D(2026, 2, 27),
        "2026-02-27",
        "participatingAgencies02272026mid.xlsx",
        D(2026, 2, 27),
        "Sheet1",
        used_cols=13,
        extra_rows=10,
        autofilter_cols=13,
    ),
    PubSpec(
        "Q5",
        "pending",
        "pending6",
        D(2026, 2, 27),
        "2026-02-27",
        "pendingAgencies02272026am.xlsx",
        D(2026, 2, 27),
        "Sheet 1",
        extra_rows=20,
        autofilter_cols=7,
    ),
    PubSpec(
        "P8",
        "participating",
        "xlsx8",
        D(2026, 3, 27),
        "2026-03-27",
        "participatingAgencies03272026.xlsx",
        D(2026, 3, 27),
        "Sheet1",
        used_cols=13,
        extra_rows=10,
        autofilter_cols=13,
    ),
)
PUB_BY_ID = {p.pub_id: p for p in PUB_SPECS}
PARTICIPATING_IDS = tuple(p.pub_id for p in PUB_SPECS if p.kind == "participating")
PENDING_IDS = tuple(p.pub_id for p in PUB_SPECS if p.kind == "pending")
ALL_P = PARTICIPATING_IDS


def P(first: str, last: str | None = None) -> tuple[str, ...]:
    """Participating publication ids from ``first`` through ``last`` (inclusive)."""
    i = PARTICIPATING_IDS.index(first)
    j = PARTICIPATING_IDS.index(last) if last else len(PARTICIPATING_IDS) - 1
    return PARTICIPATING_IDS[i : j + 1]


def _pidx(pub_id: str) -> int:
    return PARTICIPATING_IDS.index(pub_id)


# ---------------------------------------------------------------------------
# Ground truth: agreements
# ---------------------------------------------------------------------------
@dataclass(frozen=True)
class Agreement:
    key: str
    state: str  # canonical upper-case state name
    agency: str  # canonical agency name when first published (see ``renamed``)
    agency_type: str  # canonical TYPE: County | Municipality | State Agency
    county: str | None  # canonical county / parish / independent city; None = statewide
    support: str  # canonical SUPPORT TYPE (JEM / TFM / WSO long names)
    signed: dt.date | None  # true signing date; None = never signed (pending only)
    moa_url: str | None  # canonical https://www.ice.gov/doclib/287gMOA/... URL
    participating: tuple[str, ...] = ()  # participating publication ids it is printed in
    pending: tuple[str, ...] = ()  # pending publication ids it is printed in
    moa_posted_in: str | None = None  # first participating pub whose MOA cell is a hyperlink
    addendum_url: str | None = None
    addendum_posted_in: str | None = None
    renamed: tuple[tuple[str, str], ...] = ()  # (pub_id, new agency name), effective from pub
    href_forms: tuple[tuple[str, str], ...] = ()  # (pub_id, form) effective from pub; default "plain"
    overrides: Mapping[str, Mapping[str, Any]] = field(default_factory=dict, hash=False, compare=False)
    notes: tuple[str, ...] = ()

    @property
    def support_short(self) -> str:
        return SUPPORT_SHORT[self.support]

    def agency_in(self, pub_id: str) -> str:
        """Canonical agency name in effect for a participating publication."""
        name = self.agency
        if pub_id in PARTICIPATING_IDS:
            for rp, new in self.renamed:
                if _pidx(pub_id) >= _pidx(rp):
                    name = new
        return name

    @property
    def final_agency(self) -> str:
        return self.renamed[-1][1] if self.renamed else self.agency

    @property
    def removed_after(self) -> str | None:
        """Last participating pub it appears in, if it is missing from the final one."""
        if self.participating and self.participating[-1] != PARTICIPATING_IDS[-1]:
            return self.participating[-1]
        return None


def moa(name: str) -> str:
    return ICE_MOA_BASE + name


def A(key, state, agency, agency_type, county, support, signed, moa_file, participating=(), **kw) -> Agreement:
    if "moa_posted_in" not in kw and participating and moa_file:
        kw["moa_posted_in"] = participating[0]
    return Agreement(
        key,
        state,
        agency,
        agency_type,
        county,
        support,
        signed,
        moa(moa_file) if moa_file else None,
        tuple(participating),
        **kw,
    )


SO = "Sheriff's Office"

# fmt: off
AGREEMENTS: tuple[Agreement, ...] = (
    # ---- already participating in the January 2025 web-table era (JEM/WSO only) ----
    A("FL-WALTON-WSO", "FLORIDA", f"Walton County {SO}", "County", "Walton County", WSO, D(2019, 10, 15),
      "287gWSO_WaltonCoFL_10-15-2019.pdf", ALL_P,
      renamed=(("P5", "Walton County Board of County Commissioners"),),
      notes=(
          "renamed: WSO agreement moves from the sheriff to the county commission in P5 "
          "(same signed date and MOA)",
      )),
    A("FL-CLAY-JEM", "FLORIDA", f"Clay County {SO}", "County", "Clay County", JEM, D(2019, 11, 5),
      "287gJEM_%20ClayCoFL_11-05-2019.pdf", ALL_P, addendum_url=moa("ClayCoFL_JEM_Addendum_08.14.2025.pdf"),
      addendum_posted_in="P5",
      notes=(
          "MOA URL contains %20 (a literal space in the web-table era Wayback URL)",
          "ADDENDUM hyperlink from P5",
      )),
    A("FL-HERNANDO-JEM", "FLORIDA", f"Hernando County {SO}", "County", "Hernando County", JEM, D(2020, 1, 16),
      "287gJEM_HernandoCoFL_01-16-2020.pdf", P("P1", "P4"), notes=("removed: last printed in P4",)),
    A("TX-LUBBOCK-WSO", "TEXAS", f"Lubbock County {SO}", "County", "Lubbock County", WSO, D(2019, 9, 4),
      "287gWSO_LubbockCoTX_09-04-2019.pdf", ALL_P,
      overrides={p: {"state": "TEXAS ", "county": "Lubbock County "} for p in P("P6")},
      notes=("STATE 'TEXAS ' and COUNTY 'Lubbock County ' (trailing spaces) from P6",)),
    A("TX-GOLIAD-WSO", "TEXAS", f"Goliad County {SO}", "County", "Goliad County", WSO, D(2020, 8, 27),
      "287gWSO_GoliadCoTX_08-27-2020.pdf", ALL_P, overrides={p: {"agency_type": "County "} for p in P("P5")},
      notes=("TYPE 'County ' (trailing space) from P5",)),
    A("TN-KNOX-JEM", "TENNESSEE", f"Knox County {SO}", "County", "Knox County", JEM, D(2019, 5, 6),
      "287gJEM_KnoxCoTN_05-06-2019.pdf", ALL_P, moa_posted_in="P1",
      addendum_url=moa("KnoxCoTN_JEM_Addendum_06.30.2025.pdf"), addendum_posted_in="P4",
      overrides={
          "P2": {"moa": "link\xa0|\xa0addendum", "moa_target": None},
          "P3": {"moa": "link\xa0|\xa0addendum", "moa_target": None},
      },
      notes=(
          "MOA display 'link\\xa0|\\xa0addendum' (NBSP) with no hyperlink in P2-P3; "
          "'link' + hyperlink and ADDENDUM hyperlink from P4",
      )),
    A("LA-JEFFDAVIS-WSO", "LOUISIANA", f"Jefferson Davis Parish {SO}", "County", "Jefferson Davis Parish",
      WSO, D(2019, 4, 24), "287gWSO_JeffersonDavisParishLA_04-24-2019.pdf", ALL_P),
    A("VA-ROCKINGHAM-JEM", "VIRGINIA", f"Rockingham County {SO}", "County", "Rockingham County", JEM,
      D(2019, 12, 31), "287gJEM_RockinghamCoVA_12-31-2019.pdf", ALL_P),
    A("WY-NATRONA-WSO", "WYOMING", f"Natrona County {SO}", "County", "Natrona County", WSO, D(2020, 2, 11),
      "287gWSO_NatronaCoWY_02-11-2020.pdf", P("P1", "P5"),
      notes=("support-type switch: WSO dropped in P6 when the TFM agreement appears",)),
    A("TN-ROBERTSON-WSO", "TENNESSEE", f"Robertson County {SO}", "County", "Robertson County", WSO,
      D(2020, 6, 9), "287gWSO_RobertsonCoTN_06-09-2020.pdf", ALL_P),
    # ---- first xlsx (2025-02-21) ----
    A("WY-LARAMIE-WSO", "WYOMING", f"Laramie County {SO}", "County", "Laramie County", WSO, D(2025, 2, 5),
      "LaramieCoWY_WSO_MOA_02.05.2025.pdf", P("P2")),
    A("FL-WALTON-TFM", "FLORIDA", f"Walton County {SO}", "County", "Walton County", TFM, D(2025, 2, 12),
      "WaltonCoSOFL_TFM_MOA_02.12.2025.pdf", P("P2"), moa_posted_in="P3",
      overrides={"P2": {"moa": "link pending "}}, notes=("'link pending ' (trailing space) in P2",)),
    A("FL-FHP-TFM", "FLORIDA", "Florida Highway Patrol", "State Agency", None, TFM, D(2025, 2, 14),
      "FloridaHighwayPatrol_TFM_MOA_02.14.2025.pdf", P("P2"), moa_posted_in="P3",
      overrides={p: {"agency_type": "State"} for p in P("P5")},
      notes=("TYPE 'State Agency' until P4, 'State' from P5",)),
    A("TX-DPS-TFM", "TEXAS", "Texas Department of Public Safety", "State Agency", None, TFM, D(2025, 2, 19),
      "TexasDPS_TFM_MOA_02.19.2025.pdf", P("P2"), moa_posted_in="P3"),
    A("PA-BUCKS-TFM", "PENNSYLVANIA", f"Bucks County {SO}", "County", "Bucks County", TFM, D(2025, 2, 18),
      "BucksCoSOPA_TFM_MOA_02.18.2025.pdf", P("P2"), moa_posted_in="P3",
      overrides={"P7": {"state": "PENNSLYVANIA"}}, notes=("STATE typo 'PENNSLYVANIA' in P7",)),
    # ---- 7-column era (2025-04-28) ----
    A("WY-LARAMIE-TFM", "WYOMING", f"Laramie County {SO}", "County", "Laramie County", TFM, D(2025, 4, 10),
      "LaramieCoWY_TFM_MOA_04.10.2025.pdf", P("P3"), moa_posted_in="P4",
      notes=("second support type added by an agency already participating (WSO)",)),
    A("FL-PALMBAY-TFM", "FLORIDA", "Palm Bay Police Department", "Municipality", "Brevard County", TFM,
      D(2025, 3, 11), "PalmBayPDFL_TFM_MOA_03.11.2025.pdf", P("P3"), href_forms=(("P4", "safelinks"),),
      notes=("MOA hyperlink plain in P3, Outlook SafeLinks-wrapped from P4 (same PDF)",)),
    A("FL-FWC-TFM", "FLORIDA", "Florida Fish and Wildlife Conservation Commission", "State Agency", None, TFM,
      D(2025, 4, 2), "FWC_FL_TFM_MOA_04.02.2025.pdf", P("P3"),
      overrides={p: {"county": "N/A"} for p in P("P3")}, notes=("COUNTY placeholder 'N/A'",)),
    A("NH-BELKNAP-WSO", "NEW HAMPSHIRE", f"Belknap County {SO}", "County", "Belknap County", WSO,
      D(2025, 3, 25), "BelknapCoNH_WSO_MOA_03.25.2025.pdf", P("P3"), href_forms=(("P7", "chrome"),),
      overrides={"P3": {"support": "Warrant Services Officer"}, "P7": {"state": "NEW HAMPSHIRE "}},
      notes=(
          "SUPPORT TYPE 'Warrant Services Officer' in P3",
          "STATE 'NEW HAMPSHIRE ' in P7",
          "MOA hyperlink via chrome-extension://efaidnbmnnnibpcajpcglclefindmkaj/https:/... from P7",
      )),
    A("LA-LAFOURCHE-TFM", "LOUISIANA", f"Lafourche Parish {SO}", "County", "Lafourche Parish", TFM,
      D(2025, 4, 10), "LafourchePSOLA_TFM_MOA_04.10.2025.pdf", P("P3"),
      overrides={p: {"county": "Lafourche County"} for p in P("P3", "P5")},
      notes=("COUNTY printed 'Lafourche County' (wrong unit for a parish) P3-P5, "
             "'Lafourche Parish' from P6",)),
    A("TX-KINNEY-TFM", "TEXAS", f"Kinney County {SO}", "County", "Kinney County", TFM, D(2025, 4, 15),
      "KinneyCoTX_TFM%20MOA_04.15.2025.pdf", P("P3"), notes=("MOA URL contains %20",)),
    A("TN-SEVIER-TFM", "TENNESSEE", f"Sevier County {SO}", "County", "Sevier County", TFM, D(2025, 3, 28),
      "SevierCoTN_TFM_MOA_03.28.2025.pdf", P("P3"),
      overrides={p: {"support": "Task Force Model "} for p in P("P6")},
      notes=("SUPPORT TYPE 'Task Force Model ' (trailing space) from P6",)),
    # ---- pending first (Q1 2025-04-28), later participating ----
    A("NH-COLEBROOK-TFM", "NEW HAMPSHIRE", "Colebrook Police Department", "Municipality", "Coos County", TFM,
      D(2025, 8, 12), "ColebrookPDNH_TFM_MOA_08.12.2025.pdf", P("P5"), moa_posted_in="P6",
      pending=("Q1", "Q2"), href_forms=(("P5", "safelinks"),),
      notes=("pending in Q1-Q2, participating from P5 ('link pending'), MOA posted P6",)),
    A("VA-LYNCHBURG-TFM", "VIRGINIA", "Lynchburg Police Department", "Municipality", "Lynchburg City", TFM,
      D(2025, 5, 1), "LynchburgPDVA_TFM_MOA_05.01.2025.pdf", P("P4"), pending=("Q1",),
      overrides={**{p: {"county": "#NA"} for p in P("P4")}, "Q1": {"county": "#N/A"}},
      notes=("Virginia independent city; COUNTY '#N/A' (pending) then '#NA'",)),
    A("TX-POLK-TFM", "TEXAS", f"Polk County {SO}", "County", "Polk County", TFM, D(2025, 5, 8),
      "PolkCoSOTX_TFM_MOA_05.08.2025.pdf", P("P4"), pending=("Q1",),
      overrides={"P4": {"signed": "05/082025"}, **{p: {"agency": f"Polk County {SO} "} for p in P("P6")}},
      notes=("SIGNED text '05/082025' in P4", "agency name with trailing space from P6")),
    A("CT-PLYMOUTH-TFM", "CONNECTICUT", "Plymouth Police Department", "Municipality", "Litchfield County",
      TFM, D(2025, 8, 20), "PlymouthPDCT_TFM_MOA_08.20.2025.pdf", P("P5"), moa_posted_in="P6",
      pending=("Q1", "Q2"), href_forms=(("P5", "safelinks"),),
      overrides={"P6": {"agency_type": "Muncipality "}},
      notes=(
          "Connecticut town police department in a legacy county",
          "signed 2025-08-20, after its publication's file-name date (08022025)",
          "TYPE typo 'Muncipality ' in P6",
      )),
    A("FL-GREENCOVE-TFM", "FLORIDA", "Green Cove Springs Police Department", "Municipality", "Clay County",
      TFM, D(2025, 6, 16), "GreenCoveSpringsPDFL_TFM_MOA_06.16.2025.pdf", P("P4"), pending=("Q1",),
      href_forms=(("P4", "safelinks"),),
      overrides={"Q1": {"agency": "Green Cove Springs Police Department "}},
      notes=("agency name with trailing space on the pending sheet",)),
    A("TN-MONROE-TFM", "TENNESSEE", f"Monroe County {SO}", "County", "Monroe County", TFM, None, None,
      pending=("Q1", "Q2", "Q3"), notes=("pending only (Q1-Q3), never signed",)),
    # ---- 8-column era (2025-07-18, no date folder) ----
    A("TX-HOOD-JEM", "TEXAS", f"Hood County {SO}", "County", "Hood County", JEM, D(2025, 7, 7),
      "HoodCoTX_JEM_MOA_07.07.2025.pdf", P("P4"), moa_posted_in="P5", href_forms=(("P5", "safelinks"),),
      overrides={"P4": {"signed": "7/72025"}}, notes=("SIGNED text '7/72025' in P4",)),
    A("TN-BLEDSOE-WSO", "TENNESSEE", f"Bledsoe County {SO}", "County", "Bledsoe County", WSO, D(2025, 6, 30),
      "BledsoeCoTN_WSO_MOA_06.30.2025.pdf", P("P4"), href_forms=(("P4", "safelinks"),),
      overrides={"P4": {"signed": D(5025, 6, 30)}},
      notes=("SIGNED year typo 5025-06-30 (a real Excel date) in P4",)),
    A("TN-THP-TFM", "TENNESSEE", "Tennessee Highway Patrol", "State Agency", None, TFM, D(2025, 5, 12),
      "TennesseeHighwayPatrol_TFM_MOA_05.12.2025.pdf", P("P4"),
      overrides={p: {"county": None} for p in P("P4")}, notes=("COUNTY blank",)),
    A("NH-GOFFSTOWN-TFM", "NEW HAMPSHIRE", "Goffstown Police Department", "Municipality",
      "Hillsborough County", TFM, D(2025, 6, 9), "GoffstownPDNH_TFM_MOA_06.09.2025.pdf", P("P4"),
      moa_posted_in="P6", href_forms=(("P6", "safelinks"),),
      overrides={"P4": {"signed": D(2025, 6, 2)}, "P5": {"moa": "link pending "}},
      notes=(
          "signing date corrected while 'link pending': printed 2025-06-02 in P4, 2025-06-09 in P5, "
          "MOA posted (dated 06.09.2025) in P6",
      )),
    A("WY-CAMPBELL-TFM", "WYOMING", f"Campbell County {SO}", "County", "Campbell County", TFM, D(2025, 5, 20),
      "CampbellCoWY_TFM_MOA_05.20.2025.pdf", P("P4"),
      overrides={p: {"agency": "Campbell County Sheriff\u2019s Office"} for p in ("P4", "P5")},
      notes=("curly apostrophe \u2019 in the agency name in P4-P5, straight ' elsewhere",)),
    A("PA-CAMBRIA-WSO", "PENNSYLVANIA", f"Cambria County {SO}", "County", "Cambria County", WSO,
      D(2025, 5, 22), "CambriaCoPA_WSO_MOA_05.22.2025.pdf", P("P4"),
      overrides={"P4": {"agency": f"Cambria County  {SO}"}},
      notes=("double space inside the agency name in P4",)),
    A("WY-WHP-TFM", "WYOMING", "Wyoming Highway Patrol", "State Agency", None, TFM, D(2025, 6, 9),
      "WyomingHighwayPatrol_TFM_MOA_06.09.2025.pdf", P("P4"), href_forms=(("P4", "safelinks"),)),
    A("TX-VONORMY-TFM", "TEXAS", "Von Ormy Police Department", "Municipality", "Bexar County", TFM,
      D(2025, 6, 20), "VonOrmyPDTX_TFM_MOA_06.20.2025.pdf", P("P4"), href_forms=(("P4", "safelinks"),),
      overrides={"P5": {"_copies": 2}, **{p: {"agency_type": "Municipality "} for p in P("P7")}},
      notes=("exact duplicate row in P5", "TYPE 'Municipality ' (trailing space) from P7")),
    # ---- pending from Q2 (2025-07-18) ----
    A("FL-LEVY-WSO", "FLORIDA", f"Levy County {SO}", "County", "Levy County", WSO, D(2025, 8, 5),
      "LevyCoFL_WSO_MOA_08.05.2025.pdf", P("P5"), pending=("Q2",), href_forms=(("P5", "safelinks"),),
      overrides={"P5": {"support": "Warrant Service Office"}},
      notes=("SUPPORT TYPE 'Warrant Service Office' in P5",)),
    A("WV-BERKELEY-TFM", "WEST VIRGINIA", f"Berkeley County {SO}", "County", "Berkeley County", TFM,
      D(2025, 9, 30), "BerkeleyCoWV_TFM_MOA_09.30.2025.pdf", P("P6"), pending=("Q2", "Q3"),
      href_forms=(("P6", "safelinks"),), overrides={"Q3": {"state": "WEST VIRIGINIA"}},
      notes=("STATE typo 'WEST VIRIGINIA' on pending sheet Q3",)),
    A("PA-UPPERMAKEFIELD-TFM", "PENNSYLVANIA", "Upper Makefield Township Police Department", "Municipality",
      "Bucks County", TFM, D(2025, 10, 6), "UpperMakefieldTwpPDPA_TFM_MOA_10.06.2025.pdf", P("P6"),
      pending=("Q2", "Q3"), overrides={"P7": {"state": "PENNSLYVANIA"}},
      notes=("STATE typo 'PENNSLYVANIA' in P7",)),
    # ---- 2025-09-02 (file named 08022025pm) ----
    A("TX-ROCKWALL-JEM", "TEXAS", f"Rockwall County {SO}", "County", "Rockwall County", JEM, D(2025, 8, 28),
      "RockwallCoTX_JEM_MOA_08.28.2025.pdf", P("P5"), moa_posted_in="P6",
      overrides={p: {"support": "Jail Enforcement Model "} for p in P("P7")},
      notes=(
          "latest SIGNED (2025-08-28) of P5, later than its file-name date",
          "SUPPORT TYPE 'Jail Enforcement Model ' from P7",
      )),
    A("TX-ALVIN-TFM", "TEXAS", "Alvin Police Department", "Municipality", "Brazoria County", TFM,
      D(2025, 12, 15), "AlvinPDTX_TFM_MOA_12.15.2025.pdf", P("P7"), pending=("Q3", "Q4"),
      overrides={"Q4": {"county": "#NA"}}),
    A("LA-TERREBONNE-WSO", "LOUISIANA", f"Terrebonne Parish {SO}", "County", "Terrebonne Parish", WSO, None,
      None, pending=("Q3",), notes=("pending only (Q3), never signed",)),
    # ---- 2025-11-14 ----
    A("WY-NATRONA-TFM", "WYOMING", f"Natrona County {SO}", "County", "Natrona County", TFM, D(2025, 10, 20),
      "NatronaCoWY_TFM_MOA_10.20.2025.pdf", P("P6"), href_forms=(("P6", "safelinks"),),
      notes=("support-type switch: replaces the WSO agreement in P6",)),
    A("FL-OCALA-TFM", "FLORIDA", "Ocala Police Department", "Municipality", "Marion County", TFM,
      D(2025, 11, 14), "OcalaPDFL_TFM_MOA_11.14.2025.pdf", P("P6"), moa_posted_in="P7",
      notes=("signed on its publication's as-of date",)),
    A("TN-CLARKSVILLE-TFM", "TENNESSEE", "Clarksville Police Department", "Municipality", "Montgomery County",
      TFM, D(2026, 3, 10), "ClarksvillePDTN_TFM_MOA_03.10.2026.pdf", P("P8"), moa_posted_in=None,
      pending=("Q4", "Q5")),
    A("VA-HANOVER-WSO", "VIRGINIA", f"Hanover County {SO}", "County", "Hanover County", WSO, D(2026, 1, 20),
      "HanoverCoVA_WSO_MOA_01.20.2026.pdf", P("P7"), pending=("Q4",)),
    # ---- 2026 ----
    A("PA-LANCASTER-TFM", "PENNSYLVANIA", f"Lancaster County {SO}", "County", "Lancaster County", TFM,
      D(2026, 2, 10), "LancasterCoPA_TFM_MOA_02.10.2026.pdf", P("P7"), moa_posted_in="P8"),
    A("WY-CHEYENNE-TFM", "WYOMING", "Cheyenne Police Department", "Municipality", "Laramie County", TFM,
      D(2026, 3, 5), "CheyennePDWY_TFM_MOA_03052026.pdf", P("P8"), pending=("Q5",),
      href_forms=(("P8", "malformed"),), overrides={"Q5": {"agency_type": "Municipality "}},
      notes=(
          "malformed MOA hyperlink 'https:/www.ice.gov/...' (single slash) in P8",
          "TYPE 'Municipality ' on pending sheet Q5",
      )),
    A("FL-CLAY-TFM", "FLORIDA", f"Clay County {SO}", "County", "Clay County", TFM, D(2026, 3, 23),
      "ClayCoSOFL_TFM_MOA_03.23.2026.pdf", P("P8"), moa_posted_in=None,
      notes=("'link pending' in the final publication",)),
)
# fmt: on
AGREEMENT_BY_KEY = {a.key: a for a in AGREEMENTS}

QUIRKS: tuple[str, ...] = (
    "Trailing spaces: STATE 'TEXAS ', 'NEW HAMPSHIRE '; agency names; TYPE 'County ', 'Municipality '; "
    "COUNTY 'Lubbock County '; SUPPORT TYPE 'Task Force Model ', 'Jail Enforcement Model '; "
    "MOA 'link pending '",
    "STATE typos: 'PENNSLYVANIA' (2 of 4 Pennsylvania rows of P7), 'WEST VIRIGINIA' (pending Q3)",
    "SUPPORT TYPE variants: 'Warrant Services Officer' (P3), 'Warrant Service Office' (P5)",
    "TYPE variants: 'State Agency' vs 'State' (Florida Highway Patrol from P5); 'Muncipality ' (P6)",
    "Curly apostrophe \u2019 vs ' in Campbell County Sheriff's Office (P4-P5); double space in Cambria (P4)",
    "COUNTY placeholders: '#N/A' (an Excel *error* cell, as in ICE's files), '#NA', 'N/A', blank; "
    "parish printed as '... County' (Lafourche P3-P5); Virginia independent city; Connecticut legacy county",
    "SIGNED text cells '05/082025' and '7/72025' and an absurd Excel date 5025-06-30 (all P4)",
    "MOA hyperlink forms: plain, %20 inside, Outlook SafeLinks, chrome-extension:// viewer prefix, "
    "malformed 'https:/' (single slash); 'link\\xa0|\\xa0addendum' display cell without hyperlink (P2-P3)",
    "Exact duplicate row (Von Ormy PD, P5)",
    "File names: capture stamps, am/pm/mid/no suffix, a file-name date earlier than its latest SIGNED "
    "(participatingAgencies08022025pm.xlsx in folder 2025-09-02), a year typo 11114025, "
    "and one file with no date folder (participatingAgencies07182025pm.xlsx)",
    "Used range beyond the data (empty formatted columns to I/M and trailing empty rows); autofilter",
    "Pending sheet name 'Sheet1' early, 'Sheet 1' later; last pending sheet has an all-'link pending' MOA column",
)

EVENTS: tuple[str, ...] = tuple(f"{a.key}: {n}" for a in AGREEMENTS for n in a.notes)


# ---------------------------------------------------------------------------
# Materialised printed rows
# ---------------------------------------------------------------------------
@dataclass(frozen=True)
class PrintedRow:
    agreement: str  # Agreement.key
    state: str
    agency: str
    agency_type: str | None
    county: str | None  # None = blank cell
    support: str
    signed: dt.date | str | None  # date = Excel date; str = text cell
    moa: str | None  # display text
    moa_target: str | None  # hyperlink target
    addendum: str | None = None
    addendum_target: str | None = None

    @property
    def hyperlinks(self) -> int:
        return (self.moa_target is not None) + (self.addendum_target is not None)


@dataclass(frozen=True)
class Publication:
    spec: PubSpec
    rows: tuple[PrintedRow, ...]

    pub_id = property(lambda self: self.spec.pub_id)
    kind = property(lambda self: self.spec.kind)
    layout = property(lambda self: self.spec.layout)
    as_of = property(lambda self: self.spec.as_of)
    folder = property(lambda self: self.spec.folder)
    file_name = property(lambda self: self.spec.file_name)
    file_name_date = property(lambda self: self.spec.file_name_date)
    sheet_name = property(lambda self: self.spec.sheet_name)

    @property
    def columns(self) -> tuple[str, ...]:
        return PARTICIPATING_COLUMNS[self.spec.layout]

    @property
    def relpath(self) -> str:
        """Path relative to the sample root, e.g. ice_287g_sheets/2025-04-28/x.xlsx."""
        parts = [SHEETS_DIR] + ([self.spec.folder] if self.spec.folder else []) + [self.spec.file_name]
        return "/".join(parts)

    @property
    def hyperlink_count(self) -> int:
        return sum(r.hyperlinks for r in self.rows)

    @property
    def agreement_keys(self) -> frozenset[str]:
        return frozenset(r.agreement for r in self.rows)

    def support_counts(self) -> dict[str, int]:
        """Rows per canonical support short code (JEM/TFM/WSO), duplicates included."""
        c = Counter(AGREEMENT_BY_KEY[r.agreement].support_short for r in self.rows)
        return {k: c.get(k, 0) for k in ("JEM", "TFM", "WSO")}


def safelinks(url: str) -> str:
    """A synthetic Outlook SafeLinks wrapper around ``url`` (deterministic, invented tokens)."""
    h = hashlib.sha256(url.encode()).hexdigest()
    ticks = 638800000000000000 + int(h[:12], 16) % 10**14
    data = (
        f"05%7C02%7Csynthetic-sample%40example.org%7C{h[:32]}%7C{h[32:64]}%7C0%7C0%7C{ticks}"
        "%7CUnknown%7CTWFpbGZsb3d8eyJFbXB0eU1hcGkiOnRydWV9%7C0%7C%7C%7C"
    )
    sdata = quote(base64.b64encode(hashlib.sha256(h.encode()).digest()).decode(), safe="")
    return (
        f"https://gcc02.safelinks.protection.outlook.com/?url={quote(url, safe='')}"
        f"&data={data}&sdata={sdata}&reserved=0"
    )


def href(url: str, form: str) -> str:
    if form == "plain":
        return url
    if form == "safelinks":
        return safelinks(url)
    if form == "chrome":  # as in the real sheet: the inner URL has a single slash
        return "chrome-extension://efaidnbmnnnibpcajpcglclefindmkaj/" + url.replace("https://", "https:/", 1)
    if form == "malformed":
        return url.replace("https://", "https:/", 1)
    raise ValueError(form)


def _href_form(a: Agreement, pub_id: str) -> str:
    form = "plain"
    for start, f in a.href_forms:
        if _pidx(pub_id) >= _pidx(start):
            form = f
    return form


def _printed_row(a: Agreement, spec: PubSpec) -> tuple[PrintedRow, int]:
    pid = spec.pub_id
    county = a.county if a.county is not None else "#N/A"
    if spec.kind == "pending":
        row = PrintedRow(
            a.key,
            a.state,
            a.agency,
            a.agency_type,
            county,
            a.support,
            None,
            "link pending" if spec.layout == "pending6" else None,
            None,
        )
    else:
        posted = a.moa_posted_in is not None and _pidx(pid) >= _pidx(a.moa_posted_in)
        if spec.layout == "html5":
            assert posted, a.key
            moa_text: str | None = f"https://web.archive.org/web/{spec.wayback_ts}/{unquote(a.moa_url)}"
            target = None
            signed: Any = a.signed.isoformat()
        else:
            moa_text = "link" if posted else "link pending"
            target = href(a.moa_url, _href_form(a, pid)) if posted else None
            signed = a.signed
        add_posted = (
            spec.layout == "xlsx8" and a.addendum_posted_in is not None and _pidx(pid) >= _pidx(a.addendum_posted_in)
        )
        row = PrintedRow(
            a.key,
            a.state,
            a.agency_in(pid),
            None if spec.layout == "html5" else a.agency_type,
            None if spec.layout in ("html5", "xlsx6") else county,
            a.support,
            signed,
            moa_text,
            target,
            "link" if add_posted else None,
            a.addendum_url if add_posted else None,
        )
    ov = dict(a.overrides.get(pid, {}))
    copies = ov.pop("_copies", 1)
    if ov:
        row = replace(row, **ov)
    return row, copies


def _sort_key(r: PrintedRow):
    return (r.state.strip(), " ".join(r.agency.split()).casefold(), r.support.strip(), str(r.signed))


def _build_publication(spec: PubSpec) -> Publication:
    rows: list[PrintedRow] = []
    for a in AGREEMENTS:
        member = a.participating if spec.kind == "participating" else a.pending
        if spec.pub_id in member:
            row, copies = _printed_row(a, spec)
            rows.extend([row] * copies)
    rows.sort(key=_sort_key)
    return Publication(spec, tuple(rows))


PUBLICATIONS: tuple[Publication, ...] = tuple(_build_publication(s) for s in PUB_SPECS)
PUBLICATION_BY_ID = {p.pub_id: p for p in PUBLICATIONS}


def participating_publications() -> tuple[Publication, ...]:
    return tuple(p for p in PUBLICATIONS if p.kind == "participating")


def pending_publications() -> tuple[Publication, ...]:
    return tuple(p for p in PUBLICATIONS if p.kind == "pending")


# ---------------------------------------------------------------------------
# Writing
# ---------------------------------------------------------------------------
def _cells(pub: Publication, r: PrintedRow) -> list[Any]:
    layout = pub.layout
    signed_cell = Cell(r.signed, number_format="General" if layout == "html5" else "mm-dd-yy")
    values: dict[str, Any] = {
        "STATE": r.state,
        "LAW ENFORCEMENT AGENCY": r.agency,
        "TYPE": r.agency_type,
        "COUNTY": r.county,
        "SUPPORT TYPE": r.support,
        "SIGNED": signed_cell,
        "MOA": Cell(r.moa, hyperlink=r.moa_target),
        "ADDENDUM": Cell(r.addendum, hyperlink=r.addendum_target),
    }
    return [values[c] for c in pub.columns]


def sheet_spec(pub: Publication) -> SheetSpec:
    rows = [list(pub.columns)] + [_cells(pub, r) for r in pub.rows]
    n = len(rows)
    return SheetSpec(
        sheet_name=pub.sheet_name,
        rows=rows,
        used_cols=pub.spec.used_cols,
        used_rows=n + pub.spec.extra_rows if pub.spec.extra_rows else None,
        autofilter=a1_range(pub.spec.autofilter_cols, n) if pub.spec.autofilter_cols else None,
        timestamp=dt.datetime.combine(pub.as_of, dt.time(12, 0)),
    )


def write_ice_sheets(dest: Path) -> list[Path]:
    """Write every publication under ``dest/ice_287g_sheets/``; returns the paths written."""
    dest = Path(dest)
    return [write_xlsx(dest / pub.relpath, sheet_spec(pub)) for pub in PUBLICATIONS]


def summary() -> list[dict[str, Any]]:
    """One dict per publication: file, kind, as-of, rows, support counts, hyperlinks."""
    out = []
    for p in PUBLICATIONS:
        out.append(
            {
                "pub_id": p.pub_id,
                "kind": p.kind,
                "as_of": p.as_of.isoformat(),
                "file": p.relpath,
                "rows": len(p.rows),
                "agreements": len(p.agreement_keys),
                **p.support_counts(),
                "hyperlinks": p.hyperlink_count,
            }
        )
    return out
