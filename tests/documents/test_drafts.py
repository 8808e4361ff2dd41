"""Changing a draft (PATCH /api/v1/documents/{id}, the edit page) and what a number needs:
a signer, an authority and Nơi nhận; the page asks before taking it (issue 13)."""

import datetime as dt

from tests.factories import SYSTEM
from trienkhai.documents import services
from trienkhai.documents.models import Document, NumberSeries

RECIPIENTS = "- Thường trực Huyện ủy (để báo cáo),\n- Lưu Ban Tuyên giáo."


def bare(btghu) -> Document:
    return services.register_draft(
        acting_user=SYSTEM, issuer=btghu, type="BC", date=dt.date(2020, 11, 2), summary="Báo cáo"
    )


def test_patch_changes_a_draft_and_keeps_its_lines(btghu, personas, api):
    draft = bare(btghu)
    client = api(personas.manager)
    body = {
        "summary": "Kết quả  học tập\r\nnăm 2020 ",
        "recipients": RECIPIENTS.replace("\n", "\r\n"),
        "signer": " Trần  Văn B ",
        "signer_authority": "kt",
        "date": "2020-11-03",
    }
    changed = client.patch(f"documents/{draft.pk}", body)
    assert changed.status_code == 200, changed.content
    got = changed.json()
    assert (got["summary"], got["recipients"], got["signer"]) == (
        "Kết quả học tập\nnăm 2020",
        RECIPIENTS,
        "Trần Văn B",
    )
    assert (got["signer_authority"], got["date"], got["status"]) == ("kt", "2020-11-03", "draft")
    again = client.patch(f"documents/{draft.pk}", {"recipients": got["recipients"]})
    assert again.json() == got  # the same text saved again is the same text
    assert (
        client.patch(f"documents/{draft.pk}", {"signer": "Lê C"}).json()["recipients"] == RECIPIENTS
    )


def test_patch_refuses_bad_input_an_issued_document_and_outsiders(btghu, personas, api):
    draft = bare(btghu)
    client = api(personas.manager)
    for body, code in [
        ({"summary": "  "}, "empty_summary"),
        ({"signer_authority": "boss"}, "invalid_authority"),
        ({"date": "1990-01-01"}, "issuer_not_existing"),
        ({"summary": None}, "null_field"),
        ({"signer": "A" * 101}, "signer_too_long"),
    ]:
        refused = client.patch(f"documents/{draft.pk}", body)
        assert refused.status_code == 400, (body, refused.content)
        assert refused.json()["error"]["code"] == code
    assert client.patch(f"documents/{draft.pk}", {"date": "not a date"}).status_code == 400
    assert api(personas.outsider).patch(f"documents/{draft.pk}", {"signer": "X"}).status_code == 403
    assert api(personas.viewer).patch(f"documents/{draft.pk}", {"signer": "X"}).status_code == 403
    assert api(None).patch(f"documents/{draft.pk}", {"signer": "X"}).status_code == 401
    assert client.patch("documents/999999", {"signer": "X"}).status_code == 404
    stored = Document.objects.get(pk=draft.pk)
    assert (stored.summary, stored.signer, stored.date) == ("Báo cáo", "", dt.date(2020, 11, 2))
    client.patch(
        f"documents/{draft.pk}", {"signer": "A", "signer_authority": "own", "recipients": "Lưu"}
    )
    assert client.post(f"documents/{draft.pk}/issue").status_code == 200
    issued = client.patch(f"documents/{draft.pk}", {"signer": "B"})
    assert issued.status_code == 409 and issued.json()["error"]["code"] == "not_a_draft"


def test_a_number_needs_a_signer_an_authority_and_recipients(btghu, personas, api):
    draft = bare(btghu)
    client = api(personas.manager)
    refused = client.post(f"documents/{draft.pk}/issue")
    assert refused.status_code == 400
    error = refused.json()["error"]
    assert error["code"] == "missing_to_issue"
    assert error["details"] == ["signer", "signer_authority", "recipients"]
    assert "người ký, thẩm quyền ký, nơi nhận" in error["message"]
    client.patch(f"documents/{draft.pk}", {"signer": "Trần Văn B", "recipients": RECIPIENTS})
    assert client.post(f"documents/{draft.pk}/issue").json()["error"]["details"] == [
        "signer_authority"
    ]
    assert not NumberSeries.objects.filter(last_number__gt=0).exists()
    assert Document.objects.get(pk=draft.pk).status == "draft"


def test_the_page_names_the_number_before_taking_it(btghu, personas, web):
    draft = bare(btghu)
    client = web(personas.manager)
    missing = client.post(f"/van-ban/{draft.pk}/ban-hanh/")
    assert missing.status_code == 400
    assert "còn thiếu người ký, thẩm quyền ký, nơi nhận" in missing.content.decode()
    edit = {
        "date": "02/11/2020",
        "summary": "Báo cáo",
        "signer": "Trần Văn B",
        "signer_authority": "own",
        "recipients": RECIPIENTS.replace("\n", "\r\n"),
    }
    assert client.post(f"/van-ban/{draft.pk}/sua/", edit).status_code == 302
    assert Document.objects.get(pk=draft.pk).recipients == RECIPIENTS
    asked = client.post(f"/van-ban/{draft.pk}/ban-hanh/")
    assert asked.status_code == 200 and "Cấp số 01-BC/BTGHU?" in asked.content.decode()
    assert Document.objects.get(pk=draft.pk).status == "draft"
    # Another draft takes 01 meanwhile: the page asks again, naming 02.
    other = bare(btghu)
    services.update_draft(
        acting_user=SYSTEM, document=other, signer="A", signer_authority="own", recipients="Lưu"
    )
    services.issue(acting_user=SYSTEM, document=other)
    stale = client.post(f"/van-ban/{draft.pk}/ban-hanh/", {"so": "01-BC/BTGHU"})
    assert "Cấp số 02-BC/BTGHU?" in stale.content.decode()
    assert client.post(f"/van-ban/{draft.pk}/ban-hanh/", {"so": "02-BC/BTGHU"}).status_code == 302
    assert Document.objects.get(pk=draft.pk).symbol == "02-BC/BTGHU"
    page = client.get(f"/van-ban/{draft.pk}/").content.decode()
    assert "- Thường trực Huyện ủy (để báo cáo),<br>- Lưu Ban Tuyên giáo." in page
    assert client.get(f"/van-ban/{draft.pk}/sua/").status_code == 302  # issued: no more edits
    assert web(personas.outsider).get(f"/van-ban/{other.pk}/sua/").status_code == 403


def test_the_page_prints_the_signers_authority_as_its_system_does(btghu, personas, web):
    """A Party document signed by a deputy reads "Lê Văn Ký (K/T)", not the choice's
    label naming both systems ("K/T, KT.")."""
    draft = bare(btghu)
    services.update_draft(
        acting_user=SYSTEM, document=draft, signer="Lê Văn Ký", signer_authority="kt"
    )
    page = web(personas.manager).get(f"/van-ban/{draft.pk}/").content.decode()
    assert "Lê Văn Ký (K/T)" in page and "K/T, KT." not in page


def test_the_openapi_schema_declares_the_patch(api, personas):
    schema = api(personas.viewer).get("openapi.json").json()
    patch = schema["paths"]["/api/v1/documents/{document_id}"]["patch"]
    body = patch["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    fields = schema["components"]["schemas"][body.rsplit("/", 1)[1]]["properties"]
    assert set(fields) == {"summary", "recipients", "signer", "signer_authority", "date"}


def issue_form(page: str) -> str:
    """The issue form of a document page, as served."""
    return page.split('class="issue"', 1)[1].split("</form>", 1)[0]


def test_the_issue_button_is_off_and_says_what_is_missing(btghu, personas, web):
    """GIVEN a draft without signer, authority or Nơi nhận WHEN its page opens THEN the
    issue button is disabled and says, beside it, what to fill in; once filled, it is on.
    The refusal on the server stays (test_the_page_names_the_number_before_taking_it)."""
    draft = bare(btghu)
    client = web(personas.manager)
    form = issue_form(client.get(f"/van-ban/{draft.pk}/").content.decode())
    assert 'disabled aria-describedby="issue-blocked"' in form
    assert "Cần ghi người ký, thẩm quyền ký, nơi nhận trước khi ban hành." in form
    services.update_draft(acting_user=SYSTEM, document=draft, signer="A", signer_authority="own")
    form = issue_form(client.get(f"/van-ban/{draft.pk}/").content.decode())
    assert "Cần ghi nơi nhận trước khi ban hành." in form and "disabled" in form
    services.update_draft(acting_user=SYSTEM, document=draft, recipients="Lưu")
    form = issue_form(client.get(f"/van-ban/{draft.pk}/").content.decode())
    assert "disabled" not in form and "issue-blocked" not in form
    viewer = web(personas.viewer).get(f"/van-ban/{draft.pk}/").content.decode()
    assert 'class="issue"' not in viewer and "Cần ghi" not in viewer


def test_the_issue_button_is_off_while_the_issuer_has_no_abbreviation(btghu, personas, web):
    from trienkhai.orgs.models import UnitVersion

    draft = bare(btghu)
    services.update_draft(
        acting_user=SYSTEM, document=draft, signer="A", signer_authority="own", recipients="Lưu"
    )
    UnitVersion.objects.filter(unit=btghu).update(abbreviation="")
    client = web(personas.manager)
    form = issue_form(client.get(f"/van-ban/{draft.pk}/").content.decode())
    assert "disabled" in form and "chưa có tên viết tắt" in form
    refused = client.post(f"/van-ban/{draft.pk}/ban-hanh/", follow=True)
    assert "chưa có tên viết tắt" in refused.content.decode()
    assert Document.objects.get(pk=draft.pk).status == "draft"
