"""The 2023 commendations of Kiên Giang's five-year review (shared/seeds/002, 19/9/2023):
the Standing Committee's Bằng khen to 10 collectives and 8 individuals, the Propaganda
Board's Giấy khen to 9 collectives and individuals (decision 0054).

The counts and the givers are the source's; who received them is not in it: the
recipients here are Vĩnh Thuận's bodies and invented names, and the decisions' numbers
are invented too: an illustration. The
provincial Propaganda Board (Ban Tuyên giáo Tỉnh ủy Kiên Giang, BTGTU-KG) is added
here, from 2008 until it went into the Ban Tuyên giáo và Dân vận on 01/07/2025.
"""

import datetime as dt

from trienkhai.commendations import kinds, services
from trienkhai.commendations.models import Kind, Nomination
from trienkhai.common.actors import DEMO
from trienkhai.demo.vinh_thuan import REFORM, SINCE, _unit
from trienkhai.orgs import services as orgs
from trienkhai.orgs.models import Unit

DECIDED = dt.date(2023, 9, 19)
ACHIEVEMENT = (
    "Có thành tích xuất sắc trong 05 năm thực hiện Nghị quyết số 35-NQ/TW của Bộ Chính trị "
    "về bảo vệ nền tảng tư tưởng của Đảng (2018–2023)"
)
BANG_KHEN_PEOPLE = [
    ("BTGHU-VT", "Nguyễn Thị Kim Loan"),
    ("BTGHU-VT", "Trần Văn Hiếu"),
    ("BTGHU-VT", "Lê Minh Tâm"),
    ("HU-VT", "Phạm Quốc Bảo"),
    ("DU-VT-31051", "Huỳnh Thị Mỹ"),
    ("DU-VT-31060", "Võ Văn Lành"),
    ("DU-VT-31063", "Đặng Thị Thu Trang"),
    ("DU-VT-31064", "Nguyễn Hoàng Phúc"),
]
GIAY_KHEN_PEOPLE = [
    ("DU-VT-31051", "Lâm Văn Sang"),
    ("DU-VT-31060", "Trịnh Thị Ngọc Hân"),
    ("CB-VT-01", "Châu Minh Trí"),
    ("CB-VT-02", "Đỗ Thị Hồng Nhung"),
]


def _board() -> Unit:
    """Ban Tuyên giáo Tỉnh ủy Kiên Giang, 2008 to 01/07/2025."""
    board = _unit(
        "BTGTU-KG",
        name="Ban Tuyên giáo Tỉnh ủy Kiên Giang",
        kind="board",
        parent=Unit.objects.get(code="TU-KG"),
        valid_from=SINCE,
        abbreviation="BTGTU",
    )
    if board.valid_to is None:
        orgs.merge_units(
            acting_user=DEMO,
            predecessors=[board],
            into=Unit.objects.get(code="BTGDVTU-AG"),
            on=REFORM,
        )
    return board


def _award(kind: Kind, giver: Unit, unit: Unit, name: str = "", number: str = "") -> None:
    nomination = services.nominate(
        acting_user=DEMO,
        kind=kind,
        giver=giver,
        year=DECIDED.year,
        achievement=ACHIEVEMENT,
        recipient_unit=unit,
        recipient_name=name,
    )
    services.accept(acting_user=DEMO, nomination=nomination)
    services.award(
        acting_user=DEMO, nomination=nomination, decided_on=DECIDED, decision_number=number
    )


def load() -> None:
    kinds.ensure()  # the migration made them; a flushed test database has lost them
    board = _board()
    if Nomination.objects.filter(giver__code="TU-KG", year=DECIDED.year).exists():
        return
    units = {u.code: u for u in Unit.objects.filter(code__regex=r"^(HU|BTGHU|DU|CB)-VT")}
    tu = Unit.objects.get(code="TU-KG")
    bang_khen = Kind.objects.get(code="bang_khen_btv_tinh_uy")
    giay_khen = Kind.objects.get(code="giay_khen_ban_dang")
    collectives = ["HU-VT", "BTGHU-VT", *sorted(c for c in units if c.startswith("DU-VT-"))]
    for code in collectives[:10]:
        _award(bang_khen, tu, units[code], number="1745-QĐ/TU")
    for code, name in BANG_KHEN_PEOPLE:
        _award(bang_khen, tu, units[code], name, number="1745-QĐ/TU")
    for code in [f"CB-VT-{n:02d}" for n in range(1, 6)]:
        _award(giay_khen, board, units[code], number="215-QĐ/BTGTU")
    for code, name in GIAY_KHEN_PEOPLE:
        _award(giay_khen, board, units[code], name, number="215-QĐ/BTGTU")
