"""Vĩnh Thuận 2020 in the registers: members' pledges and the four official websites.

Báo cáo 04-BC/BTGHU (shared/seeds/000): "từng đảng viên tại các chi, đảng ủy đều viết
bản đăng ký tu dưỡng, rèn luyện … nộp đúng thời gian quy định", and "04 trang thông tin
điện tử do huyện quản lý" (Ban Tuyên giáo Huyện ủy, Ủy ban nhân dân huyện, Công an
huyện, xã Vĩnh Bình Bắc) with their addresses.

- Pledges: one list for 2020 per unit of the 42 "chi, đảng ủy trực thuộc" (the commune
  committees keep their members' list: their cells are not units of the demo), with as
  many members as each reports in ``so_dang_vien`` for 2020S1 (demo/reporting.py): 2.073
  in all, every one handed in before the deadline. The deadline (15/04/2020) and the
  days are illustrative; the names are made up (family, middle and given names
  combined), positions left empty: the figures need none.
- Channels: the four websites, managed by the units whose reports give their posts
  (``VT_WEBSITES``), with monthly counts for 2020 that add up to the posts those reports
  give for each half-year (200 in the first, 236 in the second).

Both go through the services, as a manager would record them. Idempotent: a list or a
channel that exists is left as it is.
"""

import datetime as dt

from trienkhai.activities import channels, pledges
from trienkhai.activities.models import Channel, PledgeList
from trienkhai.common.actors import DEMO
from trienkhai.demo.reporting import VT_UNITS, VT_WEBSITES, _vt_figures
from trienkhai.orgs.models import Unit

YEAR = 2020
DEADLINE = dt.date(2020, 4, 15)
FIRST_DAY = dt.date(2020, 3, 10)  # a week after Kế hoạch 92-KH/HU (03/3/2020)

FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Huỳnh", "Võ", "Phan", "Trương", "Bùi", "Đặng", "Đỗ",
          "Ngô", "Hồ", "Dương", "Lâm", "Danh"]  # fmt: skip
MIDDLE = ["Văn", "Thị", "Minh", "Thanh", "Hoàng", "Ngọc", "Quốc", "Hữu", "Kim", "Thị Mỹ"]
GIVEN = ["An", "Bình", "Cường", "Dũng", "Giang", "Hà", "Hải", "Hạnh", "Hiếu", "Hòa", "Hùng",
         "Hương", "Khánh", "Lan", "Linh", "Long", "Mai", "Nam", "Nga", "Nhung", "Phong", "Phúc",
         "Quang", "Sơn", "Tâm", "Thảo", "Thắng", "Trang", "Tuấn", "Vân", "Yến", "Lộc"]  # fmt: skip

WEBSITES = [
    # managing unit (VT_WEBSITES), name, address (as Báo cáo 04-BC/BTGHU writes them)
    (
        "CB-VT-06",
        "Trang thông tin điện tử Ban Tuyên giáo Huyện ủy Vĩnh Thuận",
        "http://tuyengiaovinhthuan.vn/",
    ),
    (
        "CB-VT-10",
        "Cổng thông tin điện tử huyện Vĩnh Thuận",
        "https://vinhthuan.kiengiang.gov.vn/",
    ),
    (
        "CB-VT-02",
        "Trang thông tin điện tử Công an huyện Vĩnh Thuận",
        "http://conganvinhthuan.ictvnpt.vn/",
    ),
    (
        "DU-VT-31060",
        "Cổng thông tin điện tử xã Vĩnh Bình Bắc",
        "https://vinhbinhbac-vt.kiengiang.gov.vn/",
    ),
]
SINCE = dt.date(2018, 1, 1)  # before 2020; the source gives no date


def load() -> None:
    _pledges()
    _websites()


def _name(unit_index: int, n: int) -> str:
    """The ``n``-th member's made-up name in a unit: distinct within it (7 is prime to
    the number of combinations)."""
    combos = len(FAMILY) * len(MIDDLE) * len(GIVEN)
    k = (unit_index * 131 + n * 7) % combos
    family, rest = divmod(k, len(MIDDLE) * len(GIVEN))
    middle, given = divmod(rest, len(GIVEN))
    return f"{FAMILY[family]} {MIDDLE[middle]} {GIVEN[given]}"


def _pledges() -> None:
    units = {u.code: u for u in Unit.objects.filter(code__in=VT_UNITS)}
    done = set(
        PledgeList.objects.filter(unit__in=units.values(), year=YEAR).values_list(
            "unit__code", flat=True
        )
    )
    span = (DEADLINE - FIRST_DAY).days
    for index, code in enumerate(VT_UNITS):
        if code in done:
            continue
        members = _vt_figures(code, index, 1)["so_dang_vien"]
        rows = [
            pledges.PledgeRow(
                name=_name(index, n),
                submitted=(FIRST_DAY + dt.timedelta(days=(n * 5 + index) % (span + 1))).isoformat(),
            )
            for n in range(members)
        ]
        pledges.record_pledges(
            acting_user=DEMO, unit=units[code], year=YEAR, deadline=DEADLINE, rows=rows
        )


def _monthly(total: int) -> list[int]:
    """``total`` over six months: the same each month, the rest in the first ones."""
    base, rest = divmod(total, 6)
    return [base + (1 if m < rest else 0) for m in range(6)]


def _websites() -> None:
    units = {u.code: u for u in Unit.objects.filter(code__in=VT_WEBSITES)}
    for code, name, address in WEBSITES:
        if Channel.objects.filter(address_key=channels.address_key("website", address)).exists():
            continue
        channel = channels.register_channel(
            acting_user=DEMO,
            unit=units[code],
            kind=Channel.Kind.WEBSITE,
            name=name,
            address=address,
            active_from=SINCE,
        )
        # The posts each half-year's report of the unit gives (demo/reporting.py).
        index = VT_UNITS.index(code)
        months = [
            posts
            for half in (1, 2)
            for posts in _monthly(_vt_figures(code, index, half)["tin_bai_chinh_thuc"])
        ]
        rows = [
            channels.PostCountRow(period=f"{YEAR}{m:02d}", posts=str(posts))
            for m, posts in enumerate(months, start=1)
        ]
        channels.record_post_counts(acting_user=DEMO, channel=channel, rows=rows)
