"""Electronic copies (bản sao điện tử, Nghị định 30/2020 Art. 26 and Appendix I): the
document's PDF signed with its unit's seal, the form of copy, the unit and the time printed
top right of page 1. Real pyHanko signatures with the test PKI (tests/documents/pki.py),
the PDFs read back with pypdf and poppler's pdftotext."""

import datetime as dt
import io
import re
import subprocess

import pytest
from pypdf import PdfReader
from pypdf.generic import ContentStream

from tests.conftest import ApiClient
from tests.factories import SIGNED, SYSTEM
from trienkhai.common.errors import BadInput, Conflict
from trienkhai.documents import services as documents
from trienkhai.documents import signing
from trienkhai.documents.models import ElectronicCopy
from trienkhai.documents.signing import _pades


def _printed(data: bytes) -> list[str]:
    """The lines of the copy's text, as its appearance stream says them (ActualText)."""
    reader = PdfReader(io.BytesIO(data))
    widget = reader.pages[0]["/Annots"][-1].get_object()
    appearance = widget["/AP"]["/N"].get_object()
    lines = []
    for operands, operator in ContentStream(appearance, reader).operations:
        if operator == b"BDC" and "/ActualText" in operands[1]:
            lines.append(str(operands[1]["/ActualText"]))
    return lines


def test_it_copies_the_pdf_signed_with_the_unit_s_seal(issued, sealed_unit, personas):
    before = signing.current_pdf(issued)
    made = signing.make_copy(acting_user=personas.manager, document=issued, kind="sao_y")
    data = signing.copy_pdf(made)
    assert data.startswith(before.data), "an incremental update of the PDF as it stood"
    found = signing.verify(data)
    assert [(s["status"], s["signer"]) for s in found] == [("valid", "Ban Tuyen giao Huyen uy")]
    assert found[0]["signed_at"] == made.signed_at, "the time printed is the signing time"
    assert (made.kind, made.unit, made.base_sha256) == ("sao_y", issued.unit, before.sha256)
    assert made.history.first().history_user == personas.manager
    # The document's own PDF is unchanged: the copy is a file beside it.
    assert signing.current_pdf(issued).sha256 == before.sha256


def test_it_prints_the_form_the_unit_and_the_time_top_right_of_page_one(issued, sealed_unit):
    made = signing.make_copy(acting_user=SYSTEM, document=issued, kind="sao_luc")
    data = signing.copy_pdf(made)
    at = made.signed_at.astimezone(dt.timezone(dt.timedelta(hours=7)))
    expected = ["Sao lục", "Đơn vị BTGHU", f"Thời gian ký: {at:%Y-%m-%dT%H:%M:%S}+07:00"]
    assert _printed(data) == expected
    page = PdfReader(io.BytesIO(data)).pages[0]
    widget = page["/Annots"][-1].get_object()
    left, bottom, right, top = (float(v) for v in widget["/Rect"])
    width, height = float(page.mediabox.width), float(page.mediabox.height)
    assert (width - right, height - top) == (_pades.COPY_MARGIN_PT, _pades.COPY_MARGIN_PT)
    assert left > width / 2, "in the right half"
    assert top - bottom < 60, "three lines of 10 pt, inside the top margin"
    appearance = widget["/AP"]["/N"].get_object().get_data()
    assert b" 10 Tf" in appearance and b" cm" in appearance
    assert not re.search(rb"\b0?\.\d+ 0 0 0?\.\d+ \d+ \d+ cm", appearance), "never scaled"
    # What a reader's software extracts: the text, with its accents.
    text = subprocess.run(
        ["pdftotext", "-f", "1", "-l", "1", "-", "-"], input=data, capture_output=True, check=True
    ).stdout.decode()
    assert "\n".join(expected) in text


def test_it_copies_only_what_has_a_number_and_a_pdf(issued, btghu, sealed_unit, personas):
    draft = documents.register_draft(
        **SIGNED,
        acting_user=SYSTEM,
        issuer=btghu,
        type="BC",
        date=dt.date(2020, 7, 1),
        summary="Dự thảo",
    )
    with pytest.raises(Conflict) as refused:
        signing.make_copy(acting_user=SYSTEM, document=draft, kind="sao_y")
    assert refused.value.code == "not_copyable"
    with pytest.raises(BadInput) as refused:
        signing.make_copy(acting_user=SYSTEM, document=issued, kind="trich_sao")
    assert refused.value.code == "invalid_copy_kind"
    assert refused.value.shown == "Hãy chọn hình thức sao: sao y hoặc sao lục."
    assert not ElectronicCopy.objects.exists()


def test_it_needs_the_unit_s_seal(issued, personas):
    with pytest.raises(Conflict) as refused:
        signing.make_copy(acting_user=SYSTEM, document=issued, kind="sao_y")
    assert refused.value.code == "no_seal"
    assert refused.value.shown == ("Đơn vị BTGHU chưa cấu hình chứng thư số và con dấu.")
    assert not ElectronicCopy.objects.exists()


def test_it_says_the_font_is_missing_with_a_503(issued, sealed_unit, settings, tmp_path):
    settings.COPY_FONT = str(tmp_path / "no-such-font.ttf")
    with pytest.raises(BadInput) as refused:
        signing.make_copy(acting_user=SYSTEM, document=issued, kind="sao_y")
    assert (refused.value.status, refused.value.code) == (503, "font_unavailable")
    assert not ElectronicCopy.objects.exists()


def test_it_makes_the_font_a_thousand_units_to_the_em_once(settings, tmp_path):
    settings.DATA_DIR = tmp_path
    settings.COPY_FONT = ""
    made = signing.copy_font()
    from fontTools.ttLib import TTFont

    with TTFont(made, lazy=True) as font:
        assert font["head"].unitsPerEm == 1000
    assert made.startswith(str(tmp_path)) and signing.copy_font() == made


def test_the_api_makes_lists_and_serves_copies(issued, sealed_unit, personas):
    url = f"/api/v1/documents/{issued.pk}/copies"
    answer = ApiClient(personas.manager).post(url, {"kind": "sao_y"})
    assert answer.status_code == 201, answer.content
    made = answer.json()
    assert (made["kind"], made["body"], made["signer"]) == (
        "sao_y",
        "Đơn vị BTGHU",
        "Ban Tuyen giao Huyen uy",
    )
    listed = ApiClient(personas.viewer).get(url).json()
    assert [c["id"] for c in listed] == [made["id"]]
    pdf = ApiClient(personas.viewer).get(made["pdf_url"])
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert signing.verify(pdf.content)[0]["status"] == "valid"
    assert ApiClient(personas.viewer).get(f"{url}/{made['id'] + 1}/pdf").status_code == 404


def test_the_api_keeps_copies_to_those_who_may_change_the_register(issued, sealed_unit, personas):
    url = f"/api/v1/documents/{issued.pk}/copies"
    for persona in (personas.viewer, personas.reporter, personas.outsider):
        assert ApiClient(persona).post(url, {"kind": "sao_y"}).status_code in (403, 404)
    assert ApiClient(personas.outsider).get(url).status_code in (403, 404)
    assert ApiClient().post(url, {"kind": "sao_y"}).status_code == 401
    assert not ElectronicCopy.objects.exists()
    refused = ApiClient(personas.manager).post(url, {"kind": "ban_chinh"})
    assert refused.status_code == 400
    assert refused.json()["error"]["code"] == "invalid_copy_kind"


def test_the_document_page_makes_a_copy_and_links_it(client, issued, sealed_unit, personas):
    client.force_login(personas.manager)
    page = client.get(f"/van-ban/{issued.pk}/")
    assert "Tạo bản sao điện tử" in page.content.decode()
    answer = client.post(f"/van-ban/{issued.pk}/ban-sao/", {"kind": "sao_y"}, follow=True)
    made = ElectronicCopy.objects.get()
    body = answer.content.decode()
    assert "Đã tạo bản sao điện tử (Sao y)" in body
    assert f"/api/v1/documents/{issued.pk}/copies/{made.pk}/pdf" in body
    client.force_login(personas.viewer)
    assert "Tạo bản sao điện tử" not in client.get(f"/van-ban/{issued.pk}/").content.decode()
    assert client.post(f"/van-ban/{issued.pk}/ban-sao/", {"kind": "sao_y"}).status_code == 403
    assert ElectronicCopy.objects.count() == 1
