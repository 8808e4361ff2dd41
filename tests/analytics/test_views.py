"""The analytics pages: what they show comes from the engine; who may see it, the policy."""

import datetime as dt
import io
import re
import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from tests import factories as f
from tests.analytics.conftest import submit_all
from tests.factories import SYSTEM
from trienkhai.analytics import engine
from trienkhai.orgs import services as orgs
from trienkhai.reporting import services
from trienkhai.reporting.services import CellInput
from trienkhai.vn.text import sort_key

SVG = "{http://www.w3.org/2000/svg}"
PIVOT = "/phan-tich/"
REFORM = dt.date(2025, 7, 1)


def query(**params):
    base = {
        "chi_tieu": ["lop"],
        "ky": "2020S1..2020S2",
        "don_vi": "D1",
        "cap": 1,
        "hang": "unit",
        "cot": "period",
    }
    return {**base, **params}


@pytest.fixture
def reported(org, put, figures):
    put(org.c1, "2020S1", lop=3, diem=8, nguoi__nam=3, nguoi__nu=2)
    put(org.c2, "2020S1", lop=4, diem=6, nguoi__nam=10, nguoi__nu=20)
    put(org.c1, "2020S2", lop=5, diem=2)
    put(org.d2, "2020S1", lop=100)
    submit_all(figures)
    return org


def test_it_shows_units_by_periods_with_the_engines_totals(web, personas, reported):
    response = web(personas.viewer).get(PIVOT, query())
    assert response.status_code == 200
    table = response.context["pivot"]
    assert [[m.label for m in r.headers] for r in table.rows] == [
        ["Thị trấn Vĩnh Thuận"],
        ["Xã Vĩnh Bình Bắc"],
    ]
    assert [r.cells for r in table.rows] == [[3, 5], [4, None]]
    assert [r.total for r in table.rows] == [8, 4]
    assert (table.total_row.cells, table.total_row.total) == ([7, 5], 12)
    html = response.content.decode()
    assert "Tổng: Huyện Vĩnh Thuận" in html and "6 tháng đầu năm 2020" in html


def test_it_totals_an_average_as_the_engine_does_not_as_a_sum(web, personas, reported):
    response = web(personas.viewer).get(PIVOT, query(chi_tieu=["diem"]))
    table = response.context["pivot"]
    assert [r.cells for r in table.rows] == [[8, 2], [6, None]]
    assert table.total_row.cells == [7, 2]  # the average of 8 and 6, not 14
    expected = engine.rollup(indicators=["diem"], periods=["2020S1..2020S2"], units=["D1"])[0].value
    assert table.total_row.total == expected == Decimal("5.3333")  # 16 / 3, 4 decimals


def test_it_puts_options_and_indicators_where_asked(web, personas, reported):
    response = web(personas.viewer).get(
        PIVOT, query(chi_tieu=["nguoi"], ky="2020S1", cap=0, hang="option", cot="unit")
    )
    table = response.context["pivot"]
    assert [r.headers[0].label for r in table.rows] == ["Nam", "Nữ"]
    assert [r.cells for r in table.rows] == [[13], [22]]
    assert table.total_row.cells == [35]
    both = web(personas.viewer).get(
        PIVOT, query(chi_tieu=["lop", "diem"], hang="indicator", hang2="unit", cot="period")
    )
    rows = both.context["pivot"].rows
    assert [(r.headers[0].key, r.headers[1].key) for r in rows] == [
        ("lop", "C1"),
        ("lop", "C2"),
        ("diem", "C1"),
        ("diem", "C2"),
    ]


def test_it_adds_a_dimension_left_off_both_axes_to_the_rows(web, personas, reported):
    response = web(personas.viewer).get(
        PIVOT, query(chi_tieu=["lop", "diem"], hang="unit", cot="period")
    )
    assert response.context["pivot"].row_dims == ["unit", "indicator"]


def test_it_maps_figures_onto_the_structure_of_a_date(web, personas, reported, org):
    response = web(personas.viewer).get(PIVOT, query(ngay="01/01/2021", cap=0, cot="period"))
    assert response.status_code == 200
    assert response.context["selection"].as_of.isoformat() == "2021-01-01"
    assert response.context["pivot"].rows[0].cells == [7, 5]


def test_it_downloads_the_same_table_as_xlsx_and_csv(web, personas, reported):
    client = web(personas.viewer)
    response = client.get("/phan-tich/bang.xlsx", query())
    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        'attachment; filename="Bang-tong-hop-Huyen-Vinh-Thuan-'
        '6-thang-dau-nam-2020-6-thang-cuoi-nam-2020.xlsx"'
    )
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [list(r) for r in sheet.iter_rows(values_only=True) if any(v is not None for v in r)]
    assert rows[0][0] == "Bảng tổng hợp số liệu: Huyện Vĩnh Thuận"
    table = rows[rows.index(["Đơn vị", "6 tháng đầu năm 2020", "6 tháng cuối năm 2020", "Tổng"]) :]
    assert table[1:] == [
        ["Thị trấn Vĩnh Thuận", 3, 5, 8],
        ["Xã Vĩnh Bình Bắc", 4, None, 4],
        ["Tổng: Huyện Vĩnh Thuận", 7, 5, 12],
    ]
    as_csv = client.get("/phan-tich/bang.csv", query())
    assert as_csv["Content-Disposition"].endswith('-6-thang-cuoi-nam-2020.csv"')
    text = as_csv.content.decode("utf-8-sig")
    assert text.splitlines()[-1] == "Tổng: Huyện Vĩnh Thuận,7,5,12"


def test_it_compares_two_periods_with_the_change_and_percent(web, personas, reported):
    response = web(personas.viewer).get(
        "/phan-tich/so-sanh/", query(ky="2020S2", so_voi="2020S1", chi_tieu=["lop"])
    )
    assert response.status_code == 200
    lines = {line["unit"].key: line for line in response.context["groups"][0]["lines"]}
    assert (lines["C1"]["before"], lines["C1"]["now"], lines["C1"]["change"]) == (3, 5, 2)
    assert lines["C1"]["percent"] == Decimal("66.7")
    assert lines["C2"]["change"] is None and lines["C2"]["percent"] is None
    assert (lines["D1"]["before"], lines["D1"]["now"], lines["D1"]["percent"]) == (
        7,
        5,
        Decimal("-28.6"),
    )
    assert lines["D1"]["is_total"]
    assert "-28,6 %" in response.content.decode()


def _svg(response) -> ET.Element:
    html = response.content.decode()
    start = html.index("<svg", html.index("<main"))  # the chart, not the header's bell
    return ET.fromstring(html[start : html.index("</svg>", start) + 6])


def test_it_draws_a_bar_per_unit_and_a_line_per_indicator(web, personas, reported):
    client = web(personas.viewer)
    bars = _svg(client.get("/phan-tich/bieu-do/", query(ky="2020S1", loai="cot")))
    rects = bars.findall(f".//{SVG}rect[@data-value]")
    assert [float(r.get("data-value")) for r in rects] == [3, 4]
    assert float(rects[1].get("width")) / float(rects[0].get("width")) == pytest.approx(
        4 / 3, rel=1e-3
    )
    lines = _svg(
        client.get("/phan-tich/bieu-do/", query(chi_tieu=["lop", "diem"], cap=0, loai="duong"))
    )
    series = lines.findall(f".//{SVG}g[@class='series']")
    assert [s.get("data-name") for s in series] == ["Chỉ tiêu lop", "Chỉ tiêu diem"]
    assert [float(c.get("data-value")) for c in series[0].findall(f"{SVG}circle")] == [7, 5]


def test_it_draws_a_treemap_for_units_without_outlines(web, personas, reported):
    response = web(personas.viewer).get("/phan-tich/ban-do/", query(ky="2020S1"))
    assert response.status_code == 200
    assert response.context["kind"] == "treemap"
    tiles = _svg(response).findall(f".//{SVG}g[@class='tile']")
    assert {t.get("data-label"): float(t.get("data-value")) for t in tiles} == {
        "Thị trấn Vĩnh Thuận": 3,
        "Xã Vĩnh Bình Bắc": 4,
    }


def test_it_draws_provinces_on_the_map_and_a_2025_province_from_its_predecessors(
    web, personas, org
):
    kg = f.make_unit(
        "HC04-91", name="Tỉnh Kiên Giang", kind_code="province", valid_from=org.p1.valid_from
    )
    bk = f.make_unit(
        "HC04-06", name="Tỉnh Bắc Kạn", kind_code="province", valid_from=org.p1.valid_from
    )
    f.make_unit("HC04-84", name="Tỉnh Trà Vinh", kind_code="province", valid_from=kg.valid_from)
    indicator = services.create_indicator(acting_user=SYSTEM, code="luot", name="Lượt người")
    form = services.create_form(
        acting_user=SYSTEM,
        code="BD",
        name="Bản đồ",
        owner=org.root,
        period_type="yearly",
        indicators=[indicator],
        units=[kg, bk],
    )
    for unit, number in ((kg, 300), (bk, 100)):
        services.save_values(
            acting_user=SYSTEM,
            form=form,
            unit=unit,
            period_id="2020",
            cells=[CellInput("luot", str(number))],
        )
    admin = personas.admin
    params = {"chi_tieu": ["luot"], "ky": "2020", "don_vi": "VN", "cap": 1, "trang_thai": "all"}
    response = web(admin).get("/phan-tich/ban-do/", params)
    assert response.context["kind"] == "map"
    regions = {
        g.get("data-label"): g for g in _svg(response).iter(f"{SVG}g") if g.get("class") == "region"
    }
    assert float(regions["Tỉnh Kiên Giang"].get("data-value")) == 300
    assert regions["Tỉnh Kiên Giang"].get("fill") != regions["Tỉnh Bắc Kạn"].get("fill")
    assert regions["Tỉnh Trà Vinh"].get("data-value") == ""  # reported nothing
    assert regions["Tỉnh Trà Vinh"].get("fill") == "url(#no-data)"
    # The test organisation's P1 and P2 have no outline: named beside the map.
    assert response.context["off_map"] == ["Tỉnh Kiên Giang", "Tỉnh Trà Vinh"]

    # On 01/07/2025 both merged into one new province: drawn as its two predecessors.
    new = f.make_unit("HC25-91", name="Tỉnh An Giang", kind_code="province", valid_from=REFORM)
    orgs.merge_units(acting_user=SYSTEM, predecessors=[kg, bk], into=new, on=REFORM)
    later = web(admin).get("/phan-tich/ban-do/", {**params, "ngay": "02/07/2025"})
    regions = {
        g.get("data-label"): g for g in _svg(later).iter(f"{SVG}g") if g.get("class") == "region"
    }
    assert float(regions["Tỉnh An Giang"].get("data-value")) == 400
    assert len(regions["Tỉnh An Giang"].findall(f"{SVG}path")) == 2


def test_it_refuses_a_user_of_another_unit(web, personas, reported):
    for path in (PIVOT, "/phan-tich/bang.xlsx", "/phan-tich/bieu-do/", "/phan-tich/ban-do/"):
        assert web(personas.outsider).get(path, query(loai="cot")).status_code == 403
    assert (
        web(personas.outsider)
        .get("/phan-tich/so-sanh/", query(ky="2020S2", so_voi="2020S1"))
        .status_code
        == 403
    )
    assert web(personas.outsider).get(PIVOT, query(don_vi="D2")).status_code == 200
    assert web(personas.nobody).get(PIVOT).status_code == 403


def test_it_sends_the_anonymous_to_log_in_and_refuses_other_methods(web, personas):
    response = web().get(PIVOT, query())
    assert response.status_code == 302 and response["Location"].startswith("/dang-nhap/")
    assert web(personas.viewer).post(PIVOT, query()).status_code == 405


@pytest.mark.parametrize(
    "bad,message",
    [
        ({"chi_tieu": ["khong_co"]}, "Không có chỉ tiêu “khong_co”"),
        ({"don_vi": "XX"}, "Không tìm thấy đơn vị"),
        ({"ky": "2020S3"}, "Không hiểu kỳ"),
        ({"ky": "2021..2019"}, "Khoảng kỳ không hợp lệ"),
        ({"ngay": "31/02/2021"}, "dd/mm/yyyy"),
        ({"hang": "period"}, "khác nhau"),
        ({"cap": "9"}, "cap"),
    ],
)
def test_it_answers_bad_filters_with_400_and_a_message(web, personas, reported, bad, message):
    response = web(personas.viewer).get(PIVOT, query(**bad))
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html or f'id="f-{message}"' in html
    assert "pivot" not in response.context or response.context.get("pivot") is None


def test_it_opens_on_the_saved_views_the_user_may_see(web, personas, org):
    response = web(personas.viewer).get(PIVOT)
    assert response.status_code == 200
    assert response.context["form"]["don_vi"].value() == "D1"
    assert response.context["presets"] == []  # the demo's units do not exist here


def test_it_opens_from_a_unit_page_on_that_unit(web, personas, org):
    client = web(personas.viewer)
    page = client.get("/don-vi/C1/").content.decode()
    assert 'href="/phan-tich/?don_vi=C1"' in page
    response = client.get(PIVOT, {"don_vi": "C1"})
    assert response.status_code == 200
    assert not response.context["form"].is_bound
    assert response.context["form"]["don_vi"].value() == "C1"


def test_the_indicators_are_listed_by_name_in_groups_by_where_they_come_from(
    personas, web, figures
):
    """GIVEN typed indicators, computed ones and those counted from the activity registers
    THEN the filter lists names without codes, in Vietnamese order, in three groups."""
    page = web(personas.viewer).get(PIVOT).content.decode()
    box = page[page.index('class="indicators"') : page.index("</fieldset>")]
    labels = re.findall(
        r'<input type="checkbox" name="chi_tieu" value="([^"]+)"[^>]*>\s*([^<]+)<', box
    )
    assert labels and all(f"({code})" not in name for code, name in labels)
    typed, computed, counted = (
        box.index(heading)
        for heading in ("Nhập trong báo cáo", "Tính từ chỉ tiêu khác", "Đếm từ sổ hoạt động")
    )
    assert typed < box.index('value="lop"') < computed < box.index('value="ty_le"') < counted
    assert counted < box.index('value="act_classes"')
    typed_names = [name.strip() for code, name in labels if box.index(f'value="{code}"') < computed]
    assert len(typed_names) > 3 and typed_names == sorted(typed_names, key=sort_key)
