"""The approval screen, the grid's compulsory and marked cells, the submission rules page."""

import json

import pytest
from django.urls import reverse

from tests import factories as f
from tests.factories import SYSTEM
from tests.reporting.test_views import SEND
from trienkhai.reporting import services, structure
from trienkhai.reporting.models import CellMark, Form, FormIndicator, Submission

PERIOD = "2020S1"
GOOD = {
    ("lop_ke_hoach", ""): "3",
    ("lop_da_mo", ""): "2",
    ("luot_nguoi", ""): "40",
    ("luot_nguoi_doi_tuong", "dang_vien"): "30",
    ("luot_nguoi_doi_tuong", "nhan_dan"): "10",
}


def url(name, form="HK", unit="C1", period=PERIOD):
    return reverse(f"reporting:{name}", args=[form, unit, period])


def text(response) -> str:
    return response.content.decode()


def fill(client, values=GOOD, form="HK"):
    cells = [{"indicator": i, "option": o, "value": v} for (i, o), v in values.items()]
    response = client.post(
        url("save", form), data=json.dumps({"cells": cells}), content_type="application/json"
    )
    assert response.status_code == 200, response.content


@pytest.fixture
def submitted(form, cell_reporter, web):
    client = web(cell_reporter)
    fill(client)
    assert client.post(url("submit"), SEND).status_code == 302
    return Submission.objects.get()


def test_it_redirects_anonymous_users_and_refuses_the_wrong_method(form, personas, web):
    response = web().get(url("review"))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
    response = web().post(url("follow_up"))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
    manager = web(personas.manager)
    assert manager.post(url("review")).status_code == 405
    assert manager.get(url("follow_up")).status_code == 405
    assert manager.get(url("approve")).status_code == 405


def test_it_keeps_the_approval_screen_to_managers_above_the_unit(
    cell_reporter, personas, web, submitted
):
    for user in (cell_reporter, personas.outsider, personas.viewer):
        client = web(user)
        assert client.get(url("review")).status_code == 403
        assert client.post(url("follow_up"), {"o": "lop_da_mo|"}).status_code == 403
        assert client.post(url("approve"), {"xac_nhan": "1"}).status_code == 403
    assert not CellMark.objects.exists()
    assert Submission.objects.get().status == "submitted"
    assert web(personas.manager).get(url("review", unit="C2")).status_code == 404


def test_it_shows_the_approver_changes_rules_empty_cells_outliers_and_marks(
    form, personas, web, submitted
):
    FormIndicator.objects.filter(indicator__code="ghi_chu").update(is_compulsory=True)
    response = web(personas.manager).get(url("review"))
    assert response.status_code == 200
    page = text(response)
    for section in ("review-changes", "review-rules", "review-empty", "review-outliers"):
        assert f'id="{section}"' in page
    assert "Lần gửi đầu" in page and "Số lớp đã mở" in page
    assert 'Ghi chú <strong class="compulsory-mark">(bắt buộc)</strong>' in page
    # Approve is the primary action, return the dangerous one; both need a ticked box
    # naming the unit, form and period.
    assert 'class="primary approve" id="approve-report"' in page
    assert 'class="danger" id="return-report"' in page
    assert page.count('name="xac_nhan" value="1" required') == 2
    assert "Báo cáo 6 tháng” của Thị trấn Vĩnh Thuận, kỳ" in page
    # The codes are grey text under the title; on a phone each row is a card.
    assert "<h1>Xem xét báo cáo: Báo cáo 6 tháng</h1>" in page
    assert f"Mã biểu HK · mã đơn vị C1 · mã kỳ {PERIOD}" in page
    assert page.count('<table class="reports stack">') == 1  # the changes
    assert 'class="reports review-cells stack"' in page
    assert '<td data-label="Giá trị">40</td>' in page


def test_a_returned_report_shows_what_changed_since_its_return(
    form, org, cell_reporter, personas, web, submitted
):
    """Back with the unit, the report's changes start at its return, not "first sent"."""
    services.return_submission(
        acting_user=personas.manager, submission=submitted, comment="Kiểm tra lại", cells=[]
    )
    page = text(web(personas.manager).get(url("review")))
    assert "Thay đổi từ lần trả lại lúc" in page and "Lần gửi đầu" not in page
    assert "Không có thay đổi nào." in page
    fill(web(cell_reporter), {("lop_da_mo", ""): "3"})
    page = text(web(personas.manager).get(url("review")))
    assert "Thay đổi từ lần trả lại lúc" in page and "Số lớp đã mở" in page


def test_it_refuses_an_unconfirmed_approval_and_changes_nothing(personas, web, submitted):
    response = web(personas.manager).post(url("approve"))
    assert response.status_code == 400 and 'id="action-error"' in text(response)
    assert Submission.objects.get().status == "submitted"
    manager = web(personas.manager)
    assert 'class="button primary" id="review-link"' in text(manager.get(url("grid")))
    response = manager.post(url("approve"), {"xac_nhan": "1"})
    assert response.status_code == 302
    assert Submission.objects.get().status == "approved"
    # Nothing waits for the manager now: the link to the review is a plain one.
    assert 'class="button" id="review-link"' in text(manager.get(url("grid")))


def test_it_returns_with_marked_cells_the_reporter_then_sees(
    cell_reporter, personas, web, submitted
):
    manager = web(personas.manager)
    data = {
        "tra_lai-comment": "Kiểm tra lại số lớp",
        "sua": ["lop_da_mo|", "luot_nguoi_doi_tuong|dang_vien"],
        "ghi_chu:lop_da_mo|": "Lệch với sổ theo dõi",
    }
    refused = manager.post(url("return"), data)  # not confirmed: nothing changes
    assert refused.status_code == 400 and not CellMark.objects.exists()
    # ... and the screen keeps what was ticked and written
    assert 'value="Lệch với sổ theo dõi"' in text(refused)
    assert text(refused).count(" checked>") == 2
    assert manager.post(url("return"), {**data, "xac_nhan": "1"}).status_code == 302
    assert Submission.objects.get().status == "returned"
    marks = {(m.indicator.code, m.option): m.note for m in CellMark.objects.all()}
    assert marks == {
        ("lop_da_mo", ""): "Lệch với sổ theo dõi",
        ("luot_nguoi_doi_tuong", "dang_vien"): "",
    }

    page = text(web(cell_reporter).get(url("grid")))
    assert 'id="marks"' in page
    assert page.count("cell marked mark-fix") == 2
    assert "Cần sửa: Lệch với sổ theo dõi" in page
    marks = page.split('id="marks"')[1].split("</section>")[0]
    assert "Lượt người theo đối tượng – Đảng viên" in marks  # names, not codes


def test_it_refuses_to_send_again_with_a_marked_cell_untouched(
    cell_reporter, personas, web, submitted
):
    manager = web(personas.manager)
    data = {"tra_lai-comment": "Sửa số lớp", "sua": ["lop_da_mo|"], "xac_nhan": "1"}
    assert manager.post(url("return"), data).status_code == 302
    reporter = web(cell_reporter)
    page = text(reporter.get(url("grid")))
    assert 'name="giu_nguyen" id="giu-nguyen"' in page  # the reason to keep it, asked
    refused = reporter.post(url("submit"), SEND)
    assert refused.status_code == 400 and 'id="action-error"' in text(refused)
    assert "Số lớp đã mở: được đánh dấu cần sửa, chưa sửa, chưa ghi chú" in text(refused)
    assert Submission.objects.get().status == "returned"
    kept = reporter.post(url("submit"), {**SEND, "giu_nguyen": "Đúng theo sổ"})
    assert kept.status_code == 302
    assert Submission.objects.get().status == "submitted"
    assert "Đúng theo sổ" in text(manager.get(url("review")))


def test_it_refuses_a_return_marking_an_unknown_cell(personas, web, submitted):
    response = web(personas.manager).post(
        url("return"), {"tra_lai-comment": "Sửa", "xac_nhan": "1", "sua": ["khong_co|"]}
    )
    assert response.status_code == 400 and "khong_co" in text(response)
    assert Submission.objects.get().status == "submitted"


def test_it_marks_a_value_for_follow_up_and_lists_it(personas, web, submitted):
    manager = web(personas.manager)
    response = manager.post(url("follow_up"), {"o": "luot_nguoi|", "ghi_chu": "Đối chiếu"})
    assert response.status_code == 302
    page = text(manager.get(url("review")))
    assert "Cần theo dõi" in page and "Đối chiếu" in page
    assert manager.post(url("follow_up"), {"o": "khong_co|"}).status_code == 400


def test_it_marks_compulsory_cells_and_says_what_is_missing_before_submitting(
    form, cell_reporter, web
):
    FormIndicator.objects.filter(indicator__code="lop_da_mo").update(is_compulsory=True)
    client = web(cell_reporter)
    page = text(client.get(url("grid")))
    assert page.count('aria-required="true" data-compulsory="1"') == 1
    assert 'id="submit-check"' in page and "Số lớp đã mở" in page
    assert "hidden>" not in page.split('id="submit-check"')[1][:80]
    fill(client, {k: v for k, v in GOOD.items() if k[0] != "lop_da_mo"})
    response = client.post(url("submit"), SEND)
    assert response.status_code == 400 and "lop_da_mo" in text(response)
    assert Submission.objects.get().status == "draft"


def test_it_asks_for_an_explanation_of_failed_rules_when_the_form_allows_it(
    form, cell_reporter, personas, web
):
    Form.objects.filter(pk=form.pk).update(complete_only_if_valid=False)
    client = web(cell_reporter)
    fill(client, {**GOOD, ("lop_da_mo", ""): "5"})
    assert 'name="giai_trinh"' in text(client.get(url("grid")))
    assert client.post(url("submit"), SEND).status_code == 400
    response = client.post(url("submit"), {**SEND, "giai_trinh": "Mở thêm theo chỉ đạo"})
    assert response.status_code == 302
    page = text(web(personas.manager).get(url("review")))
    assert 'id="submit-comment">Mở thêm theo chỉ đạo' in page


def test_it_sets_the_submission_rules_on_the_form_page(form, personas, web):
    target = reverse("reporting:change_submission_rules", args=["HK"])
    data = {"dieu_kien-compulsory": ["lop_da_mo", "ghi_chu"], "dieu_kien-rules": "confirm"}
    assert web(personas.outsider).post(target, data).status_code == 403
    assert web(personas.manager).get(target).status_code == 405
    page = text(web(personas.manager).get(reverse("reporting:form", args=["HK"])))
    assert "Điều kiện gửi báo cáo" in page and "Số lớp đã mở" in page
    assert web(personas.manager).post(target, data).status_code == 302
    assert set(
        FormIndicator.objects.filter(is_compulsory=True).values_list("indicator__code", flat=True)
    ) == {"lop_da_mo", "ghi_chu"}
    assert Form.objects.get(pk=form.pk).complete_only_if_valid is False
    bad = {"dieu_kien-compulsory": ["binh_quan_lop"], "dieu_kien-rules": "block"}
    assert web(personas.manager).post(target, bad).status_code == 400


def test_it_reads_the_approval_screen_in_a_fixed_number_of_queries(
    org, audience, form, personas, web, django_assert_num_queries
):
    """GIVEN a 3-cell report and a 60 × 6 one THEN their approval screens cost the same
    number of queries."""
    indicators = [
        services.create_indicator(
            acting_user=SYSTEM, code=f"ct_{n:02d}", name=f"Chỉ tiêu {n}", disaggregation=audience
        )
        for n in range(60)
    ]
    services.create_form(
        acting_user=SYSTEM,
        code="LON",
        name="Biểu lớn",
        owner=org.d1,
        period_type="sixmonthly",
        indicators=indicators,
        units=[org.c1],
    )
    reporter = web(f.make_user("bcv_lon", unit=org.c1, role="reporter"))
    options = [o.code for o in audience.options.all()]
    fill(reporter, {(f"ct_{n:02d}", o): str(n) for n in range(60) for o in options}, "LON")
    fill(reporter, {("ct_00", "can_bo"): "7"}, "LON")
    assert reporter.post(url("submit", "LON"), SEND).status_code == 302
    fill(reporter, GOOD)
    assert reporter.post(url("submit"), SEND).status_code == 302

    # As the commit of the setup would: the forms' structures are read once per process.
    structure._forget(set(Form.objects.values_list("pk", flat=True)))
    manager = web(personas.manager)
    manager.get(url("review", "LON"))
    manager.get(url("review"))
    with django_assert_num_queries(QUERIES):
        assert manager.get(url("review", "LON")).status_code == 200
    with django_assert_num_queries(QUERIES):
        assert manager.get(url("review")).status_code == 200


QUERIES = 14  # session, user, form, roles, unit, versions, report, values, options,
# rules, last return, marks, changes, and the outliers (history and bounds in one statement)


def test_it_says_which_yardstick_found_each_outlier(form, personas, web, submitted):
    """GIVEN a report whose 40 people exceed the unit's bounds 10–20, with no history
    THEN the review says the min-max bounds found it (the data-quality page lists each
    method apart: its history section stays empty, which puzzled a manager)."""
    from trienkhai.reporting.models import Indicator, ValueBounds

    ValueBounds.objects.create(
        unit=submitted.unit, indicator=Indicator.objects.get(code="luot_nguoi"), low=10, high=20
    )
    page = text(web(personas.manager).get(url("review")))
    outliers = page[page.index('id="review-outliers"') :]
    assert (
        '<td data-label="Giá trị">40</td><td data-label="Khoảng thường gặp">10 – 20</td>'
        '<td data-label="Cách phát hiện">Ngoài khoảng tối thiểu–tối đa</td>'
    ) in outliers


def test_it_names_an_outlier_s_option_by_its_name(form, personas, web, submitted):
    """GIVEN the 10 "Nhân dân" of a report outside the unit's bounds 20–30 WHEN the
    manager reviews it THEN the outlier is named by the option's name, not its code
    "nhan_dan"; in English by the English name."""
    from trienkhai.reporting.models import DisaggregationOption, Indicator, ValueBounds

    ValueBounds.objects.create(
        unit=submitted.unit,
        indicator=Indicator.objects.get(code="luot_nguoi_doi_tuong"),
        option="nhan_dan",
        low=20,
        high=30,
    )
    manager = web(personas.manager)
    page = text(manager.get(url("review")))
    outliers = page[page.index('id="review-outliers"') :]
    outliers = outliers[: outliers.index("</section>")]
    assert (
        '<td>Lượt người theo đối tượng – Nhân dân</td><td data-label="Giá trị">10</td>' in outliers
    )
    assert "nhan_dan" not in outliers
    DisaggregationOption.objects.filter(code="nhan_dan").update(name_en="The public")
    Indicator.objects.filter(code="luot_nguoi_doi_tuong").update(name_en="People by group")
    manager.cookies["django_language"] = "en"
    page = text(manager.get(url("review")))
    assert "<td>People by group – The public</td>" in page[page.index('id="review-outliers"') :]


def test_a_marked_cell_reads_fixed_once_its_value_changed_until_the_report_is_sent(
    cell_reporter, personas, web, api, submitted
):
    """GIVEN a report returned with "Số lớp đã mở" (2) and "Lượt người – Đảng viên"
    marked to fix
    WHEN the reporter changes the classes to 3
    THEN the save answers that the cell is fixed; the reporter's grid (the cell and the
    list of marks) and the manager's review (page and API) read it "Đã sửa, chờ gửi
    lại", the untouched cell still "Cần sửa"; put back to 2 it is "Cần sửa" again; a
    comment alone does not fix it; sent again, the marks are answered."""
    manager, reporter = web(personas.manager), web(cell_reporter)
    data = {"tra_lai-comment": "Sửa", "xac_nhan": "1", "ghi_chu:lop_da_mo|": "Lệch sổ"}
    data["sua"] = ["lop_da_mo|", "luot_nguoi_doi_tuong|dang_vien"]
    assert manager.post(url("return"), data).status_code == 302

    def saved(value, comment=None):
        cell = {"indicator": "lop_da_mo", "option": "", "value": value}
        if comment is not None:
            cell["comment"] = comment
        response = reporter.post(
            url("save"), data=json.dumps({"cells": [cell]}), content_type="application/json"
        )
        assert response.status_code == 200, response.content
        return response.json()["marks"]

    def states():
        grid = text(reporter.get(url("grid")))
        review = text(manager.get(url("review")))
        marks = api(personas.manager).get(f"submissions/{submitted.pk}/review").json()["marks"]
        return (
            grid.count("Đã sửa, chờ gửi lại: Lệch sổ"),
            grid.count('<strong class="mark-word">Đã sửa, chờ gửi lại</strong>'),
            grid.count("mark-fixed"),
            review.count("đã sửa, chờ gửi lại"),
            sorted((m["indicator"], m["fixed"]) for m in marks),
        )

    assert states() == (0, 0, 0, 0, [("lop_da_mo", False), ("luot_nguoi_doi_tuong", False)])
    assert saved("3") == [{"indicator": "lop_da_mo", "option": "", "fixed": True}]
    fixed = (1, 1, 2, 1, [("lop_da_mo", True), ("luot_nguoi_doi_tuong", False)])
    assert states() == fixed
    grid = text(reporter.get(url("grid")))
    assert "Cần sửa</strong>: Lượt người theo đối tượng – Đảng viên" in grid

    assert saved("2") == [{"indicator": "lop_da_mo", "option": "", "fixed": False}]
    assert states() == (0, 0, 0, 0, [("lop_da_mo", False), ("luot_nguoi_doi_tuong", False)])
    assert saved("2", comment="Đã đối chiếu sổ")[0]["fixed"] is False

    assert saved("3")[0]["fixed"] is True
    fill(reporter, {("luot_nguoi_doi_tuong", "dang_vien"): "30"})  # the same value again
    assert reporter.post(url("submit"), SEND).status_code == 400  # untouched: say why
    assert reporter.post(url("submit"), {**SEND, "giu_nguyen": "Đúng"}).status_code == 302
    review = text(manager.get(url("review")))
    assert "đã sửa, chờ gửi lại" not in review and review.count("đã gửi lại lúc") == 2
    assert "Đã sửa, chờ gửi lại" not in text(reporter.get(url("grid")))
