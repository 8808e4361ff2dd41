"""The certificate as a paper: the Party's or the State's heading after the organiser, its
number, the person, the event, and the verification code with its QR code; made by the
same path as every formal document (python-docx, then LibreOffice), opened back here
with pypdf. No QR decoder is installed, so the QR code is read back module by module
from the PDF's image and compared with the code of the address it must hold."""

import datetime as dt
import io

import pytest
import segno
from docx import Document
from pypdf import PdfReader

from tests.activities.conftest import attend, make_event
from tests.drafting.conftest import no_soffice  # noqa: F401
from tests.factories import SYSTEM, make_unit
from trienkhai.activities import certificate_pdf, certificates
from trienkhai.activities.models import Person
from trienkhai.drafting.layout import render_docx

DAY = dt.date(2021, 3, 10)

needs_soffice = pytest.mark.skipif(
    not __import__("shutil").which("soffice"), reason="LibreOffice is not installed"
)


@pytest.fixture
def course(org):
    event = make_event(org.d1, days=("2021-03-01", "2021-03-02"), title="Lớp bồi dưỡng nghiệp vụ")
    attend(event, ["Nguyễn Văn An", "Lê Thị Bình", "Trần Cường"], unit=org.c1)
    attend(event, ["Nguyễn Văn An"], session=1, unit=org.c1)
    event.place = "Hội trường Huyện ủy"
    event.save()
    return event


def issue(event, people=None):
    return certificates.issue(
        acting_user=SYSTEM,
        event=event,
        people=people,
        day=DAY,
        signer_position="CHỦ TỊCH",
        signer_name="Lê Văn Ký",
    )


def text_of(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


def qr_modules(image, border: int = 4) -> list[list[bool]]:
    """The dark modules of a QR code image (its quiet zone included), read at the centre
    of each module: the image may have been scaled, never distorted."""
    gray = image.convert("L")
    width = gray.size[0]
    # A version-n code is 17 + 4n modules wide: find n from the image's dark extent.
    for size in range(21 + 2 * border, 177 + 2 * border + 1, 4):
        step = width / size
        rows = [
            [
                gray.getpixel((int((x + 0.5) * step), int((y + 0.5) * step))) < 128
                for x in range(size)
            ]
            for y in range(size)
        ]
        finder = [row[border : border + 7] for row in rows[border : border + 7]]
        # The finder pattern: a dark ring, a light ring, a dark 3 × 3 centre.
        if (
            finder[0] == [True] * 7
            and finder[1] == [True, *[False] * 5, True]
            and finder[3] == [True, False, True, True, True, False, True]
            and all(not any(row[:border]) for row in rows)
        ):
            return rows
    raise AssertionError("no QR code found in the image")


def expected_modules(payload: str) -> list[list[bool]]:
    code = segno.make(payload, error="m", micro=False)
    return [[bool(v) for v in row] for row in code.matrix_iter(scale=1, border=4)]


@needs_soffice
def test_the_pdf_holds_the_heading_the_number_the_person_and_the_code(personas, web, course):
    """GIVEN An's certificate of D1 (a State district) WHEN the manager downloads it THEN
    it is a one-page PDF with the Quốc hiệu, the number, the place and date of issue, the
    person and unit, the class and its days, the code, and the signer."""
    (made,) = issue(course, [Person.objects.get(name="Nguyễn Văn An")])
    response = web(personas.manager).get(f"/hoat-dong/giay-chung-nhan/{made.pk}/tep.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="giay-chung-nhan-01-gcn-hu.pdf"'
    (page,) = text_of(response.content)
    words = " ".join(page.split())
    for expected in (
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Số: 01/GCN-HU",
        "Vĩnh Thuận, ngày 10 tháng 3 năm 2021",
        "GIẤY CHỨNG NHẬN",
        "Hoàn thành lớp bồi dưỡng",
        "Huyện Vĩnh Thuận chứng nhận:",
        "Ông/Bà: Nguyễn Văn An",
        "Đơn vị: Thị trấn Vĩnh Thuận",
        "Đã hoàn thành lớp bồi dưỡng: Lớp bồi dưỡng nghiệp vụ",
        "Thời gian: từ ngày 01/03/2021 đến ngày 02/03/2021 (2/2 buổi).",
        "Địa điểm: Hội trường Huyện ủy.",
        f"Mã xác minh: {made.code_shown}",
        "CHỦ TỊCH",
        "Lê Văn Ký",
    ):
        assert expected in words, (expected, words)


@needs_soffice
def test_the_qr_code_holds_the_verification_address(settings, course):
    """The QR code read back from the PDF's image is, module for module, the code of the
    certificate's verification address, and not the code of another certificate's."""
    settings.SITE_URL = "https://trienkhai.example.vn"
    (made,) = issue(course, [Person.objects.get(name="Nguyễn Văn An")])
    pdf = certificate_pdf.pdf(made)
    (image,) = PdfReader(io.BytesIO(pdf)).pages[0].images
    read = qr_modules(image.image)
    url = f"https://trienkhai.example.vn/xac-minh/{made.code_shown}/"
    assert certificate_pdf.verification_url(made.code) == url
    assert read == expected_modules(url)
    other = certificates.grouped(certificates.new_code())
    assert read != expected_modules(f"https://trienkhai.example.vn/xac-minh/{other}/")


@needs_soffice
def test_an_event_s_certificates_print_as_one_pdf_a_page_each(personas, web, course):
    certificates.set_rule(acting_user=SYSTEM, event=course, sessions=1)
    made = issue(course)
    response = web(personas.manager).get(f"/hoat-dong/{course.pk}/giay-chung-nhan/phan-1.pdf")
    assert response.status_code == 200
    pages = text_of(response.content)
    assert len(pages) == 3
    for page, certificate in zip(pages, made, strict=True):
        assert certificate.code_shown in page and certificate.name in page
        assert "- 2 -" not in page and "\n2\n" not in page  # no page numbers
    assert (
        web(personas.manager).get(f"/hoat-dong/{course.pk}/giay-chung-nhan/phan-2.pdf").status_code
        == 400
    )


def test_a_party_organiser_prints_the_party_heading_and_comrade(org):
    committee = make_unit(
        "HU-VT",
        name="Huyện ủy Vĩnh Thuận",
        kind_code="party_committee",
        parent=org.p1,
        abbreviation="HU",
        valid_from=dt.date(2008, 8, 1),
    )
    event = make_event(committee, kind="study_conference", title="Hội nghị quán triệt")
    attend(event, ["Nguyễn Văn An"])
    (made,) = issue(event)
    paper = Document(io.BytesIO(render_docx(certificate_pdf.document(made))))
    cells = [p.text for t in paper.tables for c in t._cells for p in c.paragraphs]
    text = [*cells, *(p.text for p in paper.paragraphs)]
    for expected in (
        "ĐẢNG CỘNG SẢN VIỆT NAM",
        "HUYỆN ỦY VĨNH THUẬN",
        "Số 01-GCN/HU",
        "tham gia hội nghị học tập, quán triệt",
        "Đồng chí: Nguyễn Văn An",
    ):
        assert expected in text, (expected, text)
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" not in text


@pytest.mark.usefixtures("no_soffice")
def test_without_a_converter_the_pdf_is_a_503_and_nothing_changes(personas, web, course):
    (made,) = issue(course, [Person.objects.get(name="Nguyễn Văn An")])
    response = web(personas.manager).get(f"/hoat-dong/giay-chung-nhan/{made.pk}/tep.pdf")
    assert response.status_code == 503 and response["Retry-After"] == "60"
    assert "LibreOffice" in response.content.decode()
