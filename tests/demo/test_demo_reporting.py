"""The demo's reports reproduce shared/DOMAIN.md when read back through the services."""

import datetime as dt
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from trienkhai.accounts.models import User
from trienkhai.analytics.engine import rollup
from trienkhai.orgs.models import Unit
from trienkhai.reporting import formulas, services
from trienkhai.reporting.models import DataValue, Form, Submission


def total(form_code: str, periods: list[str], indicator: str) -> Decimal:
    """The sum of ``indicator`` over the units expected to report, read with the services."""
    form = Form.objects.get(code=form_code)
    result = Decimal(0)
    for period in periods:
        for unit in services.expected_units(form, form.period(period)):
            lookup = services.lookup_from(services.form_values(form, unit, period))
            result += lookup(indicator, None) or 0
    return result


CHO_DON = ("BC35-CD-NAM", ["2019", "2020", "2021"])


def test_it_loads_the_reports_idempotently(demo, db):
    found = (Form.objects.count(), DataValue.objects.count(), Submission.objects.count())
    assert found == (
        demo["counts"]["forms"],
        demo["counts"]["values"],
        demo["counts"]["submissions"],
    )


@pytest.mark.parametrize(
    ("indicator", "expected"),
    [
        ("lop_boi_duong_llct", 12),
        ("hoi_nghi_hoc_tap", 4),
        ("hoi_nghi_truc_tuyen", 12),
        ("luot_tham_gia", 20673),
        ("luot_theo_doi_tuong", 20673),
    ],
)
def test_it_gives_cho_don_2019_2021_figures(demo, db, indicator, expected):
    assert total(*CHO_DON, indicator) == expected


def test_it_gives_over_600_posts_on_official_pages_in_cho_don(demo, db):
    assert total(*CHO_DON, "tin_bai_chinh_thuc") > 600


def test_it_derives_attendances_per_class(demo, db):
    form, unit = Form.objects.get(code="BC35-CD-NAM"), Unit.objects.get(code="CB-CD-05")
    lookup = services.lookup_from(services.form_values(form, unit, "2019"))
    per_class = form.items.get(indicator__code="binh_quan_luot").indicator.formula
    assert formulas.evaluate(per_class, lookup) == Decimal(2048) / 4


def test_it_gives_vinh_thuan_2020_figures(demo, db):
    vt = ("BC35-VT-6T", ["2020S1"])
    assert total(*vt, "trien_khai") == 42
    assert total(*vt, "trang_thong_tin") == 4
    assert total(*vt, "thanh_vien_clb_llct") == 20
    assert total(*vt, "ban_dang_ky_tu_duong") == total(*vt, "so_dang_vien")


@pytest.mark.parametrize(
    ("unit", "period"),
    [
        ("HU-CD", "2019..2021"),
        ("HU-CD", "2021"),
        ("DU-CD-02020", "2019..2021"),
        ("HU-VT", "2020"),
        ("HU-VT", "2020S1..2020S2"),
    ],
)
def test_the_share_of_members_who_pledged_stays_a_share_over_a_span(demo, db, unit, period):
    """GIVEN every member pledging each year WHEN the share is read over a span THEN it
    is 100 %, not the pledges of three years over one year's members (290 %): pledges
    and members are both head-counts, each the latest within the span."""
    cells = rollup(
        indicators=["ty_le_dang_ky", "ban_dang_ky_tu_duong", "so_dang_vien"],
        periods=[period],
        units=[unit],
    )
    share, pledged, members = (c.value for c in cells)
    assert share == 100
    assert pledged <= members  # the form's rule "ban_dang_ky_tu_duong <= so_dang_vien"


def test_it_counts_the_42_cells_of_vinh_thuan_for_2020s1(demo, db):
    form, hu = Form.objects.get(code="BC35-VT-6T"), Unit.objects.get(code="HU-VT")
    assert len(services.expected_units(form, form.period("2020S1"))) == 42
    first = services.completeness(form, "2020S1", hu)
    assert (first.expected, first.submitted, first.late, first.missing) == (42, 42, 4, [])
    assert first.deadline == dt.date(2020, 7, 15)


def test_it_has_something_missing_returned_and_late_in_2020s2(demo, db):
    form, hu = Form.objects.get(code="BC35-VT-6T"), Unit.objects.get(code="HU-VT")
    second = services.completeness(form, "2020S2", hu)
    assert (second.expected, second.submitted, second.late) == (42, 40, 3)
    assert set(second.missing) == {"CB-VT-30", "DU-VT-31072"}
    assert second.returned == ["DU-VT-31072"]


def test_it_misses_one_cho_don_committee_in_2021(demo, db):
    form, hu = Form.objects.get(code="BC35-CD-NAM"), Unit.objects.get(code="HU-CD")
    result = services.completeness(form, "2021", hu)
    assert (result.expected, result.submitted, result.missing) == (32, 31, ["DU-CD-02083"])


def test_it_sets_up_cho_don_steering_committee_on_28_8_2019(demo, db):
    bcd = Unit.objects.get(code="BCD35-CD")
    assert bcd.valid_from == dt.date(2019, 8, 28)
    assert bcd.latest_version().parent.code == "HU-CD"
    assert Unit.objects.get(code="TU-BK").latest_version().parent.code == "HC04-06"


def test_it_shows_whom_to_remind_on_the_completeness_page(demo, db):
    client = Client()
    client.force_login(User.objects.get(username="quanly"))
    page = client.get(reverse("completeness:page", args=["BC35-VT-6T", "HU-VT", "2020S2"]))
    assert page.status_code == 200
    remind = page.content.decode().split('id="remind"')[1]
    assert "Đặng Văn Hiểm" in remind and "Võ Thị Thuận" in remind


def test_it_shows_outliers_one_explained_one_not(demo, db):
    from trienkhai.reporting import outliers
    from trienkhai.reporting.models import OutlierComment, ValueBounds

    form = Form.objects.get(code="BC35-VT-6T")
    found = outliers.judge_subtree(form, Unit.objects.get(code="HU-VT"), form.period("2020S2"))
    assert [(o["unit"], o["indicator"], o["method"]) for o in found] == [
        ("CB-VT-06", "tin_bai_chinh_thuc", "minmax"),
        ("DU-VT-31060", "luot_tham_gia", "minmax"),
    ]
    explained = {
        s.unit.code: outliers.outliers_of_submission(s)[0]["is_explained"]
        for s in Submission.objects.filter(
            form=form, period="2020S2", unit__code__in=["CB-VT-06", "DU-VT-31060"]
        )
    }
    assert explained == {"CB-VT-06": True, "DU-VT-31060": False}
    assert ValueBounds.objects.count() == 2 and OutlierComment.objects.count() == 1
