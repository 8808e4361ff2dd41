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

- Inspection and supervision (shared/seeds/002, Kiên Giang: "đưa nội dung Nghị quyết
  này vào kế hoạch kiểm tra, giám sát của cấp ủy đối với cấp ủy cấp dưới"): the
  Provincial Standing Committee's plan of 2020 inspects Huyện ủy Vĩnh Thuận on
  Nghị quyết 35, and the district's plan supervises three commune committees; each
  concluded with recommendations, some carried out, one late (the overdue figure).
  Dates, teams and wording are illustrative.

All go through the services, as a manager would record them. Idempotent: a list, a
channel or a plan that exists is left as it is.
"""

import datetime as dt

from trienkhai.activities import channels, inspections, pledges
from trienkhai.activities.inspections import RecommendationInput
from trienkhai.activities.models import Channel, InspectionPlan, PledgeList
from trienkhai.common.actors import DEMO
from trienkhai.demo.reporting import VT_UNITS, VT_WEBSITES, _vt_figures
from trienkhai.orgs import queries
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
    _inspections()


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


NQ35 = "việc lãnh đạo, chỉ đạo thực hiện Nghị quyết 35-NQ/TW của Bộ Chính trị"


def _inspections() -> None:
    tu, hu = Unit.objects.get(code="TU-KG"), Unit.objects.get(code="HU-VT")
    if InspectionPlan.objects.filter(unit__in=[tu, hu], year=YEAR).exists():
        return
    d = dt.date
    province = inspections.create_plan(
        acting_user=DEMO,
        unit=tu,
        year=YEAR,
        title="Kế hoạch kiểm tra, giám sát năm 2020 của Ban Thường vụ Tỉnh ủy",
        reference="45-KH/TU",
    )
    _held(
        province,
        hu,
        "inspection",
        f"Kiểm tra Ban Thường vụ Huyện ủy Vĩnh Thuận về {NQ35}",
        d(2020, 6, 15),
        d(2020, 7, 10),
        "Huyện ủy đã ban hành kế hoạch thực hiện, kiện toàn Ban Chỉ đạo 35; việc sơ kết "
        "ở các chi, đảng bộ cơ sở còn chậm.",
        [("Chỉ đạo các chi, đảng bộ cơ sở sơ kết đúng thời gian", d(2020, 9, 30), d(2020, 9, 25))],
    )
    district = inspections.create_plan(
        acting_user=DEMO,
        unit=hu,
        year=YEAR,
        title="Kế hoạch kiểm tra, giám sát năm 2020 của Ban Thường vụ Huyện ủy",
        reference="08-KH/HU",
    )
    day = d(2020, 8, 3)
    communes = queries.versions_on(day).filter(parent=hu, unit__code__startswith="DU-VT-")
    late = d(2020, 11, 30)
    for n, version in enumerate(sorted(communes, key=lambda v: v.unit.code)[:3]):
        start = day + dt.timedelta(weeks=3 * n)
        _held(
            district,
            version.unit,
            "supervision",
            f"Giám sát {version.name} về {NQ35}",
            start,
            start + dt.timedelta(days=20),
            "Đã quán triệt Nghị quyết đến chi bộ; tổ dư luận xã hội hoạt động chưa đều.",
            [
                ("Kiện toàn tổ dư luận xã hội", late, late - dt.timedelta(days=10) if n else None),
                ("Báo cáo kết quả thực hiện hằng quý", d(2020, 12, 31), d(2020, 12, 20)),
            ],
        )


def _held(plan, inspected, kind, title, start, concluded, findings, asked) -> None:
    """An inspection of the plan, concluded on ``concluded`` with the recommendations
    ``asked`` (text, deadline, day carried out or None), each followed up."""
    done = inspections.create_inspection(
        acting_user=DEMO,
        unit=plan.unit,
        inspected=inspected,
        kind=kind,
        title=title,
        start=start,
        end=start + dt.timedelta(days=2),
        team="Đồng chí Ủy viên Ban Thường vụ, trưởng đoàn\nCác đồng chí Ủy ban Kiểm tra",
        plan=plan,
    )
    inspections.conclude(
        acting_user=DEMO,
        inspection=done,
        concluded=concluded,
        findings=findings,
        recommendations=[RecommendationInput(text, deadline) for text, deadline, _ in asked],
    )
    for recommendation, (_, _, resolved) in zip(
        done.recommendations.order_by("id"), asked, strict=True
    ):
        if resolved is not None:
            inspections.follow_up(
                acting_user=DEMO,
                recommendation=recommendation,
                note="Đã thực hiện, có báo cáo kết quả.",
                resolved=resolved,
            )
