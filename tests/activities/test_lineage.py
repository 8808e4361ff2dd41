"""The activity registers across the 2025 reform: a successor reads its predecessors'
registers (events, pledges, channels, inspections) and changes nothing (decision 0004,
through accounts.policy; decision 0046 for the pages).

GIVEN D1 (with C1 and C2) kept its registers until 30/06/2025: an event of each of D1,
C1 and C2, the pledge lists of C1 and C2, a channel of each commune, and D1's
inspections of C1 and of C2;
AND on 01/07/2025 C1 went wholly into N1, C2 wholly into N2, and D1 was split between
both (partly into each);
THEN N1's users read C1's registers, and D1's own, not C2's; N2's read C2's and D1's
own, not C1's; none of them may write in any of them (403); a user of an unrelated
unit reads none of them.
"""

import datetime as dt
import re

import pytest

from tests import factories as f
from tests.activities.conftest import attend, make_event
from tests.activities.test_views import main
from tests.factories import SYSTEM
from trienkhai.activities import channels, inspections, pledges
from trienkhai.activities.models import (
    Attendance,
    Channel,
    Event,
    Inspection,
    Person,
    Pledge,
    PledgeList,
    PostCount,
    Recommendation,
    Site,
)
from trienkhai.orgs import services as org_services

REFORM = dt.date(2025, 7, 1)


def _channel(unit, name, address):
    return channels.register_channel(
        acting_user=SYSTEM,
        unit=unit,
        kind="website",
        name=name,
        address=address,
        active_from=dt.date(2018, 1, 1),
        active_to=dt.date(2025, 6, 30),
    )


def _inspection(org, inspected, title):
    found = inspections.create_inspection(
        acting_user=SYSTEM,
        unit=org.d1,
        inspected=inspected,
        kind="inspection",
        title=title,
        start=dt.date(2021, 3, 1),
        end=dt.date(2021, 3, 4),
    )
    inspections.conclude(
        acting_user=SYSTEM,
        inspection=found,
        concluded=dt.date(2021, 3, 20),
        findings="Đã triển khai",
        recommendations=[inspections.RecommendationInput("Báo cáo đúng hạn", dt.date(2021, 4, 30))],
    )
    return found


@pytest.fixture
def reformed(org):
    """The registers of D1, C1 and C2, then the reform; the users of N1, N2 and of an
    unrelated new commune N3 (in P2)."""
    c1_class = make_event(org.c1, days=("2021-03-01",), title="Lớp của thị trấn")
    attend(c1_class, ["Nguyễn Văn An"])
    d1_conference = make_event(
        org.d1, kind="online_conference", days=("2021-04-01",), title="Hội nghị của huyện"
    )
    c2_class = make_event(org.c2, days=("2021-05-01",), title="Lớp của xã Vĩnh Bình Bắc")
    for unit, who in ((org.c1, "Lê Văn Bảy"), (org.c2, "Trần Văn Tám")):
        pledges.record_pledges(
            acting_user=SYSTEM,
            unit=unit,
            year=2020,
            deadline=dt.date(2020, 4, 15),
            rows=[pledges.PledgeRow(name=who, submitted="2020-03-02")],
        )
    c1_site = _channel(org.c1, "Trang thị trấn", "https://thitran.example.vn")
    c2_site = _channel(org.c2, "Trang xã", "https://xa.example.vn")
    of_c1 = _inspection(org, org.c1, "Kiểm tra thị trấn")
    of_c2 = _inspection(org, org.c2, "Kiểm tra xã")
    n1 = f.make_unit("N1", name="Xã Vĩnh Thuận mới", parent=org.p1, valid_from=REFORM)
    n2 = f.make_unit("N2", name="Xã Vĩnh Bình mới", parent=org.p1, valid_from=REFORM)
    n3 = f.make_unit("N3", name="Xã Cầu Kè mới", parent=org.p2, valid_from=REFORM)
    org_services.merge_units(acting_user=SYSTEM, predecessors=[org.c1], into=n1, on=REFORM)
    org_services.merge_units(acting_user=SYSTEM, predecessors=[org.c2], into=n2, on=REFORM)
    org_services.split_unit(acting_user=SYSTEM, unit=org.d1, into=[n1, n2], on=REFORM)
    users = {
        code: {
            role: f.make_user(f"{code.lower()}_{role}", unit=unit, role=role)
            for role in ("viewer", "reporter", "manager")
        }
        for code, unit in (("N1", n1), ("N2", n2), ("N3", n3))
    }
    return {
        "c1_class": c1_class,
        "d1_conference": d1_conference,
        "c2_class": c2_class,
        "c1_channel": c1_site,
        "c2_channel": c2_site,
        "of_c1": of_c1,
        "of_c2": of_c2,
        "users": users,
    }


def _state():
    """Every register's rows as they stand: a refused write leaves them equal."""
    return [
        sorted(model.objects.values_list("pk", flat=True))
        for model in (
            Event,
            Site,
            Attendance,
            Person,
            PledgeList,
            Pledge,
            Channel,
            PostCount,
            Inspection,
            Recommendation,
        )
    ] + [
        sorted(Channel.objects.values_list("pk", "name")),
        sorted(Inspection.objects.values_list("pk", "findings")),
        sorted(Recommendation.objects.values_list("pk", "follow_up")),
    ]


def _titles(response) -> list[str]:
    return re.findall(r'<a href="/hoat-dong/\d+/">([^<]+)</a>', response.content.decode())


# Reading -------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["viewer", "reporter", "manager"])
def test_the_successor_reads_what_it_absorbed_on_the_pages(reformed, web, role):
    client = web(reformed["users"]["N1"][role])
    c1 = client.get("/hoat-dong/?don-vi=C1&nam=2021")
    assert c1.status_code == 200 and _titles(c1) == ["Lớp của thị trấn"]
    d1 = client.get("/hoat-dong/?don-vi=D1&nam=2021")
    # D1's own event and C1's: not C2's, which went to N2 (D1 came only partly).
    assert d1.status_code == 200
    assert _titles(d1) == ["Hội nghị của huyện", "Lớp của thị trấn"]
    page = main(client.get(f"/hoat-dong/{reformed['c1_class'].pk}/"))
    assert "1 lượt, 1 người" in page and "Nguyễn Văn An" not in page  # names: CHANGE
    assert "Nhập danh sách" not in page and "Giấy chứng nhận" not in page
    assert "Tạo hoạt động" not in main(c1)
    pledged = main(client.get("/hoat-dong/tu-duong/?don-vi=C1&nam=2020"))
    assert "Đã nộp 1 bản, 100%" in pledged and "Lê Văn Bảy" not in pledged
    assert "Nhập danh sách từ tệp" not in pledged
    listed = main(client.get("/hoat-dong/kenh/?don-vi=C1&nam=2021"))
    assert "Trang thị trấn" in listed and "Thêm kênh" not in listed
    page = main(client.get(f"/hoat-dong/kenh/{reformed['c1_channel'].pk}/"))
    assert "https://thitran.example.vn" in page and "Nhập số tin, bài" not in page
    # D1's inspections are the district's own records, of C2 too.
    words = main(client.get("/hoat-dong/kiem-tra/?don-vi=D1&nam=2021"))
    assert "Kiểm tra thị trấn" in words and "Kiểm tra xã" in words
    assert "Lập kế hoạch" not in words
    page = main(client.get(f"/hoat-dong/kiem-tra/{reformed['of_c1'].pk}/"))
    assert "Báo cáo đúng hạn" in page and "Lưu kết luận" not in page


def test_a_partial_successor_reads_the_district_s_totals_not_its_neighbours_rows(
    org, reformed, web
):
    """N1 took part of D1: D1's pledge totals count C2's list too (the district's
    totals), its rows leave C2's out and say so; C2's pages are closed to N1."""
    client = web(reformed["users"]["N1"]["manager"])
    page = main(client.get("/hoat-dong/tu-duong/?don-vi=D1&nam=2020"))
    assert "Đảng viên phải viết bản đăng ký 2" in page
    assert "Thị trấn Vĩnh Thuận" in page and "Xã Vĩnh Bình Bắc" not in page
    assert "gồm cả 1 danh sách của đơn vị nay thuộc đơn vị khác" in page
    channels_page = main(client.get("/hoat-dong/kenh/?don-vi=D1&nam=2021"))
    assert "Trang thị trấn" in channels_page and "Trang xã" not in channels_page
    assert "gồm cả 1 kênh" in channels_page
    for url in (
        f"/hoat-dong/{reformed['c2_class'].pk}/",
        "/hoat-dong/?don-vi=C2",
        "/hoat-dong/tu-duong/?don-vi=C2",
        f"/hoat-dong/kenh/{reformed['c2_channel'].pk}/",
    ):
        assert client.get(url).status_code == 403, url


def test_n2_reads_its_own_share(reformed, web):
    client = web(reformed["users"]["N2"]["viewer"])
    d1 = client.get("/hoat-dong/?don-vi=D1&nam=2021")
    assert _titles(d1) == ["Lớp của xã Vĩnh Bình Bắc", "Hội nghị của huyện"]
    assert client.get(f"/hoat-dong/{reformed['c2_class'].pk}/").status_code == 200
    assert client.get(f"/hoat-dong/{reformed['c1_class'].pk}/").status_code == 403


def test_the_successor_s_pages_link_its_predecessors(reformed, web):
    """GIVEN N1 formed from C1 (wholly) and part of D1 WHEN its users open any register
    tab of N1 THEN each predecessor is linked to the same register, with its last day."""
    client = web(reformed["users"]["N1"]["viewer"])
    for path in ("/hoat-dong/", "/hoat-dong/tu-duong/", "/hoat-dong/kenh/", "/hoat-dong/kiem-tra/"):
        response = client.get(f"{path}?don-vi=N1&nam=2021")
        assert response.status_code == 200
        found = re.search(
            r'<aside class="card" id="predecessors".*?</aside>', response.content.decode(), re.S
        )
        assert found, path
        panel = found.group(0)
        assert f'href="{path}?don-vi=C1&amp;nam=2021"' in panel
        assert f'href="{path}?don-vi=D1&amp;nam=2021"' in panel
        words = main(response)
        assert "Thị trấn Vĩnh Thuận (đến 30/06/2025)" in words
        assert "Huyện Vĩnh Thuận (nhập một phần, đến 30/06/2025)" in words
    assert (
        'id="predecessors"'
        not in web(reformed["users"]["N3"]["viewer"]).get("/hoat-dong/?don-vi=N3").content.decode()
    )


def test_the_successor_reads_them_through_the_api(org, reformed, api):
    for role in ("viewer", "reporter", "manager"):
        client = api(reformed["users"]["N1"][role])
        listed = client.get("activities/events", unit="D1", year=2021)
        assert listed.status_code == 200
        assert [e["title"] for e in listed.json()] == ["Hội nghị của huyện", "Lớp của thị trấn"]
        event = client.get(f"activities/events/{reformed['c1_class'].pk}")
        assert event.status_code == 200 and event.json()["attendances"] == 1
        figures = client.get("activities/figures", unit="C1", period="2021")
        assert figures.status_code == 200
        assert {r["code"]: r["value"] for r in figures.json()}["act_classes"] == 1
        assert [c["name"] for c in client.get("activities/channels", unit="D1").json()] == [
            "Trang thị trấn"
        ]
        assert client.get(f"activities/channels/{reformed['c1_channel'].pk}").status_code == 200
        counts = client.get("activities/pledges/counts", unit="D1", year=2020).json()
        assert (counts["expected"], counts["hidden"]) == (2, 1)
        assert [row["unit"] for row in counts["lists"]] == ["C1"]
        found = client.get("activities/inspections", unit="D1", year=2021).json()
        assert sorted(i["title"] for i in found) == ["Kiểm tra thị trấn", "Kiểm tra xã"]
        inspection = client.get(f"activities/inspections/{reformed['of_c1'].pk}")
        assert inspection.status_code == 200
        assert client.get(f"activities/events/{reformed['c2_class'].pk}").status_code == 403


# Writing -------------------------------------------------------------------------------


@pytest.mark.parametrize("successor", ["N1", "N2"])
def test_the_successor_changes_nothing_in_the_old_registers(reformed, web, api, successor):
    shared = reformed["d1_conference"]
    channel = reformed["c1_channel" if successor == "N1" else "c2_channel"]
    inspection = reformed["of_c1" if successor == "N1" else "of_c2"]
    recommendation = inspection.recommendations.get()
    session = shared.sessions.get().pk
    before = _state()
    for user in reformed["users"][successor].values():
        client = api(user)
        for unit in ("D1", "C1", "C2"):
            body = {
                "unit": unit,
                "kind": "class",
                "title": "Lớp",
                "start": "2021-03-01",
                "end": "2021-03-01",
            }
            assert client.post("activities/events", body).status_code == 403
            pledge = {"unit": unit, "year": 2020, "deadline": "2020-04-15", "rows": [{"name": "A"}]}
            assert client.post("activities/pledges", pledge).status_code == 403
            website = {"unit": unit, "kind": "radio", "name": "Đài", "active_from": "2018-01-01"}
            assert client.post("activities/channels", website).status_code == 403
            assert client.get("activities/people", unit=unit).status_code == 403
            assert client.get("activities/pledges", unit=unit, year=2020).status_code == 403
        rows = {"rows": [{"session": session, "name": "A", "unit": "D1"}]}
        assert client.post(f"activities/events/{shared.pk}/attendance", rows).status_code == 403
        assert (
            client.post(f"activities/events/{shared.pk}/sites", {"unit": "C1"}).status_code == 403
        )
        assert client.patch(f"activities/channels/{channel.pk}", {"name": "Đổi"}).status_code == 403
        counts = {"counts": [{"period": "202001", "posts": 5}]}
        assert client.post(f"activities/channels/{channel.pk}/posts", counts).status_code == 403
        plan = {"unit": "D1", "year": 2021, "title": "Kế hoạch"}
        assert client.post("activities/inspection-plans", plan).status_code == 403
        conclusion = {"concluded": "2021-03-21", "findings": "Sửa"}
        path = f"activities/inspections/{inspection.pk}/conclusion"
        assert client.post(path, conclusion).status_code == 403
        path = f"activities/recommendations/{recommendation.pk}/follow-up"
        assert client.post(path, {"note": "Đã làm"}).status_code == 403
        pages = web(user)
        assert pages.post(f"/hoat-dong/{shared.pk}/diem-danh/", {}).status_code == 403
        assert pages.post(f"/hoat-dong/{shared.pk}/diem-cau/", {"unit": "C1"}).status_code == 403
        assert pages.get(f"/hoat-dong/{shared.pk}/mau-diem-danh.xlsx").status_code == 403
        assert pages.get(f"/hoat-dong/kenh/{channel.pk}/sua/").status_code == 403
        posted = {"period": "Tháng 1/2020", "posts": "12"}
        assert pages.post(f"/hoat-dong/kenh/{channel.pk}/so-tin-bai/", posted).status_code == 403
        concluded = {"concluded": "21/03/2021", "findings": "Sửa"}
        url = f"/hoat-dong/kiem-tra/{inspection.pk}/ket-luan/"
        assert pages.post(url, concluded).status_code == 403
        url = f"/hoat-dong/kien-nghi/{recommendation.pk}/"
        assert pages.post(url, {"note": "Đã làm", "resolved": "02/05/2021"}).status_code == 403
    assert _state() == before


def test_an_unrelated_unit_reads_none_of_it(personas, reformed, web, api):
    """N3 (a commune formed in 2025 elsewhere) and the outsider (D2's manager) have no
    lineage to D1: every page and call of D1's registers is closed to them."""
    for user in (*reformed["users"]["N3"].values(), personas.outsider):
        client, pages = api(user), web(user)
        for unit in ("D1", "C1"):
            assert client.get("activities/events", unit=unit).status_code == 403
            assert client.get("activities/figures", unit=unit, period="2021").status_code == 403
            assert client.get("activities/channels", unit=unit).status_code == 403
            assert pages.get(f"/hoat-dong/?don-vi={unit}").status_code == 403
            assert pages.get(f"/hoat-dong/tu-duong/?don-vi={unit}").status_code == 403
        assert client.get(f"activities/events/{reformed['c1_class'].pk}").status_code == 403
        assert pages.get(f"/hoat-dong/{reformed['c1_class'].pk}/").status_code == 403
        assert pages.get(f"/hoat-dong/kiem-tra/{reformed['of_c1'].pk}/").status_code == 403


# Figures as of a later structure (the maps of the 34 provinces) -------------------------


def test_the_figures_as_of_the_reform_follow_the_registers_into_the_successors(reformed):
    """GIVEN the 2021 registers of C1, C2 and D1 and the reform WHEN the engine is asked
    for 2021 as of 01/07/2025 (a map of the new units) THEN N1 counts C1's class (C1 went
    wholly into it) and N2 C2's; D1's own conference, split between both, counts for P1
    above them, as stored values are carried (decision 0013); nothing counts twice.
    Asked without as_of, N1 did not exist in 2021 and has nothing."""
    from trienkhai.analytics import engine

    codes = ["act_classes", "act_online_conferences", "act_attendances"]
    cells = engine.rollup(
        indicators=codes, periods=["2021"], units=["N1", "N2", "P1"], as_of=REFORM
    )
    got = {(c.indicator, c.unit): int(c.value) for c in cells}
    assert (got[("act_classes", "N1")], got[("act_attendances", "N1")]) == (1, 1)
    assert got[("act_classes", "N2")] == 1 and got[("act_online_conferences", "N2")] == 0
    assert got[("act_online_conferences", "N1")] == 0
    assert (got[("act_classes", "P1")], got[("act_online_conferences", "P1")]) == (2, 1)
    plain = engine.rollup(indicators=codes, periods=["2021"], units=["N1"])
    assert {c.indicator: int(c.value) for c in plain}["act_classes"] == 0
