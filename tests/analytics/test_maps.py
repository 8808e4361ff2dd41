"""The province outlines, the choropleth and the tree-map, parsed back."""

import xml.etree.ElementTree as ET

import pytest

from tests.translation import english
from trienkhai.analytics import geo_build, maps

SVG = "{http://www.w3.org/2000/svg}"


def test_it_ships_the_63_provinces_of_2008_under_their_official_codes():
    from vietnam_provinces import legacy

    shapes = maps.provinces_2008()
    assert set(shapes) == {f"{int(p.code):02d}" for p in legacy.Province.iter_all()}
    assert shapes["91"].name == "Tỉnh Kiên Giang" and shapes["06"].name == "Tỉnh Bắc Kạn"
    for province in shapes.values():
        for polygon in province.polygons:
            for ring in polygon:
                assert len(ring) >= 3
                assert all(102 <= lon <= 110 and 8 <= lat <= 24 for lon, lat in ring)


def test_it_decodes_the_echarts_ring_encoding():
    # Encode (zigzag deltas + 64) the way the package does, decode back.
    points = [(105000, 10000), (105010, 9990), (104990, 10005)]
    text, previous = "", points[0]
    for x, y in points:
        for delta in (x - previous[0], y - previous[1]):
            text += chr(((delta << 1) ^ (delta >> 31)) + 64)
        previous = (x, y)
    decoded = geo_build.decode_ring(text, list(points[0]))
    assert decoded == [(x / 1024, y / 1024) for x, y in points]


def test_it_colours_provinces_by_equal_classes_and_hatches_missing_figures():
    regions = [
        maps.Region("Kiên Giang", 100, ["91"]),
        maps.Region("Bắc Kạn", 500, ["06"]),
        maps.Region("Thái Nguyên (2025)", 300, ["19", "06x"]),
        maps.Region("Trà Vinh", None, ["84"]),
    ]
    root = ET.fromstring(maps.choropleth(regions, title="Lượt", desc="bốn tỉnh"))
    drawn = {g.get("data-label"): g for g in root.iter(f"{SVG}g") if g.get("class") == "region"}
    assert drawn["Kiên Giang"].get("fill") == maps.CLASSES[0]
    assert drawn["Bắc Kạn"].get("fill") == maps.CLASSES[-1]
    assert drawn["Thái Nguyên (2025)"].get("fill") == maps.CLASSES[2]
    assert drawn["Trà Vinh"].get("fill") == maps.NO_DATA
    # Unknown outline codes are skipped; the 59 provinces not named are drawn as context.
    assert len(drawn["Thái Nguyên (2025)"].findall(f"{SVG}path")) == 1
    context = next(g for g in root.iter(f"{SVG}g") if g.get("class") == "context")
    assert len(context.findall(f"{SVG}path")) == 63 - 4
    texts = "".join(root.itertext())
    assert "Quần đảo Hoàng Sa" in texts and "Quần đảo Trường Sa" in texts
    assert root.get("role") == "img" and root.find(f"{SVG}title").text == "Lượt"


def test_it_says_no_data_in_the_readers_language(tmp_path):
    regions = [maps.Region("Kiên Giang", 100, ["91"]), maps.Region("Trà Vinh", None, ["84"])]
    with english(tmp_path, {"không có số liệu": "no data"}):
        svg = maps.choropleth(regions, title="Lượt", desc="hai tỉnh")
        tiles = maps.treemap([maps.Tile("CB-01", 5), maps.Tile("CB-02", None)], title="t", desc="d")
    root = ET.fromstring(svg)
    drawn = {g.get("data-label"): g for g in root.iter(f"{SVG}g") if g.get("class") == "region"}
    assert drawn["Trà Vinh"].find(f"{SVG}title").text == "Trà Vinh: no data"
    legend = next(g for g in root.iter(f"{SVG}g") if g.get("class") == "legend")
    assert "no data" in "".join(legend.itertext())
    assert "không có số liệu" not in svg + tiles
    assert "no data" in "".join(ET.fromstring(tiles).itertext())


def test_it_puts_a_value_in_the_class_of_equal_steps():
    bounds, colours = maps.colour_classes([0, 10, 19.9, 20, 100, None])
    assert bounds == [0, 20, 40, 60, 80, 100]
    assert colours == [
        maps.CLASSES[0],
        maps.CLASSES[0],
        maps.CLASSES[0],
        maps.CLASSES[1],
        maps.CLASSES[4],
        None,
    ]
    assert maps.colour_classes([7, 7])[1] == [maps.CLASSES[-1]] * 2


@pytest.mark.parametrize("width,height", [(600, 400), (300, 500)])
def test_it_gives_each_tile_an_area_proportional_to_its_value(width, height):
    values = [500, 400, 300, 300, 200, 100, 50, 20, 10, 5, 1]
    tiles = [maps.Tile(f"Chi bộ {n}", v) for n, v in enumerate(values)] + [
        maps.Tile("trống", None),
        maps.Tile("không", 0),
    ]
    placed = maps.squarify(tiles, 0, 0, width, height)
    assert len(placed) == len(values)
    total = sum(values)
    for p in placed:
        assert p.w * p.h == pytest.approx(float(p.tile.value) / total * width * height, rel=1e-6)
        assert (
            p.x >= -1e-6
            and p.x + p.w <= width + 1e-6
            and p.y >= -1e-6
            and p.y + p.h <= height + 1e-6
        )
    # No two tiles overlap.
    for i, a in enumerate(placed):
        for b in placed[i + 1 :]:
            overlap_w = min(a.x + a.w, b.x + b.w) - max(a.x, b.x)
            overlap_h = min(a.y + a.h, b.y + b.h) - max(a.y, b.y)
            assert overlap_w <= 1e-6 or overlap_h <= 1e-6


def test_it_draws_the_treemap_with_the_figures_and_their_colours():
    tiles = [
        maps.Tile("Xã Vĩnh Thuận", 820),
        maps.Tile("Chi bộ Thuế", 50),
        maps.Tile("Ban Chỉ đạo", None),
    ]
    root = ET.fromstring(maps.treemap(tiles, title="Lượt người", desc="ba đơn vị"))
    groups = {g.get("data-label"): g for g in root.iter(f"{SVG}g") if g.get("class") == "tile"}
    assert set(groups) == {"Xã Vĩnh Thuận", "Chi bộ Thuế"}
    big, small = (groups[n].find(f"{SVG}rect") for n in ("Xã Vĩnh Thuận", "Chi bộ Thuế"))
    area = lambda r: float(r.get("width")) * float(r.get("height"))  # noqa: E731
    assert area(big) / area(small) == pytest.approx(820 / 50, rel=1e-3)
    assert (big.get("fill"), small.get("fill")) == (maps.CLASSES[-1], maps.CLASSES[0])
    assert "820" in "".join(groups["Xã Vĩnh Thuận"].itertext())
