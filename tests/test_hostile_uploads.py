"""A hostile corpus through every upload path and /dhis2/api: a clear 4xx, never a 5xx,
nothing written.

Paths: the offline form .xlsx (API and page), the bulk value import as CSV and XLSX
(API and page), the unit import (API and page), document attachments (.docx, .pdf,
scans; API), and DHIS2's dataValueSets as JSON and ADX. Files (``tests.hostile``, made
in memory): zip bombs (honest and lying headers, too many members), billion laughs and
an external entity (XXE) inside .xlsx and .docx and ADX, a million-row CSV, wrong magic
bytes, truncated zips, empty files, and file names with path tricks (``../../``, NUL,
5,000 characters, a right-to-left override).

Each case asserts: a 4xx status whose message is Vietnamese first (" / " English after),
no 5xx, and the tables an upload could write (values, their history, reports, units,
attachments) and the stored files unchanged. The refusals of zipped files happen before
anything is inflated: the peak memory a refused case allocates (tracemalloc) stays far
below what a bomb would take.
"""

import base64
import datetime as dt
import json
import tracemalloc
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from tests import factories
from tests import hostile as h
from tests.factories import SIGNED
from tests.reporting.conftest import audience, form  # noqa: F401
from trienkhai.accounts.services import issue_token
from trienkhai.documents import services as documents
from trienkhai.documents.models import Attachment
from trienkhai.documents.types import ensure_standard_types
from trienkhai.orgs.models import Unit
from trienkhai.reporting import excel
from trienkhai.reporting.models import DataValue, DataValueChange, Submission

PERIOD = "2020S1"
PEAK_BYTES = 64 * 1024 * 1024
"""A refused bomb or entity file allocates less than this (a bomb unpacks to 256 MB, the
laughs to 3 GB); the million-row CSV is measured, not held to it."""


VIETNAMESE = "ăâđêôơưáàảãạấầẩẫậắằẳẵặéèẻẽẹếềểễệíìỉĩịóòỏõọốồổỗộớờởỡợúùủũụứừửữựýỳỷỹỵ"


def xlsx_cases(base: bytes, member: str = "xl/worksheets/sheet1.xml") -> dict[str, tuple]:
    """(name, bytes) of the hostile .xlsx files built on the real workbook ``base``."""
    return {
        "zip bomb": ("tep.xlsx", h.zip_bomb(member=member)),
        "zip bomb with lying sizes": ("tep.xlsx", h.lying_zip_bomb(member=member)),
        "5,000 zip members": ("tep.xlsx", h.many_members()),
        "billion laughs": ("tep.xlsx", h.with_xml(base, member, h.BILLION_LAUGHS)),
        "external entity": ("tep.xlsx", h.with_xml(base, member, h.XXE)),
        "truncated zip": ("tep.xlsx", h.truncated(base)),
        "empty": ("tep.xlsx", b""),
        "a PNG named .xlsx": ("tep.xlsx", h.PNG),
        "Excel 97-2003 named .xlsx": ("tep.xlsx", h.OLE),
        "a PDF named .xlsx": ("tep.xlsx", h.PDF_START),
    }


def table_cases() -> dict[str, tuple]:
    """Hostile .csv and .xlsx for the imports that read a table (values, units)."""
    return {
        **xlsx_cases(h.excel_file()),
        "an .xlsx named .csv": ("tep.csv", h.excel_file()),
        "an empty .csv": ("tep.csv", b""),
        "only blanks": ("tep.csv", b"\n\n  \n"),
        "UTF-16 .csv": ("tep.csv", "form,unit\nHK,C1\n".encode("utf-16")),
        "NUL bytes in a .csv": ("tep.csv", b"form,unit\x00,period\nHK\x00,C1\n"),
        "a .exe": ("tep.exe", b"MZ\x90\x00"),
        "no extension: ../../etc/passwd": ("../../etc/passwd", b"root:x:0:0::/root:/bin/sh\n"),
        "path in the name": ("../../../tmp/x.csv", b"form,unit\n"),
        "NUL in the name": ("a\x00.csv", b"form,unit\n"),
        "5,000-character name": ("a" * 5000 + ".csv", b"form,unit\n"),
        "right-to-left override": ("bao-cao\u202evsc.exe", b"form,unit\n"),
    }


@pytest.fixture
def world(org, personas, form, settings, tmp_path):  # noqa: F811
    settings.MEDIA_ROOT = tmp_path / "files"
    ensure_standard_types()
    board = factories.make_unit(
        "BTGHU", kind_code="board", parent=org.d1, valid_from=dt.date(2008, 8, 1)
    )
    document = documents.register_draft(
        **SIGNED,
        acting_user=factories.SYSTEM,
        issuer=board,
        type="KH",
        date=dt.date(2021, 3, 1),
        summary="Kế hoạch",
    )
    return document


def _counts(settings) -> dict[str, int]:
    media = Path(settings.MEDIA_ROOT)
    return {
        "values": DataValue.objects.count(),
        "changes": DataValueChange.objects.count(),
        "reports": Submission.objects.count(),
        "units": Unit.objects.count(),
        "attachments": Attachment.objects.count(),
        "files": sum(1 for p in media.rglob("*") if p.is_file()) if media.exists() else 0,
    }


def _bearer(user) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {issue_token(user=user)}"}


def _basic(user) -> dict:
    raw = base64.b64encode(f"{user.username}:{factories.PASSWORD}".encode()).decode()
    return {"HTTP_AUTHORIZATION": f"Basic {raw}"}


def _message(response) -> str:
    """The refusal's message: the API's error, DHIS2's, or the page's form error."""
    if response["Content-Type"].startswith("application/json"):
        body = response.json()
        return body["error"]["message"] if "error" in body else body["message"]
    return " ".join(response.context["form"].errors["file"])  # a page: the file's error


def _refused(send, settings, *, measure: bool = True) -> list[str]:
    """Send each case; what went wrong (empty when every case was refused cleanly)."""
    problems = []
    for label, call in send.items():
        before = _counts(settings)
        if measure:
            tracemalloc.start()
        try:
            response = call()
        finally:
            peak = tracemalloc.get_traced_memory()[1] if measure else 0
            tracemalloc.stop()
        status = response.status_code
        if not 400 <= status < 500:
            problems.append(f"{label}: {status} {response.content[:300]!r}")
            continue
        message = _message(response)
        if not any(c in message.split(" / ")[0] for c in VIETNAMESE):
            problems.append(f"{label}: not a Vietnamese-first message: {message[:200]!r}")
        if _counts(settings) != before:
            problems.append(f"{label}: wrote {before} → {_counts(settings)}")
        if measure and peak > PEAK_BYTES:
            problems.append(f"{label}: allocated {peak:,} bytes")
    return problems


def _files(client: Client, url: str, cases: dict, **headers) -> dict:
    return {
        label: (
            lambda name=name, data=data: client.post(
                url, {"file": SimpleUploadedFile(name, data)}, **headers
            )
        )
        for label, (name, data) in cases.items()
    }


def _offline_form(form, org) -> bytes:  # noqa: F811
    return excel.form_workbook(form, org.c1, PERIOD)


def test_the_offline_form_upload_refuses_every_hostile_file(world, form, org, personas, settings):  # noqa: F811
    base = _offline_form(form, org)
    cases = {
        **xlsx_cases(base),
        "external entity in the signed workbook": (
            "tep.xlsx",
            h.with_xml(base, "xl/worksheets/sheet1.xml", h.XXE),
        ),
        "a CSV named .xlsx": ("tep.xlsx", b"form,unit\nHK,C1\n"),
    }
    url = f"/api/v1/forms/HK/xlsx?unit=C1&period={PERIOD}"
    api = _files(Client(), url, cases, **_bearer(personas.reporter))
    assert _refused(api, settings) == []
    web = Client()
    factories.log_in(web, personas.reporter)
    page = _files(web, f"/bao-cao/HK/C1/{PERIOD}/excel/tai-len/", cases)
    assert _refused(page, settings) == []


def test_the_bulk_value_import_refuses_every_hostile_file(world, form, personas, settings):  # noqa: F811
    cases = table_cases()
    api = _files(Client(), "/api/v1/datavalues/import", cases, **_bearer(personas.reporter))
    assert _refused(api, settings) == []
    web = Client()
    factories.log_in(web, personas.reporter)
    assert _refused(_files(web, f"/du-lieu/HK/{PERIOD}/", cases), settings) == []


def test_a_million_row_csv_is_refused_whole(world, form, personas, settings):  # noqa: F811
    """GIVEN 1,000,001 rows (18 MB, under the upload limit) THEN "too_many_rows", nothing
    written (the rows are counted as they are read, before any transaction)."""
    cases = {"a million and one rows": ("so-lieu.csv", h.million_rows_csv())}
    api = _files(Client(), "/api/v1/datavalues/import", cases, **_bearer(personas.reporter))
    assert _refused(api, settings, measure=False) == []
    units = _files(Client(), "/api/v1/unit-imports", cases, **_bearer(personas.manager))
    assert _refused(units, settings, measure=False) == []


def test_the_unit_import_refuses_every_hostile_file(world, personas, settings):
    cases = table_cases()
    api = _files(Client(), "/api/v1/unit-imports", cases, **_bearer(personas.manager))
    assert _refused(api, settings) == []
    web = Client()
    factories.log_in(web, personas.manager)
    assert _refused(_files(web, "/nhap-don-vi/", cases), settings) == []


def test_attachments_refuse_every_hostile_file(world, personas, settings):
    word = h.word_file()
    body = "Báo cáo sơ kết".encode()
    cases = {
        **{
            label.replace(".xlsx", ".docx"): (name.replace(".xlsx", ".docx"), data)
            for label, (name, data) in xlsx_cases(word, "word/document.xml").items()
        },
        "billion laughs in the text": (
            "a.docx",
            h.with_xml(word, "word/document.xml", h.BILLION_LAUGHS, body=body),
        ),
        "external entity in the text": (
            "a.docx",
            h.with_xml(word, "word/document.xml", h.XXE, body=body),
        ),
        "external entity in the relationships": (
            "a.docx",
            h.with_xml(word, "word/_rels/document.xml.rels", h.XXE),
        ),
        "a docx named .pdf": ("a.pdf", word),
        "a truncated PDF": ("a.pdf", h.PDF_START + b"1 0 obj\n<< /Type /Catalog"),
        "text named .png": ("a.png", b"not an image"),
        "an empty .png": ("a.png", b""),
        "a .exe": ("a.exe", b"MZ\x90\x00"),
        "no extension: ../../etc/passwd": ("../../etc/passwd", b"root:x:0:0::/root:/bin/sh\n"),
    }
    url = f"/api/v1/documents/{world.pk}/attachments"
    api = _files(Client(), url, cases, **_bearer(personas.manager))
    assert _refused(api, settings) == []


@pytest.mark.parametrize(
    "name",
    [
        "../../../../etc/cron.d/x.png",
        "..\\..\\windows\\system32\\x.png",
        "a\x00b.png",
        "a" * 5000 + ".png",
        "bien-ban\u202egnp.exe.png",
        "/absolute/path.png",
    ],
)
def test_an_attachment_named_with_path_tricks_is_kept_under_its_own_clean_name(
    world, personas, settings, name
):
    """GIVEN a real PNG under a hostile name THEN it is stored under MEDIA_ROOT by its
    digest, and its recorded name has no folder, no control or direction character and
    at most 255 characters."""
    response = Client().post(
        f"/api/v1/documents/{world.pk}/attachments",
        {"file": SimpleUploadedFile(name, h.PNG)},
        **_bearer(personas.manager),
    )
    assert response.status_code == 201, response.content
    kept = Attachment.objects.get()
    assert kept.name.endswith(".png") and len(kept.name) <= 255
    assert not set(kept.name) & {"/", "\\", "\x00", "\u202e"} and ".." not in kept.name
    stored = (Path(settings.MEDIA_ROOT) / kept.path).resolve()
    assert stored.is_file() and stored.is_relative_to(Path(settings.MEDIA_ROOT).resolve())
    assert [p.name for p in Path(settings.MEDIA_ROOT).rglob("*") if p.is_file()] == [stored.name]


ADX = "application/adx+xml"
ADX_DOCUMENT = (
    b'<adx xmlns="urn:ihe:qrph:adx:2015"><group dataSet="HK" orgUnit="C1" '
    b'period="2020-01-01/P6M"><dataValue dataElement="lop_ke_hoach" value="12"/></group></adx>'
)


def test_dhis2_data_value_sets_refuse_every_hostile_body(world, form, personas, settings):  # noqa: F811
    url = "/dhis2/api/dataValueSets"
    auth = _basic(personas.reporter)
    deep = b"[" * 100_000 + b"]" * 100_000
    json_cases = {
        "JSON nested 100,000 deep": deep,
        "a lone surrogate": b'{"dataValues": [{"dataElement": "\\ud800"}]}',
        "not UTF-8": b'{"dataValues": "\xff\xfe"}',
        "truncated JSON": b'{"dataValues": [',
        "a zip bomb as JSON": h.zip_bomb(),
        "11 MB of JSON (over the request limit)": b'{"x": "' + b"a" * (11 * 1024 * 1024) + b'"}',
    }
    adx_cases = {
        "ADX billion laughs": b'<?xml version="1.0"?>' + h.BILLION_LAUGHS + ADX_DOCUMENT,
        "ADX external entity": b'<?xml version="1.0"?>'
        + h.XXE
        + ADX_DOCUMENT.replace(b'value="12"', b'value="&xxe;"'),
        "ADX truncated": ADX_DOCUMENT[:60],
        "ADX empty": b"",
        "ADX that is a zip": h.excel_file(),
        "ADX in UTF-16 with a DOCTYPE": (
            '<?xml version="1.0" encoding="UTF-16"?>'.encode("utf-16")
            + h.XXE.decode().encode("utf-16-le")
            + ADX_DOCUMENT.decode().encode("utf-16-le")
        ),
    }
    client = Client()
    send = {
        label: (lambda body=body: client.post(url, body, content_type="application/json", **auth))
        for label, body in json_cases.items()
    }
    send |= {  # CONTENT_TYPE again: the test client leaves it out of a request without a body
        label: (
            lambda body=body: client.post(url, body, content_type=ADX, CONTENT_TYPE=ADX, **auth)
        )
        for label, body in adx_cases.items()
    }
    send["a CSV body"] = lambda: client.post(url, b"de,pe\n1,2\n", content_type="text/csv", **auth)
    send["a CSV body as JSON to dataValues"] = lambda: client.post(
        "/dhis2/api/dataValues", b"de=x&pe=2020S1&ou=C1&value=1", content_type="text/plain", **auth
    )
    send["completeDataSetRegistrations deep"] = lambda: client.post(
        "/dhis2/api/completeDataSetRegistrations", deep, content_type="application/json", **auth
    )
    assert _refused(send, settings, measure=False) == []
    assert json.loads(client.get("/dhis2/api/me", **auth).content)["username"] == "reporter"


def test_openpyxl_reads_xml_through_defusedxml():
    """The .xlsx paths rely on it: without defusedxml (or with OPENPYXL_DEFUSEDXML=False)
    openpyxl would expand entities."""
    import openpyxl

    assert openpyxl.DEFUSEDXML is True


def _png_claiming(width: int, height: int) -> bytes:
    """A PNG whose header claims ``width``×``height`` pixels (a decompression bomb's)."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\0" * 64))
        + chunk(b"IEND", b"")
    )


def test_signature_paths_refuse_every_hostile_file(world, personas, settings):
    """POST /signatures/verify (any PDF) and POST /units/{code}/seal (a PKCS#12, a PNG)."""
    from trienkhai.documents.models import SignedPdf, UnitSeal
    from trienkhai.documents.signing import specimens

    pdf = specimens.text_pdf(1)
    signature = b"/Type /Sig /Filter /Adobe.PPKLite /SubFilter /ETSI.CAdES.detached"
    pdfs = {
        "empty": ("a.pdf", b""),
        "a zip bomb named .pdf": ("a.pdf", h.zip_bomb()),
        "a docx named .pdf": ("a.pdf", h.word_file()),
        "a truncated PDF": ("a.pdf", h.PDF_START + b"1 0 obj\n<< /Type /Catalog"),
        "a PDF cut in half": ("a.pdf", pdf[: len(pdf) // 2]),
        "a PNG": ("a.pdf", h.PNG),
    }
    bearer = _bearer(personas.manager)
    verify = _files(Client(), "/api/v1/signatures/verify", pdfs, **bearer)
    good_image = specimens.seal_png("X")

    def seal(p12: bytes, image: bytes):
        return lambda: Client().post(
            "/api/v1/units/BTGHU/seal",
            {
                "file": SimpleUploadedFile("a.p12", p12),
                "image": SimpleUploadedFile("dau.png", image),
                "password": "x",
            },
            **bearer,
        )

    seals = {
        "an empty PKCS#12": seal(b"", good_image),
        "a zip bomb as PKCS#12": seal(h.zip_bomb(), good_image),
        "an OLE file as PKCS#12": seal(h.OLE, good_image),
        "a DER sequence claiming 4 GB": seal(b"\x30\x84\xff\xff\xff\xff" + b"\0" * 64, good_image),
    }
    problems = _refused(verify, settings, measure=False) + _refused(seals, settings, measure=False)
    assert problems == []
    assert not SignedPdf.objects.exists() and not UnitSeal.objects.exists()
    from trienkhai.common.errors import BadInput
    from trienkhai.documents import signing

    with pytest.raises(BadInput):
        signing.check_seal_image(_png_claiming(100_000, 100_000))
    # A signature field whose value signs nothing: shown, never valid (or refused).
    forged = pdf.replace(
        b"/Type /Catalog",
        b"/Type /Catalog /AcroForm << /Fields [<< /FT /Sig /T (X) /V << "
        + signature
        + b" /ByteRange [0 1 2 3] /Contents <00> >> >>] >>",
    )
    answer = Client().post(
        "/api/v1/signatures/verify", {"file": SimpleUploadedFile("a.pdf", forged)}, **bearer
    )
    assert answer.status_code in (200, 400), answer.content
    if answer.status_code == 200:
        assert {s["status"] for s in answer.json()} <= {"modified"}
