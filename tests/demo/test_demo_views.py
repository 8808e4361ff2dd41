"""The demo's saved views show meaningful pivot, comparison, chart, map and tree-map.

GIVEN the demo dataset (Vĩnh Thuận 2020, Chợ Đồn 2019–2021)
WHEN the saved views open
THEN they show shared/DOMAIN.md's figures: Chợ Đồn's 12 classes, 4 study and 12 online
conferences, 20,673 attendances (counted from its register of activities) and 612
posts; Vĩnh Thuận's 42 bodies; its typed attendances colouring Kiên Giang on the map of
63 provinces and An Giang, which took Kiên Giang in, on the map of 34.
"""

from django.test import Client

from tests import factories
from trienkhai.accounts.models import User
from trienkhai.analytics import defaults
from trienkhai.analytics.engine import rollup


def client(username: str) -> Client:
    c = Client()
    factories.log_in(c, User.objects.get(username=username))
    return c


def opened(username: str) -> dict[str, object]:
    user = User.objects.get(username=username)
    browser = client(username)
    return {str(p.title): browser.get(p.url()) for p in defaults.presets(user)}


def test_every_saved_view_opens_on_the_seeded_figures(demo, db):
    pages = opened("admin")
    assert len(pages) == len(defaults.PRESETS)
    assert {title: r.status_code for title, r in pages.items()} == dict.fromkeys(pages, 200)


def test_the_cho_don_pivot_gives_the_five_year_review_figures(demo, db):
    preset = next(
        p for p in defaults.PRESETS if p.unit == "HU-CD" and p.params.get("hang") == "indicator"
    )
    table = client("admin").get(preset.url()).context["pivot"]
    totals = {row.headers[0].key: row.total for row in table.rows}
    assert totals == {
        "act_classes": 12,
        "act_study_conferences": 4,
        "act_online_conferences": 12,
        "act_attendances": 20673,
        "tin_bai_chinh_thuc": 612,
    }
    assert [c for c in table.rows[3].cells] == [5120, 6874, 8679]


def test_the_vinh_thuan_pivot_lists_its_42_bodies_and_the_district_total(demo, db):
    preset = defaults.PRESETS[0]
    table = client("quanly").get(preset.url()).context["pivot"]
    reporting = [row for row in table.rows if row.cells[0] is not None]
    assert len(reporting) == 42
    assert table.total_row.headers[0].label == "Tổng: Huyện ủy Vĩnh Thuận"
    assert table.total_row.cells[0] == sum(row.cells[0] for row in reporting)


def test_the_comparison_chart_and_maps_have_figures(demo, db):
    admin = client("admin")
    by_page = {p.title: p for p in defaults.PRESETS}
    compare = admin.get(next(p for t, p in by_page.items() if "Chợ Đồn năm 2021" in str(t)).url())
    lines = {g["indicator"].code: g["lines"][0] for g in compare.context["groups"]}
    attendances = lines["act_attendances"]
    assert (attendances["before"], attendances["now"], attendances["change"]) == (6874, 8679, 1805)
    line = admin.get(next(p for t, p in by_page.items() if "đường" in str(t)).url())
    assert [float(v) for v in line.context["series"][0].values] == [5120, 6874, 8679]
    maps = [p for p in defaults.PRESETS if p.page == "analytics:map"]
    before, after, cells = (admin.get(p.url()) for p in maps)
    # The maps read the typed attendances (luot_tham_gia): Vĩnh Thuận's. Chợ Đồn's are
    # a different indicator, counted from its register (act_attendances).
    coloured = {label for label, v in before.context["bar_table"] if v is not None}
    assert coloured == {"Tỉnh Kiên Giang"}
    assert before.context["kind"] == "map" and len(before.context["bar_table"]) == 63
    assert after.context["kind"] == "map" and len(after.context["bar_table"]) == 34
    vinh_thuan = rollup(indicators=["luot_tham_gia"], periods=["2019..2021"], units=["HU-VT"])
    assert dict(after.context["bar_table"])["Tỉnh An Giang"] == vinh_thuan[0].value > 0
    assert cells.context["kind"] == "treemap"


def test_a_district_manager_sees_only_the_saved_views_of_their_district(demo, db):
    titles = [str(p.title) for p in defaults.presets(User.objects.get(username="quanly"))]
    assert titles and all("Vĩnh Thuận" in t for t in titles)
    refused = client("quanly").get(next(p for p in defaults.PRESETS if p.unit == "HU-CD").url())
    assert refused.status_code == 403
