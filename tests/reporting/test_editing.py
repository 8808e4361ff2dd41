"""Editing what already exists from /bao-cao/quan-tri/: indicators, breakdowns, rules,
sections and a form's reporting units (reporting.editing through manage_views)."""

import datetime as dt
import html

import pytest
from django import forms
from django.conf import settings
from django.contrib import admin
from django.urls import reverse

from tests.factories import SYSTEM
from trienkhai.common.errors import BadInput
from trienkhai.reporting import editing, services, structure
from trienkhai.reporting.admin import FormAdmin
from trienkhai.reporting.models import (
    Disaggregation,
    Form,
    FormAssignment,
    FormIndicator,
    FormSection,
    Indicator,
    ValidationRule,
)
from trienkhai.reporting.periods import parse

CONFIRMED = {"xac_nhan": "1"}
"""What the confirmation page posts again: deletions ask first (issue 14 item 7)."""


def url(name, *args):
    return reverse(f"reporting:{name}", args=args)


def indicator_data(**overrides):
    return {
        "name": "Số lớp đã mở (sửa)",
        "name_en": "Classes held",
        "value_type": "integer",
        "aggregation": "sum",
        "unit_of_measure": "lớp",
        "disaggregation": "",
        "formula": "",
        **overrides,
    }


def save(form, unit, period, **values):
    return services.save_values(
        acting_user=SYSTEM,
        form=form,
        unit=unit,
        period_id=period,
        cells=[services.CellInput(indicator=k, value=v) for k, v in values.items()],
    )


# Indicators ----------------------------------------------------------------------------


def test_it_edits_an_indicator_with_history(form, personas, web):
    client = web(personas.admin)
    assert client.get(url("indicator", "lop_da_mo")).status_code == 200
    response = client.post(url("indicator", "lop_da_mo"), indicator_data())
    assert response.status_code == 302
    indicator = Indicator.objects.get(code="lop_da_mo")
    assert (indicator.name, indicator.unit_of_measure) == ("Số lớp đã mở (sửa)", "lớp")
    latest = indicator.history.first()
    assert latest.history_user == personas.admin and latest.name == "Số lớp đã mở (sửa)"
    assert indicator.history.count() == 2


def page_data(response) -> dict:
    """What the browser posts back from an edit page left as it was: every field of its
    form with the value the page shows (checkboxes only when ticked)."""
    form = response.context["form"]
    data = {}
    for name, field in form.fields.items():
        value = form[name].value()
        if isinstance(field.widget, forms.CheckboxInput):
            if value:
                data[name] = "on"
        else:
            data[name] = "" if value is None else str(getattr(value, "code", value))
    return data


def test_it_keeps_the_bounds_and_parent_rule_of_an_indicator_renamed_on_its_page(
    form, personas, web
):
    """GIVEN lop_da_mo with bounds 0–50 and "a reported total stands instead"
    WHEN an admin renames it on its page, leaving the rest as the page shows it
    THEN the bounds and the rule are kept (they were wiped: not on the form)."""
    Indicator.objects.filter(code="lop_da_mo").update(
        min_value=1, max_value=50, parent_figure=Indicator.ParentFigure.REPLACE
    )
    client = web(personas.admin)
    data = page_data(client.get(url("indicator", "lop_da_mo")))
    data["name"] = "Số lớp đã mở (đổi tên)"
    assert client.post(url("indicator", "lop_da_mo"), data).status_code == 302
    held = Indicator.objects.get(code="lop_da_mo")
    assert held.name == "Số lớp đã mở (đổi tên)"
    assert (held.min_value, held.max_value, held.parent_figure) == (1, 50, "replace")


def test_it_keeps_what_a_post_leaves_out_and_changes_what_it_sends(form, personas, web):
    """A post without the bounds or the rule (an older page) keeps them; one that sends
    them empty or changed clears or changes them."""
    Indicator.objects.filter(code="lop_da_mo").update(
        min_value=1, max_value=50, parent_figure=Indicator.ParentFigure.REPLACE
    )
    client = web(personas.admin)
    assert client.post(url("indicator", "lop_da_mo"), indicator_data()).status_code == 302
    held = Indicator.objects.get(code="lop_da_mo")
    assert (held.min_value, held.max_value, held.parent_figure) == (1, 50, "replace")
    changed = indicator_data(min_value="", max_value="40", parent_figure="add")
    assert client.post(url("indicator", "lop_da_mo"), changed).status_code == 302
    held = Indicator.objects.get(code="lop_da_mo")
    assert (held.min_value, held.max_value, held.parent_figure) == (None, 40, "add")
    backwards = indicator_data(min_value="60", max_value="40")
    refused = client.post(url("indicator", "lop_da_mo"), backwards)
    assert refused.status_code == 400
    assert Indicator.objects.get(code="lop_da_mo").max_value == 40


def test_it_keeps_indicator_edits_to_admins(form, personas, web):
    for persona in ("manager", "reporter", "outsider"):
        client = web(getattr(personas, persona))
        assert client.get(url("indicator", "lop_da_mo")).status_code == 403, persona
        assert client.post(url("indicator", "lop_da_mo"), indicator_data()).status_code == 403
        assert client.post(url("delete_indicator", "lop_da_mo")).status_code == 403
        assert client.post(url("delete_disaggregation", "doi_tuong")).status_code == 403
    assert Indicator.objects.get(code="lop_da_mo").name == "Số lớp đã mở"
    assert web().post(url("delete_indicator", "lop_da_mo")).status_code == 302  # to log in
    assert web(personas.admin).get(url("delete_indicator", "lop_da_mo")).status_code == 405


def test_it_keeps_the_value_type_of_an_indicator_with_values(form, org):
    save(form, org.c1, "2020S1", lop_da_mo="3")
    with pytest.raises(BadInput) as refused:
        editing.update_indicator(
            acting_user=SYSTEM,
            indicator=Indicator.objects.get(code="lop_da_mo"),
            **{**indicator_data(), "value_type": "decimal", "disaggregation": None},
        )
    assert refused.value.code == "has_values"
    assert refused.value.message.startswith("Chỉ tiêu lop_da_mo đã có số liệu")  # the API's
    assert refused.value.shown.startswith("Chỉ tiêu “Số lớp đã mở” đã có số liệu")
    assert Indicator.objects.get(code="lop_da_mo").value_type == "integer"


def test_it_refuses_a_formula_that_reads_itself(form, personas, web):
    data = indicator_data(formula="lop_da_mo + 1")
    response = web(personas.admin).post(url("indicator", "lop_da_mo"), data)
    assert response.status_code == 400
    assert Indicator.objects.get(code="lop_da_mo").formula == ""


def test_it_deletes_an_unused_indicator_and_refuses_a_used_one(form, personas, web):
    client = web(personas.admin)
    Indicator.objects.create(code="bo_di", name="Không dùng")
    assert client.post(url("delete_indicator", "bo_di"), CONFIRMED).status_code == 302
    assert not Indicator.objects.filter(code="bo_di").exists()
    assert Indicator.history.filter(code="bo_di", history_type="-").exists()
    # In a form, read by a formula and by rules.
    response = client.post(url("delete_indicator", "lop_da_mo"), CONFIRMED)
    assert response.status_code == 409
    refusal = _refusal(response)
    assert "“Báo cáo 6 tháng”" in refusal and "“Bình quân mỗi lớp”" in refusal
    assert "“Số lớp đã mở không vượt kế hoạch”" in refusal  # the rule, by its message
    assert Indicator.objects.filter(code="lop_da_mo").exists()


def _refusal(response) -> str:
    """The text of the page's refusal (its alert), unescaped."""
    page = html.unescape(response.content.decode())
    return page.split('role="alert"', 1)[1].split("</div>", 1)[0]


def test_it_names_what_uses_an_indicator_in_words_not_codes(form, org, personas, web):
    """GIVEN lop_da_mo in form HK, read by a formula and a rule, with a value
    WHEN an admin tries to delete it, in Vietnamese and in English
    THEN the refusal names the form, the indicators and the rule, and no code."""
    save(form, org.c1, "2020S1", lop_da_mo="3")
    Form.objects.filter(code="HK").update(name_en="Six-month report")
    Indicator.objects.filter(code="binh_quan_lop").update(name_en="Average per class")
    client = web(personas.admin)
    vietnamese = _refusal(client.post(url("delete_indicator", "lop_da_mo"), CONFIRMED))
    assert vietnamese.count("“") >= 4 and "số liệu đã nhập" in vietnamese
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = _refusal(client.post(url("delete_indicator", "lop_da_mo"), CONFIRMED))
    assert "is in use" in english and "“Six-month report”" in english
    assert "“Average per class”" in english and "entered values" in english
    for text in (vietnamese, english):
        for code in ("HK", "lop_da_mo", "binh_quan_lop", "lop_ke_hoach", " / "):
            assert code not in text, (code, text)


# Breakdowns ----------------------------------------------------------------------------


def test_it_edits_the_options_of_a_breakdown(form, org, personas, web):
    services.save_values(
        acting_user=SYSTEM,
        form=form,
        unit=org.c1,
        period_id="2020S1",
        cells=[services.CellInput("luot_nguoi_doi_tuong", "5", option="dang_vien")],
    )
    client = web(personas.admin)
    options = "dang_vien: Đảng viên (sửa)\nnhan_dan: Nhân dân\nthanh_nien: Thanh niên"
    data = {"name": "Đối tượng", "name_en": "Audience", "options": options}
    # Removing an option that has a value is refused, and nothing changes.
    refused = client.post(url("disaggregation", "doi_tuong"), {**data, "options": "nhan_dan: X"})
    assert refused.status_code == 400
    assert "“Đảng viên”" in html.unescape(refused.content.decode())  # by name, not dang_vien
    assert Disaggregation.objects.get(code="doi_tuong").options.count() == 6
    response = client.post(url("disaggregation", "doi_tuong"), data)
    assert response.status_code == 302
    found = Disaggregation.objects.get(code="doi_tuong")
    assert [(o.code, o.name) for o in found.options.all()] == [
        ("dang_vien", "Đảng viên (sửa)"),
        ("nhan_dan", "Nhân dân"),
        ("thanh_nien", "Thanh niên"),
    ]
    # The form's kept structure follows: the new option is accepted at once.
    services.save_values(
        acting_user=SYSTEM,
        form=Form.objects.get(code="HK"),
        unit=org.c1,
        period_id="2020S1",
        cells=[services.CellInput("luot_nguoi_doi_tuong", "2", option="thanh_nien")],
    )


def test_it_deletes_a_breakdown_only_when_no_indicator_uses_it(form, personas, web):
    client = web(personas.admin)
    refused = client.post(url("delete_disaggregation", "doi_tuong"), CONFIRMED)
    assert refused.status_code == 409
    assert "Phân tổ “Đối tượng” đang được dùng (chỉ tiêu “Lượt người theo đối tượng”)" in (
        _refusal(refused)
    )
    spare = Disaggregation.objects.create(code="gioi_tinh", name="Giới tính")
    spare.options.create(code="nu", name="Nữ")
    assert client.post(url("delete_disaggregation", "gioi_tinh"), CONFIRMED).status_code == 302
    assert not Disaggregation.objects.filter(code="gioi_tinh").exists()


# Rules and sections --------------------------------------------------------------------


def rule_post(rule, **values):
    fields = {"left": rule.left, "operator": rule.operator, "right": rule.right}
    fields |= {"message": rule.message, **values}
    return {f"quy_tac_{rule.pk}-{k}": v for k, v in fields.items()}


def test_it_edits_and_deletes_a_rule(form, personas, web):
    client = web(personas.manager)
    rule = ValidationRule.objects.get(form=form, left="lop_da_mo")
    target = url("change_rule", "HK", rule.pk)
    response = client.post(target, rule_post(rule, operator="<", message="Ít hơn kế hoạch"))
    assert response.status_code == 302
    rule.refresh_from_db()
    assert (rule.operator, rule.message) == ("<", "Ít hơn kế hoạch")
    assert client.post(target, rule_post(rule, right="khong_co")).status_code == 400
    assert client.post(target, {"xoa": "1", **CONFIRMED}).status_code == 302
    assert not ValidationRule.objects.filter(pk=rule.pk).exists()
    assert ValidationRule.history.filter(id=rule.pk, history_type="-").exists()


def test_it_manages_sections_and_moves_an_indicator(form, personas, web):
    client = web(personas.manager)
    for title in ("Lớp học", "Người tham gia"):
        response = client.post(url("add_section", "HK"), {"phan-title": title})
        assert response.status_code == 302
    first, second = FormSection.objects.filter(form=form).order_by("order")
    # Second goes first, renamed.
    data = {f"phan_{second.pk}-title": "Người học", f"phan_{second.pk}-order": "1"}
    assert client.post(url("change_section", "HK", second.pk), data).status_code == 302
    assert [s.title for s in form.sections.order_by("order")] == ["Người học", "Lớp học"]
    data = {"xep-indicators": "luot_nguoi", "xep-section": str(second.pk)}
    assert client.post(url("move_indicator", "HK"), data).status_code == 302
    assert FormIndicator.objects.get(indicator__code="luot_nguoi").section == second
    data = {"xep-indicators": "lop_da_mo", "xep-section": str(first.pk)}
    assert client.post(url("move_indicator", "HK"), data).status_code == 302
    # The grid's order follows the sections' order.
    period = form.period("2020S1")
    codes = [i.indicator.code for i in services.form_items(Form.objects.get(pk=form.pk), period)]
    assert codes.index("luot_nguoi") < codes.index("lop_da_mo") and codes[-1] == "lop_da_mo"
    # Deleting a section keeps its indicators in the form.
    assert (
        client.post(url("change_section", "HK", second.pk), {"xoa": "1", **CONFIRMED}).status_code
        == 302
    )
    item = FormIndicator.objects.get(indicator__code="luot_nguoi")
    assert item.section is None and item.valid_to is None
    data = {"xep-indicators": "luot_nguoi", "xep-section": str(first.pk + 999)}
    assert client.post(url("move_indicator", "HK"), data).status_code == 400


def test_it_keeps_sections_and_rules_to_the_managers_of_the_owner(form, personas, web):
    rule = ValidationRule.objects.get(form=form, left="lop_da_mo")
    section = FormSection.objects.create(form=form, title="Phần", order=0)
    posts = [
        (url("change_rule", "HK", rule.pk), rule_post(rule, message="x")),
        (url("change_rule", "HK", rule.pk), {"xoa": "1", **CONFIRMED}),
        (url("add_section", "HK"), {"phan-title": "Mới"}),
        (url("change_section", "HK", section.pk), {"xoa": "1", **CONFIRMED}),
        (url("move_indicator", "HK"), {"xep-indicators": "luot_nguoi", "xep-section": ""}),
        (url("change_units", "HK"), {"don_vi-units": "C1", "don_vi-valid_from": "01/01/2021"}),
    ]
    for persona in ("outsider", "reporter", "viewer"):
        client = web(getattr(personas, persona))
        for target, data in posts:
            assert client.post(target, data).status_code == 403, (persona, target)
    for target, data in posts:
        response = web().post(target, data)
        assert response.status_code == 302 and response.url.startswith(reverse("login"))
        assert web(personas.manager).get(target).status_code == 405
    assert ValidationRule.objects.get(pk=rule.pk).message != "x"
    assert FormSection.objects.filter(form=form).count() == 1
    assert FormAssignment.objects.filter(form=form, valid_to__isnull=False).count() == 0


# Who reports ---------------------------------------------------------------------------


def test_it_changes_the_reporting_units_from_a_date(form, org, personas, web):
    """GIVEN HK reported by C1 and C2 since 2019
    WHEN its manager says only C1 reports from 01/01/2021
    THEN 2020 still expects C1 and C2, 2021 only C1, and C2 may not enter 2021S1."""
    data = {"don_vi-units": "C1", "don_vi-valid_from": "01/01/2021"}
    assert web(personas.manager).post(url("change_units", "HK"), data).status_code == 302
    fresh = Form.objects.get(pk=form.pk)
    codes = lambda period: [u.code for u in services.expected_units(fresh, parse(period))]  # noqa: E731
    assert codes("2020S2") == ["C1", "C2"]
    assert codes("2021S1") == ["C1"]
    ended = FormAssignment.objects.get(form=form, unit=org.c2)
    assert ended.valid_to == dt.date(2021, 1, 1)
    with pytest.raises(BadInput) as refused:
        save(fresh, org.c2, "2021S1", lop_da_mo="1")
    assert refused.value.code == "not_assigned"
    # Said in names, not codes (walk 3: "C2 không báo cáo biểu HK kỳ 2021S1").
    assert refused.value.shown == (
        f"{org.c2.latest_version().name} không báo cáo biểu “{fresh.name}” cho kỳ "
        "6 tháng đầu năm 2021."
    )
    save(fresh, org.c2, "2020S2", lop_da_mo="1")


def test_it_refuses_units_outside_the_owner_and_an_empty_change(form, personas, web):
    client = web(personas.manager)
    response = client.post(
        url("change_units", "HK"), {"don_vi-units": "D2", "don_vi-valid_from": "01/01/2021"}
    )
    assert response.status_code in (400, 403)
    response = client.post(url("change_units", "HK"), {"don_vi-valid_from": "01/01/2021"})
    assert response.status_code == 400
    assert not FormAssignment.objects.filter(form=form, valid_to__isnull=False).exists()


# The Django admin ----------------------------------------------------------------------


def test_it_shows_a_forms_indicators_and_units_read_only_in_the_django_admin(form, personas, rf):
    personas.admin.is_superuser = personas.admin.is_staff = True
    request = rf.get("/")
    request.user = personas.admin
    model_admin = FormAdmin(Form, admin.site)
    inlines = {i.model: i for i in model_admin.get_inline_instances(request, form)}
    for model in (FormIndicator, FormAssignment):
        inline = inlines[model]
        assert not inline.has_add_permission(request, form)
        assert not inline.has_change_permission(request, form)
        assert not inline.can_delete
    assert inlines[FormSection].has_change_permission(request, form)  # sections stay editable


# The kept structure --------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_it_reads_a_forms_structure_again_after_a_committed_change(form, org):
    """GIVEN a process that keeps HK's structure in memory
    WHEN an indicator is added in another transaction (committed)
    THEN the next read of the form row sees the new structure."""
    before = structure.of(Form.objects.get(pk=form.pk))
    assert structure.of(Form.objects.get(pk=form.pk)) is before  # kept
    extra = services.create_indicator(acting_user=SYSTEM, code="so_buoi", name="Số buổi")
    services.add_indicator_to_form(
        acting_user=SYSTEM, form=form, indicator=extra, valid_from=dt.date(2019, 1, 1)
    )
    after = structure.of(Form.objects.get(pk=form.pk))
    assert after is not before
    assert "so_buoi" in [item.indicator.code for item in after.items]
    save(Form.objects.get(pk=form.pk), org.c1, "2020S1", so_buoi="4")
    # The old form object (its old key in memory) is not served the old shape either.
    assert "so_buoi" in [item.indicator.code for item in structure.of(form).items]
