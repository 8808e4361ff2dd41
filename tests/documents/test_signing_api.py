"""/api/v1 for signatures: a unit's seal, sealing, the PDF as it stands, verifying, the
signer's one-time links; each with its forbidden cases. And the document page."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from tests.documents.pki import PASSWORD, pkcs12, pki, tool_sign
from trienkhai.accounts.services import issue_token
from trienkhai.documents import signing
from trienkhai.documents.models import SignedPdf, SigningLink, UnitSeal
from trienkhai.documents.signing import specimens


def client(user=None) -> Client:
    headers = {"Authorization": f"Bearer {issue_token(user=user)}"} if user else {}
    return Client(headers=headers)


def seal_upload(data: bytes, password: str = PASSWORD) -> dict:
    return {
        "file": SimpleUploadedFile("don-vi.p12", data, content_type="application/x-pkcs12"),
        "password": password,
        "image": SimpleUploadedFile(
            "dau.png", specimens.seal_png("BTGHU"), content_type="image/png"
        ),
    }


def pdf_upload(data: bytes, name: str = "file") -> dict:
    return {name: SimpleUploadedFile("van-ban.pdf", data, content_type="application/pdf")}


def test_it_configures_a_unit_s_seal(btghu, personas):
    answer = client(personas.manager).post(
        "/api/v1/units/BTGHU/seal", seal_upload(pkcs12(pki().organisation))
    )
    assert answer.status_code == 200, answer.content
    assert answer.json()["subject"] == "Ban Tuyen giao Huyen uy"
    assert UnitSeal.objects.get().unit == btghu


def test_it_refuses_a_wrong_password_in_vietnamese_and_keeps_nothing(btghu, personas):
    for data, password in ((pkcs12(pki().organisation), "sai"), (b"\x30\x82 junk", PASSWORD)):
        answer = client(personas.manager).post(
            "/api/v1/units/BTGHU/seal", seal_upload(data, password)
        )
        assert answer.status_code == 400
        error = answer.json()["error"]
        assert error["code"] == "invalid_pkcs12"
        assert error["message"].startswith(
            "Tệp chứng thư số (PKCS#12, .p12/.pfx) hỏng, sai mật khẩu"
        )
    assert not UnitSeal.objects.exists()


def test_it_keeps_the_seal_to_those_who_may_change_the_unit(btghu, personas):
    data = pkcs12(pki().organisation)
    assert (
        client(personas.outsider).post("/api/v1/units/BTGHU/seal", seal_upload(data)).status_code
        == 403
    )
    assert (
        client(personas.viewer).post("/api/v1/units/BTGHU/seal", seal_upload(data)).status_code
        == 403
    )
    assert client().post("/api/v1/units/BTGHU/seal", seal_upload(data)).status_code == 401
    assert client(personas.manager).get("/api/v1/units/BTGHU/seal").status_code == 405
    assert not UnitSeal.objects.exists()


def test_it_seals_and_serves_the_pdf_as_it_now_stands(issued, sealed_unit, personas):
    answer = client(personas.manager).post(f"/api/v1/documents/{issued.pk}/sign")
    assert answer.status_code == 200, answer.content
    assert {k: answer.json()[k] for k in ("signer", "intact", "trusted", "status")} == {
        "signer": "Ban Tuyen giao Huyen uy",
        "intact": True,
        "trusted": True,
        "status": "valid",
    }
    pdf = client(personas.viewer).get(f"/api/v1/documents/{issued.pk}/pdf")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert pdf.content == signing.current_pdf(issued).data
    found = client(personas.viewer).get(f"/api/v1/documents/{issued.pk}/signatures").json()
    assert [(s["signer"], s["status"], s["chain"]) for s in found] == [
        ("Ban Tuyen giao Huyen uy", "valid", ["Ban Tuyen giao Huyen uy", "Test Root CA"])
    ]
    assert set(found[0]) >= {"signer", "organisation", "signed_at", "intact", "trusted", "chain"}


def test_it_refuses_sealing_to_another_unit_s_user(issued, sealed_unit, personas):
    url = f"/api/v1/documents/{issued.pk}/sign"
    assert client(personas.outsider).post(url).status_code == 403
    assert client(personas.viewer).post(url).status_code == 403
    assert client().post(url).status_code == 401
    assert client(personas.manager).get(url).status_code == 405
    for path in ("pdf", "signatures"):
        assert (
            client(personas.outsider).get(f"/api/v1/documents/{issued.pk}/{path}").status_code
            == 403
        )
        assert client().get(f"/api/v1/documents/{issued.pk}/{path}").status_code == 401
    assert not SignedPdf.objects.exists()


def test_it_verifies_any_pdf_posted(issued, personas):
    signed = tool_sign(signing.current_pdf(issued).data, pki().stranger, pki().other)
    answer = client(personas.outsider).post("/api/v1/signatures/verify", pdf_upload(signed))
    assert answer.status_code == 200
    assert [(s["signer"], s["status"]) for s in answer.json()] == [("Nguoi La", "untrusted")]
    refused = client(personas.viewer).post("/api/v1/signatures/verify", pdf_upload(b"hello"))
    assert refused.status_code == 400 and refused.json()["error"]["code"] == "not_a_pdf"
    assert client().post("/api/v1/signatures/verify", pdf_upload(signed)).status_code == 401
    assert client(personas.viewer).get("/api/v1/signatures/verify").status_code == 405


def test_it_hands_the_signer_s_tool_one_time_urls(issued, personas):
    """GIVEN the manager opens a signing link WHEN the tool (no session) downloads the PDF,
    signs it and posts it back THEN it is kept; the link then answers 410."""
    answer = client(personas.manager).post(f"/api/v1/documents/{issued.pk}/signing-links")
    assert answer.status_code == 201, answer.content
    urls = answer.json()
    assert urls["vgca"]["FileUploadHandler"] == urls["upload_url"]
    tool = Client()
    handed = tool.get(urls["download_url"])
    assert handed.status_code == 200
    back = tool.post(
        urls["upload_url"], pdf_upload(tool_sign(handed.content, pki().person), "uploadfile")
    )
    assert back.status_code == 200, back.content
    assert back.json()["signature"]["status"] == "valid" and back.json()["Status"] == 0
    assert tool.get(urls["download_url"]).status_code == 410
    assert SignedPdf.objects.get().kind == "personal"


def test_it_keeps_nothing_that_comes_back_unsigned(issued, personas):
    urls = client(personas.manager).post(f"/api/v1/documents/{issued.pk}/signing-links").json()
    handed = Client().get(urls["download_url"]).content
    back = Client().post(urls["upload_url"], pdf_upload(handed, "uploadfile"))
    assert back.status_code == 400 and back.json()["error"]["code"] == "not_the_document"
    assert not SignedPdf.objects.exists() and SigningLink.objects.get().used is None
    assert Client().get("/api/v1/signing/not-a-token/pdf").status_code == 404


def test_it_refuses_signing_links_to_another_unit_s_user(issued, personas):
    url = f"/api/v1/documents/{issued.pk}/signing-links"
    assert client(personas.outsider).post(url).status_code == 403
    assert client(personas.viewer).post(url).status_code == 403
    assert client().post(url).status_code == 401
    assert client(personas.manager).get(url).status_code == 405
    assert not SigningLink.objects.exists()


def test_it_shows_the_signatures_on_the_document_page(issued, sealed_unit, personas, web):
    page = web(personas.manager).get(f"/van-ban/{issued.pk}/")
    assert "Đóng dấu phát hành" in page.content.decode()
    sealed = web(personas.manager).post(f"/van-ban/{issued.pk}/dong-dau/", follow=True)
    text = sealed.content.decode()
    assert "Chữ ký hợp lệ" in text and "Ban Tuyen giao Huyen uy" in text
    assert "Đóng dấu phát hành (chữ ký số" not in text, "sealed once"
    viewer = web(personas.viewer).get(f"/van-ban/{issued.pk}/").content.decode()
    assert "Chữ ký hợp lệ" in viewer and "Đóng dấu phát hành" not in viewer
    assert web(personas.outsider).post(f"/van-ban/{issued.pk}/dong-dau/").status_code == 403
    assert web(personas.manager).get(f"/van-ban/{issued.pk}/dong-dau/").status_code == 405
    assert SignedPdf.objects.count() == 1


def test_it_opens_the_personal_signing_page(issued, personas, web):
    page = web(personas.manager).post(f"/van-ban/{issued.pk}/ky-so/")
    assert page.status_code == 200
    assert "/api/v1/signing/" in page.content.decode() and "vgca-argument" in page.content.decode()
    assert web(personas.outsider).post(f"/van-ban/{issued.pk}/ky-so/").status_code == 403
    assert web().post(f"/van-ban/{issued.pk}/ky-so/").status_code == 302
    assert SigningLink.objects.count() == 1


@pytest.fixture(autouse=True)
def _media(roots):
    return roots
