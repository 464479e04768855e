"""SYNTHETIC census files for the sample's states, in the exact published formats.

State and county FIPS codes and names are the real ones (public reference codes); every
population, housing, area and coordinate value, and every place code, is invented. The files
cover the states and counties the synthetic ICE sheets use (``tools/sample/ice_sheets.py``),
plus a few extra counties so the reports have something to show (Texas counties of 100,000+
without an agreement, a Virginia county and independent city sharing a name, New Mexico's
Latin-1 ``Doña Ana County``).

Tests derive expectations from ``STATES``, ``COUNTIES`` and ``PLACES`` below.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from ingest.sources.census import (
    ACS_COUNTY_COLUMNS,
    ACS_PLACE_COLUMNS,
    GAZ_COUNTY_COLUMNS,
    GAZ_PLACE_COLUMNS,
    PEP_COLUMNS,
)

CENSUS_DIR = "census"


@dataclass(frozen=True)
class State:
    """A state row (PEP SUMLEV 040): code, FIPS, name, region, division, invented 2024 total."""

    code: str
    fips: str
    name: str
    region: str
    division: str
    pop2024: int


@dataclass(frozen=True)
class County:
    """A county or county equivalent (PEP SUMLEV 050), with an invented 2024 population."""

    state: str  # USPS code
    fips3: str
    name: str  # as the Census Bureau prints it ("Lafourche Parish", "Lynchburg city")
    pop2024: int

    @property
    def geoid(self) -> str:
        return STATE_BY_CODE[self.state].fips + self.fips3


@dataclass(frozen=True)
class Place:
    """An incorporated place or CDP (Gazetteer + ACS), invented code and population."""

    state: str
    code5: str
    name: str  # "Palm Bay city"
    lsad: str  # 25 city, 43 town, 47 village, 57 CDP
    funcstat: str  # A active government, S statistical (CDP)
    pop: int

    @property
    def geoid(self) -> str:
        return STATE_BY_CODE[self.state].fips + self.code5


STATES: tuple[State, ...] = (
    State("CT", "09", "Connecticut", "1", "1", 3_675_000),
    State("FL", "12", "Florida", "3", "5", 23_370_000),
    State("LA", "22", "Louisiana", "3", "7", 4_600_000),
    State("NH", "33", "New Hampshire", "1", "1", 1_410_000),
    State("NM", "35", "New Mexico", "4", "8", 2_130_000),
    State("PA", "42", "Pennsylvania", "1", "2", 13_080_000),
    State("TN", "47", "Tennessee", "3", "6", 7_230_000),
    State("TX", "48", "Texas", "3", "7", 31_300_000),
    State("VA", "51", "Virginia", "3", "5", 8_810_000),
    State("WV", "54", "West Virginia", "3", "5", 1_770_000),
    State("WY", "56", "Wyoming", "4", "8", 588_000),
)
STATE_BY_CODE = {s.code: s for s in STATES}

COUNTIES: tuple[County, ...] = (
    County("CT", "140", "Naugatuck Valley Planning Region", 452_000),
    County("CT", "160", "Northwest Hills Planning Region", 113_000),
    County("FL", "009", "Brevard County", 640_000),
    County("FL", "019", "Clay County", 230_000),
    County("FL", "053", "Hernando County", 210_000),
    County("FL", "075", "Levy County", 47_000),
    County("FL", "083", "Marion County", 420_000),
    County("FL", "131", "Walton County", 90_000),
    County("LA", "053", "Jefferson Davis Parish", 32_000),
    County("LA", "057", "Lafourche Parish", 95_000),
    County("LA", "109", "Terrebonne Parish", 104_000),
    County("NH", "001", "Belknap County", 65_000),
    County("NH", "007", "Coos County", 31_000),
    County("NH", "011", "Hillsborough County", 430_000),
    County("NM", "013", "Do\u00f1a Ana County", 226_000),
    County("PA", "017", "Bucks County", 650_000),
    County("PA", "021", "Cambria County", 131_000),
    County("PA", "071", "Lancaster County", 560_000),
    County("TN", "007", "Bledsoe County", 15_000),
    County("TN", "093", "Knox County", 500_000),
    County("TN", "123", "Monroe County", 49_000),
    County("TN", "125", "Montgomery County", 240_000),
    County("TN", "147", "Robertson County", 77_000),
    County("TN", "155", "Sevier County", 99_000),
    County("TX", "029", "Bexar County", 2_100_000),
    County("TX", "039", "Brazoria County", 400_000),
    County("TX", "175", "Goliad County", 7_000),
    County("TX", "201", "Harris County", 4_900_000),
    County("TX", "221", "Hood County", 67_000),
    County("TX", "271", "Kinney County", 3_100),
    County("TX", "303", "Lubbock County", 325_000),
    County("TX", "373", "Polk County", 53_000),
    County("TX", "397", "Rockwall County", 130_000),
    County("TX", "453", "Travis County", 1_350_000),
    County("VA", "059", "Fairfax County", 1_140_000),
    County("VA", "085", "Hanover County", 112_000),
    County("VA", "165", "Rockingham County", 85_000),
    County("VA", "600", "Fairfax city", 24_000),
    County("VA", "680", "Lynchburg city", 79_000),
    County("WV", "003", "Berkeley County", 130_000),
    County("WY", "005", "Campbell County", 47_000),
    County("WY", "021", "Laramie County", 101_000),
    County("WY", "025", "Natrona County", 80_000),
)

PLACES: tuple[Place, ...] = (
    Place("FL", "26375", "Green Cove Springs city", "25", "A", 9_800),
    Place("FL", "50950", "Ocala city", "25", "A", 66_000),
    Place("FL", "54000", "Palm Bay city", "25", "A", 125_000),
    Place("NH", "13940", "Colebrook CDP", "57", "S", 1_300),
    Place("NH", "29540", "Goffstown CDP", "57", "S", 3_500),
    Place("PA", "11272", "Bristol borough", "21", "A", 9_800),
    Place("TN", "15160", "Clarksville city", "25", "A", 175_000),
    Place("TX", "02272", "Alvin city", "25", "A", 28_000),
    Place("TX", "65000", "San Antonio city", "25", "A", 1_460_000),
    Place("TX", "76036", "Von Ormy city", "25", "A", 1_200),
    Place("VA", "47672", "Lynchburg city", "25", "A", 79_000),
    Place("WY", "13900", "Cheyenne city", "25", "A", 65_000),
)


def _pep_rows() -> list[list[str]]:
    """PEP rows: each state row followed by its county rows, as the Census Bureau orders them."""
    rows = []
    for st in STATES:
        counties = [c for c in COUNTIES if c.state == st.code]
        county_series = [_series(c.pop2024) for c in counties]
        # As in the real file, a state row is the sum of its county rows (the sample lists only some
        # counties, so its state totals are the totals of those counties, not the real states').
        state_series = [sum(s[i] for s in county_series) for i in range(5)] if counties else _series(st.pop2024)
        rows.append(_pep_row(st, "040", "000", st.name, state_series))
        for c, series in zip(counties, county_series, strict=True):
            rows.append(_pep_row(st, "050", c.fips3, c.name, series))
    return rows


def _series(pop2024: int) -> list[int]:
    """Invented but internally consistent series 2020..2024: ~0.8 % growth a year back from 2024."""
    return [round(pop2024 / 1.008 ** (2024 - y)) for y in range(2020, 2025)]


def _pep_row(st: State, sumlev: str, fips3: str, ctyname: str, pops: list[int]) -> list[str]:
    base = round(pops[0] * 0.999)
    values: dict[str, str] = {
        "SUMLEV": sumlev,
        "REGION": st.region,
        "DIVISION": st.division,
        "STATE": st.fips,
        "COUNTY": fips3,
        "STNAME": st.name,
        "CTYNAME": ctyname,
        "ESTIMATESBASE2020": str(base),
    }
    for i, y in enumerate(range(2020, 2025)):
        prev = base if i == 0 else pops[i - 1]
        births, deaths = pops[i] // 90, pops[i] // 110
        intl, netmig = pops[i] // 400, pops[i] - prev - (births - deaths)
        values |= {
            f"POPESTIMATE{y}": str(pops[i]),
            f"NPOPCHG{y}": str(pops[i] - prev),
            f"BIRTHS{y}": str(births),
            f"DEATHS{y}": str(deaths),
            f"NATURALCHG{y}": str(births - deaths),
            f"INTERNATIONALMIG{y}": str(intl),
            f"DOMESTICMIG{y}": str(netmig - intl),
            f"NETMIG{y}": str(netmig),
            f"RESIDUAL{y}": "0",
            f"GQESTIMATES{y}": str(pops[i] // 50),
        }
        if y >= 2021:
            rate = 1000 / ((pops[i] + prev) / 2)
            values |= {
                f"RBIRTH{y}": f"{births * rate:.6f}",
                f"RDEATH{y}": f"{deaths * rate:.6f}",
                f"RNATURALCHG{y}": f"{(births - deaths) * rate:.6f}",
                f"RINTERNATIONALMIG{y}": f"{intl * rate:.6f}",
                f"RDOMESTICMIG{y}": f"{(netmig - intl) * rate:.6f}",
                f"RNETMIG{y}": f"{netmig * rate:.6f}",
            }
    values["GQESTIMATESBASE2020"] = str(base // 50)
    return [values[c] for c in PEP_COLUMNS]


def _acs_json(header: list[str], rows: list[list[str]]) -> str:
    """The Census API's layout: one array per line, header first, no spaces."""
    lines = [json.dumps(r, ensure_ascii=False, separators=(",", ":")) for r in [header, *rows]]
    return "[" + ",\n".join(lines) + "]"


def _acs_rows_county() -> list[list[str]]:
    return [
        [
            f"{c.name}, {STATE_BY_CODE[c.state].name}",
            str(round(c.pop2024 * 0.985)),
            str(c.pop2024 * 2 // 5),
            STATE_BY_CODE[c.state].fips,
            c.fips3,
        ]
        for c in COUNTIES
    ]


def _acs_rows_place() -> list[list[str]]:
    return [
        [
            f"{p.name}, {STATE_BY_CODE[p.state].name}",
            str(p.pop),
            str(p.pop * 2 // 5),
            STATE_BY_CODE[p.state].fips,
            p.code5,
        ]
        for p in PLACES
    ]


def _coords(key: str) -> tuple[str, str, str, str]:
    """Invented land/water areas and an internal point, stable per key."""
    h = sum(ord(ch) * (i + 1) for i, ch in enumerate(key))
    aland, awater = 200_000_000 + h * 9_973, 1_000_000 + h * 97
    lat, lon = 25 + (h % 2200) / 100, -(70 + (h % 3300) / 100)
    return str(aland), str(awater), f"{lat:.6f}", f"{lon:.6f}"


def _gaz_county_rows() -> list[list[str]]:
    rows = []
    for c in COUNTIES:
        aland, awater, lat, lon = _coords(c.geoid)
        rows.append(
            [
                c.state,
                c.geoid,
                f"0500000US{c.geoid}",
                f"{int(c.geoid) * 7 % 10**8:08d}",
                c.name,
                aland,
                awater,
                f"{int(aland) / 2_589_988.11:.3f}",
                f"{int(awater) / 2_589_988.11:.3f}",
                lat,
                lon,
            ]
        )
    return rows


def _gaz_place_rows() -> list[list[str]]:
    rows = []
    for p in PLACES:
        aland, awater, lat, lon = _coords(p.geoid)
        rows.append(
            [
                p.state,
                p.geoid,
                f"1600000US{p.geoid}",
                f"{int(p.geoid) * 7 % 10**8:08d}",
                p.name,
                p.lsad,
                p.funcstat,
                aland,
                awater,
                f"{int(aland) / 2_589_988.11:.3f}",
                f"{int(awater) / 2_589_988.11:.3f}",
                lat,
                lon,
            ]
        )
    return rows


def _write(path: Path, text: str, encoding: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding=encoding, newline="") as fh:
        fh.write(text)
    return path


def write_census(dest: Path) -> list[Path]:
    """Write the five synthetic census files under ``dest/census/``; returns their paths."""
    root = Path(dest) / CENSUS_DIR
    pep = "\n".join(",".join(r) for r in [PEP_COLUMNS, *_pep_rows()]) + "\n"
    gaz_c = "\n".join("|".join(r) for r in [GAZ_COUNTY_COLUMNS, *_gaz_county_rows()]) + "\n"
    gaz_p = "\n".join("|".join(r) for r in [GAZ_PLACE_COLUMNS, *_gaz_place_rows()]) + "\n"
    return [
        _write(root / "pep_v2024_county" / "co-est2024-alldata.csv", pep, "latin-1"),
        _write(
            root / "acs5_2023_b01003" / "county_2023.json",
            _acs_json(ACS_COUNTY_COLUMNS, _acs_rows_county()),
            "utf-8",
        ),
        _write(
            root / "acs5_2023_b01003" / "place_2023.json",
            _acs_json(ACS_PLACE_COLUMNS, _acs_rows_place()),
            "utf-8",
        ),
        _write(root / "gazetteer_2025" / "2025_Gaz_counties_national.txt", gaz_c, "utf-8"),
        _write(root / "gazetteer_2025" / "2025_Gaz_place_national.txt", gaz_p, "utf-8"),
    ]
