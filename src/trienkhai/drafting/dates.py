"""The place-and-date line of a formal document (ô 4): "Vĩnh Thuận, ngày 15 tháng 6 năm 2020".

The date itself is ``trienkhai.vn.long_date`` (day padded below 10, month only for
January and February); this module adds the place and the comma both rule books ask for.
"""

from __future__ import annotations

import datetime as dt

from trienkhai.vn import long_date, nfc


def date_line(place: str, day: dt.date) -> str:
    """ "Vĩnh Thuận, ngày 15 tháng 6 năm 2020"; without a place, "ngày 15 tháng 6 năm 2020"."""
    place = nfc(place).strip().rstrip(",")
    text = long_date(day)
    return f"{place}, {text}" if place else text
