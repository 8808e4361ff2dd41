"""The Party bodies of Chợ Đồn district (Bắc Kạn) in 2019–2021.

Source: shared/seeds/003: the district set up its Ban Chỉ đạo 35 on 28/8/2019. The
twenty commune-level party committees follow the real communes of the district (their
official codes from the divisions); the twelve agency cells are illustrative names.

On 01/07/2025 Bắc Kạn joined Thái Nguyên and the district level ended: demo/reform.py
carries these bodies into Tỉnh ủy Thái Nguyên and the new communes' party committees.
"""

import datetime as dt

from trienkhai.demo import reform
from trienkhai.demo.vinh_thuan import SINCE, _unit
from trienkhai.orgs.models import Unit

BCD35_SET_UP = dt.date(2019, 8, 28)

COMMUNES = [
    # pre-2025 official code, commune name as in the divisions
    ("02020", "thị trấn Bằng Lũng"),
    ("02023", "xã Xuân Lạc"),
    ("02026", "xã Nam Cường"),
    ("02029", "xã Đồng Lạc"),
    ("02032", "xã Tân Lập"),
    ("02035", "xã Bản Thi"),
    ("02038", "xã Quảng Bạch"),
    ("02041", "xã Bằng Phúc"),
    ("02044", "xã Yên Thịnh"),
    ("02047", "xã Yên Thượng"),
    ("02050", "xã Phương Viên"),
    ("02053", "xã Ngọc Phái"),
    ("02059", "xã Đồng Thắng"),
    ("02062", "xã Lương Bằng"),
    ("02065", "xã Bằng Lãng"),
    ("02068", "xã Đại Sảo"),
    ("02071", "xã Nghĩa Tá"),
    ("02077", "xã Yên Mỹ"),
    ("02080", "xã Bình Trung"),
    ("02083", "xã Yên Phong"),
]

AGENCY_BODIES = [
    ("party_committee", "Đảng ủy Quân sự huyện Chợ Đồn"),
    ("party_committee", "Đảng ủy Công an huyện Chợ Đồn"),
    ("party_cell", "Chi bộ Văn phòng Huyện ủy Chợ Đồn"),
    ("party_cell", "Chi bộ Ban Tuyên giáo Huyện ủy Chợ Đồn"),
    ("party_cell", "Chi bộ Trung tâm Chính trị huyện Chợ Đồn"),
    ("party_cell", "Chi bộ Trung tâm Văn hóa, Thể thao và Truyền thông huyện"),
    ("party_cell", "Chi bộ Văn phòng HĐND và UBND huyện Chợ Đồn"),
    ("party_cell", "Chi bộ Phòng Giáo dục và Đào tạo huyện Chợ Đồn"),
    ("party_cell", "Chi bộ Trung tâm Y tế huyện Chợ Đồn"),
    ("party_cell", "Chi bộ Ủy ban Mặt trận Tổ quốc và các đoàn thể huyện"),
    ("party_cell", "Chi bộ Trường Trung học phổ thông Chợ Đồn"),
    ("party_cell", "Chi bộ Chi cục Thuế khu vực Chợ Đồn"),
]
"""CB-CD-01 … CB-CD-12, in this order (demo/reporting.py names them by code)."""


def commune_code(official: str) -> str:
    return f"DU-CD-{official}"


def agency_code(n: int) -> str:
    return f"CB-CD-{n:02d}"


def load() -> dict[str, Unit]:
    """Tỉnh ủy Bắc Kạn, Huyện ủy Chợ Đồn, its boards and its 32 cells and committees."""
    province = Unit.objects.get(code="HC04-06")
    tu = _unit(
        "TU-BK",
        name="Tỉnh ủy Bắc Kạn",
        kind="party_committee",
        parent=province,
        valid_from=SINCE,
        abbreviation="TU",
    )
    hu = _unit(
        "HU-CD",
        name="Huyện ủy Chợ Đồn",
        kind="party_committee",
        parent=tu,
        valid_from=SINCE,
        abbreviation="HU",
    )
    board = _unit(
        "BTGHU-CD",
        name="Ban Tuyên giáo Huyện ủy Chợ Đồn",
        kind="board",
        parent=hu,
        valid_from=SINCE,
        abbreviation="BTGHU",
    )
    steering = _unit(
        "BCD35-CD",
        name="Ban Chỉ đạo 35 Huyện ủy Chợ Đồn",
        kind="steering_committee",
        parent=hu,
        valid_from=BCD35_SET_UP,
        abbreviation="BCĐ35",
    )
    communes = []
    for official, name in COMMUNES:
        committee = _unit(
            commune_code(official),
            name=f"Đảng ủy {name}",
            kind="party_committee",
            parent=hu,
            valid_from=SINCE,
            abbreviation="ĐU",
        )
        communes.append((committee, official))
    agencies = []
    for n, (kind, name) in enumerate(AGENCY_BODIES, start=1):
        cell = _unit(
            agency_code(n),
            name=name,
            kind=kind,
            parent=hu,
            valid_from=SINCE,
            abbreviation="ĐU" if kind == "party_committee" else "CB",
        )
        agencies.append(cell)
    reform.reorganise(
        reform.District(
            hu=hu,
            tu=tu,
            board=board,
            steering=steering,
            communes=communes,
            agencies=agencies,
            seat="02020",  # thị trấn Bằng Lũng, the district seat
        ),
        reform.Province(division="HC25-19", suffix="TN", name="Thái Nguyên"),
    )
    return {"tu": tu, "hu": hu}


def reporting_codes() -> list[str]:
    """The 32 cells and committees that report to Huyện ủy Chợ Đồn."""
    return [commune_code(c) for c, _ in COMMUNES] + [
        agency_code(n) for n in range(1, len(AGENCY_BODIES) + 1)
    ]
