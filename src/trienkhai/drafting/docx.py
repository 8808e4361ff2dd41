"""A :class:`~trienkhai.drafting.layout.FormalDocument` laid out as a .docx with python-docx.

Each rule of the profile is one visible line here; the values come from the profile
(drafting/profiles/*.toml), the reasons from docs/FORMAL_DOCUMENTS.md. The header and the
signature block are borderless two-column tables, as in the documents the rules show.
Short solid lines (under a State issuer, under a State trích yếu) are the top border of an
empty paragraph narrowed by its indents; lines the length of their text (the Party title,
the State motto) are the text's underline.
"""

from __future__ import annotations

import io
import unicodedata
from collections.abc import Sequence
from decimal import Decimal

from docx import Document as new_document
from docx.document import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_LINE_SPACING, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Emu, Mm, Pt
from docx.table import _Cell
from docx.text.paragraph import Paragraph as DocxParagraph

from trienkhai.drafting import images
from trienkhai.drafting.dates import date_line
from trienkhai.drafting.layout import (
    DRAFT_MARK,
    Block,
    Cell,
    Figure,
    FormalDocument,
    Heading,
    PageBreak,
    Paragraph,
    Signature,
    Table,
)
from trienkhai.drafting.profiles import Profile, Style, load
from trienkhai.vn import format_number, nfc


def _nfc(text: str) -> str:
    """NFC and Đ for a look-alike Ð, keeping spaces and line breaks (``vn.nfc`` trims them)."""
    return unicodedata.normalize("NFC", text).replace("\u00d0", "Đ").replace("\u00f0", "đ")


ALIGN = {
    "left": WD_ALIGN_PARAGRAPH.LEFT,
    "center": WD_ALIGN_PARAGRAPH.CENTER,
    "right": WD_ALIGN_PARAGRAPH.RIGHT,
    "justify": WD_ALIGN_PARAGRAPH.JUSTIFY,
}
SIGNATURE_SPACE_LINES = 4  # room for the hand signature and the seal (36-HD: about 4 lines)
LANGUAGE = "vi-VN"


def build(document: FormalDocument) -> bytes:
    """The .docx bytes of ``document``."""
    profile = load(document.profile)
    docx = new_document()
    _setup(docx, profile, document)
    _content(docx, profile, document)
    out = io.BytesIO()
    docx.save(out)
    return out.getvalue()


def build_pages(documents: Sequence[FormalDocument]) -> bytes:
    """One .docx of several short documents of one profile, each from a new page and
    without page numbers: papers printed together (a class's certificates). The first
    document's properties are the file's."""
    if not documents:
        raise ValueError("Không có văn bản nào / no documents")
    profile = load(documents[0].profile)
    if any(d.profile != documents[0].profile for d in documents):
        raise ValueError("Các văn bản phải cùng thể thức / the documents must share a profile")
    docx = new_document()
    _setup(docx, profile, documents[0])
    section = docx.sections[0]
    section.different_first_page_header_footer = False
    for paragraph in section.header.paragraphs:  # each paper is page 1 of its own
        paragraph.clear()
    for n, document in enumerate(documents):
        if n:
            docx.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        _content(docx, profile, document)
    out = io.BytesIO()
    docx.save(out)
    return out.getvalue()


def _content(docx: Document, profile: Profile, document: FormalDocument) -> None:
    _header(docx, profile, document)
    if document.type_name:
        _title(docx, profile, document)
    if document.addressees:
        _addressees(docx, profile, document.addressees)
    for block in document.body:
        _block(docx, profile, block)
    _closing(docx, profile, document.signature, document.recipients)


# --- page, fonts, page numbers -------------------------------------------------------------


def _setup(docx: Document, profile: Profile, document: FormalDocument) -> None:
    page = profile.page
    section = docx.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width = Mm(page["width_mm"])
    section.page_height = Mm(page["height_mm"])
    section.top_margin = Mm(page["top_mm"])
    section.bottom_margin = Mm(page["bottom_mm"])
    section.left_margin = Mm(page["left_mm"])
    section.right_margin = Mm(page["right_mm"])
    section.header_distance = Mm(page["header_mm"])
    _fonts(docx, profile)
    _page_header(docx, profile, document)
    core = docx.core_properties
    core.title = nfc(f"{document.type_name} {document.title}".strip())[:250]
    core.language = LANGUAGE
    core.author = nfc(document.issuer)
    core.subject = document.extra.get("subject", "")
    core.keywords = document.extra.get("keywords", "")
    core.comments = profile.label


def _fonts(docx: Document, profile: Profile) -> None:
    """One font everywhere: the defaults and Normal name it for every script.

    Word picks the eastAsia/cs font for some Vietnamese characters when only ``ascii`` is
    set, and the default template points at theme fonts: both are replaced.
    """
    styles = docx.styles.element
    defaults = styles.find(qn("w:docDefaults"))
    targets = [docx.styles["Normal"].element.get_or_add_rPr()]
    if defaults is not None:
        rpr_default = defaults.find(qn("w:rPrDefault"))
        if rpr_default is not None:
            rpr = rpr_default.find(qn("w:rPr"))
            if rpr is not None:
                targets.append(rpr)
    for rpr in targets:
        fonts = rpr.find(qn("w:rFonts"))
        if fonts is None:
            fonts = OxmlElement("w:rFonts")
            rpr.insert(0, fonts)
        for attribute in list(fonts.attrib):
            del fonts.attrib[attribute]
        for script in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
            fonts.set(qn(script), profile.font)
        lang = rpr.find(qn("w:lang"))
        if lang is None:
            lang = OxmlElement("w:lang")
            rpr.append(lang)
        for script in ("w:val", "w:eastAsia", "w:bidi"):
            lang.set(qn(script), LANGUAGE)
    normal = docx.styles["Normal"]
    normal.font.size = Pt(profile.body["size"])
    normal.paragraph_format.space_after = Pt(0)
    normal.paragraph_format.space_before = Pt(0)
    normal.paragraph_format.line_spacing = 1.0


def _page_header(docx: Document, profile: Profile, document: FormalDocument) -> None:
    """Arabic page number centred at the top; page 1 shows none (a different first page).

    A draft (``document.is_draft``) also carries ``DRAFT_MARK`` boxed at the right of the
    same line on every page, page 1 included: in the top margin, above the header block,
    which stays where the rules put it; the page number stays centred (a centre tab).
    """
    section = docx.sections[0]
    section.different_first_page_header_footer = not profile.data["page_number"]["first_page"]
    paragraph = section.header.paragraphs[0]
    if document.is_draft:
        width = _text_width(profile)
        stops = paragraph.paragraph_format.tab_stops
        stops.add_tab_stop(Emu(width // 2), WD_TAB_ALIGNMENT.CENTER)
        stops.add_tab_stop(Emu(width), WD_TAB_ALIGNMENT.RIGHT)
        paragraph.add_run("\t")
    else:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _page_number(paragraph, profile)
    if document.is_draft:
        paragraph.add_run("\t")
        _draft_mark(paragraph, profile)
        if section.different_first_page_header_footer:
            first = section.first_page_header.paragraphs[0]
            first.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            _draft_mark(first, profile)


def _draft_mark(paragraph: DocxParagraph, profile: Profile) -> None:
    """``DRAFT_MARK`` in a box (a border around the run, as offices stamp it)."""
    run = paragraph.add_run(f"\u00a0{DRAFT_MARK}\u00a0")
    _style_run(run, profile.style("draft_mark"))
    border = OxmlElement("w:bdr")
    border.set(qn("w:val"), "single")
    border.set(qn("w:sz"), "8")  # eighths of a point: 1 pt
    border.set(qn("w:space"), "1")
    border.set(qn("w:color"), "000000")
    run._r.get_or_add_rPr().append(border)


def _page_number(paragraph: DocxParagraph, profile: Profile) -> None:
    """The PAGE field, in the profile's page number size."""
    run = paragraph.add_run()
    _style_run(run, Style(size=profile.data["page_number"]["size"]))
    for kind, text in (("begin", None), (None, " PAGE "), ("separate", None), (None, "2")):
        if kind:
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), kind)
            run._r.append(char)
        elif text == " PAGE ":
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = text
            run._r.append(instr)
        else:
            shown = OxmlElement("w:t")
            shown.text = text
            run._r.append(shown)
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    run._r.append(end)


# --- header block ----------------------------------------------------------------------------


def _header(docx: Document, profile: Profile, document: FormalDocument) -> None:
    header = profile.header
    left, right = _two_columns(docx, profile, header["left_share"])
    first = True

    def line(cell: _Cell, text: str, style: Style) -> DocxParagraph:
        nonlocal first
        paragraph = cell.paragraphs[0] if not cell.paragraphs[0].text and first else None
        first = False
        paragraph = paragraph or cell.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _style_run(paragraph.add_run(_nfc(text)), style)
        return paragraph

    # Left: superior (regular), issuer (bold), its mark, the number, a công văn summary.
    if document.superior:
        line(left, document.superior, profile.style("superior"))
    for text in (document.issuer, *document.issuer_lines):
        line(left, text, profile.style("issuer"))
    if header["issuer_mark"] == "star":
        line(left, "*", profile.style("star"))
    else:
        _rule(left.add_paragraph(), left.width or 0, header["issuer_rule_share"])
    if document.code:
        number = line(
            left, profile.number_line(document.number, document.code), profile.style("number")
        )
        number.paragraph_format.space_before = Pt(6)
    if not document.type_name:  # công văn: the summary sits under the number
        summary = line(left, header["summary_prefix"] + document.title, profile.style("summary"))
        summary.paragraph_format.space_before = Pt(6)

    # Right: the national lines (State: Quốc hiệu and Tiêu ngữ; Party: the Party's name).
    first = True
    for national in header["national_lines"]:
        style = Style(**{k: v for k, v in national.items() if k != "text"})
        line(right, national["text"], style)
    dated = line(right, date_line(document.place, document.date), profile.style("date"))
    dated.paragraph_format.space_before = Pt(12 if header["issuer_mark"] == "star" else 6)
    if document.draft_label:
        line(right, document.draft_label, profile.style("draft"))


def _two_columns(docx: Document, profile: Profile, left_share: float) -> tuple[_Cell, _Cell]:
    table = docx.add_table(rows=1, cols=2)
    width = _text_width(profile)
    left = int(width * left_share)
    _set_widths(table, [left, width - left])
    _no_cell_margins(table)
    return table.cell(0, 0), table.cell(0, 1)


def _no_cell_margins(table) -> None:
    """The columns use the whole text width: the Quốc hiệu needs 95 mm at 13 pt bold."""
    margins = OxmlElement("w:tblCellMar")
    for side in ("left", "right"):
        margin = OxmlElement(f"w:{side}")
        margin.set(qn("w:w"), "0")
        margin.set(qn("w:type"), "dxa")
        margins.append(margin)
    table._tbl.tblPr.append(margins)


def _rule(paragraph: DocxParagraph, width: int, share: float) -> None:
    """A centred solid line ``share`` of ``width`` (EMU) a little under the line above.

    It is the bottom border of an empty paragraph 5 pt high, narrowed by its indents (a
    top border would be drawn into the descenders of the text above).
    """
    margin = Emu(int(width * (1 - share) / 2))
    fmt = paragraph.paragraph_format
    fmt.left_indent = margin
    fmt.right_indent = margin
    fmt.space_before = Pt(0)
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Pt(5)
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    bottom.set(qn("w:val"), "single")
    bottom.set(qn("w:sz"), "6")  # eighths of a point: 0.75 pt
    bottom.set(qn("w:space"), "0")
    bottom.set(qn("w:color"), "000000")
    borders.append(bottom)
    paragraph._p.get_or_add_pPr().append(borders)


# --- title, addressees -------------------------------------------------------------------------


def _title(docx: Document, profile: Profile, document: FormalDocument) -> None:
    kind = docx.add_paragraph()
    kind.alignment = WD_ALIGN_PARAGRAPH.CENTER
    kind.paragraph_format.space_before = Pt(18)
    _style_run(kind.add_run(nfc(document.type_name)), profile.style("type_name"))
    title = docx.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for n, piece in enumerate(_nfc(document.title).split("\n")):
        run = title.add_run()
        if n:  # a line break the caller chose, inside the same bold run
            run.add_break()
        run.add_text(piece)
        _style_run(run, profile.style("title"))
    rule = profile.data["title"]["rule"]
    if rule == "line":
        paragraph = docx.add_paragraph()
        _rule(paragraph, _text_width(profile), profile.data["title"]["rule_share"])
        paragraph.paragraph_format.space_after = Pt(12)
    else:
        paragraph = docx.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        paragraph.paragraph_format.space_after = Pt(12)
        _style_run(paragraph.add_run(rule), profile.style("title"))


def _addressees(docx: Document, profile: Profile, addressees: Sequence[str]) -> None:
    style = profile.style("addressees")
    paragraph = docx.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.paragraph_format.space_after = Pt(6)
    if len(addressees) == 1:
        _style_run(paragraph.add_run(f"Kính gửi: {nfc(addressees[0])}"), style)
        return
    _style_run(paragraph.add_run("Kính gửi:"), style)
    for text in _punctuated(addressees, ";", "."):
        item = docx.add_paragraph()
        item.paragraph_format.left_indent = Mm(40)
        _style_run(item.add_run(text), style)


# --- body --------------------------------------------------------------------------------------


def _block(docx: Document, profile: Profile, block: Block) -> None:
    if isinstance(block, Paragraph):
        paragraph = docx.add_paragraph()
        _body_format(paragraph, profile, indent=block.indent)
        paragraph.alignment = ALIGN[block.align]
        size = profile.body["size"]
        for piece in block.runs:
            _style_run(
                paragraph.add_run(_nfc(piece.text)),
                Style(size=size, bold=piece.bold, italic=piece.italic, underline=piece.underline),
            )
    elif isinstance(block, Heading):
        paragraph = docx.add_paragraph()
        _body_format(paragraph, profile, indent=True)
        paragraph.paragraph_format.keep_with_next = True
        level = min(max(block.level, 1), 4)
        _style_run(paragraph.add_run(nfc(block.text)), profile.style(f"heading{level}"))
    elif isinstance(block, Table):
        _table(docx, profile, block)
    elif isinstance(block, Figure):
        _figure(docx, profile, block)
    elif isinstance(block, PageBreak):
        docx.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    else:
        raise TypeError(f"Khối không hỗ trợ / unsupported block: {block!r}")


def _body_format(paragraph: DocxParagraph, profile: Profile, *, indent: bool) -> None:
    body = profile.body
    fmt = paragraph.paragraph_format
    paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    if indent:
        fmt.first_line_indent = Mm(body["first_line_indent_mm"])
    fmt.space_after = Pt(body["space_after_pt"])
    if "line_spacing_exact_pt" in body:
        fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        fmt.line_spacing = Pt(body["line_spacing_exact_pt"])
    else:
        fmt.line_spacing = body["line_spacing"]


def _cell_text(value: Cell) -> tuple[str, bool]:
    """(text, is a number) of a table cell."""
    if value is None:
        return "", False
    if isinstance(value, bool):
        return ("Có" if value else "Không"), False
    if isinstance(value, int):
        return format_number(value), True
    if isinstance(value, Decimal):
        exponent = value.normalize().as_tuple().exponent
        return format_number(value, max(0, -exponent) if isinstance(exponent, int) else 0), True
    if isinstance(value, float):
        decimals = 0 if value.is_integer() else min(len(repr(value).partition(".")[2]), 2)
        return format_number(value, decimals), True
    return nfc(str(value)), False


def _table(docx: Document, profile: Profile, block: Table) -> None:
    style = profile.style("table")
    columns = len(block.header)
    if block.caption:
        caption = docx.add_paragraph()
        caption.alignment = WD_ALIGN_PARAGRAPH.CENTER
        caption.paragraph_format.space_before = Pt(6)
        caption.paragraph_format.space_after = Pt(6)
        caption.paragraph_format.keep_with_next = True
        _style_run(caption.add_run(nfc(block.caption)), profile.style("table_caption"))
    rows: list[list[Cell]] = [list(block.header), *[list(row) for row in block.rows]]
    if block.totals is not None:
        rows.append(list(block.totals))
    for n, row in enumerate(rows):
        if len(row) != columns:
            raise ValueError(
                f"Bảng {block.caption!r}: dòng {n} có {len(row)} ô, tiêu đề có {columns} / "
                f"table {block.caption!r}: row {n} has {len(row)} cells, the header {columns}"
            )
    table = docx.add_table(rows=len(rows), cols=columns)
    table.style = docx.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    width = _text_width(profile)
    shares = list(block.widths) if block.widths else [1.0] * columns
    total = sum(shares)
    _set_widths(table, [int(width * share / total) for share in shares])
    _repeat_header(table.rows[0])
    last = len(rows) - 1
    for r, (row, values) in enumerate(zip(table.rows, rows, strict=True)):
        bold = r == 0 or (block.totals is not None and r == last)
        for cell, value in zip(row.cells, values, strict=True):
            text, numeric = _cell_text(value)
            paragraph = cell.paragraphs[0]
            if r == 0:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
            elif numeric:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            _style_run(paragraph.add_run(text), Style(size=style.size, bold=bold))
    docx.add_paragraph().paragraph_format.space_after = Pt(0)


def _repeat_header(row) -> None:
    """The header row is repeated on each page a long table runs onto."""
    marker = OxmlElement("w:tblHeader")
    marker.set(qn("w:val"), "true")
    row._tr.get_or_add_trPr().append(marker)


def _figure(docx: Document, profile: Profile, block: Figure) -> None:
    png = images.to_png(block.data, block.kind, width_cm=block.width_cm)
    width = min(Mm(block.width_cm * 10), _text_width(profile))
    paragraph = docx.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.paragraph_format.keep_with_next = bool(block.caption)
    paragraph.paragraph_format.space_before = Pt(6)
    paragraph.add_run().add_picture(io.BytesIO(png), width=Emu(width))
    if block.caption:
        caption = docx.add_paragraph()
        caption.alignment = WD_ALIGN_PARAGRAPH.CENTER
        caption.paragraph_format.space_after = Pt(6)
        _style_run(caption.add_run(nfc(block.caption)), profile.style("figure_caption"))


# --- recipients and signature ----------------------------------------------------------------


def _closing(
    docx: Document, profile: Profile, signature: Signature | None, recipients: Sequence[str]
) -> None:
    """Nơi nhận bottom left, the signature bottom right, level with each other."""
    if signature is None and not recipients:
        return
    # The signature never stands alone on a page: the last paragraph of the body stays
    # whole and on the page of the block (keep lines together, keep with next), as does
    # the spacer (the block's row cannot split, so it moves with them).
    if docx.paragraphs:
        last = docx.paragraphs[-1].paragraph_format
        last.keep_together = True
        last.keep_with_next = True
    spacer = docx.add_paragraph()
    spacer.paragraph_format.space_after = Pt(6)
    spacer.paragraph_format.keep_with_next = True
    left, right = _two_columns(docx, profile, 0.45)
    # The block stays whole on one page.
    row_properties = left._tc.getparent().get_or_add_trPr()
    row_properties.append(OxmlElement("w:cantSplit"))
    if recipients:
        rules = profile.data["recipients"]
        label = left.paragraphs[0]
        _style_run(label.add_run(rules["label"]), profile.style("recipients_label"))
        for text in _punctuated(recipients, rules["separator"], rules["last"]):
            _style_run(left.add_paragraph().add_run(text), profile.style("recipients_item"))
    if signature is not None:
        lines: list[tuple[str, Style]] = [
            (f"{profile.prefix(kind)} {nfc(whom)}", profile.style("authority"))
            for kind, whom in signature.authority
        ]
        lines.append((nfc(signature.position), profile.style("position")))
        first = True
        for text, style in lines:
            paragraph = right.paragraphs[0] if first else right.add_paragraph()
            first = False
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
            _style_run(paragraph.add_run(text), style)
        for _ in range(SIGNATURE_SPACE_LINES):
            right.add_paragraph()
        name = right.add_paragraph()
        name.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _style_run(name.add_run(nfc(signature.name)), profile.style("name"))


def recipient_lines(document: FormalDocument) -> list[str]:
    """The Nơi nhận items as printed ("- Thường trực Huyện ủy," … "- Lưu Ban Tuyên giáo.")."""
    rules = load(document.profile).data["recipients"]
    return _punctuated(document.recipients, rules["separator"], rules["last"])


def _punctuated(items: Sequence[str], separator: str, last: str) -> list[str]:
    """ "- item;" … "- last." with the item's own trailing punctuation replaced."""
    cleaned = [nfc(item).strip().lstrip("-").strip().rstrip(";,.") for item in items]
    return [
        f"- {item}{last if n == len(cleaned) - 1 else separator}" for n, item in enumerate(cleaned)
    ]


# --- helpers -----------------------------------------------------------------------------------


def _style_run(run, style: Style) -> None:
    font = run.font
    font.size = Pt(style.size)
    font.bold = style.bold
    font.italic = style.italic
    font.underline = style.underline


def _text_width(profile: Profile) -> int:
    """Width between the margins, in EMU."""
    page = profile.page
    return int(Mm(page["width_mm"] - page["left_mm"] - page["right_mm"]))


def _set_widths(table, widths: Sequence[int]) -> None:
    """Fixed column widths (EMU) that both Word and LibreOffice honour: grid, cells, layout."""
    table.autofit = False
    tbl = table._tbl
    grid = tbl.tblGrid
    for col, width in zip(grid.findall(qn("w:gridCol")), widths, strict=True):
        col.set(qn("w:w"), str(int(Emu(width).twips)))
    for row in table.rows:
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = Emu(width)
    properties = tbl.tblPr
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    properties.append(layout)
    total = OxmlElement("w:tblW")
    total.set(qn("w:w"), str(int(Emu(sum(widths)).twips)))
    total.set(qn("w:type"), "dxa")
    existing = properties.find(qn("w:tblW"))
    if existing is not None:
        properties.remove(existing)
    properties.append(total)
