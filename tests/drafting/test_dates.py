"""The place-and-date line (ô 4): day padded below 10, month only for January and February."""

import datetime as dt

import pytest

from trienkhai.drafting.dates import date_line

CASES = [
    # (place, date, line) — VN_DOCUMENTS.md §1.3 and §2.2, ND30 Phụ lục I, 36-HD/VPTW
    ("Vĩnh Thuận", dt.date(2020, 6, 15), "Vĩnh Thuận, ngày 15 tháng 6 năm 2020"),
    ("Hà Nội", dt.date(2020, 1, 5), "Hà Nội, ngày 05 tháng 01 năm 2020"),
    ("Hà Nội", dt.date(2021, 8, 5), "Hà Nội, ngày 05 tháng 8 năm 2021"),
    ("Hạ Long", dt.date(2018, 2, 20), "Hạ Long, ngày 20 tháng 02 năm 2018"),
    ("Thượng Lâm", dt.date(2025, 3, 1), "Thượng Lâm, ngày 01 tháng 3 năm 2025"),
    ("Chợ Đồn", dt.date(2019, 6, 29), "Chợ Đồn, ngày 29 tháng 6 năm 2019"),
    ("Chợ Đồn", dt.date(2021, 10, 9), "Chợ Đồn, ngày 09 tháng 10 năm 2021"),
    ("Chợ Đồn", dt.date(2021, 12, 31), "Chợ Đồn, ngày 31 tháng 12 năm 2021"),
    ("Hà Nội", dt.date(2026, 1, 9), "Hà Nội, ngày 09 tháng 01 năm 2026"),
    ("Quận 1", dt.date(2024, 11, 10), "Quận 1, ngày 10 tháng 11 năm 2024"),
    # a trailing comma or spaces in the stored place are not doubled
    (" Vĩnh Thuận, ", dt.date(2020, 6, 15), "Vĩnh Thuận, ngày 15 tháng 6 năm 2020"),
    # no place: the date alone
    ("", dt.date(2020, 2, 2), "ngày 02 tháng 02 năm 2020"),
]


@pytest.mark.parametrize(("place", "day", "line"), CASES)
def test_it_writes_the_date_line_as_the_rules_do(place, day, line):
    assert date_line(place, day) == line


def test_it_never_pads_a_month_from_march_on():
    for month in range(3, 13):
        assert f"tháng {month} năm" in date_line("X", dt.date(2021, month, 5))
        assert f"tháng 0{month}" not in date_line("X", dt.date(2021, month, 5))


def test_it_stores_the_place_in_nfc():
    decomposed = "Vi\u0303nh Thua\u0323\u0302n"  # NFD, as macOS or some PDFs give it
    assert date_line(decomposed, dt.date(2020, 6, 15)) == "Vĩnh Thuận, ngày 15 tháng 6 năm 2020"
