"""Files the pages offer are named in words: unaccented, safe on every file system.

Each page's own test checks the name of its download (reporting files, completeness,
quality, the register book, the pivot table, attendance lists, a person's data, the
units template); this one checks the naming itself."""

import re

from hypothesis import given
from hypothesis import strategies as st

from trienkhai.web.downloads import PART, content_disposition, file_name


def test_it_names_a_file_in_unaccented_words_with_their_capitals():
    name = file_name(
        "Báo cáo năm thực hiện Nghị quyết 35-NQ/TW", "Huyện ủy Chợ Đồn", "Năm 2021", ext="xlsx"
    )
    assert name == "Bao-cao-nam-thuc-hien-Nghi-quyet-35-NQ-TW-Huyen-uy-Cho-Don-Nam-2021.xlsx"


def test_it_leaves_out_empty_parts_and_cuts_a_long_one_at_a_word():
    long = "Báo cáo " + "rất dài " * 30
    name = file_name("", long, "Đảng ủy xã Yên Phong", ext="csv")
    first, rest = name.split("-Dang-uy", 1)
    assert len(first) <= PART and first.endswith(("rat", "dai"))
    assert rest == "-xa-Yen-Phong.csv"
    assert file_name("", "  ", ext="xlsx") == "trienkhai.xlsx"


@given(st.lists(st.text(max_size=120), max_size=4))
def test_every_name_is_ascii_words_joined_by_hyphens(parts):
    name = file_name(*parts, ext="xlsx")
    assert re.fullmatch(r"[A-Za-z0-9]+(-[A-Za-z0-9]+)*\.xlsx", name)
    assert len(name) <= len(parts) * (PART + 1) + len("trienkhai.xlsx")


def test_the_header_quotes_the_plain_name_and_encodes_the_written_one():
    assert content_disposition("Bao-cao.xlsx") == 'attachment; filename="Bao-cao.xlsx"'
    assert content_disposition("Du-thao.docx", "Dự thảo.docx") == (
        "attachment; filename=\"Du-thao.docx\"; filename*=UTF-8''D%E1%BB%B1%20th%E1%BA%A3o.docx"
    )
