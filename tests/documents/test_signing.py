"""Signed PDFs (documents.signing): the organisation's seal, verification, the signer's own
signature through one-time links. Real pyHanko signatures with a test PKI (tests/documents/pki.py)."""

import datetime as dt
import io

import pytest
from pypdf import PdfReader

from tests.documents.pki import PASSWORD, pkcs12, pki, tool_sign
from tests.factories import SIGNED, SYSTEM
from trienkhai.common.errors import BadInput, Conflict
from trienkhai.documents import services as documents
from trienkhai.documents import signing
from trienkhai.documents.models import SignedPdf, UnitSeal
from trienkhai.documents.signing import _pades, at_rest, specimens


def test_it_seals_an_issued_pdf_and_the_seal_verifies_valid(issued, sealed_unit, personas):
    before = signing.current_pdf(issued).data
    made = signing.seal(acting_user=personas.manager, document=issued)
    assert (made["status"], made["intact"], made["trusted"]) == ("valid", True, True)
    assert made["signer"] == "Ban Tuyen giao Huyen uy"
    assert made["organisation"] == "Huyen uy Vinh Thuan"
    assert made["chain"] == ["Ban Tuyen giao Huyen uy", "Test Root CA"]
    now = signing.current_pdf(issued)
    assert now.latest.kind == SignedPdf.Kind.SEAL and now.data.startswith(before)
    assert [s["status"] for s in signing.signatures_of(issued)] == ["valid"]
    assert now.latest.history.first().history_user == personas.manager
    with pytest.raises(Conflict) as refused:
        signing.seal(acting_user=personas.manager, document=issued)
    assert refused.value.code == "already_sealed"


def test_it_shows_the_seal_over_the_left_third_of_the_signer_s_area(issued, sealed_unit):
    signing.seal(acting_user=SYSTEM, document=issued)
    last = PdfReader(io.BytesIO(signing.current_pdf(issued).data)).pages[-1]
    widgets = [a.get_object() for a in last["/Annots"]]
    left, bottom, right, top = (float(v) for v in widgets[0]["/Rect"])
    # specimens.text_pdf writes the name at x=340, y=520 - 6*16 = 424 (12 pt Helvetica).
    assert right - left == _pades.SEAL_PT
    assert left < 340 < right, "the seal overlaps the start of the signer's area"
    assert bottom < 424 + 50 < top, "between the position line and the name"


def test_it_shows_a_pdf_changed_after_sealing_as_modified_never_valid(issued, sealed_unit):
    signing.seal(acting_user=SYSTEM, document=issued)
    signed = signing.current_pdf(issued).data
    tampered = signed.replace(b"Dong 3: noi dung", b"Dong 3: NOI DUNG", 1)
    assert tampered != signed
    found = signing.verify(tampered)
    assert [(s["status"], s["intact"], s["trusted"]) for s in found] == [("modified", False, False)]


def test_it_shows_content_added_after_signing_as_modified(issued, roots):
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    signed = tool_sign(signing.current_pdf(issued).data, pki().person)
    writer = IncrementalPdfFileWriter(io.BytesIO(signed), strict=False)
    page = writer.root["/Pages"]["/Kids"][0].get_object()
    extra = writer.add_object(
        generic.StreamObject(stream_data=b"BT /F1 30 Tf 72 72 Td (GIA) Tj ET")
    )
    page["/Contents"] = generic.ArrayObject([page.raw_get("/Contents"), extra])
    writer.update_container(page)
    out = io.BytesIO()
    writer.write(out)
    assert [s["status"] for s in signing.verify(out.getvalue())] == ["modified"]


def test_it_calls_a_certificate_of_another_root_untrusted(issued, roots):
    found = signing.verify(tool_sign(signing.current_pdf(issued).data, pki().stranger, pki().other))
    assert [(s["status"], s["intact"], s["trusted"]) for s in found] == [("untrusted", True, False)]
    assert found[0]["chain"] == ["Nguoi La"]


def test_it_says_an_expired_certificate_has_expired(issued, roots):
    found = signing.verify(tool_sign(signing.current_pdf(issued).data, pki().expired))
    assert [(s["status"], s["trusted"], s["expired"]) for s in found] == [("expired", False, True)]


def test_it_keeps_the_certificate_and_password_encrypted(sealed_unit):
    stored = UnitSeal.objects.get(pk=sealed_unit.pk)
    raw = pkcs12(pki().organisation)
    assert raw[:64] not in bytes(stored.pkcs12) and PASSWORD.encode() not in bytes(stored.password)
    assert at_rest.decrypt(stored.password) == PASSWORD.encode()
    assert stored.subject == "Ban Tuyen giao Huyen uy"


def test_it_refuses_a_damaged_pkcs12_or_a_wrong_password(btghu):
    image = specimens.seal_png("X")
    for data, password in ((b"not a pkcs12", PASSWORD), (pkcs12(pki().organisation), "sai")):
        with pytest.raises(BadInput) as refused:
            signing.configure_seal(
                acting_user=SYSTEM, unit=btghu, pkcs12=data, password=password, image=image
            )
        assert refused.value.code == "invalid_pkcs12" and "sai mật khẩu" in refused.value.message
    assert not UnitSeal.objects.exists()


def test_it_refuses_an_expired_certificate_and_an_image_that_is_not_a_png(btghu):
    with pytest.raises(BadInput) as refused:
        signing.configure_seal(
            acting_user=SYSTEM,
            unit=btghu,
            pkcs12=pkcs12(pki().expired),
            password=PASSWORD,
            image=specimens.seal_png("X"),
        )
    assert refused.value.code == "certificate_expired"
    with pytest.raises(BadInput) as refused:
        signing.configure_seal(
            acting_user=SYSTEM,
            unit=btghu,
            pkcs12=pkcs12(pki().organisation),
            password=PASSWORD,
            image=b"\x89PNG\r\n\x1a\n broken",
        )
    assert refused.value.code == "invalid_seal_image"
    assert not UnitSeal.objects.exists()


def test_it_seals_only_an_issued_document_of_a_unit_with_a_seal(issued, btghu, personas):
    with pytest.raises(Conflict) as refused:
        signing.seal(acting_user=SYSTEM, document=issued)
    assert refused.value.code == "no_seal"
    draft = documents.register_draft(
        **SIGNED, acting_user=SYSTEM, issuer=btghu, type="BC", date=dt.date(2020, 7, 1), summary="x"
    )
    with pytest.raises(Conflict) as refused:
        signing.seal(acting_user=SYSTEM, document=draft)
    assert refused.value.code == "not_issued"
    assert not SignedPdf.objects.exists()


def test_it_keeps_the_signer_s_own_signature_then_the_seal(issued, sealed_unit, personas):
    """GIVEN a one-time link WHEN the signer's tool posts the PDF back signed THEN it is
    kept, the link is spent, and the văn thư's seal follows it: both valid."""
    _link, token = signing.open_link(acting_user=personas.manager, document=issued)
    _, handed = signing.linked_pdf(token)
    made = signing.accept_signed(token=token, data=tool_sign(handed, pki().person))
    assert (made["signer"], made["status"]) == ("Nguyen Van A", "valid")
    with pytest.raises(signing.Gone):
        signing.accept_signed(token=token, data=tool_sign(handed, pki().person))
    signing.seal(acting_user=personas.manager, document=issued)
    found = signing.signatures_of(issued)
    assert [(s["signer"], s["status"]) for s in found] == [
        ("Nguyen Van A", "valid"),
        ("Ban Tuyen giao Huyen uy", "valid"),
    ]
    assert [p.kind for p in issued.signed_pdfs.all()] == ["personal", "seal"]


def test_it_refuses_what_comes_back_unless_it_is_the_document_signed(issued, personas):
    _, token = signing.open_link(acting_user=personas.manager, document=issued)
    _, handed = signing.linked_pdf(token)
    other = tool_sign(specimens.text_pdf(2, signer="Someone Else"), pki().person)
    signed = tool_sign(handed, pki().person)
    for data, code in (
        (handed, "not_the_document"),
        (other, "not_the_document"),
        (signed.replace(b"Dong 3: noi dung", b"Dong 3: NOI DUNG", 1), "not_the_document"),
        (_broken_signature(signed, len(handed)), "signature_invalid"),
        (
            tool_sign(handed, pki().person, also_write=b"BT /F1 30 Tf 72 72 Td (GIA) Tj ET"),
            "signature_invalid",
        ),
    ):
        with pytest.raises(BadInput) as refused:
            signing.accept_signed(token=token, data=data)
        assert refused.value.code == code, code
    assert not SignedPdf.objects.exists()
    assert signing.accept_signed(token=token, data=signed)["status"] == "valid"


def _broken_signature(signed: bytes, start: int) -> bytes:
    """``signed`` with one hex digit of its new signature's value changed (the value ends
    the CMS data, before the zeros that pad it)."""
    begin = signed.index(b"/Contents <", start) + len(b"/Contents <")
    end = signed.index(b">", begin)
    at = len(signed[begin:end].rstrip(b"0")) + begin - 20
    digit = b"1" if signed[at : at + 1] != b"1" else b"2"
    return signed[:at] + digit + signed[at + 1 :]


def test_it_refuses_an_expired_link(issued, personas):
    link, token = signing.open_link(acting_user=personas.manager, document=issued)
    link.expires = dt.datetime(2020, 1, 1, tzinfo=dt.UTC)
    link.save()
    with pytest.raises(signing.Gone):
        signing.linked_pdf(token)


def test_it_says_a_file_that_is_not_a_pdf_is_bad_input():
    with pytest.raises(BadInput) as refused:
        signing.verify(b"PK\x03\x04 a zip")
    assert refused.value.code == "not_a_pdf"
    with pytest.raises(BadInput) as refused:
        signing.verify(b"%PDF-1.7\n garbage")
    assert refused.value.code == "unreadable_pdf"
