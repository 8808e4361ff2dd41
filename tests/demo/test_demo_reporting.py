"""The demo's reports reproduce shared/DOMAIN.md when read back through the services."""

import datetime as dt
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from trienkhai.accounts.models import User
from trienkhai.analytics.engine import rollup
from trienkhai.orgs.models import Unit
from trienkhai.reporting import services
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


def test_it_gives_over_600_posts_on_official_pages_in_cho_don(demo, db):
    assert total(*CHO_DON, "tin_bai_chinh_thuc") > 600


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


def test_it_shows_outliers_explained_and_one_not(demo, db):
    """GIVEN the bounds Vĩnh Thuận's manager set WHEN the 2020S2 (Vĩnh Thuận) and 2021
    (Chợ Đồn) reports are judged THEN the pages' posts are outliers explained by their
    units, Vĩnh Bình Bắc's attendances one not; Chợ Đồn has none: its classes,
    conferences and attendances are counted from its register, which has no bounds."""
    from trienkhai.reporting import outliers
    from trienkhai.reporting.models import OutlierComment, ValueBounds

    found = {}
    for code, unit, period in [("BC35-VT-6T", "HU-VT", "2020S2"), ("BC35-CD-NAM", "HU-CD", "2021")]:
        form = Form.objects.get(code=code)
        found[code] = outliers.judge_subtree(form, Unit.objects.get(code=unit), form.period(period))
    assert [(o["unit"], o["indicator"], o["value"]) for o in found["BC35-VT-6T"]] == [
        ("CB-VT-06", "tin_bai_chinh_thuc", 67),
        ("CB-VT-10", "tin_bai_chinh_thuc", 93),
        ("DU-VT-31060", "luot_tham_gia", 267),
    ]
    assert found["BC35-CD-NAM"] == []
    explained = {
        (s.unit.code, o["indicator"]): bool(o["is_explained"] and o["comment"])
        for s in Submission.objects.filter(
            period__in=["2020S2", "2021"],
            unit__code__in=["CB-VT-06", "CB-VT-10", "DU-VT-31060", "CB-CD-03"],
        )
        for o in outliers.outliers_of_submission(s)
    }
    assert explained == {
        ("CB-VT-06", "tin_bai_chinh_thuc"): True,
        ("CB-VT-10", "tin_bai_chinh_thuc"): True,
        ("DU-VT-31060", "luot_tham_gia"): False,
    }
    assert ValueBounds.objects.count() == 3 and OutlierComment.objects.count() == 2


def test_it_returns_tan_thuan_with_two_cells_marked_to_fix(demo, db):
    from trienkhai.reporting.models import CellMark

    returned = Submission.objects.get(
        form__code="BC35-VT-6T", unit__code="DU-VT-31072", period="2020S2"
    )
    assert returned.status == "returned" and "biên bản" in returned.comment
    marks = [
        (m.indicator.code, m.option, m.kind, bool(m.note), m.resolved, m.created.date())
        for m in returned.marks.all()
    ]
    assert marks == [
        ("luot_tham_gia", "", "fix", True, None, returned.decided.date()),
        ("luot_theo_doi_tuong", "dang_vien", "fix", True, None, returned.decided.date()),
    ]
    follow_up = CellMark.objects.get(kind="follow_up")
    assert (follow_up.submission.unit.code, follow_up.submission.period) == ("CB-VT-06", "2020S2")
    assert follow_up.submission.status == "approved" and follow_up.resolved is None
    assert follow_up.indicator.code == "tin_bai_chinh_thuc" and follow_up.note
    assert CellMark.objects.filter(submission__form__code="BC35-VT-6T").count() == 3
    # Made by a person, whom the pages name: the manager of Huyện ủy Vĩnh Thuận.
    makers = {
        m.created_by.username for m in CellMark.objects.filter(submission__form__code="BC35-VT-6T")
    }
    assert makers == {"quanly"} and returned.decided_by.username == "quanly"


def test_the_reporter_sees_the_marked_cells_and_the_manager_the_review(demo, db):
    grid = reverse("reporting:grid", args=["BC35-VT-6T", "DU-VT-31072", "2020S2"])
    reporter = Client()
    reporter.force_login(User.objects.get(username="bc.tanthuan"))
    page = reporter.get(grid).content.decode()
    assert page.count('class="cell-mark"') == 2 and "Biên bản hội nghị học tập" in page
    manager = Client()
    manager.force_login(User.objects.get(username="quanly"))
    review = reverse("reporting:review", args=["BC35-VT-6T", "CB-VT-06", "2020S2"])
    page = manager.get(review).content.decode()
    assert "trang tuyengiaovinhthuan.vn" in page  # the outlier's explanation
    assert "danh mục các tin, bài" in page  # the follow-up mark
