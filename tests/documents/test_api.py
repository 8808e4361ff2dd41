"""The document register API contract (issue 5), its forbidden cases and its bad input."""

import datetime as dt

import pytest

from tests.factories import SIGNED, SYSTEM
from trienkhai.documents import services
from trienkhai.documents.models import Document, DocumentLink

DRAFT = {
    "issuer": "BTGHU",
    "type": "BC",
    "date": "2020-11-02",
    "summary": "Báo cáo kết quả",
    **SIGNED,
}


def test_it_registers_a_draft_and_issues_it(btghu, personas, api):
    client = api(personas.manager)
    created = client.post("documents", DRAFT)
    assert created.status_code == 201, created.content
    body = created.json()
    assert (body["status"], body["number"], body["symbol"], body["type"]) == (
        "draft",
        None,
        "",
        "BC",
    )
    issued = client.post(f"documents/{body['id']}/issue")
    assert issued.status_code == 200, issued.content
    assert issued.json() == {"id": body["id"], "number": 1, "symbol": "01-BC/BTGHU"}


def test_it_searches_ignoring_accents_and_matching_d_with_dd(btghu, ubnd, personas, api):
    client = api(personas.manager)
    wanted = client.post("documents", {**DRAFT, "summary": "Sơ kết học tập tư tưởng của Đảng"})
    client.post(f"documents/{wanted.json()['id']}/issue")
    client.post("documents", {**DRAFT, "summary": "Kế hoạch tuyên truyền"})
    client.post("documents", {**DRAFT, "issuer": "UBND", "date": "2021-01-04"})
    found = client.get("documents", q="dang")
    assert found.status_code == 200
    assert [(d["symbol"], d["type"], d["status"]) for d in found.json()] == [
        ("01-BC/BTGHU", "BC", "issued")
    ]
    assert {d["id"] for d in found.json()} == {wanted.json()["id"]}
    assert len(client.get("documents", q="01-bc/btghu").json()) == 1
    assert len(client.get("documents", issuer="UBND").json()) == 1
    assert len(client.get("documents", year=2020, type="BC").json()) == 2
    assert client.get("documents", year=2019).json() == []


def test_it_shows_an_outsider_nothing_of_anothers_register(btghu, personas, api):
    api(personas.manager).post("documents", DRAFT)
    assert api(personas.outsider).get("documents").json() == []
    document = Document.objects.get()
    assert api(personas.outsider).get(f"documents/{document.pk}").status_code == 403
    assert api(personas.viewer).get(f"documents/{document.pk}").status_code == 200


def test_it_refuses_an_outsider(btghu, personas, api):
    client = api(personas.outsider)
    assert client.post("documents", DRAFT).status_code == 403
    draft = api(personas.manager).post("documents", DRAFT).json()
    assert client.post(f"documents/{draft['id']}/issue").status_code == 403
    assert Document.objects.get().number is None


@pytest.mark.parametrize("persona", ["reporter", "viewer"])
def test_it_refuses_registering_without_change_rights(btghu, personas, api, persona):
    assert api(getattr(personas, persona)).post("documents", DRAFT).status_code == 403
    assert not Document.objects.exists()


def test_it_answers_anonymous_with_401(btghu, api):
    assert api(None).post("documents", DRAFT).status_code == 401
    assert api(None).get("documents").status_code == 401


def test_it_refuses_the_wrong_method(btghu, personas, api):
    assert api(personas.manager).delete("documents").status_code == 405


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"type": "XX"}, "unknown_type"),
        ({"type": "bc"}, "unknown_type"),
        ({"date": "2000-01-01"}, "issuer_not_existing"),
        ({"summary": "  "}, "empty_summary"),
        ({"issuer": "NOPE"}, "unknown_unit"),
        ({"date": "02/11/2020x"}, "invalid_input"),
    ],
)
def test_it_refuses_bad_input_and_saves_nothing(btghu, personas, api, change, code):
    response = api(personas.manager).post("documents", {**DRAFT, **change})
    assert response.status_code == 400, response.content
    assert response.json()["error"]["code"] == code
    assert "/" in response.json()["error"]["message"]  # bilingual
    assert not Document.objects.exists()


def test_it_refuses_a_duplicate_incoming_document(btghu, ubnd, personas, api):
    client = api(personas.manager)
    incoming = {
        "unit": "UBND",
        "issuer": "BTGHU",
        "type": "BC",
        "symbol": "04-BC/BTGHU",
        "date": "2020-11-02",
        "summary": "Báo cáo",
    }
    first = client.post("documents/incoming", incoming)
    assert first.status_code == 201, first.content
    assert first.json()["status"] == "received"
    again = client.post("documents/incoming", incoming)
    assert again.status_code == 409
    assert again.json()["error"]["code"] == "duplicate_incoming"
    assert Document.objects.count() == 1


def test_it_cancels_and_keeps_the_number(btghu, personas, api):
    client = api(personas.manager)
    draft = client.post("documents", DRAFT).json()
    client.post(f"documents/{draft['id']}/issue")
    cancelled = client.post(f"documents/{draft['id']}/cancel", {"reason": "Sai số liệu"})
    assert cancelled.status_code == 200, cancelled.content
    assert (cancelled.json()["status"], cancelled.json()["number"]) == ("cancelled", 1)
    again = client.post("documents", DRAFT).json()
    assert client.post(f"documents/{again['id']}/issue").json()["number"] == 2
    assert client.post(f"documents/{draft['id']}/issue").status_code == 409


def test_the_list_costs_the_same_queries_for_3_or_30_documents(
    btghu, personas, api, django_assert_max_num_queries
):
    def add(n):
        for _ in range(n):
            services.register_draft(
                **SIGNED,
                acting_user=SYSTEM,
                issuer=btghu,
                type="BC",
                date=dt.date(2020, 11, 2),
                summary="Báo cáo",
            )

    client = api(personas.viewer)
    add(3)
    with django_assert_max_num_queries(12) as few:
        assert len(client.get("documents").json()) == 3
    add(27)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(client.get("documents").json()) == 30


def test_it_links_a_plan_to_the_directive_it_implements(btghu, ubnd, personas, api):
    client = api(personas.manager)
    directive = client.post("documents", {**DRAFT, "type": "CT"}).json()
    plan = client.post("documents", {**DRAFT, "issuer": "UBND", "type": "KH"}).json()
    body = {"target": directive["id"], "kind": "implements"}
    made = client.post(f"documents/{plan['id']}/links", body)
    assert made.status_code == 201, made.content
    assert made.json() == {"source": plan["id"], "target": directive["id"], "kind": "implements"}
    assert client.post(f"documents/{plan['id']}/links", body).status_code == 409
    assert client.post(f"documents/{plan['id']}/links", {**body, "kind": "x"}).status_code == 400
    self_link = {"target": plan["id"], "kind": "replaces"}
    assert client.post(f"documents/{plan['id']}/links", self_link).status_code == 400
    assert api(personas.viewer).post(f"documents/{plan['id']}/links", body).status_code == 403
    assert DocumentLink.objects.count() == 1


@pytest.mark.parametrize(
    "params",
    [{"year": 10**20}, {"year": 99999}, {"offset": 10**20}, {"offset": 2**63}, {"limit": 10**20}],
)
def test_it_refuses_numbers_the_database_cannot_take_with_400(personas, api, params):
    response = api(personas.manager).get("documents", **params)
    assert response.status_code == 400, response.content
