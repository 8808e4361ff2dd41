"""The register books (sổ đăng ký văn bản đi / đến) of a unit for a year, as rows and as .xlsx.

Columns follow Nghị định 30/2020 Phụ lục IV (VN_DOCUMENTS.md §5.2). Columns the system
cannot know (who took the file copy, copies, hand-over date, signature of receipt) stay
empty, to be filled on the printed, bound book (ND30 Art. 16).
"""

import datetime as dt
import io
from dataclasses import dataclass

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from trienkhai.common.spreadsheets import defuse
from trienkhai.documents.models import Document
from trienkhai.orgs.models import Unit


@dataclass(frozen=True)
class Column:
    title: str
    width: int
    key: str = ""
    """The row field shown; empty: a column filled by hand."""


def outgoing_columns() -> list[Column]:
    return [
        Column(_("Số, ký hiệu văn bản"), 16, "symbol"),
        Column(_("Ngày tháng văn bản"), 12, "date"),
        Column(_("Tên loại và trích yếu nội dung"), 50, "summary"),
        Column(_("Người ký"), 18, "signer"),
        Column(_("Nơi nhận văn bản"), 30, "recipients"),
        Column(_("Đơn vị, người nhận bản lưu"), 16),
        Column(_("Số lượng bản"), 8),
        Column(_("Ngày chuyển"), 10),
        Column(_("Ký nhận"), 10),
        Column(_("Ghi chú"), 16, "note"),
    ]


def incoming_columns() -> list[Column]:
    return [
        Column(_("Ngày đến"), 10, "received_date"),
        Column(_("Số đến"), 7, "received_number"),
        Column(_("Tác giả"), 24, "author"),
        Column(_("Số, ký hiệu văn bản"), 16, "symbol"),
        Column(_("Ngày tháng văn bản"), 12, "date"),
        Column(_("Tên loại và trích yếu nội dung"), 50, "summary"),
        Column(_("Đơn vị hoặc người nhận"), 18),
        Column(_("Ngày chuyển"), 10),
        Column(_("Ký nhận"), 10),
        Column(_("Ghi chú"), 16, "note"),
    ]


def book_entries(unit: Unit, direction: str, year: int) -> list[Document]:
    """The entries of the book: numbered documents of the year in the order of their numbers.

    Outgoing: issued, archived and cancelled (a cancelled number stays in the book);
    incoming: by số đến of the year they arrived.
    """
    documents = Document.objects.filter(unit=unit, direction=direction).select_related(
        "type", "issuer"
    )
    if direction == Document.Direction.OUTGOING:
        return list(
            documents.filter(date__year=year, number__isnull=False).order_by("date", "number", "id")
        )
    return list(documents.filter(received_date__year=year).order_by("received_number", "id"))


def row(document: Document, names: dict[int, str]) -> dict:
    """One line of the book as plain values (dates stay dates)."""
    note = (
        _("Đã hủy: %(reason)s") % {"reason": document.cancel_reason}
        if (document.status == Document.Status.CANCELLED)
        else ""
    )
    return {
        "id": document.pk,
        "symbol": document.symbol,
        "date": document.date,
        "summary": f"{document.type.name} {document.summary}",
        "signer": document.signer,
        "recipients": document.recipients,
        "received_date": document.received_date,
        "received_number": document.received_number,
        "author": names.get(document.issuer_id or 0) or document.issuer_name,
        "note": note,
        "is_cancelled": document.status == Document.Status.CANCELLED,
    }


def as_xlsx(
    title: str, unit_name: str, year: int, columns: list[Column], rows: list[dict]
) -> bytes:
    """The book as a workbook: a title block, the header, one line per entry, printable."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = str(year)
    thin = Side(style="thin")
    box = Border(left=thin, right=thin, top=thin, bottom=thin)
    last = get_column_letter(len(columns))
    for line, (text, size) in enumerate(
        ((unit_name.upper(), 12), (title, 14), (_("Năm %(year)s") % {"year": year}, 12)), start=1
    ):
        sheet.merge_cells(f"A{line}:{last}{line}")
        cell = sheet.cell(line, 1, text)
        cell.font = Font(name="Times New Roman", bold=True, size=size)
        cell.alignment = Alignment(horizontal="center")
    header = 5
    for index, column in enumerate(columns, start=1):
        cell = sheet.cell(header, index, column.title)
        cell.font = Font(name="Times New Roman", bold=True, size=11)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.border = box
        sheet.column_dimensions[get_column_letter(index)].width = column.width
        # The column numbers under the header, as on the printed form: (1), (2) ...
        numbered = sheet.cell(header + 1, index, f"({index})")
        numbered.alignment = Alignment(horizontal="center")
        numbered.border = box
    for offset, values in enumerate(rows, start=header + 2):
        for index, column in enumerate(columns, start=1):
            value = values.get(column.key) if column.key else None
            cell = sheet.cell(offset, index, value)
            cell.border = box
            cell.font = Font(name="Times New Roman", size=11)
            cell.alignment = Alignment(vertical="top", wrap_text=True)
            if isinstance(value, dt.date):
                cell.number_format = "DD/MM/YYYY"
    defuse(sheet)
    sheet.freeze_panes = sheet.cell(header + 2, 1)
    sheet.print_title_rows = f"{header}:{header + 1}"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
