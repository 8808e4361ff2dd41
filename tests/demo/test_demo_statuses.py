"""The demo's figures at each status, and the Vĩnh Thuận drafts' list of what they leave out.

GIVEN the demo dataset, whose Chợ Đồn classes and attendances of 2019–2021 are counted
from its register of activities
WHEN ql.chodon asks /api/v1/analytics for 2019..2021 at each status
THEN every status gives shared/DOMAIN.md's 12 classes and 20.673 attendances (a
registered activity is a fact, not a reviewed report: decision 0039);
WHEN quanly previews the Vĩnh Thuận drafts
THEN 2020S1 (every report approved) says so, and 2020S2 lists the four reports its
approved figures leave out, with their status.
"""

import pytest
from django.test import Client
from django.urls import reverse

from trienkhai.accounts.models import User
from trienkhai.drafting import reports
from trienkhai.drafting.models import Report

ANALYTICS = (
    "/api/v1/analytics?indicator=act_classes&indicator=act_attendances&unit=HU-CD&period=2019..2021"
)


def client(username: str) -> Client:
    c = Client()
    c.force_login(User.objects.get(username=username))
    return c


@pytest.mark.parametrize("status", [None, "approved", "submitted", "all"])
def test_cho_don_gives_12_classes_and_20673_attendances_at_every_status(demo, db, status):
    url = ANALYTICS + (f"&status={status}" if status else "")
    answer = client("ql.chodon").get(url)
    assert answer.status_code == 200
    values = {row["indicator"]: row["value"] for row in answer.json()["rows"]}
    assert values == {"act_classes": 12, "act_attendances": 20673}


def test_the_vinh_thuan_2020s2_draft_lists_the_reports_it_leaves_out(demo, db):
    first = Report.objects.get(unit__code="HU-VT", period="2020S1")
    second = Report.objects.get(unit__code="HU-VT", period="2020S2")
    assert (first.figure_status, second.figure_status) == ("approved", "approved")
    assert reports.unreviewed(first) == []
    assert [(r["unit"], r["status"]) for r in reports.unreviewed(second)] == [
        ("CB-VT-03", "submitted"),
        ("CB-VT-19", "submitted"),
        ("CB-VT-30", "missing"),
        ("DU-VT-31072", "returned"),
    ]
    assert second.is_draft and first.is_draft


def test_the_previews_show_the_status_of_their_figures(demo, db):
    manager = client("quanly")
    pages = {
        period: manager.get(
            reverse(
                "drafting:preview",
                args=[Report.objects.get(unit__code="HU-VT", period=period).pk],
            )
        )
        for period in ("2020S1", "2020S2")
    }
    assert {p: r.status_code for p, r in pages.items()} == {"2020S1": 200, "2020S2": 200}
    first, second = (pages[p].content.decode() for p in ("2020S1", "2020S2"))
    assert "đều đã được duyệt" in first and "chưa có hoặc chưa được duyệt" not in first
    listed = second.split('class="warnings"')[1].split("</section>")[0]
    assert "4 báo cáo của đơn vị chưa có hoặc chưa được duyệt" in listed
    for name in ("Bảo hiểm xã hội", "Tân Thuận"):
        assert name in listed
    assert listed.count("Đã gửi, chưa duyệt") == 2
    assert "Chưa có báo cáo" in listed and "Trả lại" in listed
    assert 'name="xac_nhan"' not in first
    # The 2020S2 draft has no signer yet: the issue button says so and asks nothing more.
    assert "Cần ghi" in second and "trước khi ban hành." in second
    assert 'name="xac_nhan"' not in second
    # Signed, it asks to confirm that the list of units without approved figures was read.
    draft = Report.objects.get(unit__code="HU-VT", period="2020S2")
    Report.objects.filter(pk=draft.pk).update(
        signer_name="Nguyễn Văn Ký", signer_position="PHÓ TRƯỞNG BAN", recipients="- Lưu VP."
    )
    signed = manager.get(reverse("drafting:preview", args=[draft.pk])).content.decode()
    assert 'name="xac_nhan"' in signed
