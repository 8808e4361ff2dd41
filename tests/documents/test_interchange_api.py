"""/api/v1/documents/…/edxml and the edXML pages: the contract, and who may do what."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests import hostile as h
from tests.documents.test_attachments import _media  # noqa: F401
from tests.documents.test_interchange import DU1_ID, HU_ID, coded, sent  # noqa: F401
from trienkhai.documents import interchange
from trienkhai.documents.models import Document, InterchangeStatus, ReceivedPackage


def upload(api_client, path: str, data: bytes, **fields):
    return api_client.client.post(
        path,
        {"file": SimpleUploadedFile("goi.xml", data, content_type="application/xml"), **fields},
        headers=api_client.headers,
    )


def test_it_exports_an_issued_document(sent, personas, api):  # noqa: F811
    response = api(personas.viewer).get(f"documents/{sent.pk}/edxml", to=DU1_ID)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/xml"
    assert response["Content-Disposition"] == 'attachment; filename="edxml-01-cv-hu.xml"'
    assert f"<edXML:OrganId>{DU1_ID}</edXML:OrganId>".encode() in response.content


def test_export_refusals(sent, personas, api, district):  # noqa: F811
    assert api(personas.outsider).get(f"documents/{sent.pk}/edxml").status_code == 403
    assert api().get(f"documents/{sent.pk}/edxml").status_code == 401
    assert api(personas.manager).post(f"documents/{sent.pk}/edxml").status_code == 405
    unknown = api(personas.manager).get(f"documents/{sent.pk}/edxml", to="NOWHERE")
    assert unknown.status_code == 400 and unknown.json()["error"]["code"] == "unknown_receiver"


def test_it_imports_a_package_and_refuses_it_twice(sent, personas, api):  # noqa: F811
    package = interchange.export_package(sent, to=[DU1_ID])
    made = upload(api(personas.manager), "/api/v1/documents/incoming/edxml", package)
    assert made.status_code == 201, made.content
    body = made.json()
    assert (body["unit"], body["symbol"], body["direction"]) == ("DU1", "01-CV/HU", "incoming")
    assert body["received_number"] == 1
    again = upload(api(personas.manager), "/api/v1/documents/incoming/edxml", package)
    assert again.status_code == 409 and again.json()["error"]["code"] == "duplicate_package"
    assert ReceivedPackage.objects.count() == 1


def test_it_imports_into_the_unit_given_when_to_names_none(sent, personas, api):  # noqa: F811
    package = interchange.export_package(sent)
    without = upload(api(personas.manager), "/api/v1/documents/incoming/edxml", package)
    assert without.status_code == 400 and without.json()["error"]["code"] == "unit_required"
    made = upload(api(personas.manager), "/api/v1/documents/incoming/edxml", package, unit="CB1")
    assert made.status_code == 201 and made.json()["unit"] == "CB1"


def test_import_refusals(sent, personas, api):  # noqa: F811
    package = interchange.export_package(sent, to=[DU1_ID])
    path = "/api/v1/documents/incoming/edxml"
    assert upload(api(personas.outsider), path, package).status_code == 403
    assert upload(api(personas.viewer), path, package).status_code == 403
    assert upload(api(personas.outsider), path, package, unit="CB1").status_code == 403
    assert upload(api(), path, package).status_code == 401
    assert api(personas.manager).get(path).status_code == 405
    hostile = upload(api(personas.manager), path, h.XXE + b"<r>&xxe;</r>")
    assert hostile.status_code == 400 and hostile.json()["error"]["code"] == "unsafe_xml"
    assert not Document.objects.filter(direction="incoming").exists()


def test_statuses_through_the_api(sent, personas, api):  # noqa: F811
    received = interchange.import_package(
        acting_user=personas.manager, data=interchange.export_package(sent, to=[DU1_ID])
    )
    path = f"documents/{received.pk}/edxml/statuses"
    made = api(personas.manager).post(path, {"status": "processing", "description": "Đang xử lý"})
    assert made.status_code == 201
    assert made.json()["code"] == "05" and made.json()["delivered"] is False
    listed = api(personas.viewer).get(path).json()
    assert [(s["status"], s["direction"]) for s in listed] == [
        ("received", "sent"),
        ("processing", "sent"),
    ]
    assert api(personas.viewer).post(path, {"status": "done"}).status_code == 403
    assert api(personas.outsider).get(path).status_code == 403
    bad = api(personas.manager).post(path, {"status": "lost"})
    assert bad.status_code == 400 and bad.json()["error"]["code"] == "invalid_status"

    message = interchange.status_message(InterchangeStatus.objects.get(code="05"))
    refused = upload(api(personas.outsider), "/api/v1/documents/edxml/statuses", message)
    assert refused.status_code == 403
    taken = upload(api(personas.manager), "/api/v1/documents/edxml/statuses", message)
    assert taken.status_code == 201, taken.content
    assert (taken.json()["document"], taken.json()["direction"]) == (sent.pk, "received")
    assert taken.json()["organ_id"] == DU1_ID


def test_the_document_page_links_the_package_and_shows_statuses(sent, personas, web):  # noqa: F811
    page = web(personas.viewer).get(f"/van-ban/{sent.pk}/").content.decode()
    assert f'href="/api/v1/documents/{sent.pk}/edxml"' in page and "Tải gói edXML" in page
    received = interchange.import_package(
        acting_user=personas.manager, data=interchange.export_package(sent, to=[DU1_ID])
    )
    page = web(personas.viewer).get(f"/van-ban/{received.pk}/").content.decode()
    assert "Tải gói edXML" not in page  # an incoming document is not re-exported
    assert "Trạng thái liên thông" in page and "Đã đến" in page


def test_the_incoming_register_imports_a_package(sent, personas, web):  # noqa: F811
    register = web(personas.manager).get("/van-ban/?don-vi=DU1&so=den").content.decode()
    assert 'action="/van-ban/don-vi/DU1/nhap-edxml/"' in register
    viewer_page = web(personas.viewer).get("/van-ban/?don-vi=DU1&so=den").content.decode()
    assert "nhap-edxml" not in viewer_page

    package = interchange.export_package(sent)
    path = "/van-ban/don-vi/DU1/nhap-edxml/"
    file = SimpleUploadedFile("goi.xml", package)
    made = web(personas.manager).post(path, {"file": file})
    received = Document.objects.get(direction="incoming")
    assert made.status_code == 302 and made["Location"] == f"/van-ban/{received.pk}/"
    again = web(personas.manager).post(path, {"file": SimpleUploadedFile("goi.xml", package)})
    assert again.status_code == 409 and "đã vào sổ" in again.content.decode()


@pytest.mark.parametrize("persona", ["outsider", "viewer"])
def test_the_import_page_refuses_who_may_not_register(sent, personas, web, persona):  # noqa: F811
    client = web(getattr(personas, persona))
    assert client.get("/van-ban/don-vi/DU1/nhap-edxml/").status_code == 403
    posted = client.post(
        "/van-ban/don-vi/DU1/nhap-edxml/",
        {"file": SimpleUploadedFile("goi.xml", interchange.export_package(sent))},
    )
    assert posted.status_code == 403
    assert not Document.objects.filter(direction="incoming").exists()


def test_the_import_page_shows_a_hostile_package_refused(sent, personas, web):  # noqa: F811
    response = web(personas.manager).post(
        "/van-ban/don-vi/DU1/nhap-edxml/", {"file": SimpleUploadedFile("goi.xml", h.XXE)}
    )
    assert response.status_code == 400 and "DTD" in response.content.decode()
    assert web().get("/van-ban/don-vi/DU1/nhap-edxml/").status_code == 302
    assert web(personas.manager).put("/van-ban/don-vi/DU1/nhap-edxml/").status_code == 405
