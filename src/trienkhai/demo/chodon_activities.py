"""Chợ Đồn's register of classes and conferences, 2019–2021: seed 003's figures counted
from attendance lists, not typed (issue 16, decision 0039).

    "Giai đoạn từ năm 2019-2021, Đảng bộ huyện đã triển khai được 12 lớp bồi dưỡng Lý
    luận chính trị; 04 hội nghị học tập, quán triệt …; 12 hội nghị trực tuyến … với hơn
    20.673 lượt cán bộ, đảng viên tham gia học tập." (shared/seeds/003)

Each year has the events of ``reporting.CD_YEARS``: the classes of the Trung tâm Chính
trị huyện (its cell, CB-CD-05: sơ cấp lý luận chính trị, đảng viên mới, nhận thức về
Đảng), the study conferences of the Ban Tuyên giáo (CB-CD-04) and the online conferences
at the Văn phòng Huyện ủy's point (CB-CD-03), with a session a day and an attendance
list per event whose rows add up to the year's attendances (5.120, 6.874, 8.679).

The people are generated, seeded, from the district's 32 cells and committees and the
Ban Tuyên giáo's báo cáo viên: names common in Bắc Kạn, a position as attendance lists
write it, an audience group; nothing else (decision 0040). The same officials and
members come back to conference after conference, so there are far fewer people than
attendances; the learners of the classes for new members and for the Party's awareness
come once.

Written through ``activities.services``, as an office imports its lists. Idempotent: a
register that already has Chợ Đồn's events is left as it is.
"""

import datetime as dt
import math
import random
from collections.abc import Sequence
from dataclasses import dataclass

from trienkhai.activities import certificates, services, sites
from trienkhai.activities.models import Audience, Event
from trienkhai.activities.services import AttendanceRow
from trienkhai.common.actors import DEMO
from trienkhai.demo import chodon
from trienkhai.demo.reporting import CD_CLASSES, CD_ONLINE, CD_STUDY, CD_YEARS, cd_members
from trienkhai.orgs import queries
from trienkhai.orgs.models import Unit

Kind = Event.Kind
SEED = 3  # shared/seeds/003
BOARD = "BTGHU-CD"  # Ban Tuyên giáo Huyện ủy: most báo cáo viên
HALL = "Hội trường Huyện ủy Chợ Đồn"
CENTRE = "Trung tâm Chính trị huyện Chợ Đồn"
POINTS = "Điểm cầu Huyện ủy Chợ Đồn và 20 điểm cầu các xã, thị trấn"

# Who an event is for, and how its list is drawn (``_roster``):
AWARENESS = "awareness"  # quần chúng ưu tú, each once (nhận thức về Đảng)
NEW_MEMBERS = "new_members"  # new party members, each once
PRIMARY = "primary"  # sơ cấp lý luận chính trị: commune officials and members
CONFERENCE = "conference"  # the district's officials and members, again and again
FOR = {
    AWARENESS: [Audience.YOUTH_MEMBER, Audience.ASSOCIATION_MEMBER, Audience.PUBLIC],
    NEW_MEMBERS: [Audience.PARTY_MEMBER],
    PRIMARY: [Audience.OFFICIAL, Audience.PARTY_MEMBER],
    CONFERENCE: [Audience.LECTURER, Audience.OFFICIAL, Audience.PARTY_MEMBER],
}


@dataclass(frozen=True)
class Planned:
    kind: str
    title: str
    start: dt.date
    days: int
    """Its sessions: one a working day from ``start``."""
    size: int
    """Its usual number of people; scaled so that the year's lists add up to its total."""
    draws: str


def _classes(year: int, dates: Sequence[dt.date]) -> list[Planned]:
    first, new, primary, second = dates
    return [
        Planned(Kind.CLASS, f"Lớp bồi dưỡng nhận thức về Đảng, khóa I năm {year}", first, 6, 75, AWARENESS),
        Planned(Kind.CLASS, f"Lớp bồi dưỡng lý luận chính trị dành cho đảng viên mới năm {year}", new, 8, 75, NEW_MEMBERS),
        Planned(Kind.CLASS, f"Lớp sơ cấp lý luận chính trị năm {year}", primary, 27, 70, PRIMARY),
        Planned(Kind.CLASS, f"Lớp bồi dưỡng nhận thức về Đảng, khóa II năm {year}", second, 6, 75, AWARENESS),
    ]  # fmt: skip


def _study(title: str, start: dt.date, days: int = 2, size: int = 600) -> Planned:
    return Planned(Kind.STUDY_CONFERENCE, title, start, days, size, CONFERENCE)


def _online(title: str, start: dt.date, days: int = 1, size: int = 450) -> Planned:
    return Planned(Kind.ONLINE_CONFERENCE, title, start, days, size, CONFERENCE)


D = dt.date
PLAN: dict[str, list[Planned]] = {
    "2019": [
        *_classes(2019, [D(2019, 3, 18), D(2019, 5, 13), D(2019, 8, 5), D(2019, 10, 21)]),
        _study("Hội nghị học tập, quán triệt Nghị quyết số 35-NQ/TW ngày 22/10/2018 của Bộ Chính trị về tăng cường bảo vệ nền tảng tư tưởng của Đảng", D(2019, 9, 10), days=3, size=480),
    ],
    "2020": [
        *_classes(2020, [D(2020, 6, 8), D(2020, 7, 6), D(2020, 8, 17), D(2020, 11, 2)]),
        _study("Hội nghị học tập, quán triệt Chuyên đề năm 2020 “Tăng cường khối đại đoàn kết toàn dân tộc, xây dựng Đảng và hệ thống chính trị trong sạch, vững mạnh theo tư tưởng, đạo đức, phong cách Hồ Chí Minh”", D(2020, 3, 3)),
        _study("Hội nghị học tập, quán triệt Nghị quyết Đại hội đại biểu Đảng bộ huyện Chợ Đồn nhiệm kỳ 2020 - 2025", D(2020, 9, 15)),
        _online("Hội nghị báo cáo viên trực tuyến, quý II năm 2020", D(2020, 5, 26), size=420),
        _online("Hội nghị trực tuyến học tập chuyên đề thực hiện Chỉ thị 05-CT/TW của Bộ Chính trị năm 2020", D(2020, 7, 14), size=380),
        _online("Hội nghị trực tuyến quán triệt Nghị quyết Đại hội đại biểu Đảng bộ tỉnh Bắc Kạn nhiệm kỳ 2020 - 2025", D(2020, 11, 24), size=470),
        _online("Hội nghị báo cáo viên trực tuyến, quý IV năm 2020", D(2020, 12, 15), size=400),
    ],
    "2021": [
        *_classes(2021, [D(2021, 3, 15), D(2021, 6, 7), D(2021, 8, 9), D(2021, 10, 18)]),
        _study("Hội nghị học tập, quán triệt Chuyên đề năm 2021 “Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh về ý chí tự lực, tự cường và khát vọng phát triển đất nước phồn vinh, hạnh phúc”", D(2021, 6, 22)),
        _online("Hội nghị báo cáo viên trực tuyến, quý I năm 2021", D(2021, 3, 23), size=400),
        _online("Hội nghị trực tuyến nghiên cứu, học tập, quán triệt Nghị quyết Đại hội XIII của Đảng", D(2021, 4, 1), days=2, size=600),
        _online("Hội nghị trực tuyến tổng kết 5 năm thực hiện Chỉ thị 05-CT/TW của Bộ Chính trị", D(2021, 5, 18), size=480),
        _online("Hội nghị trực tuyến học tập chuyên đề năm 2021 thực hiện Kết luận 01-KL/TW", D(2021, 7, 13), size=430),
        _online("Hội nghị trực tuyến tuyên truyền phòng, chống dịch COVID-19 trong cán bộ, đảng viên", D(2021, 8, 17), size=350),
        _online("Hội nghị báo cáo viên trực tuyến, quý III năm 2021", D(2021, 9, 21), size=420),
        _online("Hội nghị trực tuyến quán triệt Nghị quyết Hội nghị lần thứ tư Ban Chấp hành Trung ương Đảng khóa XIII", D(2021, 11, 23), size=470),
        _online("Hội nghị báo cáo viên trực tuyến, quý IV năm 2021", D(2021, 12, 14), size=390),
    ],
}  # fmt: skip
"""The events of each year; their counts by kind are CD_YEARS's."""

ORGANISER: dict[str, str] = {
    Kind.CLASS: CD_CLASSES,
    Kind.STUDY_CONFERENCE: CD_STUDY,
    Kind.ONLINE_CONFERENCE: CD_ONLINE,
}
PLACE: dict[str, str] = {
    Kind.CLASS: CENTRE,
    Kind.STUDY_CONFERENCE: HALL,
    Kind.ONLINE_CONFERENCE: POINTS,
}

# Names common in Bắc Kạn (Tày, Nùng, Kinh), weighted.
SURNAMES = [
    ("Hoàng", 14), ("Nông", 12), ("Nguyễn", 10), ("Ma", 8), ("Triệu", 7), ("Lý", 6),
    ("Hà", 6), ("Trần", 4), ("Lưu", 3), ("Đàm", 3), ("Bế", 3), ("Lục", 3), ("Dương", 3),
    ("Phùng", 2), ("Lường", 2), ("Mông", 2), ("Đinh", 2), ("Lâm", 2), ("Chu", 2), ("Vi", 2),
]  # fmt: skip
MIDDLE = {
    "m": [("Văn", 12), ("Đức", 2), ("Xuân", 2), ("Minh", 2), ("Quang", 1), ("Thanh", 1), ("Hữu", 1), ("Ngọc", 1), ("Tiến", 1)],
    "f": [("Thị", 14), ("Thu", 2), ("Hồng", 1), ("Thanh", 1), ("Ngọc", 1), ("Kim", 1), ("Phương", 1)],
}  # fmt: skip
GIVEN = {
    "m": ["Hùng", "Dũng", "Tuấn", "Cường", "Thắng", "Hải", "Sơn", "Long", "Bình", "Tiến",
          "Quý", "Kiên", "Định", "Hưng", "Phong", "Lâm", "Nam", "Toàn", "Chung", "Thành",
          "Khánh", "Duy", "Hoàn", "Luận", "Thái", "Vinh", "Hiếu", "Trường", "Quân", "Đông"],
    "f": ["Hoa", "Lan", "Hương", "Huyền", "Thảo", "Nga", "Hạnh", "Liên", "Mai", "Thủy",
          "Yến", "Dung", "Nhung", "Oanh", "Thúy", "Vân", "Hằng", "Trang", "Ngân", "Hiền",
          "Loan", "Xuân", "Diệp", "Tâm", "Huệ", "Phượng", "Quyên", "Lụa", "Tuyết", "Chanh"],
}  # fmt: skip

COMMUNE_OFFICIALS = [
    "Bí thư Đảng ủy {xa}", "Phó Bí thư Thường trực Đảng ủy {xa}", "Chủ tịch UBND {xa}",
    "Phó Chủ tịch UBND {xa}", "Chủ tịch Ủy ban MTTQ {xa}", "Bí thư Đoàn {xa}",
    "Chủ tịch Hội Liên hiệp Phụ nữ {xa}", "Chủ tịch Hội Nông dân {xa}",
    "Chủ tịch Hội Cựu chiến binh {xa}", "Trưởng Công an {xa}",
    "Chỉ huy trưởng Ban Chỉ huy Quân sự {xa}", "Cán bộ Văn phòng Đảng ủy",
    "Công chức Văn hóa - Xã hội", "Công chức Văn phòng - Thống kê",
    "Công chức Tư pháp - Hộ tịch", "Công chức Địa chính - Xây dựng",
]  # fmt: skip
COMMUNE_MEMBERS = [
    ("Đảng viên", 10), ("Bí thư chi bộ thôn", 3), ("Trưởng thôn", 2), ("Giáo viên", 2),
    ("Nhân viên y tế thôn", 1), ("Chi hội trưởng Hội Nông dân", 1), ("Cựu chiến binh", 1),
]  # fmt: skip
NON_MEMBERS = {
    Audience.YOUTH_MEMBER: [("Đoàn viên", 4), ("Bí thư chi đoàn thôn", 1)],
    Audience.ASSOCIATION_MEMBER: [("Hội viên Hội Liên hiệp Phụ nữ", 3), ("Hội viên Hội Nông dân", 2), ("Hội viên Hội Cựu chiến binh", 1)],
    Audience.PUBLIC: [("Quần chúng ưu tú", 3), ("Người có uy tín trong cộng đồng", 1)],
}  # fmt: skip
AGENCY_OFFICIALS = [
    # by agency (chodon.AGENCY_BODIES, CB-CD-01 … 12)
    "Sĩ quan Ban Chỉ huy Quân sự huyện", "Cán bộ Công an huyện",
    "Chuyên viên Văn phòng Huyện ủy", "Chuyên viên Ban Tuyên giáo Huyện ủy",
    "Viên chức Trung tâm Chính trị huyện", "Viên chức Trung tâm Văn hóa, Thể thao và Truyền thông",
    "Chuyên viên Văn phòng HĐND và UBND huyện", "Chuyên viên Phòng Giáo dục và Đào tạo",
    "Bác sĩ Trung tâm Y tế huyện", "Cán bộ Ủy ban MTTQ huyện",
    "Giáo viên Trường THPT Chợ Đồn", "Kiểm tra viên thuế",
]  # fmt: skip
LECTURERS = [
    (BOARD, "Trưởng Ban Tuyên giáo Huyện ủy"), (BOARD, "Phó Trưởng Ban Tuyên giáo Huyện ủy"),
    *[(BOARD, "Chuyên viên Ban Tuyên giáo Huyện ủy")] * 4,
    *[(BOARD, "Báo cáo viên Huyện ủy")] * 2,
    (CD_CLASSES, "Giám đốc Trung tâm Chính trị huyện"),
    *[(CD_CLASSES, "Giảng viên kiêm chức Trung tâm Chính trị huyện")] * 3,
]  # fmt: skip


@dataclass(frozen=True)
class Someone:
    name: str
    unit: str
    position: str
    audience: str


def _pick(rng: random.Random, weighted: Sequence[tuple[str, int]]) -> str:
    return rng.choices([w for w, _ in weighted], [n for _, n in weighted])[0]


class People:
    """The district's people, made up as needed: names unique within a unit (the same
    name and unit is the same person on every list)."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.taken: set[tuple[str, str]] = set()
        communes = [chodon.commune_code(c) for c, _ in chodon.COMMUNES]
        agencies = [chodon.agency_code(n) for n in range(1, len(chodon.AGENCY_BODIES) + 1)]
        self.communes = communes
        self.weights = [cd_members(n, code) for n, code in enumerate(communes)]
        # The regulars of conferences and of the sơ cấp classes.
        self.officials: list[Someone] = []
        self.members: list[Someone] = []
        for n, code in enumerate(communes):
            xa = "thị trấn" if code == chodon.commune_code("02020") else "xã"
            for position in COMMUNE_OFFICIALS[: 12 + n % 5]:
                self.officials.append(self.new(code, Audience.OFFICIAL, position.format(xa=xa)))
            for _ in range(cd_members(n, code) // 2):
                self.members.append(self.new(code, Audience.PARTY_MEMBER))
        for n, code in enumerate(agencies, start=len(communes)):
            members = cd_members(n, code)
            for _ in range(max(2, members * 2 // 3)):
                self.officials.append(self.new(code, Audience.OFFICIAL, AGENCY_OFFICIALS[n - 20]))
            for _ in range(members - max(2, members * 2 // 3)):
                self.members.append(self.new(code, Audience.PARTY_MEMBER, "Đảng viên"))
        self.lecturers = [self.new(u, Audience.LECTURER, p) for u, p in LECTURERS]
        self.trained: set[Someone] = set()
        """Who has done the sơ cấp class (once is enough)."""

    def name(self, unit: str, position: str) -> str:
        rng = self.rng
        while True:
            # The Women's Union's people are women; anyone else may be either.
            sex = "f" if "Phụ nữ" in position or rng.random() < 0.45 else "m"
            name = f"{_pick(rng, SURNAMES)} {_pick(rng, MIDDLE[sex])} {rng.choice(GIVEN[sex])}"
            if (unit, name) not in self.taken:
                self.taken.add((unit, name))
                return name

    def new(self, unit: str, audience: str, position: str = "") -> Someone:
        if not position:
            if audience == Audience.PARTY_MEMBER:
                position = _pick(self.rng, COMMUNE_MEMBERS)
            else:
                position = _pick(self.rng, NON_MEMBERS[Audience(audience)])
        return Someone(self.name(unit, position), unit, position, Audience(audience).value)

    def commune(self) -> str:
        return self.rng.choices(self.communes, self.weights)[0]


def _roster(people: People, draws: str, size: int) -> list[Someone]:
    """Who is on an event's list: ``size`` people drawn as ``draws`` says."""
    rng = people.rng
    if draws == AWARENESS:
        groups = rng.choices(FOR[AWARENESS], [5, 4, 1], k=size)
        return [people.new(people.commune(), group) for group in groups]
    if draws == NEW_MEMBERS:
        joined = [
            people.new(people.commune(), Audience.PARTY_MEMBER, "Đảng viên") for _ in range(size)
        ]
        people.members.extend(joined)  # they come to the conferences from now on
        return joined
    if draws == PRIMARY:
        some = size * 2 // 5
        fresh = [
            p for p in people.officials if p.unit.startswith("DU-") and p not in people.trained
        ]
        chosen = rng.sample(fresh, some)
        untrained = [
            p for p in people.members if p.unit.startswith("DU-") and p not in people.trained
        ]
        chosen += rng.sample(untrained, size - some)
        people.trained.update(chosen)
        return chosen
    lecturers = rng.sample(people.lecturers, 4)
    officials = rng.sample(people.officials, min(len(people.officials), size * 2 // 5))
    members = rng.sample(people.members, size - len(lecturers) - len(officials))
    return lecturers + officials + members


def _days(start: dt.date, count: int) -> list[dt.date]:
    """``count`` working days from ``start`` (no weekends, no 2 September)."""
    days: list[dt.date] = []
    day = start
    while len(days) < count:
        if day.weekday() < 5 and (day.month, day.day) != (9, 2):
            days.append(day)
        day += dt.timedelta(days=1)
    return days


def _shares(total: int, weights: Sequence[int]) -> list[int]:
    """``total`` split in proportion to ``weights``, exactly (largest remainders)."""
    whole = sum(weights)
    exact = [total * w / whole for w in weights]
    shares = [math.floor(x) for x in exact]
    by_remainder = sorted(range(len(weights)), key=lambda i: (shares[i] - exact[i], i))
    for i in by_remainder[: total - sum(shares)]:
        shares[i] += 1
    return shares


def plan_is_consistent() -> bool:
    """The plan has CD_YEARS's classes and conferences each year."""
    for year, (classes, study, online, *_rest) in CD_YEARS.items():
        kinds = [p.kind for p in PLAN[year]]
        wanted = (kinds.count(Kind.CLASS), kinds.count(Kind.STUDY_CONFERENCE))
        if (*wanted, kinds.count(Kind.ONLINE_CONFERENCE)) != (classes, study, online):
            return False
    return True


def load() -> None:
    organisers = {u.code: u for u in Unit.objects.filter(code__in=set(ORGANISER.values()))}
    if Event.objects.filter(organiser__in=list(organisers.values())).exists():
        return
    if not plan_is_consistent():
        raise RuntimeError("demo/chodon_activities.PLAN disagrees with reporting.CD_YEARS")
    people = People(random.Random(SEED))
    for year, planned in PLAN.items():
        total = CD_YEARS[year][3]
        targets = _shares(total, [p.size * p.days for p in planned])
        for event_plan, target in zip(planned, targets, strict=True):
            _register(people, organisers[ORGANISER[event_plan.kind]], event_plan, target)
    _certificates()
    _connected_sites()


CERTIFIED = "Lớp bồi dưỡng lý luận chính trị dành cho đảng viên mới năm 2021"
"""The class whose learners hold certificates (giấy chứng nhận, decision 0044)."""
SITES_AT = "Hội nghị trực tuyến nghiên cứu, học tập, quán triệt Nghị quyết Đại hội XIII của Đảng"
"""The online conference whose connected sites (điểm cầu, decision 0046) are written:
one at each commune's committee hall; no head counts (the people are on the list), so
the year's 8.679 attendances stay."""


def _certificates() -> None:
    """Certificates for the learners of one class who attended every session, dated a
    week after it, signed by the Trung tâm Chính trị's director."""
    event = Event.objects.filter(title=CERTIFIED).first()
    if event is None:
        return
    certificates.issue(
        acting_user=DEMO,
        event=event,
        day=event.end + dt.timedelta(days=7),
        signer_position="GIÁM ĐỐC",
        signer_name="Hoàng Văn Thắng",
    )


def _connected_sites() -> None:
    event = Event.objects.filter(title=SITES_AT).first()
    if event is None:
        return
    hu = Unit.objects.get(code="HU-CD")
    communes = queries.versions_on(event.start).filter(parent=hu, unit__code__startswith="DU-CD-")
    chosen = sorted(communes, key=lambda v: v.unit.code)[:12]
    sites.add_sites(
        acting_user=DEMO,
        event=event,
        sites=[sites.SiteInput(v.unit.code, f"Hội trường {v.name}") for v in chosen],
    )


def _register(people: People, organiser: Unit, planned: Planned, attendances: int) -> None:
    """The event, its sessions, and a list of exactly ``attendances`` rows: each session
    has about the same people, a few away (on a one-day event, nobody)."""
    rng = people.rng
    days = _days(planned.start, planned.days)
    event = services.create_event(
        acting_user=DEMO,
        organiser=organiser,
        kind=planned.kind,
        title=planned.title,
        start=days[0],
        end=days[-1],
        session_dates=days,
        place=PLACE[planned.kind],
        audience=[group.value for group in FOR[planned.draws]],
    )
    per_session = _shares(attendances, [1] * len(days))
    away = 0 if len(days) == 1 else max(1, per_session[0] * 3 // 100)
    roster = _roster(people, planned.draws, per_session[0] + away)
    rows = []
    for session, present in zip(event.sessions.all(), per_session, strict=True):
        for someone in rng.sample(roster, present):
            rows.append(
                AttendanceRow(
                    session=str(session.pk),
                    name=someone.name,
                    unit=someone.unit,
                    position=someone.position,
                    audience=someone.audience,
                )
            )
    services.record_attendance(acting_user=DEMO, event=event, rows=rows)
