"""The bell: a reporter whose report was returned sees it on every page and gets to the
report in two clicks; reading it empties the bell.

GIVEN the quarter's report of C1 submitted by its reporter and returned by the manager
WHEN the reporter logs in
THEN the bell says 1 unread; its page shows the return and the reason; a click on it
opens the report's grid and the bell is empty.
"""

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.test_desk import log_in, quarter  # noqa: F401 (fixture)
from trienkhai.reporting import services
from trienkhai.reporting.models import Form
from trienkhai.reporting.services import CellInput

pytestmark = pytest.mark.browser


@pytest.fixture
def returned(quarter):  # noqa: F811
    from trienkhai.accounts.models import User
    from trienkhai.orgs.models import Unit

    form, town = Form.objects.get(code="QK"), Unit.objects.get(code="C1")
    reporter, manager = User.objects.get(username="bcv"), User.objects.get(username="quanly")
    services.save_values(
        acting_user=reporter,
        form=form,
        unit=town,
        period_id=quarter.id,
        cells=[CellInput(indicator="so_lop", value="3")],
    )
    submission = services.submit(acting_user=reporter, form=form, unit=town, period_id=quarter.id)
    services.return_submission(
        acting_user=manager, submission=submission, comment="Số lớp chưa khớp kế hoạch"
    )
    return quarter


def test_the_reporter_follows_the_bell_to_the_returned_report(page: Page, shot, returned):
    log_in(page, "bcv")
    bell = page.get_by_role("link", name=re.compile("Thông báo"))
    expect(bell).to_contain_text("1")
    bell.click()
    expect(page.get_by_role("heading", name="Thông báo", level=1)).to_be_visible()
    expect(page.get_by_text("Số lớp chưa khớp kế hoạch")).to_be_visible()
    shot("notifications")
    page.get_by_role("button", name=re.compile("Báo cáo bị trả lại")).click()
    expect(page).to_have_url(re.compile(rf"/bao-cao/QK/C1/{returned.id}/$"))
    expect(page.get_by_role("link", name=re.compile("Thông báo"))).not_to_contain_text("1")
