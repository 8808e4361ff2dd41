"""Correcting and deleting register entries: channels, their counts, inspection plans
and inspections (activities/channels.py, activities/inspections.py, activities/locks.py),
through the services, the API and the pages, with their forbidden cases.

A deletion keeps its history (simple_history's "-" rows, with who) and never takes a
figure from a report already sent: while a submitted or approved report of the unit (or
one above it) reads the figure over the entry's days, it is refused (409
``read_by_report``) naming the report; returned, the report reads the register again.
"""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied

from tests.activities.test_channels import count, figures_of, register
from tests.activities.test_inspections import inspect
from tests.activities.test_views import main
from tests.factories import SYSTEM
from trienkhai.activities import channels, inspections
from trienkhai.activities.inspections import RecommendationInput
from trienkhai.activities.models import (
    Channel,
    Inspection,
    InspectionPlan,
    PostCount,
    Recommendation,
)
from trienkhai.common.errors import BadInput, Conflict, NotFound
from trienkhai.reporting.models import Form, FormIndicator, Indicator, Submission


def sent_report(unit, codes, period="2020", status=Submission.Status.SUBMITTED):
    """A yearly form holding the figures ``codes``, and ``unit``'s report of ``period`` in
    ``status``."""
    form, _ = Form.objects.get_or_create(
        code="BC-KENH", defaults={"name": "Báo cáo năm", "period_type": "yearly", "owner": unit}
    )
    for code in codes:
        FormIndicator.objects.get_or_create(
            form=form, indicator=Indicator.objects.get(code=code), valid_from=dt.date(2000, 1, 1)
        )
    return Submission.objects.create(form=form, unit=unit, period=period, status=status)


@pytest.fixture
def portal(org):
    channel = register(org.d1, "https://vinhthuan.kiengiang.gov.vn/")
    count(channel, ("202001", 12), ("202002", 8), ("202101", 5))
    return channel


# Channels and their counts -------------------------------------------------------------


def test_a_count_is_deleted_with_its_history_and_the_figure_drops(org, personas, portal):
    assert figures_of(org.d1)[channels.POSTS] == 20
    channels.remove_post_count(acting_user=personas.manager, channel=portal, period="01/2020")
    assert figures_of(org.d1)[channels.POSTS] == 8
    gone = PostCount.history.filter(history_type="-").get()
    assert (gone.period, gone.posts, gone.history_user) == ("202001", 12, personas.manager)
    with pytest.raises(NotFound):
        channels.remove_post_count(acting_user=personas.manager, channel=portal, period="202001")
    with pytest.raises(PermissionDenied):
        channels.remove_post_count(acting_user=personas.viewer, channel=portal, period="202002")


def test_a_count_a_sent_report_reads_is_kept_until_the_report_is_returned(org, personas, portal):
    """GIVEN Tỉnh Kiên Giang's report of 2020 submitted, its form holding the posts
    published, and D1's portal counted 12 in 01/2020 (D1 is under the province)
    WHEN the manager deletes that count THEN it is refused, the report named, the
    figure unchanged; a count of 2021 (outside the report) is deleted; once the report
    is returned the 2020 count goes, and the returned report reads 8."""
    report = sent_report(org.p1, [channels.POSTS])
    with pytest.raises(Conflict) as refused:
        channels.remove_post_count(acting_user=personas.manager, channel=portal, period="202001")
    assert refused.value.code == "read_by_report"
    assert "“Báo cáo năm” năm 2020 của Tỉnh Kiên Giang" in refused.value.message
    assert figures_of(org.d1)[channels.POSTS] == 20
    channels.remove_post_count(acting_user=personas.manager, channel=portal, period="202101")
    with pytest.raises(Conflict):
        channels.remove_channel(acting_user=personas.manager, channel=portal)
    report.status = Submission.Status.RETURNED
    report.save(update_fields=["status"])
    channels.remove_post_count(acting_user=personas.manager, channel=portal, period="202001")
    assert figures_of(org.d1)[channels.POSTS] == 8


def test_a_report_of_another_unit_or_without_the_figure_does_not_hold_it(org, personas, portal):
    sent_report(org.c1, [channels.POSTS])  # C1 is below D1, not above
    Form.objects.create(code="BC-KHAC", name="Khác", period_type="yearly", owner=org.d1)
    Submission.objects.create(
        form=Form.objects.get(code="BC-KHAC"), unit=org.d1, period="2020", status="approved"
    )
    channels.remove_channel(acting_user=personas.manager, channel=portal)
    assert not Channel.objects.exists() and not PostCount.objects.exists()
    assert Channel.history.filter(history_type="-").get().history_user == personas.manager
    assert PostCount.history.filter(history_type="-").count() == 3


def test_the_api_deletes_a_count_and_a_channel_with_its_forbidden_cases(org, personas, api, portal):
    url = f"activities/channels/{portal.pk}"
    for who in (personas.viewer, personas.reporter, personas.outsider):
        assert api(who).delete(url).status_code == 403
        assert api(who).delete(f"{url}/posts/202001").status_code == 403
    assert api().delete(url).status_code == 401
    manager = api(personas.manager)
    assert manager.delete(f"{url}/posts/2020Q3").status_code == 404
    assert manager.delete(f"{url}/posts/tháng-13").status_code == 400
    sent_report(org.d1, [channels.ACTIVE], status=Submission.Status.APPROVED)
    held = manager.delete(url)
    assert held.status_code == 409 and held.json()["error"]["code"] == "read_by_report"
    assert manager.delete(f"{url}/posts/202001").status_code == 204  # ACTIVE only: not posts
    assert PostCount.objects.count() == 2 and Channel.objects.count() == 1


def test_the_page_deletes_a_count_and_says_why_it_keeps_one(org, personas, web, portal):
    client = web(personas.manager)
    page = client.get(f"/hoat-dong/kenh/{portal.pk}/").content.decode()
    assert 'aria-label="Xóa số tin, bài của Tháng 01/2020"' in page or "Xóa số tin, bài của" in page
    done = client.post(f"/hoat-dong/kenh/{portal.pk}/so-tin-bai/xoa/", {"ky": "202002"})
    assert done.status_code == 302 and done["Location"].endswith("#counts")
    sent_report(org.d1, [channels.POSTS])
    held = client.post(f"/hoat-dong/kenh/{portal.pk}/xoa/")
    assert held.status_code == 409
    assert (
        "Không xóa được kênh: số liệu đã vào báo cáo đã gửi: “Báo cáo năm” năm 2020 của Huyện Vĩnh Thuận"
        in main(held)
    )
    assert web(personas.viewer).post(f"/hoat-dong/kenh/{portal.pk}/xoa/").status_code == 403
    assert client.get(f"/hoat-dong/kenh/{portal.pk}/xoa/").status_code == 405
    assert "Xóa kênh" not in main(web(personas.viewer).get(f"/hoat-dong/kenh/{portal.pk}/"))
    assert PostCount.objects.count() == 2


# Plans and inspections ------------------------------------------------------------------


@pytest.fixture
def planned(org):
    plan = inspections.create_plan(acting_user=SYSTEM, unit=org.d1, year=2021, title="Kế hoạch")
    first = inspect(org, plan=plan)
    inspections.conclude(
        acting_user=SYSTEM,
        inspection=first,
        concluded=dt.date(2021, 3, 20),
        findings="Đã triển khai",
        recommendations=[RecommendationInput("Báo cáo đúng hạn", dt.date(2021, 4, 30))],
    )
    return plan, first


def test_a_plan_is_corrected_and_deleted_its_inspections_kept(org, personas, planned):
    plan, _first = planned
    inspections.change_plan(acting_user=personas.manager, plan=plan, reference="05-KH/HU")
    assert InspectionPlan.objects.get().reference == "05-KH/HU"
    sent_report(org.d1, [inspections.PLANNED], period="2021")
    with pytest.raises(Conflict):
        inspections.remove_plan(acting_user=personas.manager, plan=plan)
    Submission.objects.update(status=Submission.Status.RETURNED)
    inspections.remove_plan(acting_user=personas.manager, plan=plan)
    assert Inspection.objects.get().plan is None
    assert InspectionPlan.history.filter(history_type="-").get().history_user == personas.manager
    with pytest.raises(PermissionDenied):
        inspections.change_plan(acting_user=personas.viewer, plan=plan, title="X")


def test_an_inspection_is_corrected_as_when_created_and_deleted_with_its_recommendations(
    org, personas, planned
):
    _, first = planned
    inspections.change_inspection(
        acting_user=personas.manager, inspection=first, title="Kiểm tra NQ 35", kind="supervision"
    )
    assert Inspection.objects.get().kind == "supervision"
    with pytest.raises(BadInput) as bad:  # concluded on 20/03: cannot start after it
        inspections.change_inspection(
            acting_user=personas.manager,
            inspection=first,
            start=dt.date(2021, 4, 1),
            end=dt.date(2021, 4, 2),
        )
    assert bad.value.code == "invalid_dates"
    sent_report(org.p1, [inspections.OVERDUE], period="2022")  # a later year counts it too
    with pytest.raises(Conflict) as held:
        inspections.remove_inspection(acting_user=personas.manager, inspection=first)
    assert held.value.code == "read_by_report"
    Submission.objects.update(status=Submission.Status.DRAFT)
    inspections.remove_inspection(acting_user=personas.manager, inspection=first)
    assert not Inspection.objects.exists() and not Recommendation.objects.exists()
    assert Recommendation.history.filter(history_type="-").get().history_user == personas.manager


def test_the_api_corrects_and_deletes_plans_and_inspections(org, personas, api, planned):
    plan, first = planned
    for who in (personas.viewer, personas.reporter, personas.outsider):
        assert (
            api(who).patch(f"activities/inspections/{first.pk}", {"title": "X"}).status_code == 403
        )
        assert api(who).delete(f"activities/inspection-plans/{plan.pk}").status_code == 403
    assert api().delete(f"activities/inspections/{first.pk}").status_code == 401
    manager = api(personas.manager)
    changed = manager.patch(
        f"activities/inspections/{first.pk}", {"team": "Lê Văn C", "plan": None}
    )
    assert changed.status_code == 200 and changed.json()["title"]
    assert Inspection.objects.get().plan is None and Inspection.objects.get().team == "Lê Văn C"
    assert manager.patch(f"activities/inspections/{first.pk}", {"title": None}).status_code == 400
    assert manager.patch(f"activities/inspections/{first.pk}", {"plan": 999999}).status_code == 400
    assert manager.patch(f"activities/inspections/{first.pk}", {"inspected": "D2"}).status_code in {
        400,
        403,
    }
    renamed = manager.patch(f"activities/inspection-plans/{plan.pk}", {"title": "Kế hoạch 2021"})
    assert renamed.status_code == 200 and InspectionPlan.objects.get().title == "Kế hoạch 2021"
    assert manager.delete(f"activities/inspection-plans/{plan.pk}").status_code == 204
    assert manager.delete(f"activities/inspections/{first.pk}").status_code == 204
    assert manager.delete(f"activities/inspections/{first.pk}").status_code == 404


def test_the_inspection_page_deletes_it_or_says_why_not(org, personas, web, planned):
    _, first = planned
    client = web(personas.manager)
    assert "Xóa cuộc kiểm tra, giám sát" in main(client.get(f"/hoat-dong/kiem-tra/{first.pk}/"))
    sent_report(org.d1, [inspections.HELD], period="2021")
    held = client.post(f"/hoat-dong/kiem-tra/{first.pk}/xoa/")
    assert held.status_code == 409 and "“Báo cáo năm” năm 2021 của Huyện Vĩnh Thuận" in main(held)
    assert web(personas.viewer).post(f"/hoat-dong/kiem-tra/{first.pk}/xoa/").status_code == 403
    Submission.objects.all().delete()
    done = client.post(f"/hoat-dong/kiem-tra/{first.pk}/xoa/")
    assert done.status_code == 302 and "nam=2021" in done["Location"]
    assert not Inspection.objects.exists()


def test_the_list_deletes_a_plan_or_says_why_not(org, personas, web, planned):
    plan, first = planned
    client = web(personas.manager)
    listed = client.get("/hoat-dong/kiem-tra/", {"don-vi": "D1", "nam": "2021"})
    assert 'aria-label="Xóa kế hoạch: Kế hoạch"' in listed.content.decode()
    assert (
        "Xóa kế hoạch"
        not in web(personas.viewer)
        .get("/hoat-dong/kiem-tra/", {"don-vi": "D1", "nam": "2021"})
        .content.decode()
    )
    url = f"/hoat-dong/kiem-tra/ke-hoach/{plan.pk}/xoa/"
    sent_report(org.d1, [inspections.PLANNED], period="2021")
    held = client.post(url, follow=True)
    assert (
        "Không xóa được kế hoạch: số liệu đã vào báo cáo đã gửi: “Báo cáo năm” năm 2021 của Huyện Vĩnh Thuận"
        in main(held)
    )
    assert InspectionPlan.objects.exists()
    for who in (personas.viewer, personas.reporter, personas.outsider):
        assert web(who).post(url).status_code == 403
    assert client.get(url).status_code == 405
    Submission.objects.all().delete()
    done = client.post(url)
    assert done.status_code == 302 and done["Location"].endswith("don-vi=D1&nam=2021#plans-title")
    assert not InspectionPlan.objects.exists() and Inspection.objects.get().pk == first.pk


def test_the_pages_correct_a_plan_and_an_inspection(org, personas, web, planned):
    """GIVEN D1's plan of 2021 and its concluded inspection of C1 WHEN the manager
    corrects them on their pages THEN the plan's title and number change (its unit and
    year are not offered), the inspection's inspected unit, kind, dates, team and plan
    change in its history; bad dates, a start after the conclusion and a unit out of
    reach are said beside the field and change nothing; others are refused."""
    plan, first = planned
    client = web(personas.manager)
    listed = client.get("/hoat-dong/kiem-tra/", {"don-vi": "D1", "nam": "2021"}).content.decode()
    assert 'aria-label="Sửa kế hoạch: Kế hoạch"' in listed
    url = f"/hoat-dong/kiem-tra/ke-hoach/{plan.pk}/sua/"
    page = client.get(url).content.decode()
    assert 'value="Kế hoạch"' in page and 'name="year"' not in page and 'name="unit"' not in page
    assert client.post(url, {"title": "", "reference": ""}).status_code == 400
    saved = client.post(url, {"title": "Kế hoạch kiểm tra năm 2021", "reference": "05-KH/HU"})
    assert saved.status_code == 302 and saved["Location"].endswith("nam=2021#plans-title")
    plan.refresh_from_db()
    assert (plan.title, plan.reference, plan.year) == (
        "Kế hoạch kiểm tra năm 2021",
        "05-KH/HU",
        2021,
    )

    page_url = f"/hoat-dong/kiem-tra/{first.pk}/"
    assert "Sửa thông tin cuộc kiểm tra, giám sát" in main(client.get(page_url))
    assert "Sửa thông tin" not in main(web(personas.viewer).get(page_url))
    url = f"{page_url}sua/"
    assert 'name="unit"' not in client.get(url).content.decode()
    typed = {
        "inspected": "C2",
        "kind": "supervision",
        "title": "Giám sát việc thực hiện Nghị quyết 35",
        "plan": "",
        "start": "02/03/2021",
        "end": "05/03/2021",
        "team": "Lê Văn C",
    }
    backwards = client.post(url, typed | {"end": "28/02/2021"})
    assert backwards.status_code == 400 and "Ngày kết thúc trước ngày bắt đầu." in main(backwards)
    after = client.post(url, typed | {"start": "01/04/2021", "end": "02/04/2021"})
    assert after.status_code == 400 and "Ngày kết luận trước ngày bắt đầu" in main(after)
    outside = client.post(url, typed | {"inspected": "D2"})
    assert outside.status_code == 400
    first.refresh_from_db()
    assert (first.inspected, first.kind, first.start) == (org.c1, "inspection", dt.date(2021, 3, 1))
    saved = client.post(url, typed)
    assert saved.status_code == 302 and saved["Location"] == page_url
    first.refresh_from_db()
    assert (first.inspected, first.kind, first.plan, first.end, first.team) == (
        org.c2,
        "supervision",
        None,
        dt.date(2021, 3, 5),
        "Lê Văn C",
    )
    assert Inspection.history.filter(history_type="~").latest().history_user == personas.manager
    for who in (personas.viewer, personas.reporter, personas.outsider):
        assert web(who).get(url).status_code == 403
        assert web(who).post(url, typed).status_code == 403
        assert web(who).get(f"/hoat-dong/kiem-tra/ke-hoach/{plan.pk}/sua/").status_code == 403
