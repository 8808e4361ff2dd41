"""Exporting an issued document as an edXML package (documents.interchange).

Target (issue 13, Speed): export a package ≤ 0.2 s. The document: a Party report of a
district board with two attachments, a Word file of 300 paragraphs and a 2 MB scan
(PNG), which the package carries in base64 (about 2.7 MB of XML). Timed: the export as
the API does it (the document read, its files read, the XML built), and reading the
package back (the hardened parse and the base64 decoding) without storing it.
"""

import datetime as dt
import io
import os

from bench.measure import Measurement, repeat_ms
from trienkhai.common.actors import BENCH

TITLE = "Gói edXML / edXML packages (export, read)"
RUNS = 20


def _document():
    import docx

    from trienkhai.documents import attachments, services
    from trienkhai.documents.types import ensure_standard_types
    from trienkhai.orgs import services as orgs
    from trienkhai.orgs.kinds import ROOT_CODE, ensure_standard_data
    from trienkhai.orgs.models import Unit, UnitKind

    ensure_standard_data()
    ensure_standard_types()
    root = Unit.objects.get(code=ROOT_CODE)
    hu = orgs.create_unit(
        acting_user=BENCH,
        code="HU-B",
        name="Huyện ủy Vĩnh Thuận",
        kind=UnitKind.objects.get(code="party_committee"),
        parent=root,
        valid_from=dt.date(2008, 8, 1),
        abbreviation="HU",
    )
    board = orgs.create_unit(
        acting_user=BENCH,
        code="BTGHU-B",
        name="Ban Tuyên giáo Huyện ủy Vĩnh Thuận",
        kind=UnitKind.objects.get(code="board"),
        parent=hu,
        valid_from=dt.date(2008, 8, 1),
        abbreviation="BTGHU",
    )
    orgs.set_agency_code(acting_user=BENCH, unit=hu, agency_code="000.00.01.Z91")
    orgs.set_agency_code(acting_user=BENCH, unit=board, agency_code="000.01.01.Z91")
    document = services.issue(
        acting_user=BENCH,
        document=services.register_draft(
            acting_user=BENCH,
            issuer=board,
            type="BC",
            date=dt.date(2020, 6, 29),
            summary="Sơ kết 6 tháng đầu năm 2020 thực hiện Nghị quyết 35-NQ/TW",
            signer="Nguyễn Văn A",
            signer_authority="tm",
            recipients="Thường trực Huyện ủy (để báo cáo)\nLưu Ban Tuyên giáo",
        ),
    )
    word = docx.Document()
    for n in range(300):
        word.add_paragraph(f"Đoạn {n}: kết quả triển khai, học tập, quán triệt Nghị quyết.")
    out = io.BytesIO()
    word.save(out)
    attachments.attach(
        acting_user=BENCH, document=document, name="bao-cao.docx", data=out.getvalue()
    )
    scan = b"\x89PNG\r\n\x1a\n" + os.urandom(2 * 1024 * 1024)
    attachments.attach(acting_user=BENCH, document=document, name="ban-ky.png", data=scan)
    return document


def run(progress=print) -> list[Measurement]:
    import tempfile

    from django.conf import settings

    from trienkhai.documents import interchange
    from trienkhai.documents.interchange import edxml
    from trienkhai.documents.models import Document

    settings.MEDIA_ROOT = tempfile.mkdtemp(prefix="bench-edxml-")
    progress("an issued report with a .docx and a 2 MB scan")
    pk = _document().pk

    def export() -> bytes:
        document = Document.objects.select_related("unit", "issuer", "type").get(pk=pk)
        return interchange.export_package(document, to=["000.00.01.Z91"])

    package = export()
    progress(f"exporting ({len(package):,} bytes) and reading back, {RUNS} times each")
    out = repeat_ms(export, runs=RUNS, warmup=2)
    back = repeat_ms(
        lambda: edxml.parse_package(package, max_bytes=settings.UPLOAD_MAX_BYTES),
        runs=RUNS,
        warmup=2,
    )
    size = f"{len(package) / 1024 / 1024:.1f} MB package"
    return [
        Measurement(
            "export_median_s",
            "Export an issued document as an edXML package (median)",
            round(out["median"] / 1000, 3),
            "s",
            0.2,
            f"{size}; p95 {out['p95'] / 1000:.3f} s over {RUNS} runs",
        ),
        Measurement(
            "read_median_s",
            "Read a package back (hardened parse, base64 decoded; median)",
            round(back["median"] / 1000, 3),
            "s",
            0.2,
            f"p95 {back['p95'] / 1000:.3f} s; no target in the issue: the import's first step",
        ),
    ]


NOTES = """\
The package's size is dominated by the base64 of the attachments (4/3 of their bytes).
The export reads the files from storage on every call (no cache).
"""
