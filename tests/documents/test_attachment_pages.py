"""Attachments on the document page (issue 13 §4): upload, list, download, preview."""

from django.core.files.uploadedfile import SimpleUploadedFile

from tests.documents.test_attachments import _media, document, pdf_file, png_file  # noqa: F401
from trienkhai.documents.models import Attachment


def page_upload(client, document_id: int, name: str, data: bytes):
    return client.post(
        f"/van-ban/{document_id}/dinh-kem/", {"file": SimpleUploadedFile(name, data)}
    )


def test_a_manager_attaches_lists_downloads_and_previews(document, personas, web, pdf_file):  # noqa: F811
    client = web(personas.manager)
    made = page_upload(client, document.pk, "công văn.pdf", pdf_file)
    assert made.status_code == 302 and made["Location"].endswith("#attachments")
    assert page_upload(client, document.pk, "ảnh.png", png_file()).status_code == 302
    pdf, png = Attachment.objects.filter(document=document).order_by("id")
    page = web(personas.viewer).get(f"/van-ban/{document.pk}/").content.decode()
    assert "công văn.pdf" in page and "ảnh.png" in page
    assert f'data="/van-ban/{document.pk}/dinh-kem/{pdf.pk}/?xem=1" type="application/pdf"' in page
    assert f'src="/van-ban/{document.pk}/dinh-kem/{png.pk}/?xem=1"' in page
    assert 'enctype="multipart/form-data"' not in page  # a viewer may not attach

    viewer = web(personas.viewer)
    download = viewer.get(f"/van-ban/{document.pk}/dinh-kem/{pdf.pk}/")
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment;")
    assert b"".join(download.streaming_content) == pdf_file
    shown = viewer.get(f"/van-ban/{document.pk}/dinh-kem/{pdf.pk}/?xem=1")
    assert shown["Content-Disposition"].startswith("inline;")
    assert shown["Content-Type"] == "application/pdf"
    assert shown["X-Frame-Options"] == "SAMEORIGIN"  # the page's <object> may show it


def test_a_bad_file_is_a_clear_400_on_the_page_and_nothing_is_stored(document, personas, web):  # noqa: F811
    client = web(personas.manager)
    renamed = page_upload(client, document.pk, "ke-hoach.pdf", png_file())
    assert renamed.status_code == 400
    assert "thật ra là tệp PNG" in renamed.content.decode()
    wrong = page_upload(client, document.pk, "bang.xlsx", b"PK\x03\x04 not really")
    assert wrong.status_code == 400 and "Chỉ nhận tệp" in wrong.content.decode()
    assert client.post(f"/van-ban/{document.pk}/dinh-kem/", {}).status_code == 400
    assert not Attachment.objects.exists()


def test_another_units_user_is_refused(document, personas, web):  # noqa: F811
    assert page_upload(web(personas.manager), document.pk, "a.png", png_file()).status_code == 302
    made = Attachment.objects.get()
    outsider = web(personas.outsider)
    assert page_upload(outsider, document.pk, "b.png", png_file() + b"x").status_code == 403
    assert outsider.get(f"/van-ban/{document.pk}/dinh-kem/{made.pk}/").status_code == 403
    assert outsider.get(f"/van-ban/{document.pk}/dinh-kem/{made.pk}/?xem=1").status_code == 403
    assert page_upload(web(personas.viewer), document.pk, "c.png", png_file()).status_code == 403
    assert web().get(f"/van-ban/{document.pk}/dinh-kem/{made.pk}/").status_code == 302
    assert web(personas.manager).get(f"/van-ban/{document.pk}/dinh-kem/").status_code == 405
    assert Attachment.objects.count() == 1
