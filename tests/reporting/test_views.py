"""The data-entry pages: the list, the grid, its JSON save, history, decisions, many units."""

import datetime as dt
import json
import re

import pytest
from django.urls import reverse

from tests import factories as f
from tests.factories import SYSTEM
from trienkhai.reporting import services
from trienkhai.reporting.models import DataValue, Submission

PERIOD = "2020S1"


SEND = {"xac_nhan": "1"}
"""The ticked confirmation that goes with "Gửi báo cáo"."""


def url(name, unit="C1", period=PERIOD, form="HK"):
    return reverse(f"reporting:{name}", args=[form, unit, period])


def text(response) -> str:
    return response.content.decode()


def save(client, cells, unit="C1", period=PERIOD):
    return client.post(
        url("save", unit, period),
        data=json.dumps({"cells": cells}),
        content_type="application/json",
    )


GOOD = {
    ("lop_ke_hoach", ""): "3",
    ("lop_da_mo", ""): "2",
    ("luot_nguoi", ""): "40",
    ("luot_nguoi_doi_tuong", "dang_vien"): "30",
    ("luot_nguoi_doi_tuong", "nhan_dan"): "10",
}


def fill(client, values=GOOD, unit="C1"):
    cells = [{"indicator": i, "option": o, "value": v} for (i, o), v in values.items()]
    response = save(client, cells, unit)
    assert response.status_code == 200, response.content
    return response


# Anonymous, wrong method ---------------------------------------------------------------


def test_it_redirects_anonymous_users_to_log_in(form, web):
    for target in (
        reverse("reporting:list"),
        url("grid"),
        url("history"),
        reverse("reporting:multi", args=["HK", PERIOD]),
    ):
        response = web().get(target)
        assert response.status_code == 302 and response.url.startswith(reverse("login"))
    for name in ("save", "submit", "approve", "return", "unlock"):
        response = web().post(url(name))
        assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_it_refuses_the_wrong_method(form, cell_reporter, web):
    client = web(cell_reporter)
    for name in ("save", "submit", "approve", "return", "unlock"):
        assert client.get(url(name)).status_code == 405
    for target in (reverse("reporting:list"), url("grid"), url("history")):
        assert client.post(target).status_code == 405
    assert client.post(reverse("reporting:multi", args=["HK", PERIOD])).status_code == 405


# The list ------------------------------------------------------------------------------


def test_it_lists_a_reporters_units_for_the_current_and_previous_period(form, cell_reporter, web):
    page = text(web(cell_reporter).get(reverse("reporting:list")))
    assert "Báo cáo 6 tháng" in page
    assert "Thị trấn Vĩnh Thuận" in page
    assert "Xã Vĩnh Bình Bắc" not in page  # C2 is not the reporter's
    assert page.count("Nhập số liệu<") == 2  # this half-year and the one before
    assert "Nhập cho nhiều đơn vị" not in page


def test_it_lists_what_waits_first_then_the_latest_periods(form, cell_reporter, web):
    """GIVEN the reporter's report of this half-year sent, the previous one's not WHEN
    the list opens THEN the previous half-year (waiting for entry) comes first, this
    one (waiting for nothing) after."""
    from django.utils import timezone

    from trienkhai.orgs.models import Unit
    from trienkhai.reporting.periods import PeriodType, containing

    current = containing(timezone.localdate(), PeriodType.SIXMONTHLY)
    previous = current.previous()
    unit = Unit.objects.get(code="C1")
    cells = [services.CellInput(i, v, option=o) for (i, o), v in GOOD.items()]
    services.save_values(
        acting_user=cell_reporter, form=form, unit=unit, period_id=current.id, cells=cells
    )
    services.submit(acting_user=cell_reporter, form=form, unit=unit, period_id=current.id)
    page = text(web(cell_reporter).get(reverse("reporting:list")))
    headings = re.findall(r'<h2 id="g-[^"]*"[^>]*>(.*?)</h2>', page, re.S)
    first = next(h for h in headings if previous.label() in h or current.label() in h)
    assert previous.label() in first, headings


def test_it_lists_the_latest_reported_periods_of_a_form_whose_units_have_gone(
    form, cell_reporter, personas, web
):
    """GIVEN a form's units dissolved before today, with a report for 2020S1
    WHEN their manager opens the list THEN 2020S1 is listed, not an empty page."""
    from trienkhai.orgs import services as org_services
    from trienkhai.orgs.models import Unit

    fill(web(cell_reporter))
    for code in ("C1", "C2"):
        org_services.dissolve_unit(
            acting_user=SYSTEM, unit=Unit.objects.get(code=code), on=dt.date(2025, 7, 1)
        )
    page = text(web(personas.manager).get(reverse("reporting:list")))
    assert "Thị trấn Vĩnh Thuận" in page
    assert "6 tháng đầu năm 2020" in page


def test_it_lists_the_units_under_a_manager_with_many_unit_entry(form, personas, web):
    page = text(web(personas.manager).get(reverse("reporting:list")))
    assert "Thị trấn Vĩnh Thuận" in page and "Xã Vĩnh Bình Bắc" in page
    assert "Nhập cho nhiều đơn vị cùng lúc" in page


def test_it_shows_a_viewer_the_reports_to_read_and_an_outsider_none(form, personas, web):
    page = text(web(personas.viewer).get(reverse("reporting:list")))
    assert "Xem<" in page and "Nhập số liệu<" not in page
    page = text(web(personas.outsider).get(reverse("reporting:list")))
    assert "Thị trấn Vĩnh Thuận" not in page
    assert web(personas.nobody).get(reverse("reporting:list")).status_code == 403


# The grid ------------------------------------------------------------------------------


def test_it_shows_the_grid_with_values_last_period_and_derived(form, cell_reporter, web):
    client = web(cell_reporter)
    services.save_values(
        acting_user=cell_reporter,
        form=form,
        unit=form.assignments.first().unit,
        period_id="2019S2",
        cells=[services.CellInput(indicator="lop_da_mo", value="7")],
    )
    fill(client, {**GOOD, ("luot_nguoi", ""): "20.673", ("lop_ke_hoach", ""): "12"})
    response = client.get(url("grid"))
    assert response.status_code == 200
    page = text(response)
    assert 'value="20.673"' in page
    assert "kỳ trước 7" in page  # 2019S2 beside 2020S1
    assert "Đảng viên" in page and "Nhân dân" in page  # the options as columns
    assert 'data-derived="binh_quan_lop">10.336,5<' in page  # 20673 / 2
    assert 'id="submit-report"' in page
    assert "readonly" not in page


def test_it_lists_the_failing_rules_on_the_grid(form, cell_reporter, web):
    client = web(cell_reporter)
    body = fill(client, {("lop_ke_hoach", ""): "1", ("lop_da_mo", ""): "2"}).json()
    assert [r["message"] for r in body["failed"]] == ["Số lớp đã mở không vượt kế hoạch"]
    assert body["failed"][0]["left"] == "2"
    page = text(client.get(url("grid")))
    assert "Số lớp đã mở không vượt kế hoạch" in page
    # In words and Vietnamese numbers, not the rule's codes.
    assert "(2 so với 1)" in page
    rules = page.split('<section id="rules"')[1].split("</section>")[0]
    shown = re.sub(r"<[^>]+>", " ", rules)  # what a reader sees, not the attributes
    assert "lop_da_mo" not in shown and "&lt;=" not in shown


def test_it_shows_the_grid_read_only_to_a_viewer(form, personas, web):
    response = web(personas.viewer).get(url("grid"))
    assert response.status_code == 200
    page = text(response)
    assert "Bạn chỉ có quyền xem" in page and "readonly" in page
    assert 'id="submit-report"' not in page


def test_it_refuses_the_grid_to_an_outsider(form, personas, web):
    assert web(personas.outsider).get(url("grid")).status_code == 403
    assert web(personas.outsider).get(url("history")).status_code == 403


def test_it_answers_a_bad_period_with_400_and_an_unknown_form_with_404(form, cell_reporter, web):
    assert web(cell_reporter).get(url("grid", period="2020Q1")).status_code == 400
    assert web(cell_reporter).get(url("grid", form="NOPE")).status_code == 404


def test_it_links_the_excel_and_completeness_pages_only_once_they_exist(form, cell_reporter, web):
    page = text(web(cell_reporter).get(url("grid")))
    from django.urls import NoReverseMatch

    try:
        reverse("reporting_files:download", args=["HK", "C1", PERIOD])
    except NoReverseMatch:
        assert "Tải về tệp Excel" not in page
    else:
        assert "Tải về tệp Excel" in page


def test_it_offers_the_progress_page_only_to_whom_may_see_it(form, cell_reporter, personas, web):
    """GIVEN C1's grid WHEN C1's reporter opens it THEN no link to the progress page of
    D1 (which answers them 403); WHEN D1's manager or viewer opens it THEN the link."""
    progress = reverse("completeness:page", args=["HK", "D1", PERIOD])
    assert web(cell_reporter).get(progress).status_code == 403
    page = text(web(cell_reporter).get(url("grid")))
    assert progress not in page and "Tình hình gửi báo cáo" not in page
    for user in (personas.manager, personas.viewer):
        assert web(user).get(progress).status_code == 200
        assert progress in text(web(user).get(url("grid")))


def test_it_names_the_unit_that_reviews_a_sent_report(form, org, cell_reporter, web):
    """GIVEN C1 (under Huyện Vĩnh Thuận) WHEN its reporter sends the report THEN the
    message, the status line and the lock name the reviewing unit, not "cấp trên"; in
    English too."""
    client = web(cell_reporter)
    fill(client)
    response = client.post(url("submit"), SEND, follow=True)
    page = text(response)
    assert "Đã gửi báo cáo, chờ Huyện Vĩnh Thuận duyệt." in page
    assert '<span id="reviewer">, chờ Huyện Vĩnh Thuận duyệt</span>' in page
    assert "đang chờ Huyện Vĩnh Thuận duyệt: không sửa được" in page
    assert "cấp trên duyệt" not in page.replace("cho đến khi cấp trên duyệt", "")
    client.cookies["django_language"] = "en"
    english = text(client.get(url("grid")))
    assert "awaiting review by Huyện Vĩnh Thuận" in english


def test_it_says_who_sent_and_approved_and_names_nobody_for_the_system(
    form, org, cell_reporter, personas, web
):
    """GIVEN C1's report sent by its reporter and approved by the system (an import,
    the demo) WHEN the grid is read THEN the sender is named, the approval is dated
    without a name, and no "—" stands for a person."""
    client = web(cell_reporter)
    fill(client)
    client.post(url("submit"), SEND)
    submission = Submission.objects.get(unit=org.c1)
    services.approve(acting_user=SYSTEM, submission=submission)
    page = " ".join(text(client.get(url("grid"))).split())
    assert f"gửi bởi {cell_reporter} lúc" in page
    assert "· duyệt lúc" in page
    assert "bởi —" not in page


def test_it_says_a_report_not_sent_by_its_deadline_is_overdue(form, org, cell_reporter, web):
    """As the desk does: "quá hạn" beside the deadline while the report is not sent,
    gone once it is (the walk saw "Đang nhập" here and "Quá hạn" on the desk)."""
    client = web(cell_reporter)
    assert '<strong class="overdue-word" id="overdue">quá hạn</strong>' in text(
        client.get(url("grid"))
    )
    fill(client)
    client.post(url("submit"), SEND)
    assert 'id="overdue"' not in text(client.get(url("grid")))


def test_it_names_the_reviewing_unit_of_the_day_after_a_move(form, org, cell_reporter, web):
    """GIVEN C1 moved under P1 (as the 2025 reform moved communes under the province)
    WHEN its report waits THEN it waits for P1, by its name."""
    from django.utils import timezone

    from trienkhai.orgs.models import UnitVersion

    today = timezone.localdate()
    old = org.c1.versions.get()
    UnitVersion.objects.filter(pk=old.pk).update(valid_to=today)
    UnitVersion.objects.create(
        unit=org.c1, name=old.name, kind=old.kind, parent=org.p1, valid_from=today
    )
    client = web(cell_reporter)
    fill(client)
    assert client.post(url("submit"), SEND).status_code == 302
    page = text(client.get(url("grid")))
    assert "chờ Tỉnh Kiên Giang duyệt" in page and "Huyện Vĩnh Thuận duyệt" not in page


def test_it_shows_a_derived_row_s_formula_with_the_indicators_names(form, cell_reporter, web):
    """GIVEN "binh_quan_lop = luot_nguoi / lop_da_mo" WHEN the grid is shown THEN the
    formula reads with the names, in the reader's language."""
    from trienkhai.reporting.models import Indicator

    client = web(cell_reporter)
    page = text(client.get(url("grid")))
    assert "tự tính: Lượt người tham gia / Số lớp đã mở<" in page
    assert "luot_nguoi / lop_da_mo" not in page
    Indicator.objects.filter(code="luot_nguoi").update(name_en="Participants")
    Indicator.objects.filter(code="lop_da_mo").update(name_en="Classes held")
    client.cookies["django_language"] = "en"
    assert ": Participants / Classes held<" in text(client.get(url("grid")))


def test_it_renders_a_60_by_6_grid_in_a_fixed_number_of_queries(
    org, audience, personas, web, django_assert_max_num_queries
):
    indicators = [
        services.create_indicator(
            acting_user=SYSTEM, code=f"ct_{n}", name=f"Chỉ tiêu {n}", disaggregation=audience
        )
        for n in range(60)
    ]
    big = services.create_form(
        acting_user=SYSTEM,
        code="BIG",
        name="Biểu lớn",
        owner=org.d1,
        period_type="sixmonthly",
        indicators=[],
        sections=[("Phần I", indicators[:30]), ("Phần II", indicators[30:])],
        units=[org.c1],
    )
    cells = [
        services.CellInput(indicator=i.code, option=o, value=n)
        for n, i in enumerate(indicators)
        for o in ("can_bo", "dang_vien", "nhan_dan")
    ]
    for period in ("2019S2", PERIOD):
        services.save_values(
            acting_user=SYSTEM, form=big, unit=org.c1, period_id=period, cells=cells
        )
    client = web(personas.manager)
    client.get(url("grid", form="BIG"))  # warm the session and the content types
    # 36 since the grid also shows compulsory cells, the approver's marks and each cell's
    # usual range (outliers); measured on this 60 x 6 grid.
    with django_assert_max_num_queries(36):
        response = client.get(url("grid", form="BIG"))
    assert response.status_code == 200
    assert text(response).count('class="cell-input"') == 360
    # 36 since the grid also shows compulsory cells, the approver's marks and each cell's
    # usual range (outliers); measured on this 60 x 6 grid.
    with django_assert_max_num_queries(36):
        response = client.get(reverse("reporting:multi", args=["BIG", PERIOD]))
    assert text(response).count('class="cell-input"') == 360


# The JSON save -------------------------------------------------------------------------


def test_it_saves_one_cell_with_vietnamese_separators_and_returns_its_version(
    form, cell_reporter, web
):
    client = web(cell_reporter)
    response = save(client, [{"indicator": "luot_nguoi", "value": "20.673", "version": 0}])
    assert response.status_code == 200
    body = response.json()
    assert body["cells"] == [
        {"indicator": "luot_nguoi", "option": "", "version": 1, "value": "20.673", "comment": ""}
    ]
    response = save(client, [{"indicator": "luot_nguoi", "value": "20673", "version": 1}])
    assert response.json()["cells"][0]["version"] == 1  # the same number: nothing changed
    response = save(client, [{"indicator": "lop_da_mo", "value": "20,5", "version": 0}])
    assert response.status_code == 400  # read as 20.5: not a whole number of classes
    assert "số nguyên" in response.json()["error"]["details"][0]["problem"]
    assert DataValue.objects.get(indicator__code="luot_nguoi").value_number == 20673


def test_it_saves_a_comment_and_warns_of_an_outlier(form, cell_reporter, web):
    body = save(
        web(cell_reporter),
        [{"indicator": "lop_da_mo", "value": "60", "comment": "Có 60 lớp thật", "version": 0}],
    ).json()
    assert body["cells"][0]["comment"] == "Có 60 lớp thật"
    assert body["warnings"][0]["warning"].startswith("Lớn hơn mức tối đa 50")


def test_it_answers_a_bad_value_with_400_naming_the_problem(form, cell_reporter, web):
    response = save(web(cell_reporter), [{"indicator": "lop_da_mo", "value": "abc"}])
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid_values"
    assert "không hợp lệ" in error["details"][0]["problem"]
    assert not DataValue.objects.exists()


@pytest.mark.parametrize("body", [b"", b"{", b'{"cells": []}', b'{"cells": [{"value": 1}]}'])
def test_it_answers_a_malformed_request_with_400(form, cell_reporter, web, body):
    response = web(cell_reporter).post(url("save"), data=body, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid_input"


def test_it_answers_a_stale_version_with_409(form, cell_reporter, personas, web):
    save(web(cell_reporter), [{"indicator": "lop_da_mo", "value": "2", "version": 0}])
    response = save(web(personas.manager), [{"indicator": "lop_da_mo", "value": "3", "version": 0}])
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "stale_version"
    assert DataValue.objects.get().value_number == 2


def test_it_saves_a_pasted_block_all_or_none(form, cell_reporter, web):
    client = web(cell_reporter)
    block = [
        {"indicator": "luot_nguoi_doi_tuong", "option": "dang_vien", "value": "30"},
        {"indicator": "luot_nguoi_doi_tuong", "option": "nhan_dan", "value": "x"},
    ]
    assert save(client, block).status_code == 400
    assert not DataValue.objects.exists()
    block[1]["value"] = "10"
    assert save(client, block).json()["saved"] == 2


def test_it_refuses_writes_by_a_viewer_an_outsider_and_into_another_unit(
    form, cell_reporter, personas, web
):
    cell = [{"indicator": "lop_da_mo", "value": "2"}]
    assert save(web(personas.viewer), cell).status_code == 403
    assert save(web(personas.outsider), cell).status_code == 403
    assert save(web(cell_reporter), cell, unit="C2").status_code == 403
    assert save(web(personas.nobody), cell).status_code == 403
    assert not DataValue.objects.exists()


def test_it_refuses_a_cell_of_a_locked_report_with_409(form, cell_reporter, web):
    client = web(cell_reporter)
    fill(client)
    assert client.post(url("submit"), SEND).status_code == 302
    response = save(client, [{"indicator": "lop_da_mo", "value": "1"}])
    assert response.status_code == 409 and response.json()["error"]["code"] == "locked"


# History -------------------------------------------------------------------------------


def test_it_lists_the_changes_of_one_cell(form, cell_reporter, web):
    client = web(cell_reporter)
    save(client, [{"indicator": "luot_nguoi", "value": "20673"}])
    save(client, [{"indicator": "luot_nguoi", "value": "20674", "version": 1}])
    response = client.get(url("history"), {"chi_tieu": "luot_nguoi", "lua_chon": ""})
    page = text(response)
    assert response.status_code == 200
    assert "<del>20.673</del> → <ins>20.674</ins>" in page
    assert "<del>∅</del> → <ins>20.673</ins>" in page
    assert "bcv" in page
    assert client.get(url("history"), {"chi_tieu": "nope"}).status_code == 404


# Submission and approval ---------------------------------------------------------------


def test_it_refuses_to_send_a_report_with_nothing_entered(form, cell_reporter, web):
    """A click on "Gửi báo cáo" by mistake would lock an empty report: the screen
    refuses it, names why, and the report stays a draft; the rule values are shown
    without the rule's formula."""
    client = web(cell_reporter)
    response = client.post(url("submit"))
    assert response.status_code == 400
    assert "Báo cáo chưa có số liệu nào" in text(response)
    assert not Submission.objects.filter(status="submitted").exists()
    assert "Ô bắt buộc: phải nhập trước khi gửi" not in text(client.get(url("grid")))


def test_it_sends_a_report_only_once_the_sender_confirms_it(form, org, cell_reporter, web):
    """GIVEN a filled report WHEN its reporter sends it without ticking the box that
    names it THEN it is refused (400) and stays a draft; ticked, it is sent. In English,
    the box and the refusal are English."""
    client = web(cell_reporter)
    fill(client)
    grid = text(client.get(url("grid")))
    assert (
        '<input type="checkbox" name="xac_nhan" value="1" required '
        'aria-describedby="confirm-send-error"> Tôi xác nhận gửi báo cáo '
        "“Báo cáo 6 tháng” của Thị trấn Vĩnh Thuận, kỳ 6 tháng đầu năm 2020."
    ) in grid
    refused = client.post(url("submit"))
    assert refused.status_code == 400
    assert "Hãy đánh dấu ô xác nhận trước khi gửi báo cáo." in text(refused)
    assert Submission.objects.get().status == "draft"
    client.cookies["django_language"] = "en"
    english = text(client.post(url("submit")))
    assert "Tick the confirmation box before sending the report." in english
    assert "I confirm sending the report" in english
    assert "first half of 2020." in english  # a period's name lowered inside the sentence
    assert client.post(url("submit"), SEND).status_code == 302
    assert Submission.objects.get().status == "submitted"


def test_it_refuses_to_submit_while_rules_fail_and_names_them(form, cell_reporter, web):
    client = web(cell_reporter)
    fill(client, {**GOOD, ("lop_da_mo", ""): "5"})
    response = client.post(url("submit"), SEND)
    assert response.status_code == 400
    page = text(response)
    assert "1 quy tắc kiểm tra chưa đạt" in page and "Số lớp đã mở không vượt kế hoạch" in page
    assert "validation rule" not in page  # the screen speaks the reader's language only
    assert "so với" in page and "lop_da_mo <=" not in page  # values, not the formula
    assert not Submission.objects.filter(status="submitted").exists()


def test_it_walks_a_report_through_return_and_approval(form, cell_reporter, personas, web):
    reporter, manager = web(cell_reporter), web(personas.manager)
    fill(reporter)
    assert reporter.post(url("submit"), SEND).status_code == 302
    page = text(reporter.get(url("grid")))
    assert "Đã gửi" in page and "đang chờ Huyện Vĩnh Thuận duyệt" in page and "readonly" in page

    # The reporter may not decide; a manager must give a reason to return it.
    assert reporter.post(url("approve")).status_code == 403
    assert reporter.post(url("return"), {"tra_lai-comment": "x"}).status_code == 403
    response = manager.post(url("return"), {"tra_lai-comment": " ", "xac_nhan": "1"})
    assert response.status_code == 400 and "This field is required" not in text(response)
    response = manager.post(url("return"), {"tra_lai-comment": "Thiếu số đoàn viên"})
    assert response.status_code == 400  # not confirmed: nothing changes
    assert Submission.objects.get().status == "submitted"
    response = manager.post(
        url("return"), {"tra_lai-comment": "Thiếu số đoàn viên", "xac_nhan": "1"}
    )
    assert response.status_code == 302
    page = text(reporter.get(url("grid")))
    assert "Trả lại" in page and "Thiếu số đoàn viên" in page and 'id="submit-report"' in page

    fill(reporter, {("lop_da_mo", ""): "3"})
    assert reporter.post(url("submit"), SEND).status_code == 302
    assert manager.post(url("approve")).status_code == 400  # not confirmed
    assert manager.post(url("approve"), {"xac_nhan": "1"}).status_code == 302
    submission = Submission.objects.get()
    assert submission.status == "approved" and submission.decided_by == personas.manager
    assert manager.post(url("approve"), {"xac_nhan": "1"}).status_code == 409  # already approved

    # Unlocking needs a reason too, and is the manager's alone.
    assert reporter.post(url("unlock"), {"mo_khoa-comment": "sửa"}).status_code == 403
    assert manager.post(url("unlock"), {"mo_khoa-comment": ""}).status_code == 400
    assert manager.post(url("unlock"), {"mo_khoa-comment": "Sửa số lớp"}).status_code == 302
    assert Submission.objects.get().status == "returned"


def test_it_refuses_decisions_to_an_outsider_and_on_no_report(form, personas, web):
    assert web(personas.manager).post(url("approve")).status_code == 404
    assert web(personas.outsider).post(url("approve")).status_code == 403
    assert web(personas.viewer).post(url("submit"), SEND).status_code == 403


# Many units ----------------------------------------------------------------------------


def test_it_shows_a_manager_one_row_per_unit(form, personas, web):
    response = web(personas.manager).get(reverse("reporting:multi", args=["HK", PERIOD]))
    assert response.status_code == 200
    page = text(response)
    assert "Thị trấn Vĩnh Thuận" in page and "Xã Vĩnh Bình Bắc" in page
    assert page.count('data-save-url="') == 2
    assert "binh_quan_lop" not in page  # derived indicators are not typed


def test_it_refuses_many_unit_entry_to_a_viewer_and_an_outsider(form, personas, web):
    target = reverse("reporting:multi", args=["HK", PERIOD])
    assert web(personas.viewer).get(target).status_code == 403
    assert web(personas.outsider).get(target).status_code == 403


def test_it_makes_a_submitted_units_row_read_only(form, personas, web):
    reporter = f.make_user("bcv2", unit=form.assignments.last().unit, role="reporter")
    fill(web(reporter), unit=reporter.roles.first().unit.code)
    assert (
        web(reporter).post(url("submit", unit=reporter.roles.first().unit.code), SEND).status_code
        == 302
    )
    page = text(web(personas.manager).get(reverse("reporting:multi", args=["HK", PERIOD])))
    assert page.count(' readonly aria-readonly="true"') == page.count('class="cell-input"') // 2


def test_the_list_sums_each_form_and_period_and_puts_what_waits_first(
    form, cell_reporter, personas, web
):
    """GIVEN C1's report for 2020S1 submitted WHEN the district's manager opens the list at
    2020S1, in words THEN one line says 1/2 đã gửi with a link to the progress page, C1
    asks to be reviewed and C2 (nothing sent, the manager may enter it) to be entered."""
    fill(web(cell_reporter))
    assert web(cell_reporter).post(url("submit"), SEND).status_code == 302
    manager = web(personas.manager)
    response = manager.get(reverse("reporting:list"), {"ky": "6 thang dau nam 2020"})
    page = text(response)
    assert response.status_code == 200
    assert "1/2 đơn vị đã gửi" in page  # the manager sees every unit of the form
    assert reverse("completeness:page", args=["HK", "D1", PERIOD]) in page
    assert 'value="6 tháng đầu năm 2020"' in page  # the picker shows the period in words
    review = reverse("reporting:review", args=["HK", "C1", PERIOD])
    assert f'href="{review}" class="button primary">Xem xét<' in page
    assert "Nhập số liệu<" in page and page.count('<h2 id="g-') == 1  # 2020S1 only
    viewer = text(web(personas.viewer).get(reverse("reporting:list"), {"ky": "2020S1"}))
    assert "Xem xét<" not in viewer and "1/2 đơn vị đã gửi" in viewer
    # A reporter of C1 sees its own unit only: the count says whose units it counts.
    own = text(web(cell_reporter).get(reverse("reporting:list"), {"ky": "2020S1"}))
    assert "1/1 đơn vị bạn xem được đã gửi" in own
    assert "(cả biểu: 2 đơn vị phải báo cáo)" in own
    bad = web(personas.viewer).get(reverse("reporting:list"), {"ky": "6 thang"})
    assert bad.status_code == 400 and "Không hiểu kỳ" in text(bad)


def test_it_says_when_a_sent_report_was_sent_and_how_late(form, cell_reporter, web):
    """GIVEN 6 tháng đầu năm 2020, due 10/07/2020
    WHEN the report is first sent on 15/07/2020, then reads as sent on 03/07/2020
    THEN the page says "gửi ngày 15/07/2020 (trễ 5 ngày)", then "(đúng hạn)"."""
    client = web(cell_reporter)
    fill(client)
    assert client.post(url("submit"), SEND).status_code == 302
    late = dt.datetime(2020, 7, 15, 9, tzinfo=dt.UTC)
    Submission.objects.update(first_submitted=late, submitted=late)
    page = text(client.get(url("grid")))
    said = page[page.index('id="sent-on"') : page.index("</dd>", page.index('id="sent-on"'))]
    assert "gửi ngày 15/07/2020" in said and "(trễ 5 ngày)" in said
    on_time = dt.datetime(2020, 7, 3, 9, tzinfo=dt.UTC)
    Submission.objects.update(first_submitted=on_time)
    page = text(client.get(url("grid")))
    assert "gửi ngày 03/07/2020</span>" not in page and "(đúng hạn)" in page
    Submission.objects.update(status="returned")
    assert 'id="sent-on"' not in text(client.get(url("grid")))


def test_the_list_reads_a_span_or_another_kind_of_period_and_says_when_nothing_is_there(
    form, cell_reporter, personas, web
):
    """GIVEN the six-monthly form HK with C1's 2020S1 report sent
    WHEN the manager asks the list for "Năm 2019–2021", then "quý II/2020", then "2010"
    THEN the span lists the form's halves within it, the quarter the half that holds it,
    and an empty period says so by its name (not "no form at all")."""
    fill(web(cell_reporter))
    assert web(cell_reporter).post(url("submit"), SEND).status_code == 302
    manager = web(personas.manager)
    span = text(manager.get(reverse("reporting:list"), {"ky": "Năm 2019–2021"}))
    assert "6 tháng đầu năm 2020" in span and "6 tháng cuối năm 2021" in span
    quarter = text(manager.get(reverse("reporting:list"), {"ky": "quý II/2020"}))
    assert quarter.count('<h2 id="g-') == 1 and "1/2 đơn vị đã gửi" in quarter
    empty = text(manager.get(reverse("reporting:list"), {"ky": "Năm 2010"}))  # before HK
    assert "Không có báo cáo nào của kỳ “Năm 2010”" in empty
    assert "Chưa có biểu báo cáo nào" not in empty
