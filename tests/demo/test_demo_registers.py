"""Vĩnh Thuận 2020 in the registers (demo/registers.py): the pledges and the websites
count what the typed reports say (Báo cáo 04-BC/BTGHU, shared/DOMAIN.md)."""

from trienkhai.activities.models import Channel, Pledge, PledgeList, PostCount
from trienkhai.analytics import engine


def test_it_loads_the_registers_idempotently(demo, db):
    # The package's demo is loaded twice.
    assert PledgeList.objects.filter(year=2020).count() == 42
    assert Pledge.objects.count() == 2073
    assert Channel.objects.count() == 4 and PostCount.objects.count() == 48


def test_the_registers_count_what_the_vinh_thuan_reports_say(demo, db):
    """GIVEN the 42 lists and the four websites WHEN the engine reads the district's
    2020 THEN every member pledged on time (2.073 bản, 100 %), 4 websites, and the posts
    of each half-year are the typed reports'."""
    cells = engine.rollup(
        indicators=[
            "act_pledges_expected",
            "act_pledges_on_time",
            "ban_dang_ky_tu_duong",
            "act_channels_active",
            "trang_thong_tin",
            "act_posts_published",
            "tin_bai_chinh_thuc",
        ],
        periods=["2020S1", "2020S2"],
        units=["HU-VT"],
    )
    got = {(c.indicator, c.period): c.value for c in cells}
    assert got[("act_pledges_expected", "2020S1")] == 2073
    assert got[("act_pledges_on_time", "2020S1")] == got[("ban_dang_ky_tu_duong", "2020S1")]
    for period in ("2020S1", "2020S2"):
        assert got[("act_channels_active", period)] == got[("trang_thong_tin", period)] == 4
        assert got[("act_posts_published", period)] == got[("tin_bai_chinh_thuc", period)]
    assert got[("act_posts_published", "2020S1")] == 200


def test_kien_giang_inspects_and_supervises_its_lower_committees(demo, db):
    """GIVEN the Provincial Standing Committee's plan of 2020 (Huyện ủy Vĩnh Thuận
    inspected) and the district's (three commune committees supervised) WHEN the engine
    reads 2020 THEN the province counts the four concluded, the district its three, with
    their recommendations: one of the district's not carried out at the year's end."""
    from trienkhai.activities.models import Inspection, InspectionPlan, Recommendation

    assert InspectionPlan.objects.filter(year=2020).count() == 2
    assert Inspection.objects.filter(concluded__isnull=False).count() == 4
    assert Recommendation.objects.filter(resolved__isnull=True).count() == 1
    cells = engine.rollup(
        indicators=[
            "act_inspections_planned",
            "act_inspections_held",
            "act_recommendations",
            "act_recommendations_resolved",
            "act_recommendations_overdue",
        ],
        periods=["2020"],
        units=["TU-KG", "HU-VT"],
    )
    got = {(c.indicator, c.unit): c.value for c in cells}
    assert got[("act_inspections_held", "TU-KG")] == 4
    assert got[("act_inspections_held", "HU-VT")] == 3
    assert got[("act_recommendations", "HU-VT")] == 6
    assert got[("act_recommendations_resolved", "HU-VT")] == 5
    assert got[("act_recommendations_overdue", "HU-VT")] == 1
