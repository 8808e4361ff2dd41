"""Dates as Vietnamese users write them."""

import datetime as dt
import re

_DMY = re.compile(r"^\s*(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})\s*$")
_ISO = re.compile(r"^\s*(\d{4})-(\d{2})-(\d{2})\s*$")


def format_date(value: dt.date | None) -> str:
    """'05/08/2021' — the short form used in tables and forms."""
    return value.strftime("%d/%m/%Y") if value else ""


def parse_date(text: str) -> dt.date:
    """Read 'dd/mm/yyyy' (also with '.' or '-') or ISO 'yyyy-mm-dd'.

    Raises ValueError with a bilingual message on anything else.
    """
    match = _DMY.match(text)
    if match:
        day, month, year = (int(g) for g in match.groups())
    else:
        match = _ISO.match(text)
        if not match:
            raise ValueError(
                f"Ngày không hợp lệ / invalid date: {text!r} (dd/mm/yyyy hoặc/or yyyy-mm-dd)"
            )
        year, month, day = (int(g) for g in match.groups())
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise ValueError(f"Ngày không tồn tại / no such date: {text!r}") from None


def long_date(value: dt.date) -> str:
    """'ngày 05 tháng 8 năm 2021': the day is padded below 10, the month only for 1 and 2.

    Nghị định 30/2020/NĐ-CP and Hướng dẫn 36-HD/VPTW both write it so (VN_DOCUMENTS.md §1.3).
    """
    month = f"{value.month:02d}" if value.month < 3 else str(value.month)
    return f"ngày {value.day:02d} tháng {month} năm {value.year}"
