"""The publication's static site: ``<publication>/site/``, written with the marts and swapped in with them.

Who it is for: readers who would rather look than query. Everything it shows is read from the
publication's own ``marts.duckdb`` while it is written (so the site always matches the marts), and it
works offline from ``file://`` and from any static host: charts and the map are SVG drawn at build time
(``svg.py``), the state shapes ship with the package (``geo.py``), the only JavaScript is the agency
search (``assets/site.js``, data in ``assets/agencies.js``: no ``fetch()``), and no page loads anything
from another host (links to ICE's MOA PDFs are plain links).

Pages: ``index.html`` (overview), ``changes.html`` (+ ``changes.atom``), ``agencies.html`` and
``agency/<agency_id>.html``, ``states.html`` and ``state/<code>.html``, ``data.html`` (exports, the data
dictionary from ``ingest/dictionary.py``, build_info, QA summary, values for review), ``docs/index.html``
(``dbt docs generate --static``).
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
import shutil
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import duckdb
import jinja2

from ingest.dictionary import TableDoc
from ingest.site import feed, svg
from ingest.site.geo import albers_usa, state_shapes
from ingest.sql import quote_ident

SUPPORT_TYPES = ("Jail Enforcement Model", "Task Force Model", "Warrant Service Officer")
REVIEW_ROWS_SHOWN = 1000
# rpt_publication_changes.change_type -> words (the site, the feed and the build summary)
CHANGE_LABELS = {
    "added": "added",
    "removed": "removed",
    "redated": "re-dated",
    "renamed": "renamed",
    "moa_posted": "MOA posted",
}


@dataclass
class SiteResult:
    """What was written: page counts, bytes and seconds."""

    site_dir: Path
    n_pages: int
    n_agency_pages: int
    n_state_pages: int
    n_bytes: int
    seconds: float


def page_name(key: str) -> str:
    """A file name for an id (agency_id, state code): letters, digits, ``-``, ``_`` and ``.`` kept."""
    return re.sub(r"[^A-Za-z0-9._-]", "_", key) or "_"


def _rows(con: duckdb.DuckDBPyConnection, sql: str, params: list | None = None) -> list[dict]:
    cursor = con.execute(sql, params or [])
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def _env() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("ingest.site", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["n"] = lambda v: "—" if v is None else f"{v:,}"
    env.filters["usd"] = lambda v: "—" if v is None else f"${v:,.2f}"
    env.filters["d"] = lambda v: "—" if v is None else v.isoformat()
    env.filters["page"] = page_name
    env.filters["change"] = lambda kind: CHANGE_LABELS.get(kind, kind.replace("_", " "))
    env.filters["safe_url"] = lambda v: v if isinstance(v, str) and re.match(r"^https?://", v) else None
    return env


def _level(jurisdiction_level: str | None) -> str:
    if jurisdiction_level in ("State", "County"):
        return jurisdiction_level
    return "Local"


def load(con: duckdb.DuckDBPyConnection, database: str, schema: str = "main") -> dict:
    """Everything the pages show, in a few queries over the marts in ``database``.``schema`` (``main`` in a
    publication, ``marts`` in the work file, which has no build_info)."""
    con.execute(f"use {quote_ident(database)}.{quote_ident(schema)}")
    data: dict = {}
    try:
        data["build_info"] = dict(con.execute("select key, value from build_info order by key").fetchall())
    except duckdb.CatalogException:
        data["build_info"] = {}
    data["publications"] = _rows(con, "select * from dim_publications order by published_at, kind, publication_id")
    participating = [p for p in data["publications"] if p["kind"] == "participating"]
    data["newest"] = participating[-1] if participating else None
    data["previous"] = participating[-2] if len(participating) > 1 else None
    data["by_support_type"] = dict(
        con.execute(
            "select support_type, count(*) from fct_agreements where is_active group by 1 order by 1"
        ).fetchall()
    )
    data["n_active_agreements"] = sum(data["by_support_type"].values())
    data["n_active_agencies"], data["n_active_states"] = con.execute(
        "select count(distinct agency_id), count(distinct state_code) from fct_agreements where is_active"
    ).fetchone()
    data["series"] = _series_by_state(con.execute(SERIES_SQL).fetchall())
    data["states"] = _rows(
        con,
        "select s.*, count(a.agreement_id) as n_active_agreements, count(distinct a.agency_id) as n_active_agencies "
        "from dim_states as s left join fct_agreements as a on a.state_code = s.state_code and a.is_active "
        "group by all order by s.state_code",
    )
    data["agencies"] = _rows(
        con,
        "select agencies.*, counties.county_name, counties.population as county_population, "
        "counties.latitude as county_latitude, counties.longitude as county_longitude, places.place_name, "
        "places.population as place_population, places.latitude as place_latitude, "
        "places.longitude as place_longitude, states.state_name, states.state_fips, "
        "states.population as state_population "
        "from dim_agencies as agencies "
        "left join dim_counties as counties on counties.county_fips = agencies.county_fips "
        "left join dim_places as places on places.place_geoid = agencies.place_geoid "
        "left join dim_states as states on states.state_code = agencies.state_code "
        "order by agencies.agency_name, agencies.agency_id",
    )
    data["agreements"] = _rows(con, "select * from fct_agreements order by agency_id, signed_date, support_type")
    data["listings"] = con.execute(
        "select distinct agreement_id, published_date from fct_agreement_listings order by 1, 2"
    ).fetchall()
    data["payments"] = {r["agency_id"]: r for r in _rows(con, "select * from rpt_agency_payments")}
    data["arrests_weekly"] = {
        r["agency_id"]: r
        for r in _rows(
            con,
            "select agency_id, sum(n_arrests) as n_arrests, count(*) as n_weeks, min(week_start_date) as first_week, "
            "max(week_start_date) as last_week from fct_agency_arrests_weekly where agency_id is not null group by 1",
        )
    }
    data["arrest_records"] = dict(
        con.execute("select agency_id, count(*) from fct_arrests where agency_id is not null group by 1").fetchall()
    )
    data["changes"] = _rows(
        con,
        "select changes.*, agencies.agency_name from rpt_publication_changes as changes "
        "left join dim_agencies as agencies on agencies.agency_id = changes.agency_id "
        "order by changes.published_date desc, changes.publication_id, changes.change_type, changes.agreement_id",
    )
    data["sb8"] = _rows(con, "select * from rpt_texas_sb8_compliance order by population desc, county_fips")
    data["qa"] = _rows(con, "select * from rpt_qa_summary order by status, check_name, scope")
    data["n_review"] = con.execute("select count(*) from rpt_values_for_review").fetchone()[0]
    data["review"] = _rows(
        con,
        f"select * from rpt_values_for_review order by n_rows desc, column_name, value_printed "
        f"limit {REVIEW_ROWS_SHOWN}",
    )
    con.execute("use memory")
    return data


# The line charts' points: active agreements per day by support type, for the country (state_code null)
# and each state, only the days a step chart needs (``svg._step_points``: the first day, each day the
# value changes, the last day). DuckDB sums and drops the flat days: the daily mart has a row per
# state, support type and day (~330k on the real archive), its charts ~2k points.
SERIES_SQL = """
with series as (
    select state_code, support_type, as_of_date, sum(n_active_agreements)::double as n
    from rpt_active_agreements_daily where state_code is not null group by all
    union all
    select null, support_type, as_of_date, sum(n_active_agreements)::double
    from rpt_active_agreements_daily group by all
),
stepped as (
    select *, lag(n) over w as previous_n, lead(as_of_date) over w as next_date
    from series
    window w as (partition by state_code, support_type order by as_of_date)
)
select state_code, support_type, as_of_date, n from stepped
where previous_n is null or n <> previous_n or next_date is null
order by state_code nulls first, support_type, as_of_date
"""


def _series_by_state(points) -> dict[str | None, dict[str, list[tuple[dt.date, float]]]]:
    """The rows of SERIES_SQL as chart series: key (None for the country, else a state code) -> support
    type (ICE's order first) -> (day, active agreements) in day order."""
    by_key: dict[str | None, dict[str, list[tuple[dt.date, float]]]] = defaultdict(lambda: defaultdict(list))
    for state_code, support_type, day, n in points:
        by_key[state_code][support_type].append((day, n))
    out = {}
    for key, by_type in by_key.items():
        order = [t for t in SUPPORT_TYPES if t in by_type] + sorted(t for t in by_type if t not in SUPPORT_TYPES)
        out[key] = {t: by_type[t] for t in order}
    return out


def _place(agency: dict, centroids: dict[str, tuple[float, float]]) -> tuple[tuple[float, float] | None, str]:
    """Where an agency sits on the map and what the point stands for."""
    level = _level(agency["jurisdiction_level"])
    if level == "State":
        point = centroids.get(agency["state_fips"] or "")
        return point, "state (statewide agency)"
    if level == "Local" and agency["place_latitude"] is not None:
        point = albers_usa(agency["place_longitude"], agency["place_latitude"])
        if point:
            return point, f"place centroid ({agency['place_name']})"
    if agency["county_latitude"] is not None:
        point = albers_usa(agency["county_longitude"], agency["county_latitude"])
        if point:
            return point, f"county centroid ({agency['county_name']})"
    return None, ""


def _spread(points: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """Agencies on the same centroid drawn side by side (a small spiral) rather than on top of each other."""
    seen: dict[tuple[int, int], int] = defaultdict(int)
    out = []
    for x, y in points:
        key = (round(x), round(y))
        i = seen[key]
        seen[key] += 1
        if i:
            angle = i * 2.4
            radius = 3.5 * (i**0.5)
            x, y = x + radius * math.cos(angle), y + radius * math.sin(angle)
        out.append((x, y))
    return out


def _population(agency: dict) -> tuple[int | None, str]:
    level = _level(agency["jurisdiction_level"])
    if level == "State":
        return agency["state_population"], f"{agency['state_name'] or agency['state_code']} (state, PEP 2024)"
    if level == "Local" and agency["place_population"] is not None:
        return agency["place_population"], f"{agency['place_name']} (place, ACS 5-year)"
    if agency["county_population"] is not None:
        what = "county" if level == "County" else "county the agency sits in"
        return agency["county_population"], f"{agency['county_name']} ({what})"
    return None, ""


def _change_text(change: dict) -> str:
    kind = change["change_type"]
    before, after = change["value_before"], change["value_after"]
    if kind == "renamed":
        return f"renamed: “{before}” → “{after}”"
    if kind == "redated":
        return f"signing date changed: {before} → {after}"
    if kind == "moa_posted":
        return "MOA posted"
    if kind == "removed":
        return "removed from the sheet"
    return "added to the sheet"


def _grouped_changes(data: dict) -> list[dict]:
    """Each participating publication (newest first) with its changes, counted by type."""
    by_pub: dict[str, list[dict]] = defaultdict(list)
    for change in data["changes"]:
        change["text"] = _change_text(change)
        by_pub[change["publication_id"]].append(change)
    out = []
    for pub in reversed([p for p in data["publications"] if p["kind"] == "participating"]):
        changes = by_pub.get(pub["publication_id"], [])
        counts: dict[str, int] = defaultdict(int)
        for change in changes:
            counts[change["change_type"]] += 1
        out.append(
            {
                "pub": pub,
                "changes": changes,
                "counts": dict(sorted(counts.items())),
                "is_first": any(c["is_first_publication"] for c in changes),
            }
        )
    return out


def _write(path: Path, text: str) -> int:
    path.parent.mkdir(parents=True, exist_ok=True)
    data = text.encode("utf-8")
    path.write_bytes(data)
    return len(data)


@dataclass(frozen=True)
class MartsSource:
    """Where the site reads the marts: a connection, the attached database, and its marts schema
    (``main`` in a publication's marts.duckdb, ``marts`` in a work file); ``build_info``: the build info to
    show, when the database has none of its own (a work file read while its publication is written)."""

    con: duckdb.DuckDBPyConnection
    database: str
    schema: str = "main"
    build_info: dict[str, str] | None = None


def write_site(
    marts: MartsSource,
    site_dir: Path,
    tables: list[TableDoc],
    export_dir: Path | Callable[[], Path] | None,
    dbt_docs_html: Path | None = None,
) -> SiteResult:
    """Write the whole site into ``site_dir`` from the marts.

    ``tables``: the data dictionary (``ingest.dictionary``); ``export_dir``: the publication's exports
    (linked from the data page), or a function returning it once they are written (publish writes them
    in another process meanwhile: the data page, which lists them, is written last and waits for them);
    ``dbt_docs_html``: dbt's ``static_index.html`` (the Docs page)."""
    start = time.perf_counter()
    data = load(marts.con, marts.database, marts.schema)
    if marts.build_info is not None:
        data["build_info"] = dict(sorted(marts.build_info.items()))  # as load() reads a build_info table
    info = data["build_info"]
    is_synthetic = info.get("is_synthetic_sample") == "true"
    env = _env()
    site_dir.mkdir(parents=True, exist_ok=True)
    assets = site_dir / "assets"
    assets.mkdir(exist_ok=True)
    package = resources.files("ingest.site")
    for name in ("site.css", "site.js", "LICENSE-us-atlas.txt"):
        (assets / name).write_bytes(package.joinpath(f"assets/{name}").read_bytes())
    _write(assets / "us-states.svg", svg.basemap_svg())
    agencies = data["agencies"]
    search_index = [
        [f"agency/{page_name(a['agency_id'])}.html", a["agency_name"], a["state_code"], a["jurisdiction_level"] or ""]
        for a in agencies
    ]
    _write(
        assets / "agencies.js",
        "window.ICE287G_AGENCIES = " + json.dumps(search_index, ensure_ascii=False, separators=(",", ":")) + ";\n",
    )
    newest = data["newest"]
    common = {
        "is_synthetic": is_synthetic,
        "info": info,
        "newest": newest,
        "built_at": info.get("built_at", ""),
        "publication": info.get("publication", ""),
    }

    def render(template: str, out: str, root: str = "", **context) -> None:
        _write(site_dir / out, env.get_template(template).render(root=root, **common, **context))

    # --- overview
    shapes = state_shapes()
    centroids = {s.fips: s.centroid for s in shapes}
    agreements_of: dict[str, list[dict]] = defaultdict(list)
    for agreement in data["agreements"]:
        agreements_of[agreement["agency_id"]].append(agreement)
    active_ids = {a["agency_id"] for a in data["agreements"] if a["is_active"]}
    placed, unplaced = [], []
    for agency in agencies:
        agency["point"], agency["point_means"] = _place(agency, centroids)
        agency["level"] = _level(agency["jurisdiction_level"])
        agency["page"] = f"agency/{page_name(agency['agency_id'])}.html"
        if agency["agency_id"] in active_ids:
            (placed if agency["point"] else unplaced).append(agency)
    spread = _spread([a["point"] for a in placed])
    map_points = [
        (
            x,
            y,
            a["level"],
            f"{a['agency_name']} ({a['state_code']}, {a['jurisdiction_level'] or 'level unknown'})",
            a["page"],
        )
        for a, (x, y) in zip(placed, spread, strict=True)
    ]
    level_counts = {lvl: sum(1 for a in placed + unplaced if a["level"] == lvl) for lvl in ("State", "County", "Local")}
    map_svg = svg.us_map(
        map_points,
        title="Agencies with an active agreement on the newest sheet, by jurisdiction level",
        legend={"State": "statewide", "County": "county", "Local": "local (municipal and other)"},
    )
    states_with = [s for s in data["states"] if s["n_active_agreements"]]
    states_with.sort(key=lambda s: (-s["n_active_agreements"], s["state_code"]))
    state_bars = svg.bar_chart(
        [(s["state_code"], s["n_active_agreements"], s["policy_status"] or "none") for s in states_with],
        title="Active agreements by state, coloured by the state's 287(g) policy",
        colors=svg.POLICY_COLORS,
        legend={"ban": "state bans 287(g)", "mandate": "state mandates 287(g)", "none": "no state policy"},
        links={s["state_code"]: f"state/{page_name(s['state_code'])}.html" for s in states_with},
    )
    series = data["series"]
    over_time = svg.line_chart(
        series.get(None, {}),
        title="Active agreements over time by support type (rpt_active_agreements_daily)",
        y_label="active agreements",
    )
    pages = 0
    render(
        "index.html.j2",
        "index.html",
        by_support_type=data["by_support_type"],
        support_types=[t for t in SUPPORT_TYPES if t in data["by_support_type"]]
        + sorted(t for t in data["by_support_type"] if t not in SUPPORT_TYPES),
        colors=svg.SUPPORT_COLORS,
        n_active_agreements=data["n_active_agreements"],
        n_active_agencies=data["n_active_agencies"],
        n_active_states=data["n_active_states"],
        over_time=over_time,
        state_bars=state_bars,
        map_svg=map_svg,
        unplaced=unplaced,
        level_counts=level_counts,
        n_placed=len(placed),
    )
    pages += 1
    # --- changes + feed
    grouped = _grouped_changes(data)
    render("changes.html.j2", "changes.html", grouped=grouped, previous=data["previous"])
    pages += 1
    _write(site_dir / "changes.atom", feed.atom(grouped, info, is_synthetic))
    # --- agencies
    listed_on: dict[str, list[dt.date]] = defaultdict(list)
    for agreement_id, day in data["listings"]:
        listed_on[agreement_id].append(day)
    all_days = [p["published_date"] for p in data["publications"] if p["published_date"]]
    span = (min(all_days), max(all_days)) if all_days else (dt.date.today(), dt.date.today())
    agency_template = env.get_template("agency.html.j2")
    for agency in agencies:
        own = agreements_of.get(agency["agency_id"], [])
        rows = [
            (
                f"{a['support_type_code'] or a['support_type']} signed {a['signed_date'] or '?'}",
                listed_on.get(a["agreement_id"], []),
                svg.SUPPORT_COLORS.get(a["support_type"], svg.OTHER_COLOR),
            )
            for a in own
        ]
        population, population_of = _population(agency)
        page = agency_template.render(
            root="../",
            **common,
            agency=agency,
            agreements=own,
            timeline=svg.timeline(rows, start=span[0], end=span[1], title="Sheets that listed each agreement"),
            locator=svg.locator_map(agency["point"], root="../", title=f"Where {agency['agency_name']} is"),
            population=population,
            population_of=population_of,
            payments=data["payments"].get(agency["agency_id"]),
            arrests=data["arrests_weekly"].get(agency["agency_id"]),
            n_arrest_records=data["arrest_records"].get(agency["agency_id"]),
        )
        _write(site_dir / agency["page"], page)
    render("agencies.html.j2", "agencies.html", agencies=agencies)
    pages += 1 + len(agencies)
    # --- states
    agencies_of_state: dict[str, list[dict]] = defaultdict(list)
    for agency in agencies:
        agencies_of_state[agency["state_code"]].append(agency)
    state_codes = sorted({s["state_code"] for s in data["states"]} | set(agencies_of_state))
    state_by_code = {s["state_code"]: s for s in data["states"]}
    n_states = 0
    for code in state_codes:
        if not agencies_of_state.get(code) and code not in state_by_code:
            continue
        state = state_by_code.get(code, {"state_code": code, "state_name": code, "policy_status": None})
        render(
            "state.html.j2",
            f"state/{page_name(code)}.html",
            root="../",
            state=state,
            agencies=agencies_of_state.get(code, []),
            chart=svg.line_chart(series.get(code, {}), title=f"Active agreements in {code} over time"),
            sb8=data["sb8"] if code == "TX" else None,
            active_ids=active_ids,
        )
        n_states += 1
    render("states.html.j2", "states.html", states=data["states"])
    pages += 1 + n_states
    # --- data + docs
    exports = []
    if callable(export_dir):  # being written elsewhere (publish): the list needs them done
        export_dir = export_dir()
    if export_dir is not None and export_dir.is_dir():
        exports = sorted((p.name, p.stat().st_size) for p in export_dir.iterdir() if p.is_file())
    docs_written = dbt_docs_html is not None and dbt_docs_html.is_file()
    if docs_written:
        (site_dir / "docs").mkdir(exist_ok=True)
        shutil.copyfile(dbt_docs_html, site_dir / "docs" / "index.html")
    else:  # the Docs link still leads somewhere that says why
        render("docs.html.j2", "docs/index.html", root="../")
    render(
        "data.html.j2",
        "data.html",
        exports=exports,
        tables=tables,
        qa=data["qa"],
        review=data["review"],
        n_review=data["n_review"],
        review_limit=REVIEW_ROWS_SHOWN,
        docs_written=docs_written,
    )
    pages += 1
    total = sum(p.stat().st_size for p in site_dir.rglob("*") if p.is_file())
    return SiteResult(site_dir, pages, len(agencies), n_states, total, time.perf_counter() - start)
