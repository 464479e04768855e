"""Geography on the real files (../shared/realdata): match rates, PEP populations, Texas SB 8 coverage.

Builds the seeds, geography marts and their upstream models once (dbt build without tests: the CI sample build
runs every dbt test) into a temporary warehouse; skips when the real data is absent.
"""

from __future__ import annotations

import csv
from pathlib import Path

import duckdb
import pytest

GEOGRAPHY_MARTS = " ".join(
    [
        "+dim_states",
        "+rpt_state_participation",
        "+rpt_texas_sb8_compliance",
        "+rpt_geography_unmatched",
        "+path:models/qa/geography",
    ]
)


@pytest.fixture(scope="module")
def real_con(built_real_warehouse: Path):
    con = duckdb.connect(str(built_real_warehouse / "work.duckdb"), read_only=True)
    yield con
    con.close()


def _pep_rows(realdata: Path) -> list[dict[str, str]]:
    with open(
        realdata / "census" / "pep_v2024_county" / "co-est2024-alldata.csv", encoding="latin-1", newline=""
    ) as fh:
        return list(csv.DictReader(fh))


def _share(con, level: str, column: str) -> tuple[int, int]:
    return con.execute(
        f"select count({column}), count(*) from marts.dim_agencies where jurisdiction_level = ?", [level]
    ).fetchone()


def test_county_level_agencies_matched_to_a_county(real_con):
    matched, total = _share(real_con, "County", "county_fips")
    assert total > 500
    assert matched >= 0.95 * total, f"{matched}/{total}"


def test_municipal_agencies_matched_to_a_place(real_con):
    matched, total = _share(real_con, "Municipal", "place_geoid")
    assert total > 300
    assert matched >= 0.85 * total, f"{matched}/{total}"


def test_every_unmatched_agency_is_reported_with_a_reason(real_con):
    missing = real_con.execute(
        "select count(*) from marts.dim_agencies"
        " where (jurisdiction_level = 'Municipal' and place_geoid is null)"
        " or (jurisdiction_level not in ('Municipal', 'State') and county_fips is null)"
    ).fetchone()[0]
    reported = real_con.execute("select count(*), count(reason) from marts.rpt_geography_unmatched").fetchone()
    assert reported == (missing, missing)


def test_dim_states_population_equals_pep_state_rows(real_con, realdata):
    pep = {r["STATE"]: int(r["POPESTIMATE2024"]) for r in _pep_rows(realdata) if r["SUMLEV"] == "040"}
    dim = dict(
        real_con.execute("select state_fips, population from marts.dim_states where population is not null").fetchall()
    )
    assert len(pep) == 51
    assert dim == pep


def test_every_large_texas_county_in_sb8_report(real_con, realdata):
    large = {
        r["STATE"] + r["COUNTY"]
        for r in _pep_rows(realdata)
        if r["SUMLEV"] == "050" and r["STATE"] == "48" and int(r["POPESTIMATE2024"]) >= 100_000
    }
    reported = {r[0] for r in real_con.execute("select county_fips from marts.rpt_texas_sb8_compliance").fetchall()}
    assert len(large) > 30
    assert reported == large


def test_population_covered_within_state_population(real_con):
    rows = real_con.execute(
        "select count(*), sum(case when population_covered > state_population then 1 else 0 end) "
        "from marts.rpt_state_participation"
    ).fetchone()
    assert rows[0] > 0 and rows[1] == 0
