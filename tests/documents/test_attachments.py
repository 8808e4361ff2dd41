"""Attachments (issue 5 §1): real .docx, text PDF (LibreOffice) and scans; every refusal."""

import datetime as dt
import io
import shutil
import struct
import subprocess
import zipfile
import zlib
from pathlib import Path

import docx
import pytest
from pypdf import PdfReader

from tests.factories import SIGNED, SYSTEM
from trienkhai.documents import attachments, search, services
from trienkhai.documents.models import Attachment

BODY = "Kinh phí hỗ trợ đồng bào Khmer học tập Nghị quyết của Đảng"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "files"


@pytest.fixture
def document(btghu):
    return services.register_draft(
        **SIGNED,
        acting_user=SYSTEM,
        issuer=btghu,
        type="KH",
        date=dt.date(2021, 3, 1),
        summary="Kế hoạch tuyên truyền",
    )


def word_file(*paragraphs: str, cell: str = "") -> bytes:
    made = docx.Document()
    for text in paragraphs:
        made.add_paragraph(text)
    if cell:
        made.add_table(rows=1, cols=1).cell(0, 0).text = cell
    out = io.BytesIO()
    made.save(out)
    return out.getvalue()


@pytest.fixture(scope="session")
def pdf_file(tmp_path_factory) -> bytes:
    """A text PDF made the way trienkhai makes them: LibreOffice converting a .docx."""
    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    folder = tmp_path_factory.mktemp("pdf")
    (folder / "ke-hoach.docx").write_bytes(word_file(BODY))
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation=file://{folder}/profile",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(folder),
            str(folder / "ke-hoach.docx"),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    return (folder / "ke-hoach.pdf").read_bytes()


def png_file(shade: int = 255) -> bytes:
    """A real 1×1 PNG, white unless ``shade`` (0-255) says which grey (signature, IHDR,
    IDAT, IEND with their CRCs): each shade is another file, with another digest."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(bytes([0, shade])))
        + chunk(b"IEND", b"")
    )


JPEG = (
    b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
    + b"\x00" * 40
    + b"\xff\xd9"
)
TIFF = b"II*\x00\x08\x00\x00\x00" + b"\x00\x00" + b"\x00" * 4


def upload(client, document_id: int, name: str, data: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.client.post(
        f"/api/v1/documents/{document_id}/attachments",
        {"file": SimpleUploadedFile(name, data)},
        headers=client.headers,
    )


def stored_files(settings) -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def test_it_attaches_a_docx_reads_its_text_and_gives_it_back(document, personas, api, settings):
    data = word_file(BODY, cell="Biểu kinh phí năm 2021")
    client = api(personas.manager)
    made = upload(client, document.pk, "Kế hoạch số 12.docx", data)
    assert made.status_code == 201, made.content
    body = made.json()
    assert (body["name"], body["kind"], body["size"], body["has_text"]) == (
        "Kế hoạch số 12.docx",
        "docx",
        len(data),
        True,
    )
    stored = Attachment.objects.get()
    assert BODY in stored.text and "Biểu kinh phí năm 2021" in stored.text
    assert stored.sha256 == body["sha256"] and len(stored.sha256) == 64
    listed = client.get(f"documents/{document.pk}/attachments")
    assert [a["id"] for a in listed.json()] == [body["id"]]
    got = api(personas.viewer).get(f"documents/{document.pk}/attachments/{body['id']}")
    assert got.status_code == 200
    content = b"".join(got.streaming_content)
    assert content == data
    assert "attachment" in got["Content-Disposition"] and "utf-8''" in got["Content-Disposition"]
    reopened = docx.Document(io.BytesIO(content))
    assert reopened.paragraphs[0].text == BODY


def test_its_text_is_searchable_ignoring_accents(document, personas):
    attachments.attach(acting_user=SYSTEM, document=document, name="a.docx", data=word_file(BODY))
    found = search.find(personas.viewer, q="kinh phi ho tro dong bao khmer")
    assert [d.pk for d in found.documents] == [document.pk]
    assert search.find(personas.viewer, q="kinh phi", type="BC").documents == []


def test_it_reads_a_text_pdf(document, personas, pdf_file):
    assert "hỗ trợ" in " ".join(
        page.extract_text() for page in PdfReader(io.BytesIO(pdf_file)).pages
    )
    made = attachments.attach(
        acting_user=SYSTEM, document=document, name="ke-hoach.pdf", data=pdf_file
    )
    assert (made.kind, made.content_type) == ("pdf", "application/pdf")
    assert "Kinh phí hỗ trợ" in made.text
    assert [d.pk for d in search.find(personas.viewer, q="dong bao khmer").documents] == [
        document.pk
    ]


@pytest.mark.parametrize(
    ("name", "data", "kind"),
    [("scan.png", png_file(), "png"), ("SCAN.JPG", JPEG, "jpeg"), ("scan.tiff", TIFF, "tiff")],
)
def test_it_keeps_scans_without_text(document, name, data, kind):
    made = attachments.attach(acting_user=SYSTEM, document=document, name=name, data=data)
    assert (made.kind, made.text, made.size) == (kind, "", len(data))
    assert attachments.file_path(made).read_bytes() == data


def test_the_same_bytes_are_stored_once_for_two_documents(document, btghu, settings):
    other = services.register_draft(
        **SIGNED,
        acting_user=SYSTEM,
        issuer=btghu,
        type="BC",
        date=dt.date(2021, 3, 2),
        summary="Báo cáo",
    )
    data = word_file(BODY)
    first = attachments.attach(acting_user=SYSTEM, document=document, name="a.docx", data=data)
    second = attachments.attach(acting_user=SYSTEM, document=other, name="b.docx", data=data)
    assert first.path == second.path
    assert len(stored_files(settings)) == 1


def test_it_keeps_only_the_files_own_name(document):
    made = attachments.attach(
        acting_user=SYSTEM,
        document=document,
        name="C:\\fakepath\\..\\Tờ trình\x00.png",
        data=png_file(),
    )
    assert made.name == "Tờ trình.png"


def bomb() -> bytes:
    """A real .docx plus a member that unpacks to 2 MB of zeros (a few KB packed)."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(word_file(BODY))) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for item in source.infolist():
            target.writestr(item, source.read(item))
        target.writestr("word/media/zeros.bin", b"\x00" * 2_000_000)
    return out.getvalue()


def xlsx_bytes() -> bytes:
    from openpyxl import Workbook

    out = io.BytesIO()
    Workbook().save(out)
    return out.getvalue()


def damaged_docx() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document><not xml")
    return out.getvalue()


BAD = {
    "empty": ("a.docx", lambda: b"", 400, "empty_file"),
    "blank": ("a.pdf", lambda: b"  \n", 400, "empty_file"),
    "unsupported": ("a.exe", lambda: b"MZ\x90\x00", 400, "unsupported_file"),
    "old word": ("a.doc", lambda: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", 400, "unsupported_file"),
    "no extension": ("README", lambda: b"text", 400, "unsupported_file"),
    "text named docx": ("a.docx", lambda: b"plain text, not Word", 400, "wrong_content"),
    "xlsx named docx": ("a.docx", xlsx_bytes, 400, "wrong_content"),
    "jpeg named pdf": ("a.pdf", lambda: JPEG, 400, "wrong_content"),
    "pdf named png": ("a.png", lambda: b"%PDF-1.4\n%%EOF", 400, "wrong_content"),
    "docx named jpg": ("a.jpg", lambda: word_file(BODY), 400, "wrong_content"),
    "damaged docx": ("a.docx", damaged_docx, 400, "unreadable_file"),
    "damaged pdf": ("a.pdf", lambda: b"%PDF-1.4\nnothing else here", 400, "unreadable_file"),
    "zip bomb as docx": ("a.docx", bomb, 400, "file_too_large"),
    "oversize": ("a.png", lambda: png_file() + b"\x00" * 200_000, 400, "file_too_large"),
}


@pytest.mark.parametrize("case", list(BAD))
def test_it_refuses_bad_files_and_stores_nothing(document, personas, api, settings, case):
    settings.UPLOAD_MAX_BYTES = 100_000  # 1 MB unpacked at most: the bomb's 2 MB is refused
    name, make, status, code = BAD[case]
    response = upload(api(personas.manager), document.pk, name, make())
    assert response.status_code == status, response.content
    error = response.json()["error"]
    assert error["code"] == code
    assert " / " in error["message"]  # Vietnamese / English
    assert not Attachment.objects.exists()
    assert stored_files(settings) == []


def test_it_says_what_a_renamed_file_really_is(document, personas, api):
    response = upload(api(personas.manager), document.pk, "bien-ban.pdf", JPEG)
    assert "JPEG" in response.json()["error"]["message"]


def test_it_refuses_the_same_file_twice_on_one_document(document, personas, api, settings):
    client = api(personas.manager)
    data = word_file(BODY)
    assert upload(client, document.pk, "a.docx", data).status_code == 201
    again = upload(client, document.pk, "copy.docx", data)
    assert (again.status_code, again.json()["error"]["code"]) == (409, "duplicate_attachment")
    assert Attachment.objects.count() == 1


def test_it_refuses_another_units_user_and_read_only_roles(document, personas, api, settings):
    made = attachments.attach(acting_user=SYSTEM, document=document, name="a.png", data=png_file())
    for user in (personas.outsider, personas.viewer, personas.reporter):
        assert upload(api(user), document.pk, "b.png", png_file() + b"x").status_code == 403
    outsider = api(personas.outsider)
    assert outsider.get(f"documents/{document.pk}/attachments").status_code == 403
    assert outsider.get(f"documents/{document.pk}/attachments/{made.pk}").status_code == 403
    assert api(None).get(f"documents/{document.pk}/attachments").status_code == 401
    assert upload(api(None), document.pk, "b.png", png_file()).status_code == 401
    assert Attachment.objects.count() == 1 and len(stored_files(settings)) == 1


def test_it_answers_404_and_405(document, btghu, personas, api):
    other = services.register_draft(
        **SIGNED,
        acting_user=SYSTEM,
        issuer=btghu,
        type="BC",
        date=dt.date(2021, 3, 2),
        summary="Báo cáo",
    )
    made = attachments.attach(acting_user=SYSTEM, document=document, name="a.png", data=png_file())
    client = api(personas.viewer)
    assert client.get(f"documents/{other.pk}/attachments/{made.pk}").status_code == 404
    assert client.get(f"documents/{document.pk}/attachments/999999").status_code == 404
    assert client.get("documents/999999/attachments").status_code == 404
    assert client.delete(f"documents/{document.pk}/attachments").status_code == 405
    attachments.file_path(made).unlink()  # the file lost on disk: a clear 404, not a 500
    assert client.get(f"documents/{document.pk}/attachments/{made.pk}").status_code == 404


def test_a_full_disk_is_a_clear_507_and_nothing_is_recorded(document, personas, api, monkeypatch):
    import errno

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(attachments.os, "fdopen", full)
    sent = upload(api(personas.manager), document.pk, "ke-hoach.docx", word_file(BODY))
    assert sent.status_code == 507, sent.content
    assert sent.json()["error"]["code"] == "storage_full"
    assert not Attachment.objects.exists()


def test_the_text_is_read_before_the_transaction(document, personas, monkeypatch):
    """Reading a file (slow or hostile) never holds the database's write lock."""
    from django.db import connection

    seen = []
    real = attachments.inspect
    depth = len(connection.savepoint_ids)  # the test's own transaction

    def spy(name, data):
        seen.append(len(connection.savepoint_ids) > depth)
        return real(name, data)

    monkeypatch.setattr(attachments, "inspect", spy)
    attachments.attach(
        acting_user=personas.manager, document=document, name="a.docx", data=word_file(BODY)
    )
    assert seen == [False]
