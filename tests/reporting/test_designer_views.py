"""The designer's pages: /bao-cao/quan-tri/ (the index), a new form by names, the count
of reporting units, a form's order, its preview, and the confirmation of deletions."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from tests import factories as f
from tests.factories import SYSTEM
from trienkhai.orgs import services as org_services
from trienkhai.reporting import services
from trienkhai.reporting.models import (
    Form,
    FormIndicator,
    FormSection,
    Indicator,
    ValidationRule,
)
from trienkhai.reporting.periods import PeriodType, containing

INDEX = "/bao-cao/quan-tri/"
NEW = "/bao-cao/quan-tri/bieu/moi/"
COUNT = "/bao-cao/quan-tri/dem-don-vi/"


def text(response) -> str:
    return response.content.decode()


def today() -> str:
    return timezone.localdate().strftime("%d/%m/%Y")


def design(**overrides) -> dict:
    """A new form as the page posts it: the owner by name, indicators in the order chosen,
    starting today."""
    return {
        "owner": "Huyện Vĩnh Thuận",
        "name": "Kết quả học tập nghị quyết",
        "code": "",
        "period_type": "quarterly",
        "calendar": "gregorian",
        "deadline_days": "5",
        "valid_from": today(),
        "indicators": ["luot_nguoi", "lop_da_mo"],
        "units": [],
        "unit": "",
        "kind": "",
        "level": "1",
        "rules": "block",
        **overrides,
    }


# The index --------------------------------------------------------------------------------


def test_it_indexes_the_administration_pages_in_words(form, personas, web):
    page = web(personas.manager).get(INDEX)
    assert page.status_code == 200
    body = text(page)
    assert "1 biểu do đơn vị bạn quản lý ban hành" in body and "Báo cáo 6 tháng" in body
    assert "báo cáo 6 tháng một lần" in body and "Huyện Vĩnh Thuận" in body
    # The form's 6, and the figures activities counts (decision 0039): those come with a
    # data migration, gone after a transactional test's flush, so counted as they are.
    shared = Indicator.objects.count()
    assert shared >= 6 and f"{shared} chỉ tiêu dùng chung" in body and "1 cách phân tổ" in body
    assert "2 quy tắc kiểm tra" in body
    assert (
        reverse("reporting:create_form") in body and reverse("reporting:form", args=["HK"]) in body
    )
    assert reverse("reporting:indicators") not in body  # shared definitions: admins only
    admin = text(web(personas.admin).get(INDEX))
    assert (
        reverse("reporting:indicators") in admin and reverse("reporting:disaggregations") in admin
    )
    outsider = text(web(personas.outsider).get(INDEX))
    assert "0 biểu do đơn vị bạn quản lý" in outsider and "Báo cáo 6 tháng" not in outsider


def test_it_keeps_the_index_to_those_who_manage(form, personas, web):
    for persona in ("reporter", "viewer", "nobody"):
        assert web(getattr(personas, persona)).get(INDEX).status_code == 403
    anonymous = web().get(INDEX)
    assert anonymous.status_code == 302 and anonymous.url.startswith(reverse("login"))
    assert web(personas.manager).post(INDEX).status_code == 405


def test_the_menu_links_the_index_for_those_who_manage(form, personas, web):
    link = f'href="{INDEX}"'
    assert link in text(web(personas.manager).get(reverse("reporting:list")))
    assert link not in text(web(personas.reporter).get(reverse("reporting:list")))


# A new form by names ---------------------------------------------------------------------


def test_it_creates_a_form_from_names_alone(form, personas, web):
    client = web(personas.manager)
    page = client.get(NEW)
    assert page.status_code == 200
    assert "Số lớp đã mở" in text(page) and "Tìm chỉ tiêu" in text(page)
    posted = design(units=["C1"], unit="Xã Vĩnh Bình Bắc", level="")
    response = client.post(NEW, posted)
    assert response.status_code == 302
    made = Form.objects.get(name="Kết quả học tập nghị quyết")
    assert made.code == "KQHTNQ" and made.owner == form.owner  # short, from the initials
    assert response.url == reverse("reporting:form", args=[made.code])
    order = made.items.order_by("order").values_list("indicator__code", flat=True)
    assert list(order) == ["luot_nguoi", "lop_da_mo"]
    assert sorted(a.unit.code for a in made.assignments.all()) == ["C1", "C2"]
    assert made.history.first().history_user == personas.manager


def test_it_lists_indicators_by_name_and_the_counted_ones_apart(form, personas, web):
    """GIVEN the indicators typed in forms and those counted from the activity registers
    (act_*) WHEN the create page lists them THEN each row reads its name and what it is,
    its code only in the row's title, and the counted ones stand under their own heading
    (walk 3: 31 snake_case chips, the counted ones mixed in)."""
    assert Indicator.objects.filter(code="act_attendances").exists()  # data migration
    page = text(web(personas.manager).get(NEW))
    assert '<code class="code">' not in page
    assert 'title="Mã chỉ tiêu: lop_da_mo"' in page
    typed, counted = page.split("Chỉ tiêu đếm từ sổ hoạt động</h3>", 1)
    typed = typed.split('id="indicator-list"', 1)[1]
    counted = counted.split("</ol>", 1)[0]
    assert 'value="lop_da_mo"' in typed and 'value="binh_quan_lop"' in typed
    assert 'value="act_attendances"' in counted and 'value="lop_da_mo"' not in counted
    assert 'value="act_' not in typed


def test_it_warns_of_no_reporting_units_until_confirmed(form, personas, web):
    client = web(personas.manager)
    response = client.post(NEW, design(level=""))
    assert response.status_code == 400
    assert "Chưa có đơn vị báo cáo nào" in text(response) and "vẫn tạo biểu" in text(response)
    assert not Form.objects.filter(name="Kết quả học tập nghị quyết").exists()
    assert client.post(NEW, design(level="", confirm="on")).status_code == 302
    assert Form.objects.get(name="Kết quả học tập nghị quyết").assignments.count() == 0


def test_it_warns_of_an_owner_that_has_ended(org, form, personas, web):
    old = f.make_unit("D9", name="Huyện Cũ", kind_code="district", parent=org.p1)
    org_services.dissolve_unit(acting_user=SYSTEM, unit=old, on=dt.date(2025, 7, 1))
    admin = f.make_user("admin_p1", unit=org.p1, role="manager")
    client = web(admin)
    response = client.post(NEW, design(owner="D9"))
    assert response.status_code == 400
    assert "“Huyện Cũ” đã chấm dứt từ ngày 01/07/2025" in text(response)
    assert not Form.objects.filter(owner__code="D9").exists()
    # The top of the page says why and leads to the warnings, which stand with their
    # tick box just above the button.
    page = response.content.decode()
    top = page.split('id="form-errors"', 1)[1].split("</div>", 1)[0]
    assert 'href="#warnings"' in top
    beside = page.split('id="warnings"', 1)[1].split('<div class="actions">', 1)
    assert 'name="confirm"' in beside[0] and "Tạo biểu" in beside[1].split("</div>", 1)[0]
    # Ticked, the form is made, and the page it opens on names it.
    made = client.post(NEW, design(owner="D9", confirm="on"), follow=True)
    assert "Đã tạo biểu “Kết quả học tập nghị quyết”" in text(made)


def test_it_warns_of_past_periods_that_fall_due_at_once(form, personas, web, monkeypatch):
    """GIVEN a quarterly form (deadline 5 days) for the two units directly under the
    district, starting on 01/01/2025, made on 07/12/2026 WHEN "Tạo biểu" is pressed THEN
    the page says that the 7 quarters from I/2025 to III/2026 fall due at once and asks
    for the tick, as for the other warnings; ticked, the form is made."""
    client = web(personas.manager)
    monkeypatch.setattr(timezone, "localdate", lambda *_args: dt.date(2026, 12, 7))
    response = client.post(NEW, design(valid_from="01/01/2025"))
    assert response.status_code == 400
    warned = text(response).split('id="warnings"', 1)[1]
    assert (
        "7 kỳ đã qua sẽ đến hạn ngay (từ quý I/2025 đến quý III/2026): mọi đơn vị báo "
        "cáo bị tính là chậm gửi các kỳ này ngay khi tạo biểu."
    ) in warned
    assert 'name="confirm"' in warned
    assert not Form.objects.filter(name="Kết quả học tập nghị quyết").exists()
    # The count the page asks as one fills it in says it too.
    asked = {"owner": "D1", "level": "1", "period_type": "quarterly", "calendar": "gregorian"}
    answer = client.get(COUNT, {**asked, "deadline_days": "5", "valid_from": "01/10/2026"})
    assert answer.json()["warnings"] == []  # this quarter: nothing due yet
    answer = client.get(COUNT, {**asked, "deadline_days": "5", "valid_from": "30/09/2026"})
    answer = answer.json()
    assert answer["warnings"][0].startswith("1 kỳ đã qua sẽ đến hạn ngay (quý III/2026)")
    posted = design(valid_from="01/01/2025", confirm="on")
    assert client.post(NEW, posted).status_code == 302
    made = Form.objects.get(name="Kết quả học tập nghị quyết")
    assert made.items.first().valid_from == dt.date(2025, 1, 1)


def test_it_refuses_an_owner_the_user_does_not_manage(form, personas, web):
    response = web(personas.outsider).post(NEW, design(owner="D1"))
    assert response.status_code == 403
    assert not Form.objects.filter(name="Kết quả học tập nghị quyết").exists()


def test_it_says_what_is_wrong_in_vietnamese_and_makes_nothing(form, personas, web):
    client = web(personas.manager)
    for bad, said in [
        ({"name": ""}, "Trường này là bắt buộc"),
        ({"indicators": []}, "Chọn ít nhất một chỉ tiêu"),
        ({"indicators": ["khong_co"]}, "Không có chỉ tiêu “khong_co”"),
        ({"owner": "Không có đơn vị này"}, "Không tìm thấy đơn vị"),
        ({"code": "HK"}, "HK"),
    ]:
        response = client.post(NEW, design(**bad))
        assert response.status_code in (400, 409), bad
        assert said in text(response), bad
    assert Form.objects.count() == 1


def test_it_takes_the_code_the_user_types_or_says_what_a_code_may_hold(form, personas, web):
    client = web(personas.manager)
    page = text(client.get(NEW))
    assert "ví dụ BCQ-CTHTNQ" in page and 'id="code-suggestion"' in page
    response = client.post(NEW, design(code="KQ 2026/HT"))
    assert response.status_code == 400
    assert "Mã biểu chỉ gồm chữ không dấu, chữ số" in text(response)
    response = client.post(NEW, design(code="KQHT-2026"), follow=True)
    assert Form.objects.get(name="Kết quả học tập nghị quyết").code == "KQHT-2026"
    assert "Đã tạo biểu “Kết quả học tập nghị quyết”, mã KQHT-2026." in text(response)


# The count of reporting units --------------------------------------------------------------


def test_it_counts_reporting_units_as_one_chooses(form, personas, web):
    client = web(personas.manager)
    answer = client.get(COUNT, {"owner": "Huyện Vĩnh Thuận", "level": "1"}).json()
    assert answer["count"] == 2 and answer["text"] == "2 đơn vị báo cáo"
    assert answer["warnings"] == []
    answer = client.get(COUNT, {"owner": "D1", "kind": "commune"}).json()
    assert answer["count"] == 1
    answer = client.get(COUNT, {"owner": "D1", "units": ["C1", "C2"], "kind": "commune"}).json()
    assert answer["count"] == 2
    answer = client.get(COUNT, {"owner": "D1"}).json()
    assert answer["count"] == 0 and "Chưa có đơn vị báo cáo nào" in answer["warnings"][0]
    # Several kinds: a unit of any of them; with a level, only at that level.
    answer = client.get(COUNT, {"owner": "D1", "kind": ["commune", "town"]}).json()
    assert answer["count"] == 2
    answer = client.get(COUNT, {"owner": "D1", "kind": ["commune", "town"], "level": "2"}).json()
    assert answer["count"] == 0
    # The units by name; a kind that finds none says which kinds are there.
    answer = client.get(COUNT, {"owner": "D1", "level": "1"}).json()
    assert answer["names"] == "Thị trấn Vĩnh Thuận, Xã Vĩnh Bình Bắc"
    answer = client.get(COUNT, {"owner": "D1", "kind": "district"}).json()
    assert answer["count"] == 0
    assert answer["warnings"][0] == (
        "Không có đơn vị loại “Huyện, quận, thị xã, thành phố thuộc tỉnh” ở đây. "
        "Các loại có: Thị trấn (1); Xã (1)."
    )


def test_it_refuses_a_count_over_another_units_owner(form, personas, web):
    response = web(personas.outsider).get(COUNT, {"owner": "D1", "level": "1"})
    assert response.status_code == 403 and response.json()["error"]["code"] == "forbidden"
    response = web(personas.reporter).get(COUNT, {"owner": "D1", "level": "1"})
    assert response.status_code == 403
    response = web(personas.manager).get(COUNT, {"level": "1"})
    assert response.status_code == 400 and "bắt buộc" in response.json()["error"]["message"]
    assert web(personas.manager).post(COUNT).status_code == 405
    anonymous = web().get(COUNT, {"owner": "D1"})
    assert anonymous.status_code == 302 and anonymous.url.startswith(reverse("login"))


# A form's page: its order, its preview, deletions that ask first ----------------------------


def layout(client, code="HK") -> list[str]:
    page = client.get(reverse("reporting:form", args=[code]))
    return [r.token for r in page.context["layout"]]


def test_it_saves_the_order_set_on_the_page(form, personas, web):
    client = web(personas.manager)
    section = FormSection.objects.create(form=form, title="Người tham gia", order=0)
    tokens = layout(client)
    assert tokens[-1] == f"phan:{section.pk}"
    wanted = [tokens[-1], *reversed(tokens[:-1])]  # the section first, then all under it
    target = reverse("reporting:reorder", args=["HK"])
    response = client.post(target, {"thu_tu": wanted})
    assert response.status_code == 302 and response.url.endswith("#thu-tu")
    assert layout(client) == wanted
    assert FormIndicator.objects.get(indicator__code="lop_ke_hoach").section == section


def test_it_moves_one_row_per_button_without_the_script(form, personas, web):
    client = web(personas.manager)
    tokens = layout(client)
    target = reverse("reporting:reorder", args=["HK"])
    response = client.post(target, {"thu_tu": tokens, "di": "xuong:chi-tieu:lop_ke_hoach"})
    assert response.status_code == 302
    assert layout(client)[:2] == ["chi-tieu:lop_da_mo", "chi-tieu:lop_ke_hoach"]


def test_it_refuses_an_order_out_of_date_or_not_the_users(form, personas, web):
    target = reverse("reporting:reorder", args=["HK"])
    before = list(FormIndicator.objects.order_by("id").values_list("order", "section"))
    client = web(personas.manager)
    tokens = layout(client)
    response = client.post(target, {"thu_tu": tokens[1:]})
    assert response.status_code == 400 and "tải lại trang" in text(response)
    for persona in ("outsider", "reporter", "viewer"):
        response = web(getattr(personas, persona)).post(target, {"thu_tu": tokens[::-1]})
        assert response.status_code == 403
    assert client.get(target).status_code == 405
    assert list(FormIndicator.objects.order_by("id").values_list("order", "section")) == before


def test_it_previews_the_entry_grid_read_only(form, personas, web):
    target = reverse("reporting:preview", args=["HK"])
    page = web(personas.manager).get(target)
    assert page.status_code == 200
    body = text(page)
    assert "Xem trước: Báo cáo 6 tháng" in body and "Số lớp đã mở" in body
    assert body.count('aria-readonly="true"') == body.count('class="cell-input"') > 0
    assert "Đảng viên" in body  # the breakdown's columns
    for persona in ("outsider", "reporter", "viewer"):
        assert web(getattr(personas, persona)).get(target).status_code == 403
    assert web(personas.manager).post(target).status_code == 405


def test_it_previews_any_period_of_the_form_by_links(form, personas, web):
    client = web(personas.manager)
    target = reverse("reporting:preview", args=["HK"])
    body = text(client.get(target))
    this = containing(timezone.localdate(), PeriodType.SIXMONTHLY)
    assert f"?ky={this.previous().id}" in body and f"?ky={this.next().id}" in body
    earlier = text(client.get(target, {"ky": "2019S2"}))
    assert "6 tháng cuối năm 2019" in earlier and "Số lớp đã mở" in earlier
    assert "?ky=2019S1" in earlier and "?ky=2020S1" in earlier
    first = text(client.get(target, {"ky": "2019S1"}))  # the form starts on 01/01/2019
    assert "?ky=2018S2" not in first and "Kỳ đầu tiên của biểu" in first
    assert client.get(target, {"ky": "2027Q1"}).status_code == 400  # not a half-year
    assert web(personas.outsider).get(target, {"ky": "2019S2"}).status_code == 403


def future_form(client) -> tuple[Form, dt.date]:
    """GIVEN a form made today to start on 1 January next year, for C1 and C2."""
    starts = dt.date(timezone.localdate().year + 1, 1, 1)
    posted = design(units=["C1", "C2"], level="", valid_from=starts.strftime("%d/%m/%Y"))
    assert client.post(NEW, posted).status_code == 302
    return Form.objects.get(name="Kết quả học tập nghị quyết"), starts


def test_a_form_still_to_start_is_shown_as_of_its_first_period(form, personas, web):
    client = web(personas.manager)
    made, starts = future_form(client)
    page = client.get(reverse("reporting:form", args=[made.code]))
    body = text(page)
    assert "2 đơn vị báo cáo" in body
    assert f"từ {starts:%d/%m/%Y}, kỳ đầu tiên của biểu (quý I/{starts.year})" in body
    assert "Chưa có đơn vị báo cáo nào" not in body and 'id="warnings"' not in body
    assert "Biểu chưa có chỉ tiêu nào đang dùng" not in body
    assert [r.code for r in page.context["layout"]] == ["luot_nguoi", "lop_da_mo"]
    # Its order is saved as shown (the post is read as of the same day).
    tokens = layout(client, made.code)
    target = reverse("reporting:reorder", args=[made.code])
    assert client.post(target, {"thu_tu": tokens[::-1]}).status_code == 302
    assert layout(client, made.code) == tokens[::-1]


def test_a_form_still_to_start_previews_its_first_period(form, personas, web):
    client = web(personas.manager)
    made, starts = future_form(client)
    body = text(client.get(reverse("reporting:preview", args=[made.code])))
    assert f"kỳ quý I/{starts.year}" in body
    assert "Số lớp đã mở" in body and "Lượt người tham gia" in body
    assert "Biểu chưa có chỉ tiêu nào trong kỳ này" not in body
    assert f"?ky={starts.year}Q2" in body and f"?ky={starts.year - 1}Q4" not in body
    assert "Kỳ đầu tiên của biểu" in body


def ended_owner_form(org) -> Form:
    """GIVEN a quarterly form since 2021 of a district with one commune, both ended on
    01/07/2025 (their last day 30/06/2025)."""
    old = f.make_unit("D9", name="Huyện Cũ", kind_code="district", parent=org.p1)
    cell = f.make_unit("C9", name="Xã Cũ", parent=old)
    made = services.create_form(
        acting_user=SYSTEM,
        name="Báo cáo quý công tác tuyên giáo năm 2021",
        owner=old,
        period_type="quarterly",
        indicators=[Indicator.objects.get(code="lop_da_mo")],
        level=1,
        valid_from=dt.date(2021, 1, 1),
    )
    for unit in (cell, old):
        org_services.dissolve_unit(acting_user=SYSTEM, unit=unit, on=dt.date(2025, 7, 1))
    return made


def test_a_form_whose_owner_has_ended_previews_the_owners_last_period(org, form, web):
    """GIVEN a form of a district that ended on 01/07/2025 WHEN its preview opens
    without a period THEN it shows Quý II/2025, the last quarter the district existed
    in, not today's, with the form's indicators."""
    made = ended_owner_form(org)
    client = web(f.make_user("admin_p1", unit=org.p1, role="manager"))
    body = text(client.get(reverse("reporting:preview", args=[made.code])))
    assert "kỳ quý II/2025" in body and "Số lớp đã mở" in body
    assert "?ky=2025Q1" in body and "?ky=2025Q3" in body


def test_the_form_page_speaks_in_names(form, personas, web):
    body = text(web(personas.manager).get(reverse("reporting:form", args=["HK"])))
    assert "Đơn vị ban hành Huyện Vĩnh Thuận; báo cáo 6 tháng một lần;" in body
    assert "kỳ sixmonthly" not in body and "báo cáo theo kỳ" not in body
    assert "Thị trấn Vĩnh Thuận" in body and "2 đơn vị báo cáo" in body
    this = containing(timezone.localdate(), PeriodType.SIXMONTHLY).inline_label()
    assert f"trong kỳ này ({this})." in body  # started long ago: today's period, by name
    assert "kỳ đầu tiên của biểu" not in body
    assert "Xem trước ô nhập của biểu" in body
    # The code is grey text under the name, not part of the heading.
    assert "<h1>Báo cáo 6 tháng</h1>" in body and "Mã biểu: HK" in body


def test_a_form_whose_owner_has_ended_names_the_period_it_counts(org, form, web):
    """GIVEN a form of a district that ended on 01/07/2025 WHEN its page opens THEN its
    count is said for quý II/2025, the district's last quarter, by name (it said "trong
    kỳ này" while today's quarter has no unit of it left)."""
    made = ended_owner_form(org)
    client = web(f.make_user("admin_p1", unit=org.p1, role="manager"))
    body = text(client.get(reverse("reporting:form", args=[made.code])))
    assert (
        "1 đơn vị báo cáo</strong> trong quý II/2025, kỳ cuối cùng của đơn vị ban hành "
        "(chấm dứt từ ngày 01/07/2025)." in body
    )
    assert "trong kỳ này" not in body


def test_the_form_page_lists_its_units_in_the_create_pages_words(org, form, personas, web):
    """GIVEN a form made for the communes "Trực thuộc đơn vị ban hành" WHEN its page lists
    who reports THEN it says so in the same words, not "dưới đơn vị ban hành 1 cấp"."""
    client = web(personas.manager)
    response = client.post(NEW, design(kind=["commune"], level="1"))
    assert response.status_code == 302, text(response)
    page = text(client.get(response.url))
    units = page.split("<tbody>")[-1].split("</tbody>")[0]
    assert "Mọi đơn vị thuộc loại Xã, trực thuộc đơn vị ban hành" in units
    assert "1 cấp" not in units
    posted = design(name="Biểu hai", level="2", confirm="on")  # none there
    response = client.post(NEW, posted)
    page = text(client.get(response.url))
    assert "Mọi đơn vị dưới đơn vị ban hành hai cấp" in page.split("<tbody>")[-1]


def test_a_section_added_first_takes_the_indicators_below_it(form, personas, web):
    """GIVEN HK, six indicators and no section WHEN "Thêm phần" is sent with a title and
    the place the page offers (above the first indicator) THEN the new section comes
    first, holds all six at once, and the table of the form's indicators names it
    (walk 3: it went last, empty, and five moves one by one followed)."""
    client = web(personas.manager)
    target = reverse("reporting:form", args=["HK"])
    page = text(client.get(target))
    offered = page.split('name="phan-before"', 1)[1].split("</select>", 1)[0]
    assert 'value="lop_ke_hoach" selected' in offered and "Cuối biểu" in offered
    assert "Thứ tự (1 = đầu tiên)" not in page.split('id="them-phan"', 1)[1].split("</form>")[0]
    response = client.post(
        reverse("reporting:add_section", args=["HK"]),
        {"phan-title": "Lớp học", "phan-before": "lop_ke_hoach"},
    )
    assert response.status_code == 302
    section = FormSection.objects.get(form=form, title="Lớp học")
    assert layout(client)[0] == f"phan:{section.pk}" and len(layout(client)) == 7
    table = text(client.get(target)).split("<h2>Chỉ tiêu của biểu</h2>", 1)[1]
    table = table.split("</table>", 1)[0]
    assert table.count("<td>Lớp học</td>") == 6 and "<td>—</td>" not in table


def test_it_moves_the_ticked_indicators_into_a_section_in_one_post(form, personas, web):
    client = web(personas.manager)
    section = FormSection.objects.create(form=form, title="Người tham gia", order=0)
    page = text(client.get(reverse("reporting:form", args=["HK"])))
    box = page.split('id="chuyen-chi-tieu"', 1)[1].split("</form>", 1)[0]
    assert 'type="checkbox" name="xep-indicators" value="luot_nguoi"' in box
    assert "Lượt người tham gia (chưa thuộc phần nào)" in box
    target = reverse("reporting:move_indicator", args=["HK"])
    ticked = {"xep-indicators": ["luot_nguoi", "luot_nguoi_doi_tuong"], "xep-section": section.pk}
    response = client.post(target, ticked, follow=True)
    assert "Đã chuyển 2 chỉ tiêu sang phần đã chọn." in text(response)
    moved = FormIndicator.objects.filter(form=form, section=section)
    assert moved.count() == 2
    assert "Lượt người tham gia (phần “Người tham gia”)" in text(response)
    response = client.post(target, {"xep-section": section.pk})
    assert response.status_code == 400
    assert "Đánh dấu ít nhất một chỉ tiêu để chuyển." in text(response)


@pytest.mark.parametrize("part", ["section", "rule"])
def test_it_asks_before_deleting_a_section_or_a_rule(form, personas, web, part):
    client = web(personas.manager)
    if part == "section":
        found = FormSection.objects.create(form=form, title="Lớp học", order=0)
        target = reverse("reporting:change_section", args=["HK", found.pk])
    else:
        found = ValidationRule.objects.filter(form=form).first()
        target = reverse("reporting:change_rule", args=["HK", found.pk])
    asked = client.post(target, {"xoa": "1"})
    assert asked.status_code == 200 and "không khôi phục được" in text(asked)
    assert 'name="xac_nhan"' in text(asked)
    assert type(found).objects.filter(pk=found.pk).exists()
    assert client.post(target, {"xoa": "1", "xac_nhan": "1"}).status_code == 302
    assert not type(found).objects.filter(pk=found.pk).exists()


def test_it_asks_before_deleting_an_indicator(form, personas, web):
    client = web(personas.admin)
    target = reverse("reporting:delete_indicator", args=["ghi_chu"])
    asked = client.post(target)
    assert asked.status_code == 200 and "Xóa “Ghi chú”?" in text(asked)
    # Confirmed, it is still refused while a form uses it: nothing changes.
    assert client.post(target, {"xac_nhan": "1"}).status_code == 409
    assert FormIndicator.objects.filter(indicator__code="ghi_chu").exists()


def test_it_speaks_english_when_asked(form, personas, web):
    client = web(personas.manager)
    client.cookies["django_language"] = "en"
    body = text(client.get(INDEX))
    assert "1 form issued by units you manage." in body and "Create a form" in body
    assert f"{Indicator.objects.count()} indicators shared by every form" in body
    answer = client.get(COUNT, {"owner": "D1", "level": "1"}).json()
    assert answer["text"] == "2 reporting units"
    page = text(client.get(reverse("reporting:form", args=["HK"])))
    assert "reported every six months" in page and "Save order" in page and "Move “" in page


def test_the_index_costs_the_same_queries_for_more_forms(form, personas, web):
    """GIVEN one form, then four; THEN the index reads them in the same number of queries."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from trienkhai.reporting import services

    client = web(personas.manager)
    client.get(INDEX)  # the session and the roles, once

    def cost() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(INDEX).status_code == 200
        return len(queries)

    one = cost()
    for n in range(3):
        services.create_form(
            acting_user=SYSTEM,
            name=f"Biểu {n}",
            owner=form.owner,
            period_type="yearly",
            indicators=[form.items.first().indicator],
        )
    assert cost() == one
