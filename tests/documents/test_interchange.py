"""edXML packages (issue 13 §6): export → import round trips, duplicates, hostile packages,
status messages both ways, the files transport."""

import base64
import datetime as dt
import io
import random
import re

import pytest
from lxml import etree

from tests import hostile as h
from tests.documents.test_attachments import _media, png_file, word_file  # noqa: F401
from tests.factories import SYSTEM
from trienkhai.common.errors import BadInput, Conflict
from trienkhai.documents import attachments, interchange
from trienkhai.documents.interchange import edxml
from trienkhai.documents.models import (
    Attachment,
    Document,
    InterchangeStatus,
    ReceivedPackage,
)
from trienkhai.orgs import services as orgs

HU_ID = "000.00.01.Z91"
DU1_ID = "000.01.01.Z91"


@pytest.fixture
def coded(district):
    """HU and DU1 with agency codes."""
    orgs.set_agency_code(acting_user=SYSTEM, unit=district.hu, agency_code=HU_ID)
    orgs.set_agency_code(acting_user=SYSTEM, unit=district.du1, agency_code=DU1_ID)
    district.hu.refresh_from_db()
    district.du1.refresh_from_db()
    return district


@pytest.fixture
def sent(coded, directive):
    """The directive (01-CV/HU) with a Word file and a scan attached."""
    attachments.attach(
        acting_user=SYSTEM,
        document=directive,
        name="Công văn 217.docx",
        data=word_file("Triển khai Nghị quyết 35"),
    )
    attachments.attach(acting_user=SYSTEM, document=directive, name="ảnh.png", data=png_file())
    return Document.objects.select_related("issuer", "type", "unit").get(pk=directive.pk)


def stored_files(document: Document) -> list[tuple[str, bytes]]:
    return [
        (a.name, attachments.file_path(a).read_bytes())
        for a in document.attachments.order_by("name")
    ]


def test_it_round_trips_a_document_into_the_register_its_to_names(sent, coded):
    package = interchange.export_package(sent, to=[DU1_ID])
    received = interchange.import_package(acting_user=SYSTEM, data=package)
    assert received.unit == coded.du1 and received.direction == "incoming"
    assert received.status == Document.Status.RECEIVED and received.received_number == 1
    for name in ("symbol", "date", "summary", "signer", "signer_authority", "recipients", "type"):
        assert getattr(received, name) == getattr(sent, name), name
    assert received.issuer == coded.hu  # the sender is known here by its agency code
    assert stored_files(received) == stored_files(sent)  # byte-identical, same names
    assert [a.kind for a in received.attachments.order_by("name")] == ["docx", "png"]


def test_it_round_trips_into_a_system_that_does_not_know_the_sender(sent, coded):
    package = interchange.export_package(sent)
    coded.hu.agency_code = ""  # the receiving side does not know HU
    coded.hu.save(update_fields=["agency_code"])
    received = interchange.import_package(acting_user=SYSTEM, data=package, unit=coded.du1)
    assert received.issuer is None and received.issuer_name == "Đơn vị HU"
    assert (received.symbol, received.date, received.summary) == (
        sent.symbol,
        sent.date,
        sent.summary,
    )
    assert received.type.code == "CV" and received.type.profile == "party"
    assert stored_files(received) == stored_files(sent)


def test_it_writes_the_fields_of_the_standard(sent, coded):
    root = etree.fromstring(interchange.export_package(sent, to=["DU1"]))
    ns = {"e": edxml.NS}
    header = root.find("e:edXMLHeader/e:MessageHeader", ns)

    def text(path: str) -> str:
        return header.findtext(path, namespaces=ns)

    assert text("e:From/e:OrganId") == HU_ID and text("e:To/e:OrganId") == DU1_ID
    assert (text("e:Code/e:CodeNumber"), text("e:Code/e:CodeNotation")) == ("01", "CV/HU")
    assert text("e:PromulgationInfo/e:PromulgationDate") == "2020-06-02"
    assert text("e:DocumentType/e:Type") == "CV"
    assert text("e:SignerInfo/e:FullName") == "Lê Văn Ký"
    assert text("e:SignerInfo/e:Competence") == "T/M"
    assert [p.text for p in header.findall("e:ToPlaces/e:Place", ns)] == [
        "Như trên",
        "Lưu Văn phòng",
    ]
    assert text("e:DocumentId") == f"{HU_ID},2020/06/02,01-CV/HU"
    assert root.findtext("e:edXMLHeader/e:TraceHeaderList/e:TraceHeader/e:OrganId", None, ns)
    names = [r.findtext("e:AttachmentName", None, ns) for r in root.iterfind(".//e:Reference", ns)]
    assert sorted(names) == ["Công văn 217.docx", "ảnh.png"]
    encoded = root.findall("e:AttachmentEncoded/e:Attachment/e:ContentTransferEncoded", ns)
    assert base64.b64decode(encoded[1].text) == png_file()


def test_it_names_the_document_answered_in_response_for(sent, coded, district):
    from trienkhai.documents import services

    answer = services.register_draft(
        acting_user=SYSTEM,
        issuer=district.du1,
        type="BC",
        date=dt.date(2020, 7, 1),
        summary="Báo cáo kết quả",
        signer="Trần Thị Báo",
        signer_authority="tm",
        recipients="Huyện ủy",
    )
    answer = services.issue(acting_user=SYSTEM, document=answer)
    services.link(acting_user=SYSTEM, source=answer, target=sent, kind="responds_to")
    root = etree.fromstring(interchange.export_package(answer))
    found = root.findtext(
        "{0}edXMLHeader/{0}MessageHeader/{0}ResponseFor/{0}DocumentId".format(f"{{{edxml.NS}}}")
    )
    assert found == f"{HU_ID},2020/06/02,01-CV/HU"


def test_it_refuses_to_export_a_draft_or_without_an_agency_code(coded, district, directive):
    from trienkhai.documents import services

    draft = services.register_draft(
        acting_user=SYSTEM, issuer=district.hu, type="CV", date=dt.date(2020, 6, 3), summary="x"
    )
    with pytest.raises(Conflict):
        interchange.export_package(draft)
    orgs.set_agency_code(acting_user=SYSTEM, unit=district.hu, agency_code="")
    directive.issuer.refresh_from_db()
    with pytest.raises(BadInput) as refused:
        interchange.export_package(directive)
    assert refused.value.code == "no_agency_code"


def test_it_refuses_the_same_package_twice(sent, coded):
    package = interchange.export_package(sent, to=[DU1_ID])
    interchange.import_package(acting_user=SYSTEM, data=package)
    again = interchange.export_package(sent, to=[DU1_ID])  # rebuilt: another timestamp
    with pytest.raises(Conflict) as refused:
        interchange.import_package(acting_user=SYSTEM, data=again)
    assert refused.value.code == "duplicate_package"
    assert Document.objects.filter(direction="incoming").count() == 1


def test_it_asks_for_the_unit_when_to_names_none_known(sent, coded):
    package = interchange.export_package(sent, to=["000.00.00.G22"])
    with pytest.raises(BadInput) as refused:
        interchange.import_package(acting_user=SYSTEM, data=package)
    assert refused.value.code == "unit_required"


def test_it_refuses_an_outsider(sent, coded, personas):
    from django.core.exceptions import PermissionDenied

    package = interchange.export_package(sent, to=[DU1_ID])
    with pytest.raises(PermissionDenied):
        interchange.import_package(acting_user=personas.outsider, data=package)
    assert not ReceivedPackage.objects.exists()


def _swap(package: bytes, pattern: bytes, replacement: bytes) -> bytes:
    """``package`` with every match of ``pattern`` replaced (the manifest and the encoded
    attachment both name a file)."""
    changed, count = re.subn(pattern, replacement, package)
    assert count >= 1
    return changed


def hostile_packages(package: bytes) -> dict[str, bytes]:
    body = package.split(b"?>", 1)[1]
    laughs = h.BILLION_LAUGHS + b"<edXML:edXMLEnvelope>&lol9;</edXML:edXMLEnvelope>"
    return {
        "not XML": b"PK\x03\x04 not xml at all",
        "empty": b"",
        "truncated": package[: len(package) // 2],
        "external entity": h.XXE + body.replace(b"<edXML:Subject>", b"<edXML:Subject>&xxe;"),
        "billion laughs": laughs,
        "a DTD in UTF-16": ('<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE r []><r/>').encode(
            "utf-16-le"
        ),
        "bad base64": _swap(
            package,
            rb"<edXML:ContentTransferEncoded>[^<]*<",
            b"<edXML:ContentTransferEncoded>%%%not*base64%%%<",
        ),
        "a program as attachment": _swap(
            package, rb"<edXML:AttachmentName>[^<]*\.png<", b"<edXML:AttachmentName>run.exe<"
        ),
        "no subject": _swap(package, rb"<edXML:Subject>[^<]*</edXML:Subject>", b""),
        "a symbol too long": _swap(
            package, rb"<edXML:CodeNotation>[^<]*<", b"<edXML:CodeNotation>" + b"X" * 100 + b"<"
        ),
        "another root": b'<?xml version="1.0"?><edXMLEnvelope xmlns="urn:other"/>',
        "bad date": _swap(
            package,
            rb"<edXML:PromulgationDate>[^<]*<",
            b"<edXML:PromulgationDate>2020-13-45<",
        ),
    }


@pytest.mark.parametrize(
    "case",
    [
        "not XML",
        "empty",
        "truncated",
        "external entity",
        "billion laughs",
        "a DTD in UTF-16",
        "bad base64",
        "a program as attachment",
        "no subject",
        "a symbol too long",
        "another root",
        "bad date",
    ],
)
def test_it_refuses_a_hostile_package_and_stores_nothing(sent, coded, settings, case):
    package = hostile_packages(interchange.export_package(sent, to=[DU1_ID]))[case]
    files = sorted(p.name for p in settings.MEDIA_ROOT.rglob("*"))
    counts = (
        Document.objects.count(),
        Attachment.objects.count(),
        InterchangeStatus.objects.count(),
    )
    with pytest.raises(BadInput) as refused:
        interchange.import_package(acting_user=SYSTEM, data=package, unit=coded.du1)
    assert refused.value.status == 400 and " / " in refused.value.message
    assert not isinstance(refused.value, Conflict)
    assert (
        Document.objects.count(),
        Attachment.objects.count(),
        InterchangeStatus.objects.count(),
    ) == counts
    assert sorted(p.name for p in settings.MEDIA_ROOT.rglob("*")) == files


def _pdf_of(payload: bytes) -> bytes:
    """A one-page PDF carrying ``payload`` as an embedded file (incompressible: its size)."""
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    writer.add_attachment("du-lieu.bin", payload)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_it_carries_an_attachment_of_eight_megabytes(coded, directive):
    """Its base64 is a text node of 11 MB: past libxml2's default limit of 10 MB, which
    parsing lifts (``huge_tree``; the file is capped by UPLOAD_MAX_BYTES and DTDs are
    refused before it is parsed)."""
    scan = _pdf_of(random.Random(13).randbytes(8 * 1024 * 1024))
    attachments.attach(acting_user=SYSTEM, document=directive, name="ban-quet.pdf", data=scan)
    package = interchange.export_package(directive, to=[DU1_ID])
    assert len(package) > 11_000_000
    received = interchange.import_package(acting_user=SYSTEM, data=package)
    [kept] = received.attachments.all()
    assert attachments.file_path(kept).read_bytes() == scan


def test_it_refuses_an_oversized_package(sent, coded, settings):
    package = interchange.export_package(sent, to=[DU1_ID])
    settings.UPLOAD_MAX_BYTES = len(package) - 1
    with pytest.raises(BadInput) as refused:
        interchange.import_package(acting_user=SYSTEM, data=package)
    assert refused.value.code == "file_too_large"
    assert not Document.objects.filter(direction="incoming").exists()


def test_statuses_travel_both_ways_through_the_files_transport(sent, coded, tmp_path):
    receiver_side = interchange.FilesTransport(tmp_path / "du1")
    issuer_side = interchange.FilesTransport(tmp_path / "hu")
    package = interchange.export_package(sent, to=[DU1_ID])
    received = interchange.import_package(acting_user=SYSTEM, data=package)
    arrived = InterchangeStatus.objects.get(document=received)
    assert (arrived.direction, arrived.code, arrived.organ_id) == ("sent", "01", DU1_ID)

    made, delivered = interchange.send_status(
        acting_user=SYSTEM,
        document=received,
        status="accepted",
        description="Đã vào sổ",
        transport=receiver_side,
    )
    assert delivered and made.code == "03"
    (message,) = list((tmp_path / "du1" / "outbox").iterdir())

    # The file reaches the issuer's inbox; its poll records it on the directive.
    (tmp_path / "hu" / "inbox").mkdir(parents=True)
    (tmp_path / "hu" / "inbox" / message.name).write_bytes(message.read_bytes())
    (tmp_path / "hu" / "inbox" / "rac.xml").write_bytes(b"<khong-phai-edxml/>")
    results = interchange.poll(acting_user=SYSTEM, transport=issuer_side)
    assert sorted((r.name, bool(r.status), bool(r.error)) for r in results) == [
        ("rac.xml", False, True),
        (message.name, True, False),
    ]
    answer = InterchangeStatus.objects.get(document=sent)
    assert (answer.direction, answer.code, answer.organ_id) == ("received", "03", DU1_ID)
    assert answer.description == "Đã vào sổ"
    assert (tmp_path / "hu" / "inbox" / "done" / message.name).is_file()
    assert (tmp_path / "hu" / "inbox" / "rejected" / "rac.xml.reason.txt").is_file()


def test_a_poll_takes_packages_into_registers(sent, coded, tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "goi.xml").write_bytes(interchange.export_package(sent, to=[DU1_ID]))
    (results,) = interchange.poll(
        acting_user=SYSTEM, transport=interchange.FilesTransport(tmp_path)
    )
    assert results.document is not None and results.document.unit == coded.du1


def test_it_refuses_an_unknown_status(sent, coded):
    received = interchange.import_package(
        acting_user=SYSTEM, data=interchange.export_package(sent, to=[DU1_ID])
    )
    with pytest.raises(BadInput):
        interchange.send_status(acting_user=SYSTEM, document=received, status="lost")
    with pytest.raises(Conflict):
        interchange.send_status(acting_user=SYSTEM, document=sent, status="done")


def test_a_status_about_no_document_here_is_a_404(coded):
    from trienkhai.common.errors import NotFound

    message = edxml.build_status(
        edxml.StatusMessage(
            sender=edxml.Organ(DU1_ID),
            response_for=edxml.Reference(HU_ID, "99-CV/HU", None, f"{HU_ID},2020/01/01,99-CV/HU"),
            code="01",
            description="",
            at=dt.datetime(2020, 1, 2, 8, 0, tzinfo=dt.UTC),
        )
    )
    with pytest.raises(NotFound):
        interchange.receive_status(acting_user=SYSTEM, data=message)


@pytest.mark.parametrize(
    ("symbol", "number", "notation"),
    [
        ("04-BC/BTGHU", "04", "BC/BTGHU"),
        ("12/BC-UBND", "12", "BC-UBND"),
        ("7816/VPCP-TTĐT", "7816", "VPCP-TTĐT"),
    ],
)
def test_it_splits_and_joins_symbols_of_both_systems(symbol, number, notation):
    assert edxml.split_symbol(symbol) == (number, notation)
    package = edxml.Package(
        sender=edxml.Organ(""),
        receivers=[],
        number=number,
        notation=notation,
        date=dt.date(2020, 1, 1),
        place="",
        type_code="",
        type_name="",
        subject="x",
        signer="",
    )
    assert package.symbol == symbol


def test_an_import_tells_the_sender_it_arrived_through_the_configured_folder(
    sent, coded, settings, tmp_path
):
    settings.EDXML_DIR = str(tmp_path / "edxml")
    interchange.import_package(
        acting_user=SYSTEM, data=interchange.export_package(sent, to=[DU1_ID])
    )
    (message,) = list((tmp_path / "edxml" / "outbox").iterdir())
    status = edxml.parse_status(message.read_bytes(), max_bytes=settings.UPLOAD_MAX_BYTES)
    assert (status.code, status.sender.organ_id) == ("01", DU1_ID)
    assert status.response_for.document_id == f"{HU_ID},2020/06/02,01-CV/HU"
    assert status.response_for.organ_id == HU_ID
