"""The SVG charts, parsed back: bar lengths and point heights proportional to the figures."""

import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest

from tests.translation import english
from trienkhai.analytics import charts

SVG = "{http://www.w3.org/2000/svg}"


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def test_it_draws_bars_proportional_to_the_values_from_one_zero_line():
    bars = [charts.Bar("Xã A", 100), charts.Bar("Xã B", 250), charts.Bar("Xã C", Decimal("20.5"))]
    root = parse(charts.bar_chart(bars, title="Lượt người", desc="ba đơn vị"))
    rects = root.findall(f".//{SVG}g[@class='bar']/{SVG}rect")
    assert [float(r.get("data-value")) for r in rects] == [100, 250, 20.5]
    widths = [float(r.get("width")) for r in rects]
    assert widths[1] / widths[0] == pytest.approx(2.5, rel=1e-3)
    assert widths[2] / widths[0] == pytest.approx(0.205, rel=1e-3)
    zero = float(root.find(f".//{SVG}line[@class='zero']").get("x1"))
    assert all(float(r.get("x")) == pytest.approx(zero, abs=0.01) for r in rects)
    assert {r.get("fill") for r in rects} == {charts.BAR_COLOUR}


def test_it_draws_a_negative_change_left_of_zero_in_another_colour():
    root = parse(
        charts.bar_chart([charts.Bar("tăng", 30), charts.Bar("giảm", -10)], title="t", desc="d")
    )
    up, down = root.findall(f".//{SVG}rect[@data-value]")
    zero = float(root.find(f".//{SVG}line[@class='zero']").get("x1"))
    assert float(down.get("x")) + float(down.get("width")) == pytest.approx(zero, abs=0.01)
    assert float(up.get("width")) / float(down.get("width")) == pytest.approx(3, rel=1e-3)
    assert (up.get("fill"), down.get("fill")) == (charts.BAR_COLOUR, charts.NEGATIVE_COLOUR)


def test_it_says_no_data_instead_of_drawing_a_zero_bar():
    root = parse(
        charts.bar_chart([charts.Bar("có", 5), charts.Bar("không", None)], title="t", desc="d")
    )
    assert len(root.findall(f".//{SVG}rect[@data-value]")) == 1
    assert "không có số liệu" in "".join(root.itertext())


def test_it_says_no_data_in_the_readers_language(tmp_path):
    with english(tmp_path, {"không có số liệu": "no data"}):
        svg = charts.bar_chart(
            [charts.Bar("có", 5), charts.Bar("không", None)], title="t", desc="d"
        )
    assert "no data" in "".join(parse(svg).itertext())
    assert "không có số liệu" not in svg


def test_it_is_announced_by_its_title_and_description():
    root = parse(
        charts.bar_chart([charts.Bar("a", 1)], title="Lớp đã mở", desc="Mô tả", ident="c1")
    )
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "c1-title c1-desc"
    assert root.find(f"{SVG}title").text == "Lớp đã mở"
    assert root.find(f"{SVG}desc").text == "Mô tả"


def test_it_writes_numbers_the_vietnamese_way():
    root = parse(charts.bar_chart([charts.Bar("Chợ Đồn", 20673)], title="t", desc="d"))
    assert "20.673" in "".join(root.itertext())
    assert charts.display(Decimal("12.50")) == "12,5"
    assert charts.display(Decimal("1234.567")) == "1.234,57"
    assert charts.display(None) == ""


def test_it_puts_line_points_at_heights_proportional_to_the_values():
    series = [charts.Series("Lượt", [5120, 6874, 8679]), charts.Series("Lớp", [4, None, 4])]
    root = parse(charts.line_chart(["2019", "2020", "2021"], series, title="t", desc="d"))
    groups = root.findall(f".//{SVG}g[@class='series']")
    assert [g.get("data-name") for g in groups] == ["Lượt", "Lớp"]
    points = groups[0].findall(f"{SVG}circle")
    heights = [float(p.get("cy")) for p in points]
    # Between two points, the drop in y is proportional to the rise in value.
    assert (heights[0] - heights[1]) / (heights[1] - heights[2]) == pytest.approx(
        (6874 - 5120) / (8679 - 6874), rel=1e-3
    )
    xs = [float(p.get("cx")) for p in points]
    assert xs[1] - xs[0] == pytest.approx(xs[2] - xs[1])
    # A missing value breaks the line: no polyline with one point, two circles only.
    assert len(groups[1].findall(f"{SVG}circle")) == 2
    assert groups[1].findall(f"{SVG}polyline") == []
    assert groups[0].get("stroke") != groups[1].get("stroke")


def test_it_chooses_round_ticks_that_cover_the_values():
    assert charts.nice_ticks(0, 8679) == [0, 2000, 4000, 6000, 8000, 10000]
    ticks = charts.nice_ticks(-30, 95)
    assert ticks[0] <= -30 and ticks[-1] >= 95 and 0 in ticks
    assert charts.nice_ticks(0, 0) == [0, 0.2, 0.4, 0.6, 0.8, 1.0]


# Long names --------------------------------------------------------------------------------

LONG = [
    "Chi bộ Văn phòng HĐND và UBND huyện",
    "Chi bộ Ủy ban Mặt trận Tổ quốc và các đoàn thể huyện",
    "Chi bộ Phòng Lao động - Thương binh và Xã hội",
    "Đảng ủy xã Vĩnh Thuận",
    "Chi bộ Trường Trung học phổ thông Vĩnh Bình Bắc",
]
FONT = "/usr/share/fonts/truetype/liberation2/LiberationSans-Regular.ttf"


def lines_of(text: ET.Element) -> list[str]:
    return [span.text or "" for span in text.findall(f"{SVG}tspan")]


def test_a_long_unit_name_is_wrapped_whole_beside_its_bar():
    """GIVEN units named as the demo's district offices are ("Chi bộ Văn phòng HĐND và
    UBND huyện", 35 letters and more) WHEN they are drawn as bars THEN each label holds
    the whole name (no "…"), on lines that fit the labels' column, and each bar sits in
    the middle of its label's lines, rows one under another without overlapping."""
    root = parse(
        charts.bar_chart([charts.Bar(n, 10 + i) for i, n in enumerate(LONG)], title="t", desc="d")
    )
    groups = root.findall(f".//{SVG}g[@class='bar']")
    zero = float(root.find(f".//{SVG}line[@class='zero']").get("x1"))
    previous_bottom = 0.0
    for name, group in zip(LONG, groups, strict=True):
        label = group.find(f"{SVG}text")
        lines = lines_of(label)
        assert " ".join(lines) == name and "…" not in name
        assert all(charts.text_width(line) <= zero - 6 for line in lines), lines
        ys = [float(span.get("y")) for span in label.findall(f"{SVG}tspan")]
        rect = group.find(f"{SVG}rect")
        middle = float(rect.get("y")) + float(rect.get("height")) / 2
        assert ys[0] - 9 < middle < ys[-1] + 1, (name, ys, middle)
        assert ys[0] - 12 >= previous_bottom, name  # under the row above, not across it
        previous_bottom = max(ys[-1] + 3, float(rect.get("y")) + float(rect.get("height")))
    assert len(lines_of(groups[1].find(f"{SVG}text"))) >= 2
    assert lines_of(groups[3].find(f"{SVG}text")) == ["Đảng ủy xã Vĩnh Thuận"]
    assert float(root.get("height")) >= previous_bottom


def test_it_never_thinks_a_vietnamese_name_narrower_than_it_is_drawn():
    """The wrapping trusts ``text_width``: measured with the font itself (Liberation Sans,
    as the page and the PNG of a report draw it), no name is wider than it says."""
    font_file = pytest.importorskip("PIL.ImageFont").truetype(FONT, 12)
    names = [*LONG, "Ưu tiên ƠI Ứng Đảng bộ Cơ quan Dân Chính Đảng", "Quý III/2021 – 20.673 (%)"]
    for name in names:
        assert font_file.getlength(name) <= charts.text_width(name), name


def test_a_line_chart_names_every_unit_whole_in_its_legend_and_every_period_under_the_axis():
    series = [charts.Series(n, [i, i + 2, i + 1]) for i, n in enumerate(LONG)]
    periods = ["6 tháng đầu năm 2020", "6 tháng cuối năm 2020", "6 tháng đầu năm 2021"]
    root = parse(charts.line_chart(periods, series, title="t", desc="d"))
    width, height = float(root.get("width")), float(root.get("height"))
    legend = [lines_of(g.find(f"{SVG}text")) for g in root.findall(f".//{SVG}g[@class='legend']")]
    assert [" ".join(lines) for lines in legend] == LONG
    axis = [lines_of(t) for t in root.findall(f".//{SVG}g[@class='axis']/{SVG}text") if lines_of(t)]
    assert [" ".join(lines) for lines in axis] == periods
    for text in root.iter(f"{SVG}text"):
        spans = text.findall(f"{SVG}tspan") or [text]
        for span in spans:
            words = span.text or ""
            x, y = float(span.get("x") or text.get("x")), float(span.get("y") or text.get("y"))
            anchor = text.get("text-anchor", "start")
            drawn = charts.text_width(words)
            left = {"start": x, "middle": x - drawn / 2, "end": x - drawn}[anchor]
            assert left >= 0 and left + drawn <= width and y <= height, (words, left, drawn)


def test_twelve_months_wrap_under_the_axis_instead_of_running_into_each_other():
    months = [f"Tháng {m}/2020" for m in range(1, 13)]
    root = parse(
        charts.line_chart(months, [charts.Series("Lượt", list(range(12)))], title="t", desc="d")
    )
    texts = [t for t in root.findall(f".//{SVG}g[@class='axis']/{SVG}text") if lines_of(t)]
    assert [" ".join(lines_of(t)) for t in texts] == months
    xs = [float(t.get("x")) for t in texts]
    for text, x, after in zip(texts, xs, xs[1:], strict=False):
        widest = max(charts.text_width(line) for line in lines_of(text))
        assert x + widest / 2 < after - widest / 2 + 8, lines_of(text)
