"""The register of the organisation's own official channels and the counts their managing
units enter: services, figures, the API with its forbidden cases and bad files
(activities/channels.py, activities/api.py). Nothing here ever opens an address."""

import datetime as dt
import io
import socket

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from tests.factories import SYSTEM
from trienkhai.activities import channels, figures
from trienkhai.activities.channels import PostCountRow
from trienkhai.activities.models import Channel, PostCount
from trienkhai.analytics import engine
from trienkhai.common.errors import BadInput, Conflict
from trienkhai.reporting import sources
from trienkhai.reporting.models import Indicator


def register(unit, address, *, kind="website", start="2018-01-01", end=None, user=SYSTEM):
    return channels.register_channel(
        acting_user=user,
        unit=unit,
        kind=kind,
        name=f"Trang thông tin {unit.code}",
        address=address,
        active_from=dt.date.fromisoformat(start),
        active_to=dt.date.fromisoformat(end) if end else None,
    )


def count(channel, *pairs, user=SYSTEM):
    rows = [PostCountRow(period=period, posts=str(posts)) for period, posts in pairs]
    return channels.record_post_counts(acting_user=user, channel=channel, rows=rows)


def figures_of(unit, start="2020-01-01", end="2020-12-31"):
    found = figures.every_subtree_figure(
        unit, dt.date.fromisoformat(start), dt.date.fromisoformat(end)
    )
    return {
        figure.code: int(value)
        for figure, value in found
        if figure.code in {channels.ACTIVE, channels.POSTS}
    }


@pytest.fixture
def sites(org):
    """The district's portal (monthly counts for 2020), a commune's (quarterly), and a
    commune radio that stopped on 30/09/2020."""
    portal = register(org.d1, "https://vinhthuan.kiengiang.gov.vn/")
    count(portal, *[(f"2020{m:02d}", 10 + m) for m in range(1, 13)])
    commune = register(org.c2, "https://vinhbinhbac-vt.kiengiang.gov.vn")
    count(commune, ("2020Q1", 5), ("2020Q2", 7), ("2020Q3", 4), ("2020Q4", 6))
    radio = register(org.c1, "Đài truyền thanh thị trấn", kind="radio", end="2020-09-30")
    count(radio, ("2020S1", 40))
    return portal, commune, radio


# Services -----------------------------------------------------------------------------


def test_it_counts_channels_active_at_the_end_and_posts_of_the_periods_within(org, sites):
    assert figures_of(org.d1) == {"act_channels_active": 2, "act_posts_published": 260}
    # 30/06: the radio is still active; its half-year and the commune's two quarters count.
    assert figures_of(org.d1, "2020-01-01", "2020-06-30") == {
        "act_channels_active": 3,
        "act_posts_published": 11 + 12 + 13 + 14 + 15 + 16 + 5 + 7 + 40,
    }
    # A quarter's count is not split into its months, nor a half-year's into quarters.
    assert figures_of(org.c2, "2020-01-01", "2020-01-31")["act_posts_published"] == 0
    assert figures_of(org.c1, "2020-01-01", "2020-03-31")["act_posts_published"] == 0
    assert figures_of(org.c2) == {"act_channels_active": 1, "act_posts_published": 22}
    assert figures_of(org.d2) == {"act_channels_active": 0, "act_posts_published": 0}
    assert figures_of(org.d1, "2017-01-01", "2017-12-31")["act_channels_active"] == 0


def test_a_count_entered_again_replaces_it_and_keeps_its_history(org, personas, sites):
    portal, _, _ = sites
    assert count(portal, ("202001", "1.234"), user=personas.manager) == 1
    saved = PostCount.objects.get(channel=portal, period="202001")
    assert saved.posts == 1234 and saved.modified_by == personas.manager
    assert [h.posts for h in saved.history.order_by("history_date")] == [11, 1234]


def test_it_refuses_bad_counts_with_details_and_saves_nothing(org, sites):
    portal, commune, radio = sites
    next_year = dt.date.today().year + 1
    with pytest.raises(BadInput) as refused:
        count(
            portal,
            ("2020-13", 1),
            ("202102", "ba"),
            ("202103", -4),
            ("202104", "2,5"),
            ("2020Q1", 3),  # overlaps the months entered
            (f"{next_year}01", 1),
            ("202105", 1),
            ("05/2021", 2),
        )
    assert refused.value.code == "invalid_rows"
    assert [(d["row"], d["column"]) for d in refused.value.details] == [
        (1, "period"),
        (2, "posts"),
        (3, "posts"),
        (4, "posts"),
        (5, "period"),
        (6, "period"),
        (8, "period"),
    ]
    with pytest.raises(BadInput) as refused:
        count(radio, ("202010", 3))
    assert "không hoạt động" in refused.value.details[0]["problem"]
    with pytest.raises(BadInput) as refused:
        count(commune, ("2021Q1", 3), ("202102", 1))
    assert [d["row"] for d in refused.value.details] == [2]
    assert not PostCount.objects.filter(start__year=2021).exists()
    assert PostCount.objects.get(channel=portal, period="202001").posts == 11


def test_a_channel_ends_with_its_managing_unit(org, sites):
    """GIVEN the portal of the commune C2, with no last day typed, and C2 merged into N2
    on 01/07/2025 (the reform) WHEN its figures are read for 2025 and 2026 THEN it is
    active up to 30/06/2025 and not after: not for C2, nor carried onto N2 as of 2026
    (its posts are); a count or a new channel of C2 after its end is refused."""
    from tests import factories as f
    from trienkhai.orgs import services as org_services

    reform = dt.date(2025, 7, 1)
    _, commune, _ = sites
    count(commune, ("2025Q2", 9))
    n2 = f.make_unit("N2", name="Xã Vĩnh Bình mới", parent=org.p1, valid_from=reform)
    org_services.merge_units(acting_user=SYSTEM, predecessors=[org.c2], into=n2, on=reform)
    commune = Channel.objects.select_related("unit").get(pk=commune.pk)
    assert commune.active_to is None and commune.last_day == dt.date(2025, 6, 30)
    assert commune.is_active_on(dt.date(2025, 6, 30)) and not commune.is_active_on(reform)
    assert figures_of(org.c2, "2025-01-01", "2025-06-30")["act_channels_active"] == 1
    assert figures_of(org.c2, "2026-01-01", "2026-12-31")["act_channels_active"] == 0
    cells = engine.rollup(
        indicators=["act_channels_active", "act_posts_published"],
        periods=["2025Q2", "2026", "2025..2026"],
        units=["N2"],
        as_of=dt.date(2026, 12, 31),
    )
    got = {(c.indicator, c.period): c.value for c in cells}
    assert got[("act_channels_active", "2025Q2")] == 1
    assert got[("act_channels_active", "2026")] == 0
    assert got[("act_channels_active", "2025..2026")] == 0
    assert got[("act_posts_published", "2025..2026")] == 9
    with pytest.raises(BadInput) as refused:
        count(commune, ("2025Q3", 1))
    assert "không hoạt động" in refused.value.details[0]["problem"]
    with pytest.raises(BadInput) as refused:
        register(org.c2, "https://xa-moi.example.vn", start="2025-08-01")
    assert refused.value.code == "unit_ended"
    assert "C2 đã kết thúc ngày 30/06/2025" in refused.value.message


def test_it_refuses_a_second_channel_at_the_same_address_and_bad_channels(org):
    register(org.d1, "http://tuyengiaovinhthuan.vn/")
    with pytest.raises(Conflict):
        register(org.c1, "https://www.TuyenGiaoVinhThuan.vn")
    with pytest.raises(BadInput) as refused:
        register(org.c1, "tuyengiaovinhthuan")
    assert refused.value.code == "invalid_address"
    with pytest.raises(BadInput) as refused:
        register(org.c1, "", kind="newspaper")
    assert refused.value.code == "invalid_kind"
    with pytest.raises(BadInput) as refused:
        register(org.c1, "Loa ấp 3", kind="radio", start="2020-01-01", end="2019-01-01")
    assert refused.value.code == "invalid_dates"
    assert Channel.objects.count() == 1


def test_changing_a_channel_keeps_its_counts_inside_its_days(org, personas, sites):
    _, _, radio = sites
    with pytest.raises(BadInput) as refused:
        channels.change_channel(
            acting_user=personas.manager, channel=radio, active_from=dt.date(2020, 7, 1)
        )
    assert refused.value.code == "counts_outside"
    channels.change_channel(acting_user=personas.manager, channel=radio, active_to=None)
    radio.refresh_from_db()
    assert radio.active_to is None
    assert radio.history.latest().history_user == personas.manager


def test_only_who_may_change_the_managing_unit_writes(org, personas, sites):
    portal, _, _ = sites
    for user in (personas.outsider, personas.viewer, personas.reporter):
        with pytest.raises(PermissionDenied):
            register(org.c1, "https://c1.example.vn", user=user)
        with pytest.raises(PermissionDenied):
            count(portal, ("202001", 1), user=user)
        with pytest.raises(PermissionDenied):
            channels.change_channel(acting_user=user, channel=portal, name="X")
    assert PostCount.objects.get(channel=portal, period="202001").posts == 11


def test_the_engine_answers_the_channels_like_any_indicator(org, sites):
    assert sources.get("channels") is channels.SOURCE
    sourced = set(Indicator.objects.filter(source="channels").values_list("code", flat=True))
    assert sourced == {"act_channels_active", "act_posts_published"}
    cells = engine.rollup(
        indicators=["act_channels_active", "act_posts_published"],
        periods=["2020S1", "2020S2", "2020"],
        units=["P1", "C1"],
    )
    got = {(c.indicator, c.period, c.unit): c.value for c in cells}
    assert got[("act_channels_active", "2020S1", "P1")] == 3
    assert got[("act_channels_active", "2020S2", "P1")] == 2
    assert got[("act_posts_published", "2020", "P1")] == 260
    assert got[("act_posts_published", "2020S2", "C1")] == 0


def test_it_never_opens_a_channels_address(org, personas, api, monkeypatch):
    """GIVEN a website registered with counts, its figures and its page WHEN anything
    resolves a host name THEN the test fails: the register writes addresses down only."""
    looked_up = []
    resolve = socket.getaddrinfo

    def refuse(host, *args, **kwargs):
        if host in {"127.0.0.1", "localhost", "::1"}:  # the test database (PostgreSQL)
            return resolve(host, *args, **kwargs)
        looked_up.append(host)
        raise OSError("no network in the register")

    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    manager = api(personas.manager)
    made = manager.post("activities/channels", CHANNEL)
    assert made.status_code == 201, made.content
    path = f"activities/channels/{made.json()['id']}"
    saved = manager.post(f"{path}/posts", {"counts": [{"period": "202001", "posts": 4}]})
    assert saved.status_code == 200
    assert manager.get(path).json()["counts"][0]["posts"] == 4
    assert manager.get("activities/figures", unit="D1", period="2020").status_code == 200
    assert looked_up == []


# API ----------------------------------------------------------------------------------

CHANNEL = {
    "unit": "D1",
    "kind": "website",
    "name": "Trang thông tin điện tử Ban Tuyên giáo Huyện ủy",
    "address": "http://tuyengiaovinhthuan.vn/",
    "active_from": "2018-01-01",
}


def test_the_api_registers_lists_changes_and_counts(org, personas, api):
    manager = api(personas.manager)
    made = manager.post("activities/channels", CHANNEL)
    assert made.status_code == 201, made.content
    channel = made.json()
    assert channel["unit"] == "D1" and channel["active_to"] is None
    path = f"activities/channels/{channel['id']}"
    saved = manager.post(
        f"{path}/posts",
        {"counts": [{"period": "202001", "posts": 12}, {"period": "02/2020", "posts": "9"}]},
    )
    assert saved.status_code == 200, saved.content
    assert saved.json() == {"saved": 2}
    changed = manager.patch(path, {"name": "Trang TTĐT Ban Tuyên giáo", "active_to": "2020-12-31"})
    assert changed.status_code == 200, changed.content
    assert changed.json()["active_to"] == "2020-12-31"
    viewer = api(personas.viewer)
    listed = viewer.get("activities/channels", unit="D1")
    assert [c["name"] for c in listed.json()] == ["Trang TTĐT Ban Tuyên giáo"]
    detail = viewer.get(path).json()
    assert [(c["period"], c["posts"]) for c in detail["counts"]] == [("202001", 12), ("202002", 9)]
    got = {
        row["code"]: row["value"]
        for row in viewer.get("activities/figures", unit="D1", period="2020").json()
    }
    assert (got["act_channels_active"], got["act_posts_published"]) == (1, 21)
    assert manager.post("activities/channels", CHANNEL).status_code == 409


def test_the_api_refuses_the_outsider_the_viewer_the_anonymous_and_wrong_methods(
    org, personas, api
):
    for user in (personas.outsider, personas.viewer, personas.reporter):
        assert api(user).post("activities/channels", CHANNEL).status_code == 403
    assert api().post("activities/channels", CHANNEL).status_code == 401
    assert not Channel.objects.exists()
    manager = api(personas.manager)
    channel = manager.post("activities/channels", CHANNEL).json()
    path = f"activities/channels/{channel['id']}"
    counts = {"counts": [{"period": "202001", "posts": 1}]}
    for user in (personas.outsider, personas.viewer, personas.reporter):
        assert api(user).post(f"{path}/posts", counts).status_code == 403
        assert api(user).patch(path, {"name": "X"}).status_code == 403
    assert api(personas.outsider).get(path).status_code == 403
    assert api(personas.outsider).get("activities/channels", unit="D1").status_code == 403
    assert api().get(path).status_code == 401
    assert api().post(f"{path}/posts", counts).status_code == 401
    assert manager.get(f"{path}/posts").status_code == 405
    put = manager.client.put(f"/api/v1/{path}", headers=manager.headers)
    assert put.status_code == 405  # DELETE deletes: test_removals.py
    assert manager.get("activities/channels/999999").status_code == 404
    assert manager.post("activities/channels/999999/posts", counts).status_code == 404
    assert not PostCount.objects.exists()
    assert Channel.objects.get().name == CHANNEL["name"]


def _upload(user, channel, name, data):
    from trienkhai.accounts.services import issue_token

    client = Client(headers={"Authorization": f"Bearer {issue_token(user=user)}"})
    upload = SimpleUploadedFile(name, data)
    return client.post(f"/api/v1/activities/channels/{channel.pk}/posts", {"file": upload})


def test_the_api_reads_counts_from_csv_and_xlsx(org, personas):
    from openpyxl import Workbook

    channel = register(org.d1, "https://vinhthuan.kiengiang.gov.vn")
    csv = 'Tháng,"Số tin, bài"\n01/2020,12\n202002,9\n'
    response = _upload(personas.manager, channel, "tin-bai.csv", csv.encode())
    assert response.json() == {"saved": 2}, response.content
    book = Workbook()
    sheet = book.active
    sheet.append(["Kỳ", "Số tin bài"])
    sheet.append([dt.datetime(2020, 3, 1), 15])  # Excel made "03/2020" a date
    sheet.append(["2020Q2", 40])
    data = io.BytesIO()
    book.save(data)
    response = _upload(personas.manager, channel, "tin-bai.xlsx", data.getvalue())
    assert response.json() == {"saved": 2}, response.content
    assert figures_of(org.d1, "2020-01-01", "2020-06-30")["act_posts_published"] == 76


def test_the_api_refuses_bad_files_and_saves_nothing(org, personas):
    channel = register(org.d1, "https://vinhthuan.kiengiang.gov.vn", start="2020-03-01")
    manager = personas.manager
    response = _upload(manager, channel, "tin-bai.xlsx", b"PK\x03\x04 not a workbook")
    assert response.status_code == 400
    response = _upload(manager, channel, "tin-bai.csv", b"Thang,Ghi chu\n01/2020,x\n")
    assert response.json()["error"]["code"] == "missing_columns"
    bad = "period,posts\n202003,4\n\n202013,5\n202001,2\n202004,nhiều\n"
    response = _upload(manager, channel, "tin-bai.csv", bad.encode())
    assert response.status_code == 400
    # Named by its row in the file: the heading is row 1, the blank row 3; January is
    # before the channel began.
    assert [(d["row"], d["column"]) for d in response.json()["error"]["details"]] == [
        (4, "period"),
        (5, "period"),
        (6, "posts"),
    ]
    assert not PostCount.objects.exists()
