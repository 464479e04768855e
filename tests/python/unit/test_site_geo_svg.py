"""The site's map geometry and SVG charts (ingest/site/geo.py, svg.py, feed.py): pure functions."""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET

import pytest

from ingest.site import feed, svg
from ingest.site.geo import HEIGHT, WIDTH, albers_usa, state_shapes


def _bbox(path: str) -> tuple[float, float, float, float]:
    xs, ys = zip(*((float(x), float(y)) for x, y in re.findall(r"(-?[\d.]+),(-?[\d.]+)", path)), strict=True)
    return min(xs), min(ys), max(xs), max(ys)


def test_fifty_states_and_dc_are_shipped():
    shapes = state_shapes()
    assert len(shapes) == 51 and len({s.fips for s in shapes}) == 51
    for shape in shapes:
        x0, y0, x1, y1 = _bbox(shape.path)
        assert -60 <= x0 < x1 <= WIDTH and 0 <= y0 < y1 <= HEIGHT, shape.name
        assert x0 <= shape.centroid[0] <= x1 and y0 <= shape.centroid[1] <= y1, shape.name


@pytest.mark.parametrize(
    ("fips", "lon", "lat"),
    [
        ("56", -104.82, 41.14),  # Cheyenne, WY (lower 48)
        ("12", -80.19, 25.76),  # Miami, FL
        ("53", -122.33, 47.61),  # Seattle, WA
        ("23", -69.78, 44.31),  # Augusta, ME
        ("02", -149.90, 61.22),  # Anchorage, AK (inset)
        ("15", -157.86, 21.31),  # Honolulu, HI (inset)
    ],
)
def test_points_land_in_their_state(fips: str, lon: float, lat: float):
    """The projection of a point is the one the shipped shapes were drawn with: a city falls in its state."""
    shape = next(s for s in state_shapes() if s.fips == fips)
    point = albers_usa(lon, lat)
    assert point is not None
    x0, y0, x1, y1 = _bbox(shape.path)
    assert x0 <= point[0] <= x1 and y0 <= point[1] <= y1, (shape.name, point, (x0, y0, x1, y1))


def test_places_outside_the_map_have_no_point():
    assert albers_usa(-66.11, 18.47) is None  # San Juan, PR: listed beside the map
    assert albers_usa(144.79, 13.44) is None  # Guam
    assert albers_usa(None, 40.0) is None


def test_line_chart_draws_steps_only_where_values_change():
    days = [dt.date(2025, 1, 1) + dt.timedelta(days=i) for i in range(100)]
    series = {"Task Force Model": [(d, 3 if i < 50 else 5) for i, d in enumerate(days)]}
    out = svg.line_chart(series, title="t")
    ET.fromstring(out)  # well-formed SVG
    points = re.search(r'points="([^"]+)"', out).group(1).split()
    assert len(points) == 4  # start, step up (two corners), last day


def test_charts_escape_outside_text():
    out = svg.bar_chart(
        [("<b>", 2, "ban")], title='a "quoted" & <tagged> title', colors=svg.POLICY_COLORS, legend={"ban": "ban"}
    )
    root = ET.fromstring(out)
    assert root.find("{http://www.w3.org/2000/svg}title").text == 'a "quoted" & <tagged> title'
    assert "<b>" not in out


def test_feed_is_valid_atom_with_escaped_names():
    pub = {
        "publication_id": "abc123",
        "published_date": dt.date(2026, 3, 27),
        "published_at": dt.datetime(2026, 3, 27, 12, 0),
        "file_name": "participatingAgencies03272026.xlsx",
    }
    change = {
        "agency_name": "A & B <Sheriff>",
        "agency_id": "TX-a",
        "state_code": "TX",
        "support_type": "Task Force Model",
        "text": "renamed: “A” → “B”",
    }
    grouped = [{"pub": pub, "changes": [change], "counts": {"renamed": 1}, "is_first": False}]
    root = ET.fromstring(feed.atom(grouped, {}, is_synthetic=True))
    entry = root.find("{http://www.w3.org/2005/Atom}entry")
    assert entry.find("{http://www.w3.org/2005/Atom}updated").text == "2026-03-27T12:00:00Z"
    assert "A &amp; B &lt;Sheriff&gt;" in entry.find("{http://www.w3.org/2005/Atom}content").text
    assert "SYNTHETIC" in root.find("{http://www.w3.org/2005/Atom}title").text


def _reference_series(rows):
    """The charts' series as the site made them before SERIES_SQL: every daily row summed in Python,
    then each series reduced to its step points (``svg._step_points``)."""
    from collections import defaultdict

    totals = defaultdict(lambda: defaultdict(lambda: defaultdict(float)))
    for day, state_code, support_type, n in rows:
        totals[None][support_type][day] += n
        if state_code is not None:
            totals[state_code][support_type][day] += n
    return {
        key: {t: svg._step_points(sorted(days.items())) for t, days in by_type.items()}
        for key, by_type in totals.items()
    }


@pytest.mark.parametrize("seed", range(5))
def test_chart_series_from_sql_are_the_step_points_of_the_daily_sums(seed: int):
    """SERIES_SQL (sums and flat days dropped in DuckDB) gives the points the site's Python gave from
    every daily row, for the country and each state, including a state-less row and flat stretches."""
    import random

    import duckdb

    from ingest.site import SERIES_SQL, _series_by_state

    rng = random.Random(seed)
    start = dt.date(2024, 1, 1)
    rows = []
    for state in ["TX", "FL", "AL", None]:
        for support in ["Jail Enforcement Model", "Task Force Model", "Warrant Service Officer", "Other"]:
            n = rng.randint(0, 5)
            for k in sorted(rng.sample(range(400), rng.randint(1, 60))):
                if rng.random() < 0.3:  # a step; otherwise the value stays (a flat day)
                    n = max(0, n + rng.choice([-2, -1, 1, 2, 3]))
                rows.append((start + dt.timedelta(days=k), state, support, n))
                if state is not None and rng.random() < 0.2:  # two agreements' rows on one day
                    rows.append((start + dt.timedelta(days=k), state, support, 1))
    con = duckdb.connect()
    con.execute(
        "create table rpt_active_agreements_daily (as_of_date date, state_code varchar, support_type varchar, "
        "as_of_publication_id varchar, n_active_agreements bigint)"
    )
    con.executemany("insert into rpt_active_agreements_daily values (?, ?, ?, 'p', ?)", rows)
    got = _series_by_state(con.execute(SERIES_SQL).fetchall())
    want = _reference_series(rows)
    assert {k: dict(v) for k, v in got.items()} == want
    assert list(got[None]) == ["Jail Enforcement Model", "Task Force Model", "Warrant Service Officer", "Other"]
    assert any(len(v) < len({d for d, s, t, _ in rows if t == k}) for k, v in got[None].items())  # days dropped
