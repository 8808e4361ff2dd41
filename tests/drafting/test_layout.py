"""The .docx of a formal document, opened back with python-docx and checked against the rules.

The expected values are written out here from VN_DOCUMENTS.md (ND30 Phụ lục I for State,
36-HD/VPTW for Party), not read from the profile files, so a wrong profile value fails.
"""

import dataclasses
import io
import unicodedata

import pytest
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING, WD_TAB_ALIGNMENT
from docx.oxml.ns import qn

from trienkhai.drafting import profiles
from trienkhai.drafting.images import ImageError
from trienkhai.drafting.layout import (
    Figure,
    Paragraph,
    Signature,
    Table,
    render_docx,
    split_symbol,
)
from trienkhai.drafting.specimens import bar_chart_svg, specimen

FONT = "Liberation Serif"


def opened(document):
    return Document(io.BytesIO(render_docx(document)))


def lines(cell):
    """(text, size pt, bold, italic, underline) of each non-empty paragraph of a cell."""
    found = []
    for paragraph in cell.paragraphs:
        runs = [run for run in paragraph.runs if run.text]
        if not runs:
            continue
        run = runs[0]
        found.append(
            (
                paragraph.text,
                run.font.size.pt,
                bool(run.bold),
                bool(run.italic),
                bool(run.underline),
            )
        )
    return found


def has_bottom_rule(paragraph) -> bool:
    borders = paragraph._p.pPr.find(qn("w:pBdr")) if paragraph._p.pPr is not None else None
    return borders is not None and borders.find(qn("w:bottom")) is not None


@pytest.fixture(scope="module")
def party():
    return opened(specimen("party", tables=1, charts=1, paragraphs=6))


@pytest.fixture(scope="module")
def state():
    return opened(specimen("state", tables=1, charts=1, paragraphs=6))


# --- page ----------------------------------------------------------------------------------


@pytest.mark.parametrize("profile", ["state", "party", "party-2026"])
def test_it_uses_an_a4_page_with_the_margins_of_the_rules(profile):
    section = opened(specimen(profile)).sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    # State: top/bottom 20–25, left 30–35, right 15–20; Party: 20/20/30/15.
    assert 20 <= round(section.top_margin.mm) <= 25
    assert 20 <= round(section.bottom_margin.mm) <= 25
    assert 30 <= round(section.left_margin.mm) <= 35
    assert 15 <= round(section.right_margin.mm) <= 20
    if profile != "state":
        margins = [section.top_margin, section.bottom_margin, section.left_margin]
        assert [round(m.mm) for m in [*margins, section.right_margin]] == [20, 20, 30, 15]


@pytest.mark.parametrize("profile", ["state", "party", "party-2026"])
def test_it_sets_one_font_for_every_script(profile):
    docx = opened(specimen(profile))
    fonts = docx.styles["Normal"].element.rPr.find(qn("w:rFonts"))
    for script in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        assert fonts.get(qn(script)) == FONT
    defaults = docx.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault"))
    default_fonts = defaults.find(qn("w:rPr")).find(qn("w:rFonts"))
    assert default_fonts.get(qn("w:eastAsia")) == FONT
    assert default_fonts.get(qn("w:asciiTheme")) is None  # no theme font sneaks back
    # no run names another font
    body = docx.element.body
    assert not [f for f in body.iter(qn("w:rFonts")) if f.get(qn("w:ascii")) not in (None, FONT)]


@pytest.mark.parametrize("profile", ["state", "party", "party-2026"])
def test_it_numbers_pages_at_the_top_centre_from_page_two(profile):
    section = opened(specimen(profile)).sections[0]
    assert section.different_first_page_header_footer is True
    assert not "".join(p.text for p in section.first_page_header.paragraphs).strip()
    number = section.header.paragraphs[0]
    assert number.alignment == WD_ALIGN_PARAGRAPH.CENTER
    instructions = [t.text for t in number._p.iter(qn("w:instrText"))]
    assert instructions == [" PAGE "]
    assert number.runs[0].font.size.pt in (13, 14)
    assert round(section.header_distance.mm) == 10


def _header_texts(section) -> tuple[str, str]:
    """(the first page's header, the other pages' header), as python-docx reads them."""
    return (
        "".join(p.text for p in section.first_page_header.paragraphs),
        "".join(p.text for p in section.header.paragraphs),
    )


@pytest.mark.parametrize("profile", ["state", "party", "party-2026"])
def test_it_marks_every_page_of_a_draft_and_no_page_of_an_issued_document(profile):
    """GIVEN a document without a number (a draft) and the same with one (issued)
    WHEN each is laid out THEN every page of the draft says DỰ THẢO in a box at the top
    right, above the header block, its page number still centred; the issued one says
    it nowhere."""
    draft = opened(specimen(profile, number=None))
    section = draft.sections[0]
    first, others = _header_texts(section)
    assert first.strip("\u00a0") == "DỰ THẢO"
    assert others.split("\t")[-1].strip("\u00a0") == "DỰ THẢO"
    header = section.header.paragraphs[0]
    assert [t.text for t in header._p.iter(qn("w:instrText"))] == [" PAGE "]
    stops = [(round(s.position.mm), s.alignment) for s in header.paragraph_format.tab_stops]
    assert stops == [(82, WD_TAB_ALIGNMENT.CENTER), (165, WD_TAB_ALIGNMENT.RIGHT)]
    mark = next(run for run in header.runs if "DỰ THẢO" in run.text)
    assert (mark.bold, mark.font.size.pt) == (True, 13)
    assert mark._r.rPr.find(qn("w:bdr")).get(qn("w:val")) == "single"  # boxed
    # The header block is untouched: the first cell still starts with the issuer's lines.
    assert "DỰ THẢO" not in draft.tables[0].rows[0].cells[0].text
    assert "DỰ THẢO" not in draft.tables[0].rows[0].cells[1].text

    issued = opened(specimen(profile, number=4)).sections[0]
    assert "DỰ THẢO" not in "".join(_header_texts(issued))
    assert "dự thảo" not in "".join(_header_texts(issued)).lower()


# --- header block --------------------------------------------------------------------------


def test_it_heads_a_party_document_as_36_hd_says(party):
    left, right = party.tables[0].rows[0].cells
    assert lines(left) == [
        ("HUYỆN ỦY VĨNH THUẬN", 14, False, False, False),  # superior, upright, not bold
        ("BAN TUYÊN GIÁO", 14, True, False, False),  # issuer, bold
        ("*", 14, False, False, False),  # the star on its own line
        ("Số 04-BC/BTGHU", 14, False, False, False),  # no colon, '-' then '/'
    ]
    assert lines(right) == [
        ("ĐẢNG CỘNG SẢN VIỆT NAM", 15, True, False, True),  # with a line of its length
        ("Vĩnh Thuận, ngày 15 tháng 6 năm 2020", 14, False, True, False),
    ]
    for paragraph in [*left.paragraphs, *right.paragraphs]:
        assert paragraph.alignment == WD_ALIGN_PARAGRAPH.CENTER


def test_it_heads_a_state_document_as_nd30_says(state):
    left, right = state.tables[0].rows[0].cells
    assert lines(left) == [
        ("ỦY BAN NHÂN DÂN", 13, True, False, False),
        ("XÃ THƯỢNG LÂM", 13, True, False, False),
        ("Số: 04/BC-UBND", 13, False, False, False),  # colon, '/' then '-'
    ]
    rule = [p for p in left.paragraphs if has_bottom_rule(p)]
    assert len(rule) == 1 and not rule[0].text  # the short line under the issuer
    assert lines(right) == [
        ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 13, True, False, False),
        ("Độc lập - Tự do - Hạnh phúc", 14, True, False, True),
        ("Thượng Lâm, ngày 05 tháng 8 năm 2025", 14, False, True, False),
    ]


def test_it_writes_a_superior_body_above_a_state_issuer_not_in_bold():
    document = specimen("state")
    document.superior = "UBND TỈNH TUYÊN QUANG"
    document.issuer, document.issuer_lines = "SỞ NỘI VỤ", []
    left = opened(document).tables[0].rows[0].cells[0]
    assert lines(left)[:2] == [
        ("UBND TỈNH TUYÊN QUANG", 13, False, False, False),
        ("SỞ NỘI VỤ", 13, True, False, False),
    ]


def test_it_never_mixes_the_two_systems(party, state):
    party_text = "\n".join(c.text for c in party.tables[0].rows[0].cells)
    state_text = "\n".join(c.text for c in state.tables[0].rows[0].cells)
    assert "CỘNG HÒA" not in party_text and "Số:" not in party_text
    assert "*" not in state_text and "ĐẢNG CỘNG SẢN" not in state_text


def test_it_leaves_the_number_of_a_draft_blank():
    for profile, expected in [("party", "Số      -BC/BTGHU"), ("state", "Số:      /BC-UBND")]:
        left = opened(specimen(profile, number=None)).tables[0].rows[0].cells[0]
        assert expected in [paragraph.text for paragraph in left.paragraphs]


def test_it_pads_numbers_below_ten():
    left = opened(specimen("state", number=125)).tables[0].rows[0].cells[0]
    assert "Số: 125/BC-UBND" in left.text
    left = opened(specimen("party", number=7)).tables[0].rows[0].cells[0]
    assert "Số 07-BC/BTGHU" in left.text


def test_it_prints_a_draft_label_under_the_date():
    document = specimen("party", number=None)
    document.draft_label = "Dự thảo lần 2"
    right = opened(document).tables[0].rows[0].cells[1]
    assert lines(right)[-1] == ("Dự thảo lần 2", 14, False, True, False)


# --- title ---------------------------------------------------------------------------------


def _after_header(docx, count):
    """The first ``count`` paragraphs of the body after the header table."""
    return docx.paragraphs[:count]


def test_it_titles_a_party_report_with_five_hyphens_under_it(party):
    kind, title, rule = _after_header(party, 3)
    assert (kind.text, kind.runs[0].font.size.pt, kind.runs[0].bold) == ("BÁO CÁO", 16, True)
    assert title.text.startswith("kết quả đẩy mạnh")  # Party: first letter lower-case
    assert all(run.bold and run.font.size.pt == 14 for run in title.runs if run.text)
    assert "\n" in title.text  # the line break the caller asked for is kept
    assert rule.text == "-----"
    for paragraph in (kind, title, rule):
        assert paragraph.alignment == WD_ALIGN_PARAGRAPH.CENTER


def test_it_titles_a_state_report_with_a_short_line_under_it(state):
    kind, title, rule = _after_header(state, 3)
    assert (kind.text, kind.runs[0].font.size.pt, kind.runs[0].bold) == ("BÁO CÁO", 14, True)
    assert title.text.startswith("Kết quả thực hiện")
    assert all(run.bold and run.font.size.pt == 14 for run in title.runs if run.text)
    assert rule.text == "" and has_bottom_rule(rule)
    # 1/3–1/2 of the line, centred: equal indents leaving a quarter to a half of 165 mm
    indent = rule.paragraph_format.left_indent.mm
    assert rule.paragraph_format.right_indent.mm == pytest.approx(indent)
    assert 165 / 4 <= 165 - 2 * indent <= 165 / 2


def test_it_puts_a_cong_van_summary_under_the_number():
    for profile, summary, size, italic in [
        ("state", "V/v triển khai nhiệm vụ năm học", 13, False),
        ("party", "triển khai nhiệm vụ năm học", 12, True),  # 36-HD: no "V/v", italic 12
    ]:
        document = specimen(profile)
        document.type_name = ""
        document.title = "triển khai nhiệm vụ năm học"
        document.addressees = ["Các chi, đảng ủy trực thuộc"]
        docx = opened(document)
        left = docx.tables[0].rows[0].cells[0]
        assert lines(left)[-1] == (summary, size, False, italic, False)
        assert "BÁO CÁO" not in [p.text for p in docx.paragraphs]
        assert docx.paragraphs[0].text == "Kính gửi: Các chi, đảng ủy trực thuộc"


def test_it_lists_several_addressees_one_per_line():
    document = specimen("state")
    document.addressees = ["Sở Nội vụ", "Sở Tài chính;"]
    texts = [p.text for p in opened(document).paragraphs]
    assert texts[texts.index("Kính gửi:") + 1 : texts.index("Kính gửi:") + 3] == [
        "- Sở Nội vụ;",
        "- Sở Tài chính.",
    ]


# --- body ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("profile", "indent_mm", "rule", "spacing"),
    [
        ("state", 12.7, WD_LINE_SPACING.MULTIPLE, 1.15),  # 1–1.27 cm; single … 1.5 lines
        ("party", 10.0, WD_LINE_SPACING.EXACTLY, 18.0),  # ≈ 10 mm; exactly ≥ 18 pt
        ("party-2026", 10.0, WD_LINE_SPACING.EXACTLY, 19.0),  # 05-HD summaries: 19 pt
    ],
)
def test_it_sets_body_paragraphs_as_the_rules_do(profile, indent_mm, rule, spacing):
    docx = opened(specimen(profile))
    paragraph = next(p for p in docx.paragraphs if p.text.startswith("Thực hiện công văn"))
    fmt = paragraph.paragraph_format
    assert paragraph.alignment == WD_ALIGN_PARAGRAPH.JUSTIFY
    assert fmt.first_line_indent.mm == pytest.approx(indent_mm, abs=0.1)
    assert fmt.space_after.pt >= 6
    assert fmt.line_spacing_rule == rule
    value = fmt.line_spacing.pt if rule == WD_LINE_SPACING.EXACTLY else fmt.line_spacing
    assert value == pytest.approx(spacing)
    assert {run.font.size.pt for run in paragraph.runs} == {14}


def test_it_keeps_the_emphasis_and_spaces_of_runs(party):
    paragraph = next(p for p in party.paragraphs if p.text.startswith("Nhìn chung"))
    assert paragraph.text.startswith("Nhìn chung, 42/42 chi, đảng ủy")
    assert [bool(run.bold) for run in paragraph.runs] == [False, True, False]


def test_it_styles_headings_by_level(party):
    level1 = next(p for p in party.paragraphs if p.text == "I. KẾT QUẢ TRIỂN KHAI")
    level2 = next(p for p in party.paragraphs if p.text == "1. Công tác tổ chức triển khai")
    assert level1.runs[0].bold and level2.runs[0].bold
    assert level1.paragraph_format.keep_with_next


def test_it_prints_tables_with_vietnamese_numbers_and_a_bold_total(party):
    table = party.tables[1]
    header = [cell.text for cell in table.rows[0].cells]
    assert header == ["Đơn vị", "Đảng viên", "Đã đăng ký", "Tỷ lệ (%)"]
    assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None  # repeated on each page
    first = [cell.text for cell in table.rows[1].cells]
    assert first == ["Chi bộ Vĩnh Bình Bắc", "21", "18", "85,7"]  # decimal comma
    total = table.rows[-1].cells
    assert total[0].text == "Tổng cộng" and total[0].paragraphs[0].runs[0].bold
    assert total[1].paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.RIGHT
    caption = next(p for p in party.paragraphs if p.text.startswith("Biểu 1."))
    assert caption.runs[0].bold


def test_it_groups_thousands_with_a_dot():
    document = specimen("state")
    document.body = [Table(header=["Chỉ tiêu", "Số"], rows=[["Dân số", 20673]], totals=None)]
    cells = opened(document).tables[1].rows[1].cells
    assert cells[1].text == "20.673"


def test_it_refuses_a_row_that_does_not_fit_the_header():
    document = specimen("state")
    document.body = [Table(header=["A", "B"], rows=[["1"]], caption="Biểu 9")]
    with pytest.raises(ValueError, match="Biểu 9"):
        render_docx(document)


def test_it_embeds_an_svg_chart_as_png_with_its_caption(party):
    assert len(party.inline_shapes) == 1
    blip = party.inline_shapes[0]._inline.graphic.graphicData.pic.blipFill.blip
    image = party.part.related_parts[blip.embed]
    assert image.content_type == "image/png"
    assert image.blob.startswith(b"\x89PNG")
    assert party.inline_shapes[0].width.mm <= 165  # within the text width
    caption = next(p for p in party.paragraphs if p.text.startswith("Biểu đồ 1."))
    assert caption.runs[0].italic


def test_it_takes_a_png_as_it_is():
    from trienkhai.drafting.images import svg_to_png

    png = svg_to_png(bar_chart_svg("Thử", ["Chi bộ A"], [3]), width_px=300)
    document = specimen("state")
    document.body = [Figure(png, kind="png", width_cm=8)]
    docx = opened(document)
    assert round(docx.inline_shapes[0].width.mm) == 80


@pytest.mark.parametrize(
    ("data", "kind"),
    [(b"GIF89a...", "png"), (b"<svg><unclosed", "svg"), (b"\x89PNG\r\n\x1a\n", "bmp")],
)
def test_it_refuses_an_image_it_cannot_use(data, kind):
    document = specimen("state")
    document.body = [Figure(data, kind=kind)]
    with pytest.raises(ImageError):
        render_docx(document)


def test_it_stores_text_in_nfc():
    document = specimen("party")
    document.body = [Paragraph(unicodedata.normalize("NFD", "Đảng ủy xã Thượng Lâm"))]
    text = next(p.text for p in opened(document).paragraphs if "Lâm" in p.text)
    assert text == unicodedata.normalize("NFC", "Đảng ủy xã Thượng Lâm")


# --- recipients and signature --------------------------------------------------------------


def test_it_closes_a_party_document_as_36_hd_says(party):
    left, right = party.tables[-1].rows[0].cells
    assert lines(left) == [
        ("Nơi nhận:", 14, False, False, True),  # underlined, upright, 14
        ("- Ban Thường vụ Huyện ủy (để báo cáo),", 12, False, False, False),  # items 12, ','
        ("- Các chi, đảng ủy trực thuộc,", 12, False, False, False),
        ("- Lưu Ban Tuyên giáo.", 12, False, False, False),  # the last with '.'
    ]
    assert lines(right) == [
        ("K/T TRƯỞNG BAN", 14, True, False, False),  # slash, no dot; bold
        ("PHÓ TRƯỞNG BAN", 14, False, False, False),  # position not bold
        ("Nguyễn Văn A", 14, True, False, False),  # name bold
    ]
    blank = [p for p in right.paragraphs if not p.text]
    assert len(blank) >= 4  # room for the signature and the seal


def test_it_closes_a_state_document_as_nd30_says(state):
    left, right = state.tables[-1].rows[0].cells
    assert lines(left) == [
        ("Nơi nhận:", 12, True, True, False),  # bold italic 12
        ("- UBND tỉnh Tuyên Quang;", 11, False, False, False),  # items 11, ';'
        ("- Thường trực Đảng ủy xã;", 11, False, False, False),
        ("- Lưu: VT, VP.", 11, False, False, False),
    ]
    assert lines(right) == [
        ("TM. ỦY BAN NHÂN DÂN", 14, True, False, False),  # prefix with a dot
        ("KT. CHỦ TỊCH", 14, True, False, False),
        ("PHÓ CHỦ TỊCH", 14, True, False, False),
        ("Trần Thị B", 14, True, False, False),
    ]
    assert state.tables[-1].rows[0]._tr.trPr.find(qn("w:cantSplit")) is not None


@pytest.mark.parametrize(
    ("profile", "kind", "printed"),
    [
        ("party", "TM", "T/M"),
        ("party", "TL", "T/L"),
        ("party", "Q", "Q."),
        ("party-2026", "KT", "K/T"),
        ("state", "TL", "TL."),
        ("state", "TUQ", "TUQ."),
        ("state", "Q", "Q."),
    ],
)
def test_it_prints_the_authority_prefix_of_the_profile(profile, kind, printed):
    document = specimen(profile)
    document.signature = Signature(position="CHÁNH VĂN PHÒNG", authority=[(kind, "X")])
    right = opened(document).tables[-1].rows[0].cells[1]
    assert right.paragraphs[0].text == f"{printed} X"


def test_it_refuses_an_authority_the_party_rules_do_not_have():
    document = specimen("party")
    document.signature = Signature(position="PHÓ BÍ THƯ", authority=[("TUQ", "BAN THƯỜNG VỤ")])
    with pytest.raises(ValueError, match="TUQ"):
        render_docx(document)


def test_it_refuses_an_unknown_profile():
    document = dataclasses.replace(specimen("party"), profile="military")
    with pytest.raises(ValueError, match="military"):
        render_docx(document)


# --- profiles as data, symbols ---------------------------------------------------------------


def test_it_ships_three_profiles_and_2026_overrides_only_what_it_names():
    assert profiles.names() == ["party", "party-2026", "state"]
    party, party_2026 = profiles.load("party"), profiles.load("party-2026")
    assert party_2026.data["style"] == party.data["style"]
    assert party_2026.data["header"] == party.data["header"]
    assert party_2026.body["line_spacing_exact_pt"] == 19
    assert "399-QĐ/TW" in party_2026.label


@pytest.mark.parametrize(
    ("symbol", "parts"),
    [
        ("04-BC/BTGHU", (4, "BC/BTGHU")),
        ("Số 04-BC/BTGHU", (4, "BC/BTGHU")),
        ("Số: 12/BC-UBND", (12, "BC-UBND")),
        ("125/SGDĐT-VP", (125, "SGDĐT-VP")),
        ("06/QyĐ-UBND", (6, "QyĐ-UBND")),  # mixed case kept
        ("-BC/CB3", (None, "BC/CB3")),  # a draft
    ],
)
def test_it_splits_a_register_symbol(symbol, parts):
    assert split_symbol(symbol) == parts
