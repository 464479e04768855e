"""The map's geometry: US state shapes (shipped) and the Albers USA projection of a point.

The shapes are ``assets/states-albers-10m.json``, unmodified from the npm package ``us-atlas`` 3.0.1
(ISC licence, ``assets/LICENSE-us-atlas.txt``; derived from the Census Bureau's 2017 cartographic state
boundaries, public domain). That TopoJSON is already projected with d3's ``geoAlbersUsa().scale(1300)
.translate([487.5, 305])`` into a 975x610 viewport, so :func:`albers_usa` is the same projection
(d3-geo's formulas: conic equal-area, lower 48 plus the Alaska and Hawaii insets) and puts a county or
place centroid on the same pixel as the shapes. Points outside the three areas (Puerto Rico, the
territories) have no position: the site lists them beside the map.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import cache
from importlib import resources

WIDTH, HEIGHT = 975, 610
_SCALE, _TX, _TY = 1300.0, 487.5, 305.0


class _ConicEqualArea:
    """d3.geoConicEqualArea with rotate([lon, 0]), center, parallels, scale and translate."""

    def __init__(self, rotate: float, center: tuple[float, float], parallels: tuple[float, float], k: float, t):
        sy0 = math.sin(math.radians(parallels[0]))
        self.n = (sy0 + math.sin(math.radians(parallels[1]))) / 2
        self.c = 1 + sy0 * (2 * self.n - sy0)
        self.r0 = math.sqrt(self.c) / self.n
        self.rotate = math.radians(rotate)
        self.k = k
        cx, cy = self._raw(math.radians(center[0]), math.radians(center[1]))
        self.dx = t[0] - k * cx
        self.dy = t[1] + k * cy

    def _raw(self, lam: float, phi: float) -> tuple[float, float]:
        r = math.sqrt(max(self.c - 2 * self.n * math.sin(phi), 0.0)) / self.n
        return r * math.sin(lam * self.n), self.r0 - r * math.cos(lam * self.n)

    def __call__(self, lon: float, lat: float) -> tuple[float, float]:
        lam = math.radians(lon) + self.rotate
        if abs(lam) > math.pi:
            lam -= round(lam / (2 * math.pi)) * 2 * math.pi
        x, y = self._raw(lam, math.radians(lat))
        return self.dx + self.k * x, self.dy - self.k * y


def _inside(point: tuple[float, float], extent: tuple[tuple[float, float], tuple[float, float]]) -> bool:
    (x0, y0), (x1, y1) = extent
    return x0 <= point[0] <= x1 and y0 <= point[1] <= y1


@cache
def _albers_parts():
    k, x, y = _SCALE, _TX, _TY
    eps = 1e-6
    return (
        (
            _ConicEqualArea(96, (-0.6, 38.7), (29.5, 45.5), k, (x, y)),
            ((x - 0.455 * k, y - 0.238 * k), (x + 0.455 * k, y + 0.238 * k)),
        ),
        (
            _ConicEqualArea(154, (-2, 58.5), (55, 65), k * 0.35, (x - 0.307 * k, y + 0.201 * k)),
            ((x - 0.425 * k + eps, y + 0.120 * k + eps), (x - 0.214 * k - eps, y + 0.234 * k - eps)),
        ),
        (
            _ConicEqualArea(157, (-3, 19.9), (8, 18), k, (x - 0.205 * k, y + 0.212 * k)),
            ((x - 0.214 * k + eps, y + 0.166 * k + eps), (x - 0.115 * k - eps, y + 0.234 * k - eps)),
        ),
    )


def albers_usa(lon: float | None, lat: float | None) -> tuple[float, float] | None:
    """The (x, y) pixel of a longitude/latitude in the 975x610 map, or None outside the 50 states + DC."""
    if lon is None or lat is None:
        return None
    for project, extent in _albers_parts():
        point = project(float(lon), float(lat))
        if _inside(point, extent):
            return point
    return None


@dataclass(frozen=True)
class StateShape:
    """One state's outline as an SVG path (map pixels) and the centre of its largest ring."""

    fips: str
    name: str
    path: str
    centroid: tuple[float, float]


def _ring_centroid(ring: list[tuple[float, float]]) -> tuple[float, float, float]:
    area = cx = cy = 0.0
    for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1], strict=True):
        cross = x0 * y1 - x1 * y0
        area += cross
        cx += (x0 + x1) * cross
        cy += (y0 + y1) * cross
    if abs(area) < 1e-9:
        xs, ys = zip(*ring, strict=True)
        return sum(xs) / len(xs), sum(ys) / len(ys), 0.0
    return cx / (3 * area), cy / (3 * area), abs(area) / 2


@cache
def state_shapes() -> tuple[StateShape, ...]:
    """The 50 states and DC, decoded from the shipped TopoJSON (quantized, delta-encoded arcs)."""
    topo = json.loads(resources.files("ingest.site").joinpath("assets/states-albers-10m.json").read_text("utf-8"))
    (sx, sy), (tx, ty) = topo["transform"]["scale"], topo["transform"]["translate"]
    arcs = []
    for arc in topo["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x += dx
            y += dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)

    def ring(indexes: list[int]) -> list[tuple[float, float]]:
        out: list[tuple[float, float]] = []
        for i in indexes:
            points = arcs[i] if i >= 0 else arcs[~i][::-1]
            out.extend(points[1:] if out else points)
        return out

    shapes = []
    for geometry in topo["objects"]["states"]["geometries"]:
        polygons = geometry["arcs"] if geometry["type"] == "MultiPolygon" else [geometry["arcs"]]
        parts, best = [], (0.0, 0.0, -1.0)
        for polygon in polygons:
            for j, indexes in enumerate(polygon):
                points = ring(indexes)
                parts.append("M" + "L".join(f"{x:.1f},{y:.1f}" for x, y in points) + "Z")
                centroid = _ring_centroid(points)
                if j == 0 and centroid[2] > best[2]:
                    best = centroid
        shapes.append(StateShape(geometry["id"], geometry["properties"]["name"], "".join(parts), (best[0], best[1])))
    return tuple(shapes)
