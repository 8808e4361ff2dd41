"""A form's name, period, calendar and deadline after it was made (issue 14): the service,
the designer's page and PATCH /api/v1/forms/{code}, with their refusals."""

import pytest
from django.urls import reverse

from tests import factories as f
from tests.conftest import ApiClient
from tests.factories import SYSTEM
from trienkhai.accounts.policy import PermissionDenied
from trienkhai.common.errors import BadInput, Conflict
from trienkhai.reporting import services
from trienkhai.reporting.models import Form


def _enter_one_value(form, org):
    reporter = f.make_user("bcv", unit=org.c1, role="reporter")
    services.save_values(
        acting_user=reporter,
        form=form,
        unit=org.c1,
        period_id="2020S1",
        cells=[services.CellInput(indicator="lop_ke_hoach", value="12")],
    )


def test_it_renames_the_form_and_moves_its_deadline_audited(form, personas):
    changed = services.change_form(
        acting_user=personas.manager,
        form=form,
        name="  Báo cáo sơ kết 6 tháng ",
        name_en="Six-month review",
        deadline_days=15,
    )
    stored = Form.objects.get(pk=form.pk)
    assert (stored.name, stored.name_en, stored.deadline_days) == (
        "Báo cáo sơ kết 6 tháng",
        "Six-month review",
        15,
    )
    assert changed.history.first().history_user == personas.manager
    # The deadline counts for past periods too: 2020S1 ends 30/06, now due 15/07.
    assert str(stored.deadline(stored.period("2020S1"))) == "2020-07-15"


def test_it_changes_the_period_only_while_nothing_was_entered(form, org):
    services.change_form(acting_user=SYSTEM, form=form, period_type="quarterly")
    assert Form.objects.get(pk=form.pk).period_type == "quarterly"
    services.change_form(acting_user=SYSTEM, form=form, period_type="sixmonthly")
    _enter_one_value(form, org)
    with pytest.raises(Conflict) as refused:
        services.change_form(acting_user=SYSTEM, form=form, period_type="yearly")
    assert refused.value.code == "form_has_data"
    with pytest.raises(Conflict):
        services.change_form(acting_user=SYSTEM, form=form, calendar="nd09")
    stored = Form.objects.get(pk=form.pk)
    assert (stored.period_type, stored.calendar) == ("sixmonthly", "gregorian")
    # The same period type again is no change: the rest of the call goes through.
    services.change_form(acting_user=SYSTEM, form=form, period_type="sixmonthly", name="Mới")
    assert Form.objects.get(pk=form.pk).name == "Mới"


def test_it_refuses_a_blank_name_a_wrong_deadline_and_unknown_words(form):
    for kwargs, code in (
        ({"name": "   "}, "invalid_name"),
        ({"name": "x" * 301}, "invalid_name"),
        ({"deadline_days": -1}, "invalid_deadline"),
        ({"deadline_days": 367}, "invalid_deadline"),
        ({"period_type": "weekly"}, "invalid_period_type"),
        ({"calendar": "lunar"}, "invalid_calendar"),
    ):
        with pytest.raises(BadInput) as refused:
            services.change_form(acting_user=SYSTEM, form=form, **kwargs)
        assert refused.value.code == code
    stored = Form.objects.get(pk=form.pk)
    assert (stored.name, stored.deadline_days) == ("Báo cáo 6 tháng", 10)


def test_only_a_manager_of_the_owner_changes_it(form, personas):
    for persona in (personas.reporter, personas.viewer, personas.outsider):
        with pytest.raises(PermissionDenied):
            services.change_form(acting_user=persona, form=form, name="Khác")
    assert Form.objects.get(pk=form.pk).name == "Báo cáo 6 tháng"


def test_the_page_saves_and_shows_a_refusal_on_its_field(form, org, personas, web):
    client = web(personas.manager)
    url = reverse("reporting:change_form", args=["HK"])
    data = {
        "bieu-name": "Báo cáo sơ kết",
        "bieu-name_en": "",
        "bieu-period_type": "sixmonthly",
        "bieu-calendar": "gregorian",
        "bieu-deadline_days": "20",
    }
    page = client.post(url, data, follow=True).content.decode()
    assert "Đã lưu tên, kỳ và hạn gửi của biểu." in page
    assert "hạn gửi 20 ngày sau khi hết kỳ" in page
    _enter_one_value(form, org)
    refused = client.post(url, {**data, "bieu-period_type": "yearly"})
    assert refused.status_code == 400
    assert "Biểu đã có số liệu nên không đổi được kỳ báo cáo" in refused.content.decode()
    assert Form.objects.get(pk=form.pk).period_type == "sixmonthly"
    assert web(personas.reporter).post(url, data).status_code == 403


def test_the_api_changes_only_what_is_sent(form, org, personas):
    answer = ApiClient(personas.manager).patch("forms/HK", {"deadline_days": 30})
    assert answer.status_code == 200, answer.content
    assert (answer.json()["deadline_days"], answer.json()["name"]) == (30, "Báo cáo 6 tháng")
    _enter_one_value(form, org)
    refused = ApiClient(personas.manager).patch("forms/HK", {"period_type": "yearly"})
    assert refused.status_code == 409
    assert refused.json()["error"]["code"] == "form_has_data"
    assert ApiClient(personas.outsider).patch("forms/HK", {"name": "X"}).status_code == 403
    assert ApiClient(personas.manager).patch("forms/NOPE", {"name": "X"}).status_code == 404
    assert Form.objects.get(pk=form.pk).name == "Báo cáo 6 tháng"
