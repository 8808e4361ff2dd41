"""Deleting a draft report: the service (one transaction, its history row, the editing
rule) and the page (POST, asked first); an issued report is never deleted."""

import pytest
from django.core.exceptions import PermissionDenied

from trienkhai.common.errors import Conflict
from trienkhai.drafting import services
from trienkhai.drafting.models import Report

from .test_workflow import draft

NAME = "Báo cáo sơ kết 6 tháng đầu năm 2020 — Huyện ủy Vĩnh Thuận"


def test_the_manager_deletes_a_draft_and_its_history_says_who(district, templates, manager):
    report = draft(district, templates)
    services.delete_report(acting_user=manager, report=report)
    assert not Report.objects.filter(pk=report.pk).exists()
    deleted = Report.history.filter(id=report.pk, history_type="-").get()
    assert deleted.history_user == manager


def test_only_who_may_edit_the_draft_deletes_it(district, templates, personas):
    report = draft(district, templates)
    for user in (personas.viewer, personas.reporter, personas.outsider):
        with pytest.raises(PermissionDenied):
            services.delete_report(acting_user=user, report=report)
    assert Report.objects.filter(pk=report.pk).exists()


def test_an_issued_report_is_never_deleted(district, templates, manager, media):
    report = services.issue_report(acting_user=manager, report=draft(district, templates))
    with pytest.raises(Conflict) as refused:
        services.delete_report(acting_user=manager, report=report)
    assert refused.value.status == 409 and refused.value.code == "not_a_draft"
    assert "01-BC/BTGHU" in refused.value.shown
    assert Report.objects.filter(pk=report.pk, status="issued").exists()


def test_the_page_asks_then_deletes(web, personas, district, templates):
    """GIVEN a draft WHEN its manager presses "Xóa dự thảo" in the editor THEN a page
    names the report and asks; nothing is deleted until it is confirmed, then the list
    says so."""
    report = draft(district, templates)
    client = web(personas.manager)
    editor = client.get(f"/soan-bao-cao/{report.pk}/").content.decode()
    assert f'action="/soan-bao-cao/{report.pk}/xoa/"' in editor
    assert 'class="danger" aria-describedby="delete-note">Xóa dự thảo</button>' in editor
    asked = client.post(f"/soan-bao-cao/{report.pk}/xoa/")
    assert asked.status_code == 200
    page = asked.content.decode()
    assert "Xóa dự thảo này?" in page and NAME in page and 'name="xac_nhan" value="1"' in page
    assert Report.objects.filter(pk=report.pk).exists()
    done = client.post(f"/soan-bao-cao/{report.pk}/xoa/", {"xac_nhan": "1"}, follow=True)
    assert done.redirect_chain == [("/soan-bao-cao/", 302)]
    assert f"Đã xóa dự thảo: {NAME}." in done.content.decode()
    assert not Report.objects.filter(pk=report.pk).exists()
    assert client.post(f"/soan-bao-cao/{report.pk}/xoa/", {"xac_nhan": "1"}).status_code == 404


def test_the_page_refuses_an_issued_report_with_409(web, personas, district, templates, media):
    report = services.issue_report(acting_user=personas.manager, report=draft(district, templates))
    client = web(personas.manager)
    for posted in ({}, {"xac_nhan": "1"}):
        refused = client.post(f"/soan-bao-cao/{report.pk}/xoa/", posted)
        assert refused.status_code == 409
        assert "đã ban hành (số 01-BC/BTGHU) nên không xóa được" in refused.content.decode()
    assert Report.objects.filter(pk=report.pk).exists()


def test_the_page_refuses_others_anonymous_and_the_wrong_method(web, personas, district, templates):
    report = draft(district, templates)
    url = f"/soan-bao-cao/{report.pk}/xoa/"
    confirmed = {"xac_nhan": "1"}
    assert web(personas.outsider).post(url, confirmed).status_code == 403
    assert web(personas.viewer).post(url, confirmed).status_code == 403
    viewer_editor = web(personas.viewer).get(f"/soan-bao-cao/{report.pk}/").content.decode()
    assert "/xoa/" not in viewer_editor  # no button for who may not delete
    anonymous = web().post(url, confirmed)
    assert anonymous.status_code == 302 and "/dang-nhap/" in anonymous["Location"]
    assert web(personas.manager).get(url).status_code == 405
    assert Report.objects.filter(pk=report.pk).exists()
