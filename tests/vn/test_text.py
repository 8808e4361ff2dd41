import datetime as dt
import unicodedata
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from trienkhai import vn


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("Vĩnh Thuận", "vinh thuan"),
        ("Đồng Tháp", "dong thap"),
        ("Đảng ủy", "dang uy"),
        ("Thuỷ", "thuy"),
        ("Thủy", "thuy"),
        ("  Kế   hoạch ", "ke hoach"),
        ("\u00d0ồng", "dong"),  # eth look-alike
    ],
)
def test_it_folds_accents_tones_case_and_stroke(text, key):
    assert vn.fold(text) == key


def test_it_folds_decomposed_input_like_composed():
    import unicodedata

    assert vn.fold(unicodedata.normalize("NFD", "Kế hoạch")) == "ke hoach"


def test_it_sorts_d_stroke_after_d_and_tones_in_dictionary_order():
    words = ["Đà", "da", "bò", "ba", "dao", "đa", "a", "á", "à", "ă", "â"]
    assert sorted(words, key=vn.sort_key) == [
        "a",
        "à",
        "á",
        "ă",
        "â",
        "ba",
        "bò",
        "da",
        "dao",
        "đa",
        "Đà",
    ]


# Names as units bear them: Vietnamese letters with their tones in either case, the
# letters Vietnamese lacks, digits, spaces and the marks found in names.
_NAME_CHARS = "aăâbcdđeêghiklmnoôơpqrstuưvxyfjwzàảãáạằẳẵắặầẩẫấậèéẹềếệìíịòóọồốộờớợùúụừứựỳýỵ"
_NAMES = st.text(alphabet=_NAME_CHARS + _NAME_CHARS.upper() + "0123456789 -().", max_size=12)


@given(_NAMES, _NAMES)
def test_letters_key_orders_as_sort_keys_letters_do(first, second):
    """``letters_key`` is the first level of ``sort_key``: what it puts before, sort_key
    puts before; what it ties, only tones and case may part."""
    first, second = vn.nfc(first), vn.nfc(second)
    assert (vn.letters_key(first) < vn.letters_key(second)) == (
        vn.sort_key(first)[0] < vn.sort_key(second)[0]
    )
    assert (vn.letters_key(first) == vn.letters_key(second)) == (
        vn.sort_key(first)[0] == vn.sort_key(second)[0]
    )


def test_letters_key_puts_d_before_d_stroke_whatever_follows():
    # Without accents "Đông" (dong) comes before "Dương" (duong); in Vietnamese after.
    names = ["Xã Đông", "Xã Dương", "Xã Ân", "Xã Anh", "Xã An", "XÃ AN"]
    assert sorted(names, key=vn.letters_key) == [
        "Xã An",
        "XÃ AN",
        "Xã Anh",
        "Xã Ân",
        "Xã Dương",
        "Xã Đông",
    ]


def test_it_normalises_stored_text_to_nfc():
    import unicodedata

    assert vn.nfc(unicodedata.normalize("NFD", "Vĩnh\u00a0 Thuận")) == "Vĩnh Thuận"


def test_it_keeps_the_lines_of_multi_line_text():
    """GIVEN Nơi nhận typed in a browser (CRLF, NFD, stray spaces, blank lines) WHEN it is
    normalised THEN each line is NFC and trimmed, and the lines stay lines."""
    import unicodedata

    typed = unicodedata.normalize(
        "NFD",
        "\r\n  - Thường trực  Huyện ủy\u00a0(để báo cáo),  \r\n\r\n\r\n- Lưu Ban Tuyên giáo.\r\n\n",
    )
    assert vn.nfc_lines(typed) == "- Thường trực Huyện ủy (để báo cáo),\n\n- Lưu Ban Tuyên giáo."
    assert vn.nfc_lines(vn.nfc_lines(typed)) == vn.nfc_lines(typed)  # saving twice changes nothing
    assert vn.nfc_lines("a\rb\u2028c") == "a\nb\nc"
    assert vn.nfc_lines(" \n \n") == ""
    assert vn.nfc("- A\n- B") == "- A - B"  # one-line fields still join


@pytest.mark.parametrize(
    ("day", "text"),
    [
        (dt.date(2020, 1, 5), "ngày 05 tháng 01 năm 2020"),
        (dt.date(2021, 8, 5), "ngày 05 tháng 8 năm 2021"),
        (dt.date(2020, 2, 15), "ngày 15 tháng 02 năm 2020"),
        (dt.date(2020, 12, 31), "ngày 31 tháng 12 năm 2020"),
    ],
)
def test_it_writes_the_long_date_padding_day_and_only_early_months(day, text):
    assert vn.long_date(day) == text


def test_it_reads_and_writes_short_dates():
    assert vn.format_date(dt.date(2021, 8, 5)) == "05/08/2021"
    assert vn.parse_date("5/8/2021") == dt.date(2021, 8, 5)
    assert vn.parse_date("2021-08-05") == dt.date(2021, 8, 5)
    with pytest.raises(ValueError, match="invalid date"):
        vn.parse_date("hôm qua")
    with pytest.raises(ValueError, match="no such date"):
        vn.parse_date("31/02/2021")


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("20.673", 20673),
        ("20673", 20673),
        ("20,5", Decimal("20.5")),
        ("1.234,5", Decimal("1234.5")),
        ("-3", -3),
        ("0,25", Decimal("0.25")),
    ],
)
def test_it_reads_vietnamese_numbers(text, value):
    assert vn.parse_number(text) == value


def test_it_refuses_what_is_not_a_number():
    with pytest.raises(ValueError, match="not a number"):
        vn.parse_number("mười")


def test_it_writes_vietnamese_numbers():
    assert vn.format_number(20673) == "20.673"
    assert vn.format_number(Decimal("20.5"), 1) == "20,5"
    assert vn.format_number(1234567.891, 2) == "1.234.567,89"


@pytest.mark.parametrize(
    ("name", "made"),
    [
        ("Báo cáo 6 tháng đầu năm", "bao-cao-6-thang-dau-nam"),
        ("Đảng ủy — Kết quả học tập!", "dang-uy-ket-qua-hoc-tap"),
        ("  ", ""),
    ],
)
def test_it_makes_a_code_from_a_name(name, made):
    assert vn.slug(name) == made


def test_it_cuts_a_long_code_at_a_word_and_takes_a_separator():
    made = vn.slug("Số lượt người tham gia học tập và làm theo tư tưởng", sep="_", max_length=20)
    assert made == "so_luot_nguoi_tham"
    assert vn.slug("Tổngsốđảngviênđượcgiớithiệu", max_length=10) == "tongsodang"


@pytest.mark.parametrize(
    ("text", "bare"),
    [
        ("01-BC/ĐU", "01-BC/DU"),
        ("Báo cáo sơ kết — Huyện ủy Vĩnh Thuận", "Bao cao so ket — Huyen uy Vinh Thuan"),
        ("QyĐ, Thuỷ, Thủy", "QyD, Thuy, Thuy"),
    ],
)
def test_it_removes_accents_but_keeps_case_and_the_rest(text, bare):
    assert vn.unaccent(text) == bare
    assert vn.unaccent(unicodedata.normalize("NFD", text)) == bare


def test_spellings_read_unit_abbreviations_spelt_out_first_then_as_typed():
    from trienkhai.vn.text import spellings

    assert spellings("ĐU Yên Thịnh") == ["dang uy yen thinh", "du yen thinh"]
    assert spellings("HU Chợ Đồn") == ["huyen uy cho don", "hu cho don"]
    assert spellings("CB Phòng Tư pháp") == [
        "chi bo phong tinh uy phap",
        "cb phong tinh uy phap",
        "chi bo phong tu phap",
        "cb phong tu phap",
    ]
    assert spellings("xã Yên Thịnh") == ["xa yen thinh"]
    assert len(spellings("tu tu tu tu tu")) == 8  # at most three read both ways
