"""Multi-line fields keep their lines from the editor to the issued files (issue 13).

One report is saved twice through the editor, previewed, issued (one .docx and one .pdf,
LibreOffice once for the module's only test), and each multi-line field is read back
from the page, the register, python-docx and pypdf.
"""

import io

import docx
from pypdf import PdfReader

from trienkhai.documents.models import Document
from trienkhai.drafting.models import Report

from .test_views import make

TITLE = "kết quả thực hiện chuyên đề năm 2020\nvà phương hướng năm 2021"
RECIPIENTS = "\r\n  - Thường trực  Huyện ủy (để báo cáo),\r\n\r\n- Lưu Ban Tuyên giáo.\r\n"
NARRATIVE = "Đoạn một, dòng một.\r\nĐoạn một, dòng hai.\r\n\r\nĐoạn hai."


def words(text: str) -> str:
    return " ".join(text.split())


def test_every_multi_line_field_keeps_its_lines_to_the_pdf(
    web, personas, district, templates, media
):
    report = make(district, templates)
    client = web(personas.manager)
    form = {
        "superior": report.superior,
        "issuer_label": report.issuer_label,
        "place": "Vĩnh Thuận",
        "date": "29/06/2020",
        "title": TITLE,
        "signer_for": "K/T TRƯỞNG BAN",
        "signer_position": "PHÓ TRƯỞNG BAN",
        "signer_name": "Trần Văn B",
        "recipients": RECIPIENTS,
        "t-4.1": NARRATIVE,
    }
    assert client.post(f"/soan-bao-cao/{report.pk}/", form).status_code == 302
    saved = Report.objects.get(pk=report.pk)
    assert saved.recipients == "- Thường trực Huyện ủy (để báo cáo),\n\n- Lưu Ban Tuyên giáo."
    assert saved.title == TITLE
    assert saved.narrative["4.1"] == "Đoạn một, dòng một.\nĐoạn một, dòng hai.\n\nĐoạn hai."
    # Saving again what the editor shows changes nothing (it used to join the lines).
    again = {**form, "title": saved.title, "recipients": saved.recipients}
    again["t-4.1"] = saved.narrative["4.1"]
    assert client.post(f"/soan-bao-cao/{report.pk}/", again).status_code == 302
    resaved = Report.objects.get(pk=report.pk)
    assert (resaved.title, resaved.recipients, resaved.narrative) == (
        saved.title,
        saved.recipients,
        saved.narrative,
    )

    preview = client.get(f"/soan-bao-cao/{report.pk}/xem-truoc/").content.decode()
    assert "<div>- Thường trực Huyện ủy (để báo cáo),</div>" in preview
    assert "<div>- Lưu Ban Tuyên giáo.</div>" in preview
    assert "Đoạn một, dòng một.<br>Đoạn một, dòng hai." in preview
    assert "chuyên đề năm 2020<br>và phương hướng" in preview

    asked = client.post(f"/soan-bao-cao/{report.pk}/ban-hanh/")
    assert "Cấp số 01-BC/BTGHU?" in asked.content.decode()
    issued = client.post(f"/soan-bao-cao/{report.pk}/ban-hanh/", {"so": "01-BC/BTGHU"})
    assert issued.status_code == 302
    report = Report.objects.get(pk=report.pk)
    entry = Document.objects.get(pk=report.document_id)
    assert entry.recipients == saved.recipients  # the register keeps the lines too
    assert entry.signer == "Trần Văn B" and entry.signer_authority == "kt"

    word = docx.Document(io.BytesIO(report.docx.read()))
    paragraphs = [p.text for p in word.paragraphs]
    cells = [p.text for t in word.tables for row in t.rows for c in row.cells for p in c.paragraphs]
    assert "- Thường trực Huyện ủy (để báo cáo)," in cells
    assert "- Lưu Ban Tuyên giáo." in cells
    assert "Đoạn một, dòng một.\nĐoạn một, dòng hai." in paragraphs  # a line break, kept
    assert "Đoạn hai." in paragraphs
    assert "kết quả thực hiện chuyên đề năm 2020\nvà phương hướng năm 2021" in paragraphs

    pages = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(report.pdf.read())).pages)
    lines = [words(line) for line in pages.splitlines()]
    assert "- Thường trực Huyện ủy (để báo cáo)," in lines
    assert "- Lưu Ban Tuyên giáo." in lines
    assert "Đoạn một, dòng một." in lines and "Đoạn một, dòng hai." in lines
