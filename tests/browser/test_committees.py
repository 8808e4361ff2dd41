"""A steering committee's page in a browser, on a 390 × 844 phone and a 1366 × 900 screen.

GIVEN Huyện ủy Chợ Đồn's Ban Chỉ đạo 35, set up on 28/8/2019 with a head, a deputy and
a secretary, whose head changed on 01/10/2020, and its review of 05/08/2021 with a
conclusion given to the Propaganda Board
WHEN a viewer of the district opens the unit's page, follows its link to the committees,
opens the committee and asks for its members on 28/08/2019
THEN the page shows the first head, and today's shows the second; the meeting lists
its chair and the task; no page scrolls sideways and axe finds no serious violation.
"""

import datetime as dt

import pytest
from playwright.sync_api import expect

from tests import factories as f
from tests.browser.test_accessibility import serious
from tests.browser.test_phone import fits, log_in, screen  # noqa: F401 (screen: a fixture)
from tests.factories import SYSTEM
from trienkhai.committees import services
from trienkhai.documents import services as documents
from trienkhai.documents.types import ensure_standard_types

pytestmark = pytest.mark.browser
FOUNDED = dt.date(2019, 8, 28)


def issued(unit, type, date, summary):
    draft = documents.register_draft(
        acting_user=SYSTEM,
        issuer=unit,
        type=type,
        date=date,
        summary=summary,
        signer="Hoàng Văn Ký",
        signer_authority="tm",
        recipients="Lưu VP.",
    )
    return documents.issue(acting_user=SYSTEM, document=draft)


@pytest.fixture
def committee(transactional_db):
    f.ensure_standard_data()
    ensure_standard_types()  # the live server's database was flushed
    district = f.make_unit("D1", name="Huyện Chợ Đồn", kind_code="district")
    hu = f.make_unit(
        "HUT",
        name="Huyện ủy Chợ Đồn",
        kind_code="party_committee",
        parent=district,
        abbreviation="HU",
    )
    f.make_unit("BTGT", name="Ban Tuyên giáo Huyện ủy Chợ Đồn", kind_code="board", parent=hu)
    f.make_user("xem", unit=district, role="viewer")
    committee = services.create_committee(
        acting_user=SYSTEM,
        unit=hu,
        name="Ban Chỉ đạo 35 huyện Chợ Đồn",
        valid_from=FOUNDED,
        founding_decision=issued(hu, "QĐ", FOUNDED, "Thành lập Ban Chỉ đạo 35 huyện"),
    )

    def seat(name, role, position, **dates):
        return services.add_member(
            acting_user=SYSTEM,
            committee=committee,
            name=name,
            role=role,
            position=position,
            valid_from=dates.get("since", FOUNDED),
            valid_to=dates.get("until"),
        )

    seat("Hoàng Văn Thắng", "head", "Phó Bí thư Thường trực Huyện ủy", until=dt.date(2020, 10, 1))
    seat("Nông Thị Duyên", "head", "Phó Bí thư Thường trực Huyện ủy", since=dt.date(2020, 10, 1))
    deputy = seat(
        "Hà Văn Lợi", "deputy", "Trưởng Ban Tuyên giáo Huyện ủy, Giám đốc Trung tâm Chính trị huyện"
    )
    seat("Hoàng Thị Mai", "secretariat", "Chuyên viên Ban Tuyên giáo Huyện ủy")
    review = dt.date(2021, 8, 5)
    notice = issued(hu, "TB", review, "Kết luận hội nghị sơ kết 6 tháng đầu năm 2021")
    meeting = services.hold_meeting(
        acting_user=SYSTEM,
        committee=committee,
        date=review,
        kind="interim_review",
        title="Sơ kết 6 tháng đầu năm 2021",
        place="Trung tâm Chính trị huyện",
        agenda="Báo cáo kết quả 6 tháng đầu năm\nNhiệm vụ 6 tháng cuối năm",
        attendees=[deputy.person_id],
        chair=deputy.person_id,
        minutes=notice,
    )
    services.conclude(
        acting_user=SYSTEM,
        meeting=meeting,
        document=notice,
        task="Tuyên truyền cao điểm về phòng, chống dịch Covid-19",
        due=dt.date(2021, 12, 15),
        expects="BC",
        units=["BTGT"],
    )
    return committee


def test_a_viewer_reads_the_committee_of_a_chosen_day(screen, committee):  # noqa: F811
    page, width = screen
    log_in(page, width, "xem")
    page.goto("/don-vi/HUT/")
    page.get_by_role("link", name="Ban chỉ đạo do đơn vị thành lập").click()
    expect(
        page.get_by_role("heading", name="Ban chỉ đạo do Huyện ủy Chợ Đồn thành lập")
    ).to_be_visible()
    fits(page, width)
    found = {"list": serious(page)}
    page.get_by_role("link", name="Ban Chỉ đạo 35 huyện Chợ Đồn").click()
    members = page.locator("#members")
    expect(members).to_contain_text("Nông Thị Duyên")
    expect(members).not_to_contain_text("Hoàng Văn Thắng")
    page.get_by_label("Thành phần tại ngày").fill("28/08/2019")
    page.get_by_role("button", name="Xem").click()
    expect(page.get_by_role("heading", name="Thành phần ngày 28/08/2019")).to_be_visible()
    expect(members).to_contain_text("Hoàng Văn Thắng")
    expect(members).to_contain_text("Tổ giúp việc")
    meeting = page.locator("#meetings")
    expect(meeting).to_contain_text("05/08/2021 · Hội nghị sơ kết")
    expect(meeting).to_contain_text("chủ trì")
    expect(meeting).to_contain_text("hạn 15/12/2021")
    fits(page, width)
    found["committee"] = serious(page)
    assert found == {"list": [], "committee": []}
