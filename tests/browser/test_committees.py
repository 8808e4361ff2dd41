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
    f.make_user("quanly", unit=district, role="manager")
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
        page.get_by_role(
            "heading", name="Ban chỉ đạo của Huyện ủy Chợ Đồn và các đơn vị trực thuộc"
        )
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


def test_a_manager_founds_a_committee_seats_a_member_and_records_a_meeting(
    screen,  # noqa: F811
    committee,
):
    """GIVEN the district's manager WHEN they found a second committee from the unit's
    list (its decision picked from the register by symbol), seat a deputy head from
    another unit and record a meeting she attended THEN the committee's page shows her
    and the meeting; no page scrolls sideways and axe finds no serious violation."""
    page, width = screen
    log_in(page, width, "quanly")
    page.goto("/ban-chi-dao/?don-vi=HUT")
    page.get_by_role("link", name="Thành lập ban chỉ đạo").click()
    expect(page.get_by_role("heading", name="Thành lập ban chỉ đạo")).to_be_visible()
    expect(page.get_by_label("Đơn vị thành lập")).to_have_value("Huyện ủy Chợ Đồn (HUT)")
    page.get_by_label("Tên ban chỉ đạo").fill("Ban Chỉ đạo chuyển đổi số huyện Chợ Đồn")
    page.get_by_label("Quyết định thành lập").fill(committee.founding_decision.symbol)
    page.get_by_label("Ngày thành lập").fill("01/09/2019")
    fits(page, width)
    found = {"create": serious(page)}
    page.get_by_role("button", name="Lưu").click()
    expect(
        page.get_by_role("heading", name="Ban Chỉ đạo chuyển đổi số huyện Chợ Đồn")
    ).to_be_visible()
    page.get_by_role("link", name="Thêm thành viên").click()
    page.get_by_label("Họ và tên").fill("Hà Thị Lan")
    page.get_by_label("Cơ quan, đơn vị công tác").fill("Ban Tuyên giáo Huyện ủy Chợ Đồn (BTGT)")
    page.get_by_label("Chức vụ tại cơ quan, đơn vị").fill("Trưởng Ban Tuyên giáo Huyện ủy")
    page.get_by_label("Phó Trưởng ban").check()
    page.get_by_label("Từ ngày").fill("01/09/2019")
    fits(page, width)
    found["member"] = serious(page)
    page.get_by_role("button", name="Lưu").click()
    members = page.locator("#members")
    expect(members).to_contain_text("Hà Thị Lan")
    expect(members).to_contain_text("Phó Trưởng ban")
    page.get_by_role("link", name="Ghi cuộc họp, hội nghị").click()
    page.get_by_label("Ngày họp").fill("05/09/2019")
    page.get_by_label("Hội nghị sơ kết").check()
    page.get_by_label("Tên cuộc họp, hội nghị").fill("Sơ kết quý III năm 2019")
    page.get_by_role("checkbox", name="Hà Thị Lan").check()
    page.get_by_label("Chủ trì").select_option(label="Hà Thị Lan")
    fits(page, width)
    found["meeting"] = serious(page)
    page.get_by_role("button", name="Lưu").click()
    meetings = page.locator("#meetings")
    expect(meetings).to_contain_text("05/09/2019 · Hội nghị sơ kết: Sơ kết quý III năm 2019")
    expect(meetings).to_contain_text("chủ trì")
    fits(page, width)
    found["committee"] = serious(page)
    assert found == {"create": [], "member": [], "meeting": [], "committee": []}
