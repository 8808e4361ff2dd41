"""A choropleth of provinces and a tree-map, as SVG: pure functions over numbers and shapes.

The province outlines are the 63 provinces of 2008–2025 (``geo_build`` writes them from
an npm package; docs/decisions/0009). A province of the 34 of 01/07/2025 is drawn as
the old provinces it was formed from, all in its colour: the reform merged whole
provinces, so the union of their outlines is the new one. Units with no outline (Party
committees, communes, agencies) are drawn as a tree-map instead: one rectangle per
unit, its area proportional to the figure (squarified, Bruls et al. 2000).

Colours: five classes of one hue, equal steps from the smallest figure to the largest;
a unit with no figure is hatched grey and named in the legend as such.
"""

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

from trienkhai.analytics.charts import Number, display, no_data, svg_open

GEO_FILE = Path(__file__).parent / "static" / "analytics" / "geo" / "vn-provinces-2008.json"
CLASSES = ["#deebf7", "#9ecae1", "#6baed6", "#3182bd", "#08519c"]
"""Five blues, light to dark (ColorBrewer "Blues", colour-blind safe)."""
NO_DATA = "url(#no-data)"
ISLANDS = [
    # Drawn on every map of the country: (name, lon, lat).
    ("Quần đảo Hoàng Sa", 112.0, 16.5),
    ("Quần đảo Trường Sa", 114.0, 10.0),
]
LON0, LON1, LAT0, LAT1 = 102.0, 117.0, 8.3, 23.6
KX = math.cos(math.radians(16))
"""Equirectangular, with longitudes shrunk by the cosine of Việt Nam's middle latitude."""

Ring = list[list[float]]
Polygon = list[Ring]


@dataclass(frozen=True)
class Province:
    code: str
    name: str
    polygons: list[Polygon]


@cache
def provinces_2008() -> dict[str, Province]:
    """The 63 provinces' outlines by GSO code (two digits)."""
    data = json.loads(GEO_FILE.read_text(encoding="utf-8"))
    return {p["code"]: Province(p["code"], p["name"], p["polygons"]) for p in data["provinces"]}


@dataclass
class Region:
    """One unit on the map: its label, figure, link, and the 2008 provinces that draw it."""

    label: str
    value: Number | None
    provinces: list[str] = field(default_factory=list)
    href: str = ""


def colour_classes(values: Sequence[Number | None]) -> tuple[list[float], list[str | None]]:
    """The class bounds (len 6) and each value's colour (None for no value).

    Equal intervals between the smallest and the largest value; all equal → the darkest.
    """
    numbers = [float(v) for v in values if v is not None]
    if not numbers:
        return [], [None for _ in values]
    low, high = min(numbers), max(numbers)
    bounds = [low + (high - low) * i / len(CLASSES) for i in range(len(CLASSES) + 1)]
    colours: list[str | None] = []
    for v in values:
        if v is None:
            colours.append(None)
        elif high == low:
            colours.append(CLASSES[-1])
        else:
            index = min(int((float(v) - low) / (high - low) * len(CLASSES)), len(CLASSES) - 1)
            colours.append(CLASSES[index])
    return bounds, colours


def _project(width: float, height: float):
    scale = min(width / ((LON1 - LON0) * KX), height / (LAT1 - LAT0))

    def xy(lon: float, lat: float) -> tuple[float, float]:
        return (lon - LON0) * KX * scale, (LAT1 - lat) * scale

    return xy


def _path(polygons: list[Polygon], xy) -> str:
    parts = []
    for polygon in polygons:
        for ring in polygon:
            points = [xy(lon, lat) for lon, lat in ring]
            parts.append("M" + "L".join(f"{x:.1f} {y:.1f}" for x, y in points) + "Z")
    return "".join(parts)


def _hatch() -> str:
    return (
        '<defs><pattern id="no-data" width="6" height="6" patternUnits="userSpaceOnUse" '
        'patternTransform="rotate(45)"><rect width="6" height="6" fill="#f1f3f6"/>'
        '<line x1="0" y1="0" x2="0" y2="6" stroke="#c4ccd6" stroke-width="2"/></pattern></defs>'
    )


def _legend(x: float, y: float, bounds: list[float], unit_label: str) -> list[str]:
    out = [f'<g class="legend"><text x="{x}" y="{y}" font-weight="600">{escape(unit_label)}</text>']
    for i, colour in enumerate(CLASSES if bounds else []):
        top = y + 10 + i * 20
        out.append(
            f'<rect x="{x}" y="{top}" width="18" height="14" fill="{colour}" stroke="#5b6775" '
            f'stroke-width=".5"/><text x="{x + 24}" y="{top + 11}">'
            f"{display(round(bounds[i], 2))} – {display(round(bounds[i + 1], 2))}</text>"
        )
    top = y + 10 + len(CLASSES if bounds else []) * 20
    out.append(
        f'<rect x="{x}" y="{top}" width="18" height="14" fill="{NO_DATA}" stroke="#5b6775" '
        f'stroke-width=".5"/><text x="{x + 24}" y="{top + 11}">{no_data()}</text></g>'
    )
    return out


def choropleth(
    regions: Sequence[Region],
    *,
    title: str,
    desc: str,
    legend_title: str = "",
    ident: str = "map",
    width: int = 720,
) -> str:
    """Provinces coloured by their figures; every other 2008 province drawn as context."""
    shapes = provinces_2008()
    map_w = width - 190
    height = math.ceil(map_w * (LAT1 - LAT0) / ((LON1 - LON0) * KX)) + 10
    height = max(height, 200)
    xy = _project(map_w, height)
    bounds, colours = colour_classes([r.value for r in regions])
    out = [*svg_open(width, height, title, desc, ident, cls="chart map"), _hatch()]
    used = {code for r in regions for code in r.provinces}
    out.append('<g class="context" fill="#fafbfc" stroke="#c4ccd6" stroke-width=".5">')
    for code, province in shapes.items():
        if code not in used:
            out.append(f'<path d="{_path(province.polygons, xy)}"/>')
    out.append("</g>")
    for region, colour in zip(regions, colours, strict=True):
        fill = colour or NO_DATA
        paths = "".join(
            f'<path d="{_path(shapes[c].polygons, xy)}"/>' for c in region.provinces if c in shapes
        )
        body = (
            f'<g class="region" fill="{fill}" stroke="#1d2733" stroke-width=".6" '
            f"data-label={quoteattr(region.label)} data-value="
            f'"{"" if region.value is None else float(region.value)}">'
            f"<title>{escape(region.label)}: {display(region.value) or no_data()}</title>"
            f"{paths}</g>"
        )
        out.append(f"<a href={quoteattr(region.href)}>{body}</a>" if region.href else body)
    out.append('<g class="islands" fill="#5b6775">')
    for name, lon, lat in ISLANDS:
        x, y = xy(lon, lat)
        out.append(
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="2.5"/><circle cx="{x + 6:.1f}" cy="{y + 4:.1f}" '
            f'r="1.8"/><text x="{x:.1f}" y="{y - 7:.1f}" text-anchor="middle" '
            f'font-size="10">{escape(name)}</text>'
        )
    out.append("</g>")
    out += _legend(map_w + 10, 30, bounds, legend_title)
    out.append("</svg>")
    return "\n".join(out)


@dataclass(frozen=True)
class Tile:
    label: str
    value: Number | None
    href: str = ""


@dataclass(frozen=True)
class Placed:
    tile: Tile
    x: float
    y: float
    w: float
    h: float


def squarify(tiles: Sequence[Tile], x: float, y: float, w: float, h: float) -> list[Placed]:
    """Lay out positive-valued tiles in the rectangle, areas proportional to values.

    Squarified: rows along the shorter side, a tile added to the row while it makes the
    worst aspect ratio better. Tiles with no value or zero get no area.
    """
    items = sorted(
        (t for t in tiles if t.value and float(t.value) > 0), key=lambda t: -float(t.value or 0)
    )
    total = sum(float(t.value or 0) for t in items)
    if not items or total <= 0:
        return []
    factor = w * h / total
    areas = [(t, float(t.value or 0) * factor) for t in items]
    placed: list[Placed] = []

    def worst(row: list[float], side: float) -> float:
        s = sum(row)
        return max(max(side * side * a / (s * s), (s * s) / (side * side * a)) for a in row)

    while areas:
        side = min(w, h)
        row = [areas[0]]
        rest = areas[1:]
        while rest and worst([a for _, a in [*row, rest[0]]], side) <= worst(
            [a for _, a in row], side
        ):
            row.append(rest.pop(0))
        areas = rest
        thickness = sum(a for _, a in row) / side
        offset = 0.0
        for tile, area in row:
            length = area / thickness
            if w >= h:  # the row is a column on the left
                placed.append(Placed(tile, x, y + offset, thickness, length))
            else:  # the row is a strip along the top
                placed.append(Placed(tile, x + offset, y, length, thickness))
            offset += length
        if w >= h:
            x, w = x + thickness, w - thickness
        else:
            y, h = y + thickness, h - thickness
    return placed


def treemap(
    tiles: Sequence[Tile],
    *,
    title: str,
    desc: str,
    legend_title: str = "",
    ident: str = "map",
    width: int = 760,
    height: int = 480,
) -> str:
    """Rectangles with areas proportional to the figures, coloured by the same classes."""
    plot_w = width - 190
    placed = squarify(tiles, 0, 0, plot_w, height)
    bounds, colours = colour_classes([p.tile.value for p in placed])
    out = [*svg_open(width, height, title, desc, ident, cls="chart treemap", size=11), _hatch()]
    for p, colour in zip(placed, colours, strict=True):
        dark = colour in CLASSES[3:]
        label = ""
        if p.w > 40 and p.h > 28:
            chars = max(int(p.w / 6.5), 3)
            name = p.tile.label if len(p.tile.label) <= chars else p.tile.label[: chars - 1] + "…"
            label = (
                f'<text x="{p.x + 4:.1f}" y="{p.y + 14:.1f}" fill="{"#fff" if dark else "#1d2733"}">'
                f'{escape(name)}<tspan x="{p.x + 4:.1f}" dy="13" font-weight="600">'
                f"{display(p.tile.value)}</tspan></text>"
            )
        body = (
            f'<g class="tile" data-label={quoteattr(p.tile.label)} '
            f'data-value="{float(p.tile.value or 0)}"><rect x="{p.x:.2f}" y="{p.y:.2f}" '
            f'width="{p.w:.2f}" height="{p.h:.2f}" fill="{colour}" stroke="#fff" stroke-width="1.5">'
            f"<title>{escape(p.tile.label)}: {display(p.tile.value)}</title></rect>{label}</g>"
        )
        out.append(f"<a href={quoteattr(p.tile.href)}>{body}</a>" if p.tile.href else body)
    out += _legend(plot_w + 10, 30, bounds, legend_title)
    out.append("</svg>")
    return "\n".join(out)
