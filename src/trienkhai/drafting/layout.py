"""A formal document as plain data, and the functions that lay it out (issue 6 §1).

The report templates build a :class:`FormalDocument`; this module and its siblings turn it
into a .docx (``render_docx``) or a .pdf (``render_pdf``) that follows the layout rules of
its profile. Nothing here reads the database.

Profiles (data, in ``drafting/profiles/*.toml``; see docs/FORMAL_DOCUMENTS.md):

- ``"state"``: Nghị định 30/2020/NĐ-CP, Phụ lục I;
- ``"party"``: Hướng dẫn 36-HD/VPTW (2018);
- ``"party-2026"``: Quy định 399-QĐ/TW (09/01/2026) and Hướng dẫn 05-HD/VPTW, an override
  of ``"party"`` (same typography as far as the sources tell).

Example, the Vĩnh Thuận report of 2020::

    doc = FormalDocument(
        profile="party",
        superior="HUYỆN ỦY VĨNH THUẬN",
        issuer="BAN TUYÊN GIÁO",
        number=4, code="BC/BTGHU",            # → "Số 04-BC/BTGHU"; number=None → blank (draft)
        place="Vĩnh Thuận", date=dt.date(2020, 6, 15),
        type_name="BÁO CÁO",
        title="kết quả đẩy mạnh việc thực hiện chuyên đề năm 2020 …",
        body=[
            Paragraph("Thực hiện công văn số 217-CV/HU …"),
            Heading("1. Công tác tổ chức triển khai", level=2),
            Paragraph([Run("Nhìn chung, "), Run("42/42", bold=True), Run(" chi, đảng ủy …")]),
            Table(header=["Đơn vị", "Số đảng viên"], rows=[["Chi bộ 1", 20]], totals=["Tổng", 20]),
            Figure(svg_bytes, kind="svg", caption="Biểu đồ 1. …"),
            PageBreak(),
        ],
        signature=Signature(
            position="PHÓ TRƯỞNG BAN", name="Nguyễn Văn A", authority=[("KT", "TRƯỞNG BAN")]
        ),
        recipients=["Ban Thường vụ Huyện ủy (để báo cáo)", "Lưu Ban Tuyên giáo"],
    )
    data = render_docx(doc)        # bytes of a .docx
    pdf = render_pdf(doc)          # bytes of a .pdf (LibreOffice headless)

Conventions the renderer applies, so callers do not:

- the number line: Party ``Số 04-BC/BTGHU``, State ``Số: 12/BC-UBND`` (``code`` is what
  follows the number and its separator: ``"BC/BTGHU"`` for Party, ``"BC-UBND"`` or
  ``"SGDĐT-VP"`` for State; :func:`split_symbol` cuts a register symbol ``"04-BC/BTGHU"``);
  numbers below 10 get a leading 0; ``number=None`` leaves the number blank and makes
  the document a draft: ``DỰ THẢO`` boxed in the top margin of every page, right;
- the date line ``Vĩnh Thuận, ngày 15 tháng 6 năm 2020`` (``trienkhai.vn.long_date``);
- the signature's authority prefixes per profile: ``("TM", "BAN THƯỜNG VỤ")`` is printed
  ``T/M BAN THƯỜNG VỤ`` (Party) or ``TM. BAN THƯỜNG VỤ`` (State); kinds TM, KT, TL, TUQ, Q;
- recipients: give the bare items; each is printed ``- item`` with the profile's separator
  (State ``;``, Party ``,``) and ``.`` after the last;
- ``type_name=""`` makes a công văn: no title block, the summary goes under the number
  (State with ``V/v``); ``addressees`` then gives the ``Kính gửi:`` lines.

Header strings (superior, issuer, type_name, signature lines) are printed as given: the
rules want them in capitals, and ``str.upper()`` would change the tone placement a unit
chose (VN_DOCUMENTS.md §6.1), so callers store them already in capitals. Text is NFC.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal

from trienkhai.vn import nfc

PROFILES = ("state", "party", "party-2026")
DRAFT_MARK = "DỰ THẢO"
"""Printed boxed at the top right of every page of a draft (``FormalDocument.is_draft``)."""

# "Số: 12/BC-UBND", "Số 04-BC/BTGHU", "04-BC/BTGHU", "-BC/BTGHU" (a draft)
_SYMBOL = re.compile(r"^\s*(?:Số\s*:?\s*)?(?P<number>\d*)\s*[-/]?\s*(?P<code>\S.*?)\s*$")

Cell = str | int | float | Decimal | None
"""A table cell: text as given, numbers printed the Vietnamese way ("20.673", "12,5")."""


@dataclass(frozen=True)
class Run:
    """A piece of a paragraph with its own emphasis."""

    text: str
    bold: bool = False
    italic: bool = False
    underline: bool = False


@dataclass(frozen=True)
class Heading:
    """A heading of the body, numbering included in ``text`` ("I. KẾT QUẢ", "1. …", "a) …").

    Level 1 bold, level 2 bold, level 3 bold italic, level 4 italic (profile data).
    """

    text: str
    level: int = 1


@dataclass(frozen=True)
class Paragraph:
    """Body text: justified, first line indented, in the profile's body size.

    ``text`` is a string or a sequence of :class:`Run`. ``align`` overrides the
    justification ("left", "center", "right", "justify"); ``indent=False`` drops the
    first-line indent (e.g. the "- " lines of a list).
    """

    text: str | Sequence[Run]
    align: Literal["justify", "left", "center", "right"] = "justify"
    indent: bool = True
    italic: bool = False

    @property
    def runs(self) -> tuple[Run, ...]:
        if isinstance(self.text, str):
            return (Run(self.text, italic=self.italic),)
        return tuple(self.text)


@dataclass(frozen=True)
class Table:
    """A grid with a header row, rows and an optional totals row (bold).

    Numbers are right-aligned and printed "20.673"; text is left-aligned. ``widths``
    (relative, e.g. ``[3, 1, 1]``) sets the column widths across the text width;
    ``caption`` is printed above, bold, centred ("Biểu 1. …").
    """

    header: Sequence[str]
    rows: Sequence[Sequence[Cell]]
    totals: Sequence[Cell] | None = None
    caption: str = ""
    widths: Sequence[float] | None = None


@dataclass(frozen=True)
class Figure:
    """An image (a chart) centred, with an italic caption under it.

    ``kind`` is "png" or "svg"; an SVG is converted to PNG (drafting.images) because
    .docx readers other than recent Word do not show SVG. ``width_cm`` is the printed
    width (the height keeps the image's proportions).
    """

    data: bytes
    kind: Literal["png", "svg"] = "png"
    caption: str = ""
    width_cm: float = 15.0


@dataclass(frozen=True)
class PageBreak:
    """Start the next block on a new page."""


Block = Heading | Paragraph | Table | Figure | PageBreak

AuthorityKind = Literal["TM", "KT", "TL", "TUQ", "Q"]


@dataclass(frozen=True)
class Signature:
    """Signature block (ô 7): authority lines, position, name.

    ``authority`` is a list of (kind, of whom): ``[("TM", "ỦY BAN NHÂN DÂN"), ("KT",
    "CHỦ TỊCH")]`` prints ``TM. ỦY BAN NHÂN DÂN`` / ``KT. CHỦ TỊCH`` in a State document.
    ``position`` is the signer's post without the organisation ("PHÓ BÍ THƯ"); ``name``
    is the full name with no title ("Nguyễn Văn A"), empty for a draft.
    """

    position: str
    name: str = ""
    authority: Sequence[tuple[AuthorityKind, str]] = ()


@dataclass
class FormalDocument:
    """Everything printed on a formal document, in reading order. See the module docstring."""

    profile: str
    issuer: str
    """Issuing body in capitals: "BAN TUYÊN GIÁO", "ỦY BAN NHÂN DÂN" (bold)."""
    place: str
    date: dt.date
    title: str
    """Trích yếu: "kết quả …" (Party, first letter lower-case), "Kết quả …" (State)."""
    type_name: str = "BÁO CÁO"
    """Tên loại in capitals; "" for a công văn."""
    superior: str | None = None
    """The superior body in capitals ("HUYỆN ỦY VĨNH THUẬN", "UBND TỈNH TUYÊN QUANG")."""
    issuer_lines: Sequence[str] = ()
    """More lines of the issuer's name, bold ("XÃ THƯỢNG LÂM" under "ỦY BAN NHÂN DÂN")."""
    number: int | None = None
    """None: a draft, the number left blank."""
    code: str = ""
    """What follows the number: "BC/BTGHU" (Party), "BC-UBND" (State). "" prints no number line."""
    body: Sequence[Block] = ()
    signature: Signature | None = None
    recipients: Sequence[str] = ()
    """Nơi nhận, bare items ("Ban Thường vụ Huyện ủy (để báo cáo)", "Lưu Văn phòng")."""
    addressees: Sequence[str] = ()
    """Kính gửi (công văn, tờ trình)."""
    draft_label: str = ""
    """"Dự thảo lần 2": printed italic under the date line when not empty."""
    extra: dict[str, str] = field(default_factory=dict)
    """Free metadata written into the .docx core properties (e.g. "subject")."""

    @property
    def is_draft(self) -> bool:
        """Not issued: no number yet. Every page of a draft carries ``DRAFT_MARK`` in its
        top margin, so that a printed draft is never taken for the issued document; the
        issued one (with its number) carries none."""
        return self.number is None


def split_symbol(symbol: str) -> tuple[int | None, str]:
    """Cut a register symbol into (number, code): "04-BC/BTGHU" → (4, "BC/BTGHU").

    Works for both systems ("12/BC-UBND" → (12, "BC-UBND")); a symbol with no leading
    number ("-BC/BTGHU") gives (None, "BC/BTGHU").
    """
    match = _SYMBOL.match(nfc(symbol))
    if match is None:
        raise ValueError(f"Số, ký hiệu không đọc được / unreadable symbol: {symbol!r}")
    number = match.group("number")
    return (int(number) if number else None), match.group("code")


def render_docx(document: FormalDocument) -> bytes:
    """The document as a .docx (bytes). Raises ValueError on an unknown profile or authority."""
    from trienkhai.drafting.docx import build

    return build(document)


def render_docx_pages(documents: Sequence[FormalDocument]) -> bytes:
    """Several short documents of one profile as one .docx, each from a new page, no page
    numbers (papers printed together: a class's certificates)."""
    from trienkhai.drafting.docx import build_pages

    return build_pages(documents)


def render_pdf(document: FormalDocument, *, timeout: float = 60.0) -> bytes:
    """The document as a .pdf (bytes): the .docx converted by LibreOffice headless.

    Raises :class:`trienkhai.drafting.pdf.ConversionError` when soffice is missing, fails
    or takes longer than ``timeout`` seconds.
    """
    from trienkhai.drafting.pdf import docx_to_pdf

    return docx_to_pdf(render_docx(document), timeout=timeout)
