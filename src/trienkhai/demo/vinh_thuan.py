"""The Party bodies of Vĩnh Thuận district (Kiên Giang) in 2020, and who carries them today.

Source: shared/seeds/000 (Báo cáo 04-BC/BTGHU): 42 "chi, đảng ủy trực thuộc" deployed
the directive. The eight commune-level party committees follow the real communes of
the district; the names of the 34 agency cells are illustrative (the count is real).

On 01/07/2025 the district level ended: Tỉnh ủy Kiên Giang went into Tỉnh ủy An Giang,
the commune party committees into those of the three new communes (Vĩnh Phong, Vĩnh
Bình, Vĩnh Thuận, following the official commune lineage), the Propaganda Board's work
into the provincial Ban Tuyên giáo và Dân vận (BTGDVTU), and the district agency cells
into the party committee of the commune that hosts the former district seat — an
illustration of where their members went, not an official record.
"""

import datetime as dt

from trienkhai.common.actors import DEMO
from trienkhai.demo import reform
from trienkhai.orgs import services
from trienkhai.orgs.models import Unit, UnitKind

REFORM = dt.date(2025, 7, 1)
SINCE = dt.date(2008, 8, 1)

COMMUNE_COMMITTEES = [
    # code, name, pre-2025 official commune code
    ("DU-VT-31051", "Đảng ủy thị trấn Vĩnh Thuận", "31051"),
    ("DU-VT-31060", "Đảng ủy xã Vĩnh Bình Bắc", "31060"),
    ("DU-VT-31063", "Đảng ủy xã Vĩnh Bình Nam", "31063"),
    ("DU-VT-31064", "Đảng ủy xã Bình Minh", "31064"),
    ("DU-VT-31069", "Đảng ủy xã Vĩnh Thuận", "31069"),
    ("DU-VT-31072", "Đảng ủy xã Tân Thuận", "31072"),
    ("DU-VT-31074", "Đảng ủy xã Phong Đông", "31074"),
    ("DU-VT-31075", "Đảng ủy xã Vĩnh Phong", "31075"),
]

AGENCY_BODIES = [
    ("party_committee", "Đảng ủy Quân sự huyện"),
    ("party_committee", "Đảng ủy Công an huyện"),
    ("party_committee", "Đảng bộ Cơ quan Dân Chính Đảng huyện"),
    ("party_cell", "Chi bộ Văn phòng Huyện ủy"),
    ("party_cell", "Chi bộ Ban Tổ chức Huyện ủy"),
    ("party_cell", "Chi bộ Ban Tuyên giáo Huyện ủy"),
    ("party_cell", "Chi bộ Ban Dân vận Huyện ủy"),
    ("party_cell", "Chi bộ Ủy ban Kiểm tra Huyện ủy"),
    ("party_cell", "Chi bộ Trung tâm Chính trị huyện"),
    ("party_cell", "Chi bộ Văn phòng HĐND và UBND huyện"),
    ("party_cell", "Chi bộ Phòng Tài chính - Kế hoạch"),
    ("party_cell", "Chi bộ Phòng Nông nghiệp và Phát triển nông thôn"),
    ("party_cell", "Chi bộ Phòng Giáo dục và Đào tạo"),
    ("party_cell", "Chi bộ Phòng Y tế"),
    ("party_cell", "Chi bộ Trung tâm Y tế huyện"),
    ("party_cell", "Chi bộ Phòng Nội vụ"),
    ("party_cell", "Chi bộ Phòng Tư pháp"),
    ("party_cell", "Chi bộ Phòng Lao động - Thương binh và Xã hội"),
    ("party_cell", "Chi bộ Phòng Tài nguyên và Môi trường"),
    ("party_cell", "Chi bộ Phòng Kinh tế - Hạ tầng"),
    ("party_cell", "Chi bộ Phòng Văn hóa và Thông tin"),
    ("party_cell", "Chi bộ Trung tâm Văn hóa, Thể thao và Truyền thanh"),
    ("party_cell", "Chi bộ Thanh tra huyện"),
    ("party_cell", "Chi bộ Chi cục Thuế"),
    ("party_cell", "Chi bộ Kho bạc Nhà nước huyện"),
    ("party_cell", "Chi bộ Tòa án nhân dân huyện"),
    ("party_cell", "Chi bộ Viện Kiểm sát nhân dân huyện"),
    ("party_cell", "Chi bộ Chi cục Thi hành án dân sự"),
    ("party_cell", "Chi bộ Ngân hàng Chính sách xã hội huyện"),
    ("party_cell", "Chi bộ Bảo hiểm xã hội huyện"),
    ("party_cell", "Chi bộ Ủy ban Mặt trận Tổ quốc và các đoàn thể huyện"),
    ("party_cell", "Chi bộ Trường Trung học phổ thông Vĩnh Thuận"),
    ("party_cell", "Chi bộ Trường Trung học phổ thông Vĩnh Bình Bắc"),
    ("party_cell", "Chi bộ Điện lực Vĩnh Thuận"),
]

assert len(COMMUNE_COMMITTEES) + len(AGENCY_BODIES) == 42

DISTRICT_SEAT = "31069"
"""Pre-2025 commune whose successor takes the district agency cells (illustrative)."""


def _kind(code: str) -> UnitKind:
    return UnitKind.objects.get(code=code)


def _unit(code: str, **fields) -> Unit:
    """The unit ``code``, created with ``fields`` if it does not exist yet (idempotence)."""
    existing = Unit.objects.filter(code=code).first()
    if existing is not None:
        return existing
    kind = _kind(fields.pop("kind"))
    return services.create_unit(acting_user=DEMO, code=code, kind=kind, **fields)


def _ended(unit: Unit) -> bool:
    unit.refresh_from_db()
    return unit.valid_to is not None


def load() -> dict[str, Unit]:
    province_old = Unit.objects.get(code="HC04-91")
    tu_kg = _unit(
        "TU-KG",
        name="Tỉnh ủy Kiên Giang",
        kind="party_committee",
        parent=province_old,
        valid_from=SINCE,
        abbreviation="TU",
    )
    hu = _unit(
        "HU-VT",
        name="Huyện ủy Vĩnh Thuận",
        kind="party_committee",
        parent=tu_kg,
        valid_from=SINCE,
        abbreviation="HU",
    )
    btg = _unit(
        "BTGHU-VT",
        name="Ban Tuyên giáo Huyện ủy Vĩnh Thuận",
        kind="board",
        parent=hu,
        valid_from=SINCE,
        abbreviation="BTGHU",
    )
    bcd = _unit(
        "BCD35-VT",
        name="Ban Chỉ đạo 35 Huyện ủy Vĩnh Thuận",
        kind="steering_committee",
        parent=hu,
        valid_from=dt.date(2019, 1, 1),
        abbreviation="BCĐ35",
    )
    communes = [
        _unit(
            code, name=name, kind="party_committee", parent=hu, valid_from=SINCE, abbreviation="ĐU"
        )
        for code, name, _ in COMMUNE_COMMITTEES
    ]
    agencies = [
        _unit(
            f"CB-VT-{n:02d}",
            name=name,
            kind=kind,
            parent=hu,
            valid_from=SINCE,
            abbreviation="ĐU" if kind == "party_committee" else "CB",
        )
        for n, (kind, name) in enumerate(AGENCY_BODIES, start=1)
    ]

    carried = reform.reorganise(
        reform.District(
            hu=hu,
            tu=tu_kg,
            board=btg,
            steering=bcd,
            communes=[
                (unit, official)
                for unit, (_, _, official) in zip(communes, COMMUNE_COMMITTEES, strict=True)
            ],
            agencies=agencies,
            seat=DISTRICT_SEAT,
        ),
        reform.Province(division="HC25-91", suffix="AG", name="An Giang"),
    )
    return {"hu": hu, "tu_ag": carried["tu"]}
