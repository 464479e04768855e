"""Charts of the site as inline SVG, drawn in Python at build time (no JavaScript to view them).

Small on purpose: a step-line chart over time, a horizontal bar chart, a listing timeline and the
map. Every number shown comes from the caller; every text is XML-escaped here. Each chart carries a
``<title>`` and ``role="img"`` so screen readers announce it.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
from collections.abc import Iterable, Sequence
from html import escape

from ingest.site.geo import HEIGHT, WIDTH, state_shapes

# Colour-blind-safe (Okabe-Ito) colours, one per support type and per policy / jurisdiction level.
SUPPORT_COLORS = {
    "Jail Enforcement Model": "#0072B2",
    "Task Force Model": "#D55E00",
    "Warrant Service Officer": "#009E73",
}
POLICY_COLORS = {"ban": "#CC79A7", "mandate": "#E69F00", "none": "#7f8c8d"}
LEVEL_COLORS = {"State": "#CC79A7", "County": "#0072B2", "Local": "#D55E00"}
OTHER_COLOR = "#555555"


def _e(value: object) -> str:
    return escape(str(value), quote=True)


def _nice_max(value: float) -> tuple[float, float]:
    """A round upper bound >= value and a tick step dividing it (about 4-6 ticks)."""
    if value <= 0:
        return 1.0, 1.0
    raw = value / 5
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)
    step = max(step, 1.0)
    return math.ceil(value / step) * step, step


@functools.lru_cache(maxsize=64)  # every agency page's timeline has the same span
def _date_ticks(start: dt.date, end: dt.date) -> tuple[tuple[dt.date, str], ...]:
    """Year starts (or quarter/month starts for short spans) between start and end, with labels."""
    days = (end - start).days
    if days > 3 * 365:
        months, fmt = 12, "%Y"
    elif days > 400:
        months, fmt = 6, "%b %Y"
    elif days > 120:
        months, fmt = 3, "%b %Y"
    else:
        months, fmt = 1, "%b %Y"
    ticks = []
    year, month = start.year, 1
    while True:
        day = dt.date(year, month, 1)
        if day > end:
            break
        if day >= start:
            ticks.append((day, day.strftime(fmt)))
        month += months
        if month > 12:
            year, month = year + (month - 1) // 12, (month - 1) % 12 + 1
    if months == 12 and len(ticks) > 10:
        ticks = ticks[:: math.ceil(len(ticks) / 10)]
    return tuple(ticks)


def _step_points(points: Sequence[tuple[dt.date, float]]) -> list[tuple[dt.date, float]]:
    """Keep only the days where the value changes (and the last day): the chart draws steps."""
    out: list[tuple[dt.date, float]] = []
    for i, (day, value) in enumerate(points):
        if not out or value != out[-1][1] or i == len(points) - 1:
            out.append((day, value))
    return out


# Chart geometry in SVG user units (the charts scale with the page: viewBox).
CHART_WIDTH, LINE_CHART_HEIGHT, BAR_THICKNESS = 760, 300, 14


def line_chart(
    series: dict[str, Sequence[tuple[dt.date, float]]],
    *,
    title: str,
    colors: dict[str, str] | None = None,
    y_label: str = "",
) -> str:
    """Step lines over time, one per series, with date and value axes and a legend."""
    width, height = CHART_WIDTH, LINE_CHART_HEIGHT
    colors = colors or SUPPORT_COLORS
    days = [d for pts in series.values() for d, _ in pts]
    if not days:
        return f'<p class="empty">{_e(title)}: no data.</p>'
    start, end = min(days), max(days)
    span = max((end - start).days, 1)
    top, step = _nice_max(max(v for pts in series.values() for _, v in pts))
    left, right, upper, lower = 48, 16, 14, 54
    plot_w, plot_h = width - left - right, height - upper - lower

    def x(day: dt.date) -> float:
        return left + plot_w * (day - start).days / span

    def y(value: float) -> float:
        return upper + plot_h * (1 - value / top)

    out = [
        f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" aria-label="{_e(title)}" '
        f'xmlns="http://www.w3.org/2000/svg"><title>{_e(title)}</title>'
    ]
    value = 0.0
    while value <= top + 1e-9:
        yy = y(value)
        out.append(f'<line class="grid" x1="{left}" x2="{width - right}" y1="{yy:.1f}" y2="{yy:.1f}"/>')
        out.append(f'<text class="tick" x="{left - 6}" y="{yy + 4:.1f}" text-anchor="end">{value:,.0f}</text>')
        value += step
    for day, label in _date_ticks(start, end):
        xx = x(day)
        out.append(f'<line class="axis" x1="{xx:.1f}" x2="{xx:.1f}" y1="{upper + plot_h}" y2="{upper + plot_h + 4}"/>')
        out.append(f'<text class="tick" x="{xx:.1f}" y="{upper + plot_h + 17}" text-anchor="middle">{_e(label)}</text>')
    out.append(f'<line class="axis" x1="{left}" x2="{width - right}" y1="{upper + plot_h}" y2="{upper + plot_h}"/>')
    for name, points in series.items():
        steps = _step_points(sorted(points))
        coords = []
        for i, (day, val) in enumerate(steps):
            if i and steps[i - 1][1] != val:  # the corner of a step
                coords.append(f"{x(day):.1f},{y(steps[i - 1][1]):.1f}")
            coords.append(f"{x(day):.1f},{y(val):.1f}")
        color = colors.get(name, OTHER_COLOR)
        last = steps[-1][1]
        out.append(
            f'<polyline class="series" fill="none" stroke="{color}" stroke-width="2" points="{" ".join(coords)}">'
            f"<title>{_e(name)}: {last:,.0f} on {steps[-1][0].isoformat()}</title></polyline>"
        )
    lx = left
    for name in series:
        out.append(
            f'<rect x="{lx}" y="{height - 18}" width="12" height="12" fill="{colors.get(name, OTHER_COLOR)}"/>'
            f'<text class="legend" x="{lx + 16}" y="{height - 8}">{_e(name)}</text>'
        )
        lx += 24 + 7 * len(name)
    if y_label:
        out.append(f'<text class="tick" x="{left}" y="{upper - 3}">{_e(y_label)}</text>')
    out.append("</svg>")
    return "".join(out)


def bar_chart(
    rows: Sequence[tuple[str, float, str]],
    *,
    title: str,
    colors: dict[str, str],
    legend: dict[str, str],
    links: dict[str, str] | None = None,
) -> str:
    """Horizontal bars (label, value, category), coloured by category, with a legend of categories."""
    width, bar = CHART_WIDTH, BAR_THICKNESS
    if not rows:
        return f'<p class="empty">{_e(title)}: no data.</p>'
    left, right, upper = 60, 50, 26
    height = upper + len(rows) * (bar + 4) + 24
    top, step = _nice_max(max(v for _, v, _ in rows))
    plot_w = width - left - right
    out = [
        f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" aria-label="{_e(title)}" '
        f'xmlns="http://www.w3.org/2000/svg"><title>{_e(title)}</title>'
    ]
    lx = left
    for category, label in legend.items():
        out.append(
            f'<rect x="{lx}" y="4" width="12" height="12" fill="{colors.get(category, OTHER_COLOR)}"/>'
            f'<text class="legend" x="{lx + 16}" y="14">{_e(label)}</text>'
        )
        lx += 28 + 7 * len(label)
    value = 0.0
    while value <= top + 1e-9:
        xx = left + plot_w * value / top
        out.append(f'<line class="grid" x1="{xx:.1f}" x2="{xx:.1f}" y1="{upper}" y2="{height - 20}"/>')
        out.append(f'<text class="tick" x="{xx:.1f}" y="{height - 6}" text-anchor="middle">{value:,.0f}</text>')
        value += step
    for i, (label, val, category) in enumerate(rows):
        yy = upper + i * (bar + 4)
        w = plot_w * val / top
        text = f'<text class="tick" x="{left - 6}" y="{yy + bar - 3}" text-anchor="end">{_e(label)}</text>'
        if links and label in links:
            text = f'<a href="{_e(links[label])}">{text}</a>'
        out.append(text)
        out.append(
            f'<rect class="bar" x="{left}" y="{yy}" width="{w:.1f}" height="{bar}" '
            f'fill="{colors.get(category, OTHER_COLOR)}"><title>{_e(label)}: {val:,.0f} ({_e(category)})</title></rect>'
            f'<text class="tick" x="{left + w + 4:.1f}" y="{yy + bar - 3}">{val:,.0f}</text>'
        )
    out.append("</svg>")
    return "".join(out)


def timeline(
    rows: Sequence[tuple[str, Sequence[dt.date], str]],
    *,
    start: dt.date,
    end: dt.date,
    title: str,
    width: int = 760,
) -> str:
    """One row per agreement (label, dates it was listed, colour): a dot per sheet that listed it."""
    if not rows:
        return f'<p class="empty">{_e(title)}: never listed.</p>'
    left, right, upper, row_h = 200, 16, 8, 22
    height = upper + len(rows) * row_h + 26
    span = max((end - start).days, 1)
    plot_w = width - left - right

    def x(day: dt.date) -> float:
        return left + plot_w * (day - start).days / span

    out = [
        f'<svg class="chart timeline" viewBox="0 0 {width} {height}" role="img" aria-label="{_e(title)}" '
        f'xmlns="http://www.w3.org/2000/svg"><title>{_e(title)}</title>'
    ]
    base = upper + len(rows) * row_h
    for day, label in _date_ticks(start, end):
        xx = x(day)
        out.append(f'<line class="grid" x1="{xx:.1f}" x2="{xx:.1f}" y1="{upper}" y2="{base}"/>')
        out.append(f'<text class="tick" x="{xx:.1f}" y="{base + 16}" text-anchor="middle">{_e(label)}</text>')
    for i, (label, dates, color) in enumerate(rows):
        yy = upper + i * row_h + row_h / 2
        shown = _e(label)
        out.append(f'<text class="tick" x="{left - 6}" y="{yy + 4:.1f}" text-anchor="end">{shown}</text>')
        if dates:
            first, last = min(dates), max(dates)
            out.append(
                f'<line x1="{x(first):.1f}" x2="{x(last):.1f}" y1="{yy:.1f}" y2="{yy:.1f}" '
                f'stroke="{color}" stroke-width="3" opacity="0.35"/>'
            )
        # a dot per sheet: the same text around each day's position and date
        tail = f'" cy="{yy:.1f}" r="4" fill="{color}"><title>{shown}: listed on the sheet of '
        out.extend(f'<circle cx="{x(day):.1f}{tail}{day.isoformat()}</title></circle>' for day in dates)
    out.append("</svg>")
    return "".join(out)


def basemap_svg() -> str:
    """The state shapes alone, as a standalone SVG file (the background of the small per-page maps)."""
    paths = "".join(f'<path d="{s.path}"/>' for s in state_shapes())
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" width="{WIDTH}" height="{HEIGHT}">'
        f'<g fill="#e9ecef" stroke="#fff" stroke-width="1">{paths}</g></svg>'
    )


def us_map(
    points: Iterable[tuple[float, float, str, str, str]],
    *,
    title: str,
    shaded: dict[str, str] | None = None,
    legend: dict[str, str] | None = None,
) -> str:
    """The overview map: every state drawn inline (``shaded``: fips -> fill), points (x, y, level, label, href)."""
    out = [
        f'<svg class="chart map" viewBox="0 0 {WIDTH} {HEIGHT + 30}" role="img" aria-label="{_e(title)}" '
        f'xmlns="http://www.w3.org/2000/svg"><title>{_e(title)}</title><g stroke="#fff" stroke-width="1">'
    ]
    shaded = shaded or {}
    for shape in state_shapes():
        fill = shaded.get(shape.fips, "#e9ecef")
        out.append(f'<path d="{shape.path}" fill="{fill}"><title>{_e(shape.name)}</title></path>')
    out.append("</g>")
    for x, y, level, label, href in points:
        dot = (
            f'<circle class="point" cx="{x:.1f}" cy="{y:.1f}" r="4.5" fill="{LEVEL_COLORS.get(level, OTHER_COLOR)}" '
            f'fill-opacity="0.8" stroke="#fff" stroke-width="0.8"><title>{_e(label)}</title></circle>'
        )
        out.append(f'<a href="{_e(href)}">{dot}</a>' if href else dot)
    lx = 20
    for level, label in (legend or {}).items():
        out.append(
            f'<circle cx="{lx + 6}" cy="{HEIGHT + 16}" r="6" fill="{LEVEL_COLORS.get(level, OTHER_COLOR)}"/>'
            f'<text class="legend" x="{lx + 18}" y="{HEIGHT + 21}" style="font-size:15px">{_e(label)}</text>'
        )
        lx += 40 + 8 * len(label)
    out.append("</svg>")
    return "".join(out)


def locator_map(point: tuple[float, float] | None, *, root: str, title: str) -> str:
    """A small map: the shared basemap file as an image and one dot (or a note when there is no place)."""
    if point is None:
        return '<p class="empty">No county or place on record for this agency, so it is not on the map.</p>'
    x, y = point
    return (
        f'<svg class="chart locator" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-label="{_e(title)}" '
        f'xmlns="http://www.w3.org/2000/svg"><title>{_e(title)}</title>'
        f'<image href="{_e(root)}assets/us-states.svg" x="0" y="0" width="{WIDTH}" height="{HEIGHT}"/>'
        f'<circle cx="{x:.1f}" cy="{y:.1f}" r="16" fill="#D55E00" fill-opacity="0.25"/>'
        f'<circle class="point" cx="{x:.1f}" cy="{y:.1f}" r="7" fill="#D55E00" stroke="#fff" stroke-width="2"/>'
        "</svg>"
    )
