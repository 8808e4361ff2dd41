"""The desk page (the landing page) and ``GET /api/v1/me/desk``, on today's date."""

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from tests import factories as f
from tests.factories import SYSTEM
from trienkhai.reporting import services
from trienkhai.reporting.periods import PeriodType, containing


def quarterly(org):
    """Form QK, quarterly, reported by C1 and C2: last quarter's report is due or late."""
    indicator = services.create_indicator(acting_user=SYSTEM, code="so_lop", name="Số lớp")
    services.create_form(
        acting_user=SYSTEM,
        code="QK",
        name="Báo cáo quý",
        owner=org.d1,
        period_type="quarterly",
        indicators=[indicator],
        units=[org.c1, org.c2],
        deadline_days=10,
        valid_from=dt.date(2019, 1, 1),
    )
    last = containing(timezone.localdate(), PeriodType.QUARTERLY).previous()
    return last


def test_the_home_page_is_the_desk_with_one_click_to_each_report(web, personas, org):
    last = quarterly(org)
    page = web(personas.reporter).get("/", follow=True)
    assert page.redirect_chain[-1][0] == reverse("desk:desk")
    text = page.content.decode()
    assert "Báo cáo cần nhập (2)" in text
    assert reverse("reporting:grid", args=["QK", "C1", last.id]) in text
    assert "Nhập số liệu: Thị trấn Vĩnh Thuận" in text and last.label() in text
    manager = web(personas.manager).get(reverse("desk:desk")).content.decode()
    assert "Tiến độ báo cáo các đơn vị" in manager and "0/2" in manager
    outsider = web(personas.outsider).get(reverse("desk:desk")).content.decode()
    assert "Thị trấn Vĩnh Thuận" not in outsider and "Không có việc nào đang chờ bạn." in outsider
    assert web().get(reverse("desk:desk")).status_code == 302


def test_the_api_gives_the_desk_with_links_and_due_dates(api, personas, org):
    last = quarterly(org)
    body = api(personas.reporter).get("me/desk").json()
    assert body["counts"] == {
        "reports_to_enter": 2,
        "approvals": 0,
        "tasks": 0,
        "documents": 0,
        "commendations": 0,
        "judging": 0,
    }
    first = body["reports_to_enter"][0]
    assert first["url"] == reverse("reporting:grid", args=["QK", "C1", last.id])
    assert first["due"] == (last.end + dt.timedelta(days=10)).isoformat()
    assert first["state"] in {"overdue", "due_soon", "open"}
    assert api(personas.outsider).get("me/desk").json()["counts"]["reports_to_enter"] == 0
    assert api().get("me/desk").status_code == 401


def test_every_page_shows_the_count_the_desk_last_gave(web, personas, org):
    quarterly(org)
    client = web(personas.reporter)
    tree = client.get(reverse("orgs:tree")).content.decode()
    assert 'class="count"' not in tree  # no page but the desk computes it
    client.get(reverse("desk:desk"))
    tree = client.get(reverse("orgs:tree")).content.decode()
    assert '<span class="count" title="2 việc đang chờ">2</span>' in tree


def test_the_header_count_of_who_sends_a_report_is_forgotten(personas, org, form):
    """The header's count is what the desk last said; sending a report changes it, so
    the sender's is dropped until the desk is computed again."""
    from django.core.cache import cache

    from tests.reporting.test_review import fill, submit
    from trienkhai.desk import context

    reporter = f.make_user("bc.c1", unit=org.c1, role="reporter")
    context.remember(reporter, 3)
    fill(form, org.c1, reporter)
    submit(form, org.c1, reporter)
    assert cache.get(context.key(reporter)) is None


def test_a_successor_of_the_same_name_is_called_a_new_unit(web, org):
    """GIVEN a commune merged on 01/07/2025 into a new commune that took its name
    THEN the desk of its reporter does not read "X ended; carried on by X" but says the
    second X is a new unit of the same name."""
    from trienkhai.orgs import services as orgs

    reporter = f.make_user("bc.c1", unit=org.c1, role="reporter")
    name = org.c1.latest_version().name
    new = f.make_unit("C9", name=name, parent=org.d1, valid_from=dt.date(2025, 7, 1))
    orgs.merge_units(acting_user=SYSTEM, predecessors=[org.c1], into=new, on=dt.date(2025, 7, 1))
    text = web(reporter).get(reverse("desk:desk")).content.decode()
    assert "Đơn vị đã kết thúc hoạt động" in text
    assert f'{name}</a> <span class="muted">(đơn vị mới cùng tên)</span>' in text
