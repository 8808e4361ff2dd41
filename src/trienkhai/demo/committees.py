"""Two steering committees 35 (decision 0058).

- Chợ Đồn (shared/seeds/003): the district set up its Ban Chỉ đạo 35 on 28/8/2019, with
  a head, deputies, members and a secretariat (tổ giúp việc). The source names nobody:
  the people, their positions and the founding decision's number are invented, an
  illustration of a committee of that kind; so is the change of head on 01/10/2020,
  after the district's 2020 congress. The committee ends with the district on
  01/07/2025 (its body BCD35-CD went into the province's, demo/reform.py).
- Hoằng Hóa (shared/seeds/004): on the afternoon of 05/08/2021, at the district's
  political centre, its Ban Chỉ đạo 35 held the review of the first six months of 2021,
  chaired by a deputy head who was a member of the district's Standing Committee, head
  of its Propaganda Board and director of its political centre; the committee's members
  and secretariat attended. Only what that meeting needs is added: Tỉnh ủy Thanh Hóa,
  Huyện ủy Hoằng Hóa and its Propaganda Board (both ended with the district level on
  01/07/2025, dissolved here: the demo does not rebuild Hoằng Hóa's new communes). The
  names (the source names the chair; the demo does not repeat real people's names),
  the committee's founding day, the notice's number and the two conclusions' wording
  and due days are invented; the conclusions follow two of the tasks the chair named
  (the Covid-19 campaign, the committee's programme and plans).
"""

import datetime as dt

from trienkhai.committees import services
from trienkhai.committees.models import Committee, Membership
from trienkhai.common.actors import DEMO
from trienkhai.demo.chodon import BCD35_SET_UP, agency_code
from trienkhai.demo.reform import REFORM
from trienkhai.demo.vinh_thuan import SINCE, _unit
from trienkhai.documents import services as documents
from trienkhai.documents.models import Document
from trienkhai.orgs import services as orgs
from trienkhai.orgs.models import Unit

HEAD_CHANGED = dt.date(2020, 10, 1)
REVIEW = dt.date(2021, 8, 5)
HH_FOUNDED = dt.date(2019, 3, 1)

CHODON_SEATS = [
    # name, role, position, own unit (None: outside the demo's units), from, to
    ("Hoàng Văn Thắng", "head", "Phó Bí thư Thường trực Huyện ủy", "HU-CD", None, HEAD_CHANGED),
    ("Nông Thị Duyên", "head", "Phó Bí thư Thường trực Huyện ủy", "HU-CD", HEAD_CHANGED, None),
    ("Hà Văn Lợi", "deputy", "Trưởng Ban Tuyên giáo Huyện ủy", "BTGHU-CD", None, None),
    ("Ma Thị Nguyệt", "deputy", "Phó Chủ tịch Ủy ban nhân dân huyện", None, None, None),
    ("Triệu Văn Hải", "deputy", "Trưởng Công an huyện", agency_code(2), None, None),
    ("Lục Văn Bình", "member", "Chánh Văn phòng Huyện ủy", agency_code(3), None, None),
    ("Bế Thị Thu", "member", "Giám đốc Trung tâm Chính trị huyện", agency_code(5), None, None),
    (
        "Đinh Văn Tùng",
        "member",
        "Giám đốc Trung tâm Văn hóa, Thể thao và Truyền thông huyện",
        agency_code(6),
        None,
        None,
    ),
    (
        "Hoàng Văn Định",
        "member",
        "Chỉ huy trưởng Ban Chỉ huy Quân sự huyện",
        agency_code(1),
        None,
        None,
    ),
    (
        "La Thị Hồng",
        "member",
        "Chủ tịch Ủy ban Mặt trận Tổ quốc huyện",
        agency_code(10),
        None,
        None,
    ),
    ("Mạc Văn Khánh", "member", "Trưởng phòng Giáo dục và Đào tạo", agency_code(8), None, None),
    ("Nông Thị Hà", "secretariat", "Phó Trưởng Ban Tuyên giáo Huyện ủy", "BTGHU-CD", None, None),
    ("Hoàng Thị Mai", "secretariat", "Chuyên viên Ban Tuyên giáo Huyện ủy", "BTGHU-CD", None, None),
    ("Lương Văn Toàn", "secretariat", "Chuyên viên Văn phòng Huyện ủy", agency_code(3), None, None),
]

HOANGHOA_SEATS = [
    # name, role, position, own unit
    ("Lê Văn Hòa", "head", "Phó Bí thư Thường trực Huyện ủy", "HU-HH"),
    (
        "Nguyễn Văn Minh",
        "deputy",
        "Ủy viên Ban Thường vụ Huyện ủy, Trưởng Ban Tuyên giáo, Giám đốc Trung tâm Chính trị huyện",
        "BTGHU-HH",
    ),
    ("Trịnh Thị Hương", "deputy", "Phó Chủ tịch Ủy ban nhân dân huyện", None),
    ("Lê Đình Phú", "member", "Trưởng Công an huyện", None),
    ("Hoàng Thị Thanh", "member", "Chủ tịch Ủy ban Mặt trận Tổ quốc huyện", None),
    ("Đỗ Văn Sơn", "member", "Chánh Văn phòng Huyện ủy", "HU-HH"),
    ("Mai Thị Lan", "member", "Bí thư Huyện Đoàn", None),
    ("Phạm Thị Ngọc", "secretariat", "Phó Trưởng Ban Tuyên giáo Huyện ủy", "BTGHU-HH"),
    ("Vũ Văn Cường", "secretariat", "Chuyên viên Ban Tuyên giáo Huyện ủy", "BTGHU-HH"),
]

REVIEW_AGENDA = "\n".join(
    [
        "Báo cáo kết quả hoạt động 6 tháng đầu năm 2021 của Ban Chỉ đạo 35 huyện",
        "Thảo luận kết quả đạt được, tồn tại, hạn chế, nguyên nhân; đề xuất giải pháp",
        "Nhiệm vụ trọng tâm 6 tháng cuối năm 2021",
        "Phát biểu kết luận của đồng chí Phó Trưởng ban chủ trì hội nghị",
    ]
)

CONCLUSIONS = [
    # task, expects, due
    (
        "Tham mưu xây dựng chương trình, kế hoạch hoạt động 6 tháng cuối năm 2021 của Ban "
        "Chỉ đạo 35 huyện",
        "KH",
        dt.date(2021, 8, 31),
    ),
    (
        "Tuyên truyền cao điểm về phòng, chống dịch Covid-19; báo cáo kết quả",
        "BC",
        dt.date(2021, 12, 15),
    ),
]


def _issued(unit: Unit, type: str, date: dt.date, summary: str, number: int) -> Document:
    """A document of ``unit``'s register numbered ``number`` (the series carried over to
    the number before), or the one already there."""
    found = Document.objects.filter(unit=unit, date=date, summary=summary).first()
    if found is not None:
        return found
    documents.carry_over(acting_user=DEMO, issuer=unit, type=type, day=date, last_number=number - 1)
    draft = documents.register_draft(
        acting_user=DEMO,
        issuer=unit,
        type=type,
        date=date,
        summary=summary,
        signer="Thường trực Huyện ủy",
        signer_authority="tm",
        recipients="Như Điều 3; Lưu Văn phòng Huyện ủy.",
    )
    return documents.issue(acting_user=DEMO, document=draft)


def _chodon() -> None:
    hu = Unit.objects.get(code="HU-CD")
    if Committee.objects.filter(unit=hu).exists():
        return
    decision = _issued(
        hu, "QĐ", BCD35_SET_UP, "Về việc thành lập Ban Chỉ đạo 35 huyện Chợ Đồn", 215
    )
    committee = services.create_committee(
        acting_user=DEMO,
        unit=hu,
        name="Ban Chỉ đạo 35 huyện Chợ Đồn",
        valid_from=BCD35_SET_UP,
        founding_decision=decision,
    )
    units = {u.code: u for u in Unit.objects.filter(code__in={s[3] for s in CHODON_SEATS})}
    for name, role, position, unit, since, until in CHODON_SEATS:
        services.add_member(
            acting_user=DEMO,
            committee=committee,
            name=name,
            role=role,
            position=position,
            unit=units.get(unit) if unit else None,
            valid_from=since or BCD35_SET_UP,
            valid_to=until,
        )
    services.end_committee(acting_user=DEMO, committee=committee, on=REFORM)


def _hoanghoa_units() -> tuple[Unit, Unit]:
    """Tỉnh ủy Thanh Hóa, Huyện ủy Hoằng Hóa and its Propaganda Board, to 01/07/2025."""
    tu = _unit(
        "TU-TH",
        name="Tỉnh ủy Thanh Hóa",
        kind="party_committee",
        parent=Unit.objects.get(code="HC04-38"),
        valid_from=SINCE,
        abbreviation="TU",
    )
    hu = _unit(
        "HU-HH",
        name="Huyện ủy Hoằng Hóa",
        kind="party_committee",
        parent=tu,
        valid_from=SINCE,
        abbreviation="HU",
    )
    board = _unit(
        "BTGHU-HH",
        name="Ban Tuyên giáo Huyện ủy Hoằng Hóa",
        kind="board",
        parent=hu,
        valid_from=SINCE,
        abbreviation="BTGHU",
    )
    return hu, board


def _end_hoanghoa(hu: Unit, board: Unit) -> None:
    """The district level ends on 01/07/2025; Thanh Hóa stays a province (new list)."""
    hu.refresh_from_db()
    if hu.valid_to is not None:
        return
    note = "Cấp huyện kết thúc hoạt động từ 01/07/2025 / the district level ended"
    orgs.dissolve_unit(acting_user=DEMO, unit=board, on=REFORM, note=note)
    orgs.dissolve_unit(acting_user=DEMO, unit=hu, on=REFORM, note=note)
    tu = Unit.objects.get(code="TU-TH")
    orgs.change_unit(acting_user=DEMO, unit=tu, on=REFORM, parent=Unit.objects.get(code="HC25-38"))


def _hoanghoa() -> None:
    hu, board = _hoanghoa_units()
    if not Committee.objects.filter(unit=hu).exists():
        committee = services.create_committee(
            acting_user=DEMO, unit=hu, name="Ban Chỉ đạo 35 huyện Hoằng Hóa", valid_from=HH_FOUNDED
        )
        units = {"HU-HH": hu, "BTGHU-HH": board}
        seats = [
            services.add_member(
                acting_user=DEMO,
                committee=committee,
                name=name,
                role=role,
                position=position,
                unit=units.get(unit) if unit else None,
                valid_from=HH_FOUNDED,
            )
            for name, role, position, unit in HOANGHOA_SEATS
        ]
        chair = next(s for s in seats if s.role == Membership.Role.DEPUTY)
        notice = _issued(
            hu,
            "TB",
            REVIEW + dt.timedelta(days=1),
            "Kết luận của đồng chí Phó Trưởng Ban Chỉ đạo 35 huyện tại hội nghị sơ kết 6 "
            "tháng đầu năm 2021",
            112,
        )
        meeting = services.hold_meeting(
            acting_user=DEMO,
            committee=committee,
            date=REVIEW,
            kind="interim_review",
            title="Sơ kết hoạt động 6 tháng đầu năm, triển khai nhiệm vụ trọng tâm 6 tháng cuối "
            "năm 2021",
            place="Trung tâm Chính trị huyện",
            agenda=REVIEW_AGENDA,
            attendees=[s.person_id for s in seats if s.role != Membership.Role.HEAD],
            chair=chair.person_id,
            minutes=notice,
        )
        for task, expects, due in CONCLUSIONS:
            services.conclude(
                acting_user=DEMO,
                meeting=meeting,
                document=notice,
                task=task,
                due=due,
                expects=expects,
                units=[board.code],
            )
        services.end_committee(acting_user=DEMO, committee=committee, on=REFORM)
    _end_hoanghoa(hu, board)


def load() -> None:
    _chodon()
    _hoanghoa()
