"""Full-text search of the registers: folding, filters, paging, permission (issue 5 §3)."""

import datetime as dt

import pytest

from tests import factories
from tests.factories import SYSTEM
from trienkhai.accounts import policy
from trienkhai.documents import search, services
from trienkhai.documents.models import Document, SearchEntry
from trienkhai.orgs import services as org_services
from trienkhai.orgs.models import Unit


def add(issuer, summary, *, day=dt.date(2020, 11, 2), type="BC", signer="", issue=False):
    document = services.register_draft(
        acting_user=SYSTEM,
        issuer=issuer,
        type=type,
        date=day,
        summary=summary,
        signer=signer or ("Văn thư" if issue else ""),
        signer_authority="tm",
        recipients="Lưu Văn phòng",
    )
    return services.issue(acting_user=SYSTEM, document=document) if issue else document


def found(user, **filters) -> list[int]:
    return [d.pk for d in search.find(user, **filters).documents]


def test_it_finds_dang_when_typed_dang(btghu, personas):
    wanted = add(btghu, "Kỷ niệm ngày thành lập Đảng Cộng sản Việt Nam")
    add(btghu, "Kế hoạch tuyên truyền biển đảo")
    assert found(personas.viewer, q="dang") == [wanted.pk]
    assert found(personas.viewer, q="ĐẢNG") == [wanted.pk]
    assert found(personas.viewer, q="Đảng cộng SAN") == [wanted.pk]


def test_it_matches_d_with_dd_both_ways(btghu, personas):
    stroke = add(btghu, "Hội nghị Ban Chấp hành Đảng bộ xã Đông Hòa")
    plain = add(btghu, "Báo cáo Dong Hoa (gõ không dấu)")
    assert set(found(personas.viewer, q="dong hoa")) == {stroke.pk, plain.pk}
    assert set(found(personas.viewer, q="Đông Hòa")) == {stroke.pk, plain.pk}
    # Old-style and new-style tone placement fold alike (Hoà / Hòa).
    assert set(found(personas.viewer, q="Hoà")) == {stroke.pk, plain.pk}


def test_it_wants_every_word_and_whole_words(btghu, personas):
    both = add(btghu, "Sơ kết học tập tư tưởng của Đảng")
    add(btghu, "Học tập chuyên đề năm 2021")
    assert found(personas.viewer, q="hoc tap dang") == [both.pk]
    assert found(personas.viewer, q="hoc tap tu tuong") == [both.pk]
    assert found(personas.viewer, q="dan") == []  # a syllable is a word: "dan" is not "dang"
    assert found(personas.viewer, q="   ") == found(personas.viewer)


def test_it_finds_a_symbol_as_printed_once_issued(btghu, ubnd, personas):
    report = add(btghu, "Báo cáo tháng", issue=True)
    plan = add(btghu, "Kế hoạch tháng", type="KH", issue=True)
    decision = add(ubnd, "Quyết định khen thưởng", type="QĐ", issue=True)
    assert (report.symbol, plan.symbol, decision.symbol) == (
        "01-BC/BTGHU",
        "01-KH/BTGHU",
        "01/QĐ-UBND",
    )
    assert found(personas.viewer, q="01-BC/BTGHU") == [report.pk]
    assert found(personas.viewer, q="01-bc/btghu") == [report.pk]
    assert found(personas.viewer, q="01/QD-UBND") == [decision.pk]
    # A typed symbol is a phrase: its pieces in that order, not anywhere.
    assert found(personas.viewer, q="BC/01") == []


def test_it_finds_the_signer(btghu, personas):
    signed = add(btghu, "Báo cáo", signer="Nguyễn Thị Đào")
    add(btghu, "Báo cáo", signer="Trần Văn An")
    assert found(personas.viewer, q="nguyen thi dao") == [signed.pk]


def test_it_filters_by_issuer_type_year_dates_and_status(btghu, ubnd, personas):
    a = add(btghu, "Báo cáo tuyên truyền", day=dt.date(2020, 3, 1), issue=True)
    b = add(btghu, "Kế hoạch tuyên truyền", day=dt.date(2021, 6, 1), type="KH")
    c = add(ubnd, "Báo cáo tuyên truyền", day=dt.date(2021, 12, 31), issue=True)
    user = personas.viewer
    for q in ("", "tuyen truyen"):  # without words the documents are searched directly
        assert set(found(user, q=q, issuer="BTGHU")) == {a.pk, b.pk}
        assert set(found(user, q=q, type="BC")) == {a.pk, c.pk}
        assert set(found(user, q=q, type="ke_hoach")) == {b.pk}
        assert set(found(user, q=q, year=2021)) == {b.pk, c.pk}
        assert set(found(user, q=q, date_from=dt.date(2021, 6, 1))) == {b.pk, c.pk}
        assert set(found(user, q=q, date_to=dt.date(2021, 6, 1))) == {a.pk, b.pk}
        assert set(
            found(user, q=q, date_from=dt.date(2021, 6, 2), date_to=dt.date(2021, 12, 31))
        ) == {c.pk}
        assert set(found(user, q=q, status="issued")) == {a.pk, c.pk}
        assert found(user, q=q, issuer="UBND", type="KH") == []


def test_it_pages_newest_first_with_the_total(btghu, personas):
    made = [
        add(btghu, f"Báo cáo số {n}", day=dt.date(2020, 1, 1) + dt.timedelta(days=n))
        for n in range(7)
    ]
    newest_first = [d.pk for d in reversed(made)]
    page = search.find(personas.viewer, q="bao cao", limit=3, offset=0)
    assert (page.total, [d.pk for d in page.documents]) == (7, newest_first[:3])
    page = search.find(personas.viewer, q="bao cao", limit=3, offset=6)
    assert (page.total, [d.pk for d in page.documents]) == (7, newest_first[6:])
    page = search.find(personas.viewer, limit=3, offset=3)
    assert (page.total, [d.pk for d in page.documents]) == (7, newest_first[3:6])
    past_the_end = search.find(personas.viewer, q="bao cao", limit=3, offset=20)
    assert (past_the_end.total, past_the_end.documents) == (7, [])
    # Words alone, for a user who sees everything: the index counts (a shortcut).
    page = search.find(personas.admin, q="bao cao", limit=3, offset=3)
    assert (page.total, [d.pk for d in page.documents]) == (7, newest_first[3:6])


def test_it_shows_each_user_only_the_registers_they_may_view(org, btghu, personas):
    theirs = factories.make_unit("BTGD2", kind_code="board", parent=org.d2, abbreviation="BTG")
    mine = add(btghu, "Kế hoạch tuyên truyền")
    hidden = add(theirs, "Kế hoạch tuyên truyền")
    assert found(personas.viewer, q="tuyen truyen") == [mine.pk]
    assert found(personas.outsider, q="tuyen truyen") == [hidden.pk]
    assert set(found(personas.admin, q="tuyen truyen")) == {mine.pk, hidden.pk}
    assert search.find(personas.nobody, q="tuyen truyen").total == 0
    # The total counts only what the user may see.
    assert search.find(personas.outsider, q="tuyen truyen", limit=0).total == 1


def test_a_unit_that_merged_away_stays_visible_from_above_and_after(org, btghu, personas):
    """GIVEN a commune of D1 with a document, merged on 1 July 2025 into a commune of D2,
    WHEN D1's viewer, the merged commune's viewer and D2's manager search, THEN the first
    two see it (the commune was under D1 on its last day; it went into the second's
    unit) and D2's manager does not: the policy's rules, applied in SQL."""
    old = factories.make_unit("C9", kind_code="commune", parent=org.d1, abbreviation="X9")
    new = factories.make_unit("C10", kind_code="commune", parent=org.d2, abbreviation="X10")
    document = add(old, "Báo cáo cuối cùng trước sáp nhập", day=dt.date(2024, 12, 1))
    org_services.merge_units(
        acting_user=SYSTEM, predecessors=[old], into=new, on=dt.date(2025, 7, 1)
    )
    successor = factories.make_user("xa_moi", unit=new, role="viewer")
    assert found(personas.viewer, q="sap nhap") == [document.pk]
    assert found(successor, q="sap nhap") == [document.pk]
    assert found(personas.outsider, q="sap nhap") == []
    units = list(Unit.objects.all())
    for user in (personas.viewer, successor, personas.outsider, personas.reporter, personas.nobody):
        for today in (dt.date(2025, 6, 30), dt.date(2026, 1, 1)):
            expected = {u.pk for u in policy.allowed(user, "view", units, today=today)}
            assert policy.visible_unit_ids(user, today=today) == expected


def test_the_services_keep_the_index_in_step(btghu, ubnd, personas):
    draft = add(btghu, "Báo cáo công tác dân vận")
    assert SearchEntry.objects.get(document=draft).text == "bao cao cong tac dan van"
    services.update_draft(acting_user=SYSTEM, document=draft, signer="Lê Văn Ký")
    assert found(personas.viewer, q="le van ky") == [draft.pk]
    issued = services.issue(acting_user=SYSTEM, document=draft)
    assert found(personas.viewer, q=issued.symbol) == [draft.pk]
    incoming = services.register_incoming(
        acting_user=SYSTEM,
        unit=ubnd,
        type="CV",
        symbol="217-CV/HU",
        date=dt.date(2021, 3, 1),
        summary="Về việc tổ chức Tết trồng cây",
        issuer_name="Huyện ủy Vĩnh Thuận",
        profile="party",
    )
    assert found(personas.viewer, q="217-CV/HU") == [incoming.pk]
    assert found(personas.viewer, q="huyen uy vinh thuan") == [incoming.pk]


def test_rebuild_writes_every_entry_again(btghu, personas):
    documents = [add(btghu, "Thông báo kết luận"), add(btghu, "Thông báo lịch họp")]
    SearchEntry.objects.all().delete()
    assert found(personas.viewer, q="thong bao") == []
    assert search.rebuild() == 2
    assert set(found(personas.viewer, q="thong bao")) == {d.pk for d in documents}


def test_the_queryset_search_keeps_its_signature(btghu):
    wanted = add(btghu, "Chỉ thị về phòng chống thiên tai", type="CT")
    add(btghu, "Chỉ thị khác", type="CT")
    narrowed = search.search(Document.objects.all(), q="thien tai", type="CT", year=2020)
    assert list(narrowed) == [wanted]


# --- the API: GET /api/v1/documents ------------------------------------------------------


def test_the_api_pages_and_gives_the_total_in_a_header(btghu, personas, api):
    for n in range(5):
        add(btghu, f"Báo cáo Đảng vụ {n}", day=dt.date(2020, 1, 1) + dt.timedelta(days=n))
    client = api(personas.viewer)
    response = client.get("documents", q="dang vu", limit=2, offset=1)
    assert response.status_code == 200, response.content
    assert response["X-Total-Count"] == "5"
    assert [d["summary"] for d in response.json()] == ["Báo cáo Đảng vụ 3", "Báo cáo Đảng vụ 2"]
    dated = client.get("documents", q="dang", **{"from": "2020-01-02", "to": "2020-01-03"})
    assert [d["summary"] for d in dated.json()] == ["Báo cáo Đảng vụ 2", "Báo cáo Đảng vụ 1"]
    assert dated["X-Total-Count"] == "2"


def test_the_api_shows_an_outsider_none_of_it(btghu, personas, api):
    add(btghu, "Báo cáo Đảng vụ")
    response = api(personas.outsider).get("documents", q="dang")
    assert (response.status_code, response.json(), response["X-Total-Count"]) == (200, [], "0")
    assert api(personas.nobody).get("documents", q="dang").status_code == 403
    assert api(None).get("documents", q="dang").status_code == 401


@pytest.mark.parametrize(
    "params",
    [{"limit": 501}, {"limit": -1}, {"offset": -1}, {"from": "31/12/2020"}, {"year": "2020x"}],
)
def test_the_api_refuses_bad_paging_and_dates(btghu, personas, api, params):
    response = api(personas.viewer).get("documents", q="dang", **params)
    assert response.status_code == 400, response.content
    assert response.json()["error"]["code"] == "invalid_input"
