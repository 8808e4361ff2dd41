"""The administration pages under /bao-cao/quan-tri/: indicators, disaggregations, forms."""

import pytest
from django.urls import reverse
from django.utils import timezone

from trienkhai.reporting.models import (
    Disaggregation,
    Form,
    FormIndicator,
    Indicator,
    ValidationRule,
)

INDICATOR = {
    "code": "so_buoi",
    "name": "Số buổi sinh hoạt",
    "value_type": "integer",
    "aggregation": "sum",
}


def form_url(name, code="HK"):
    return reverse(f"reporting:{name}", args=[code])


def text(response) -> str:
    return response.content.decode()


# Anonymous, wrong method, forbidden ----------------------------------------------------


def test_it_redirects_anonymous_users_to_log_in(form, web):
    targets = [
        reverse("reporting:indicators"),
        reverse("reporting:disaggregations"),
        reverse("reporting:create_form"),
        form_url("form"),
    ]
    for target in targets:
        response = web().get(target)
        assert response.status_code == 302 and response.url.startswith(reverse("login"))
    for name in ("add_indicator", "remove_indicator", "add_rule"):
        response = web().post(form_url(name))
        assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_it_refuses_the_wrong_method(form, personas, web):
    client = web(personas.admin)
    for name in ("add_indicator", "remove_indicator", "add_rule"):
        assert client.get(form_url(name)).status_code == 405
    assert client.post(form_url("form")).status_code == 405
    assert client.delete(reverse("reporting:indicators")).status_code == 405


def test_it_keeps_indicators_and_disaggregations_to_admins(org, personas, web):
    for persona in ("manager", "reporter", "viewer", "outsider"):
        client = web(getattr(personas, persona))
        for name in ("indicators", "disaggregations"):
            assert client.get(reverse(f"reporting:{name}")).status_code == 403, persona
        assert client.post(reverse("reporting:indicators"), INDICATOR).status_code == 403
    assert not Indicator.objects.filter(code="so_buoi").exists()


def test_it_keeps_shared_definitions_from_an_admin_below_the_country(org, form, web, api):
    """GIVEN an admin held at the province P1 (not the country),
    THEN the indicators, breakdowns and shared rules every unit reports on are not theirs:
    the pages and the API answer 403 and nothing changes; P1's own forms still are."""
    from tests import factories as f

    admin_p1 = f.make_user("admin_p1", unit=org.p1, role="admin")
    client = web(admin_p1)
    for name in ("indicators", "disaggregations"):
        assert client.get(reverse(f"reporting:{name}")).status_code == 403
    assert client.post(reverse("reporting:indicators"), INDICATOR).status_code == 403
    held = Indicator.objects.get(code="lop_da_mo")
    edit = reverse("reporting:indicator", args=[held.code])
    assert client.post(edit, {**INDICATOR, "code": held.code, "name": "Đổi"}).status_code == 403
    assert client.post(f"{edit}xoa/").status_code == 403
    assert api(admin_p1).post("indicators", {"code": "x", "name": "X"}).status_code == 403
    assert not Indicator.objects.filter(code__in=["so_buoi", "x"]).exists()
    assert Indicator.objects.get(pk=held.pk).name == held.name
    assert client.get(form_url("form")).status_code == 200


def test_it_keeps_a_form_to_the_managers_of_its_owner(form, personas, web):
    for persona in ("outsider", "reporter", "viewer"):
        client = web(getattr(personas, persona))
        assert client.get(form_url("form")).status_code == 403, persona
        response = client.post(
            form_url("remove_indicator"), {"bo-indicator": "ghi_chu", "bo-on": "01/01/2021"}
        )
        assert response.status_code == 403, persona
        response = client.post(
            form_url("add_rule"),
            {
                "quy_tac-left": "lop_da_mo",
                "quy_tac-operator": "<=",
                "quy_tac-right": "lop_ke_hoach",
                "quy_tac-message": "x",
            },
        )
        assert response.status_code == 403, persona
    assert FormIndicator.objects.get(indicator__code="ghi_chu").valid_to is None
    assert ValidationRule.objects.filter(form=form).count() == 2


def test_it_refuses_form_creation_to_reporters_viewers_and_outsiders(
    org, two_indicators, personas, web
):
    for persona in ("reporter", "viewer"):
        assert (
            web(getattr(personas, persona)).get(reverse("reporting:create_form")).status_code == 403
        )
    response = web(personas.outsider).post(reverse("reporting:create_form"), new_form())
    assert response.status_code == 403
    assert not Form.objects.filter(code="QUY").exists()


# Indicators and disaggregations --------------------------------------------------------


def test_it_lists_and_creates_an_indicator(org, audience, personas, web):
    client = web(personas.admin)
    response = client.post(
        reverse("reporting:indicators"), {**INDICATOR, "disaggregation": "doi_tuong"}
    )
    assert response.status_code == 302
    indicator = Indicator.objects.get(code="so_buoi")
    assert indicator.disaggregation == audience
    assert indicator.history.first().history_user == personas.admin
    assert "Số buổi sinh hoạt" in text(client.get(reverse("reporting:indicators")))


def test_it_shows_a_refused_indicator_on_the_form(org, personas, web):
    client = web(personas.admin)
    response = client.post(
        reverse("reporting:indicators"), {**INDICATOR, "formula": "khong_co / so_lop"}
    )
    assert response.status_code == 400
    assert "khong_co" in text(response) and not Indicator.objects.filter(code="so_buoi").exists()


def test_it_creates_a_disaggregation_with_its_options(org, personas, web):
    client = web(personas.admin)
    response = client.post(
        reverse("reporting:disaggregations"),
        {"code": "gioi_tinh", "name": "Giới tính", "options": "nam: Nam\nnu: Nữ\n"},
    )
    assert response.status_code == 302
    sex = Disaggregation.objects.get(code="gioi_tinh")
    assert [(o.code, o.name) for o in sex.options.all()] == [("nam", "Nam"), ("nu", "Nữ")]
    assert "Nữ" in text(client.get(reverse("reporting:disaggregations")))


def test_it_refuses_options_without_names_or_repeated(org, personas, web):
    client = web(personas.admin)
    for options in ("nam\nnu", "nam: Nam\nnam: Nam nữa"):
        response = client.post(
            reverse("reporting:disaggregations"),
            {"code": "gioi_tinh", "name": "Giới tính", "options": options},
        )
        assert response.status_code == 400
    assert not Disaggregation.objects.filter(code="gioi_tinh").exists()


# Forms ---------------------------------------------------------------------------------


def new_form(**overrides):
    """A new quarterly form starting today: a day in the past asks to confirm the periods
    it makes overdue at once (tests/reporting/test_designer_views.py)."""
    return {
        "owner": "D1",
        "code": "QUY",
        "name": "Báo cáo quý",
        "period_type": "quarterly",
        "calendar": "gregorian",
        "deadline_days": "5",
        "indicators": ["lop_da_mo", "lop_ke_hoach"],
        "units": "C1, C2",
        "kind": "",
        "level": "",
        "valid_from": timezone.localdate().strftime("%d/%m/%Y"),
        **overrides,
    }


@pytest.fixture
def two_indicators(db):
    for code in ("lop_ke_hoach", "lop_da_mo"):
        Indicator.objects.create(code=code, name=code)


def test_it_creates_a_form_for_a_unit_the_user_manages(org, two_indicators, personas, web):
    response = web(personas.manager).post(reverse("reporting:create_form"), new_form())
    assert response.status_code == 302 and response.url == form_url("form", "QUY")
    created = Form.objects.get(code="QUY")
    assert [i.indicator.code for i in created.items.order_by("order")] == [
        "lop_da_mo",
        "lop_ke_hoach",
    ]
    assert sorted(a.unit.code for a in created.assignments.all()) == ["C1", "C2"]


def test_it_assigns_a_form_by_kind_and_level(org, two_indicators, personas, web):
    data = new_form(units="", kind="commune", level="1")
    assert web(personas.manager).post(reverse("reporting:create_form"), data).status_code == 302
    [assignment] = Form.objects.get(code="QUY").assignments.all()
    assert (assignment.kind.code, assignment.level) == ("commune", 1)


def test_it_shows_unknown_indicators_and_outside_units_on_the_form(
    org, two_indicators, personas, web
):
    client = web(personas.manager)
    response = client.post(reverse("reporting:create_form"), new_form(indicators=["khong_co"]))
    assert response.status_code == 400 and "khong_co" in text(response)
    response = client.post(reverse("reporting:create_form"), new_form(owner="C1", units="C2"))
    assert response.status_code == 400
    assert not Form.objects.filter(code="QUY").exists()


def test_it_removes_and_adds_an_indicator_from_a_date(form, personas, web):
    client = web(personas.manager)
    page = client.get(form_url("form"))
    assert page.status_code == 200 and "ghi_chu" in text(page)
    response = client.post(
        form_url("remove_indicator"), {"bo-indicator": "ghi_chu", "bo-on": "01/01/2021"}
    )
    assert response.status_code == 302
    item = FormIndicator.objects.get(indicator__code="ghi_chu")
    assert str(item.valid_to) == "2021-01-01"
    response = client.post(
        form_url("add_indicator"), {"them-indicator": "ghi_chu", "them-on": "01/01/2022"}
    )
    assert response.status_code == 302
    assert FormIndicator.objects.filter(indicator__code="ghi_chu").count() == 2


def test_it_shows_a_refused_change_of_indicators_on_the_form(form, personas, web):
    client = web(personas.manager)
    response = client.post(
        form_url("add_indicator"), {"them-indicator": "ghi_chu", "them-on": "01/01/2022"}
    )
    assert response.status_code == 400  # already in the form
    response = client.post(
        form_url("remove_indicator"), {"bo-indicator": "khong_co", "bo-on": "01/01/2021"}
    )
    assert response.status_code == 400 and "khong_co" in text(response)


def test_it_adds_a_validation_rule(form, personas, web):
    client = web(personas.manager)
    data = {
        "quy_tac-left": "lop_da_mo",
        "quy_tac-operator": "<=",
        "quy_tac-right": "lop_ke_hoach + 1",
        "quy_tac-message": "Không mở quá kế hoạch",
    }
    assert client.post(form_url("add_rule"), data).status_code == 302
    rule = ValidationRule.objects.get(form=form, right="lop_ke_hoach + 1")
    assert rule.history.first().history_user == personas.manager
    for bad in ({"quy_tac-right": "khong_co"}, {"quy_tac-left": "lop_da_mo +"}):
        response = client.post(form_url("add_rule"), {**data, **bad})
        assert response.status_code == 400
    assert "Không hiểu “lop_da_mo +”" in text(response) and "syntax" not in text(response)
    # A side may be an indicator's name, accents optional.
    by_name = {**data, "quy_tac-left": "so lop da mo", "quy_tac-right": "Số lớp kế hoạch"}
    assert client.post(form_url("add_rule"), by_name).status_code == 302
    made = ValidationRule.objects.filter(form=form, message="Không mở quá kế hoạch")
    assert made.filter(left="lop_da_mo", right="lop_ke_hoach").exists()
    assert ValidationRule.objects.filter(form=form).count() == 4


def test_the_list_links_only_the_pages_the_user_may_use(form, personas, web):
    admin = text(web(personas.admin).get(reverse("reporting:list")))
    assert reverse("reporting:indicators") in admin and form_url("form") in admin
    manager = text(web(personas.manager).get(reverse("reporting:list")))
    assert reverse("reporting:create_form") in manager and form_url("form") in manager
    assert reverse("reporting:indicators") not in manager
    outsider = text(web(personas.outsider).get(reverse("reporting:list")))
    assert form_url("form") not in outsider
    reporter = text(web(personas.reporter).get(reverse("reporting:list")))
    assert reverse("reporting:create_form") not in reporter
