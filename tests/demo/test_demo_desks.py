"""Every demo user lands on a desk with real work, and the first item opens in one click.

GIVEN the demo loaded today (its history of 2019–2021, the 2025 reform, and this year's
quarterly round of demo/current.py)
WHEN each demo user opens their desk
THEN it lists something for them to do (or, for a viewer, the progress of their
province), the most urgent first, and its link opens a page.
"""

import re

import pytest
from django.test import Client
from django.utils import timezone

from tests import factories
from trienkhai.accounts.models import User
from trienkhai.demo import current, people
from trienkhai.desk.work import desk_of
from trienkhai.notifications.models import Kind, Notification
from trienkhai.reporting.models import Submission
from trienkhai.reporting.periods import PeriodType, containing

LAST = containing(timezone.localdate(), PeriodType.QUARTERLY).previous()


def desk(username: str):
    return desk_of(User.objects.get(username=username), timezone.localdate())


def first_link(html: str) -> str:
    """The first link inside the desk's first section."""
    main = html.split("<main", 1)[1]
    section = main.split('<section class="card"', 1)[1]
    return re.search(r'<a href="([^"]+)"', section).group(1)


@pytest.mark.parametrize("username", [row[0] for row in people.USERS])
def test_each_demo_user_has_work_and_reaches_it_in_one_click(demo, db, username):
    found = desk(username)
    assert found.total or found.subtree, f"{username}'s desk is empty"
    client = Client()
    factories.log_in(client, User.objects.get(username=username))  # admin: past 2FA
    page = client.get("/", follow=True)
    assert page.status_code == 200 and page.redirect_chain[-1][0] == "/viec-cua-toi/"
    html = page.content.decode()
    assert "Không có việc nào đang chờ bạn" not in html
    target = client.get(first_link(html))
    assert target.status_code == 200, (username, first_link(html))


def test_the_reporter_of_a_reorganised_commune_owes_the_last_quarter(demo, db):
    for username, form in [("baocao", "BC35-AG-QUY"), ("bc.yenphong", "BC35-TN-QUY")]:
        first = desk(username).reports_to_enter[0]
        assert first.url.startswith(f"/bao-cao/{form}/")
        assert first.url.endswith(f"/{LAST.id}/")
        assert first.state in {"overdue", "due_soon", "open"}
        assert LAST.label() in first.title


def test_the_returned_report_comes_first_with_its_reason(demo, db):
    for username in ("bc.tanthuan", "bc.bhxh"):
        found = desk(username).reports_to_enter
        assert found[0].state == "returned"
        returned = [i for i in found if i.url.startswith("/bao-cao/BC35-AG-QUY/")]
        assert [i.note for i in returned] == [current.RETURN_COMMENT]
        told = Notification.objects.filter(
            user__username=username, kind=Kind.RETURNED, url__contains="BC35-AG-QUY"
        )
        assert told.get().read is None


@pytest.mark.parametrize(
    "username,form", [("quanlymoi", "BC35-AG-QUY"), ("ql.chodon", "BC35-TN-QUY")]
)
def test_the_province_manager_has_reports_to_approve_and_sees_progress(demo, db, username, form):
    found = desk(username)
    mine = [i for i in found.approvals if i.url.startswith(f"/bao-cao/{form}/")]
    assert len(mine) == current.PENDING[form]
    assert all(LAST.label() in item.title for item in mine)
    progress = {p.form: p for p in found.subtree}[form]
    assert progress.period == LAST.id
    waiting = Submission.objects.filter(form__code=form, period=LAST.id)
    assert progress.submitted == waiting.exclude(status=Submission.Status.RETURNED).count()
    assert progress.expected > progress.submitted


def test_the_viewer_of_the_old_province_follows_it_into_the_new_one(demo, db):
    forms = {p.form for p in desk("xem").subtree}
    assert "BC35-AG-QUY" in forms


def test_closed_quarters_are_read_and_open_ones_are_not(demo, db):
    approved = Notification.objects.filter(
        user__username="baocao", kind=Kind.APPROVED, url__contains="BC35-AG-QUY"
    )
    assert approved.exists() and not approved.filter(read__isnull=True).exists()
    waiting = Notification.objects.filter(
        user__username="quanlymoi",
        kind=Kind.SUBMITTED,
        url__contains="BC35-AG-QUY",
        read__isnull=True,
    )
    assert waiting.count() == current.PENDING["BC35-AG-QUY"]
