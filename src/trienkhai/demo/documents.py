"""The documents of Vĩnh Thuận's 2020 work on Resolution 35 (shared/DOMAIN.md, seeds/000).

Real (number, issuer, date as the sources give them):

- Nghị quyết 35-NQ/TW, 22/10/2018, Bộ Chính trị — received by Huyện ủy Vĩnh Thuận;
- Kết luận 53-KL/TW, Ban Bí thư — received by Huyện ủy Vĩnh Thuận;
- Kế hoạch 92-KH/HU, 03/3/2020, Ban Thường vụ Huyện ủy Vĩnh Thuận;
- Công văn 217-CV/HU, 02/6/2020, Huyện ủy Vĩnh Thuận, which the 42 subordinate cells
  and committees deployed, each sending its plan back;
- Báo cáo 04-BC/BTGHU, 2020, Ban Tuyên giáo Huyện ủy Vĩnh Thuận, in answer to it.

Illustrative (the sources do not say): the days the two central documents arrived and
53-KL/TW's date, the due date of 217-CV/HU (30/06/2020), the dates of the 42 plans and
which five were late, 04-BC/BTGHU's day, and three hamlet cells of Đảng ủy xã Vĩnh
Bình Bắc to which the committee passed the task down (two answered, one did not), so
that the directive page shows a cascade.

Numbers 92, 217 and 04 are real: the series are carried over from the paper registers
(``services.carry_over``) and the documents then issued through the services.
"""

import datetime as dt

from trienkhai.common.actors import DEMO
from trienkhai.demo.reform import REFORM
from trienkhai.demo.vinh_thuan import AGENCY_BODIES, COMMUNE_COMMITTEES, SINCE
from trienkhai.documents import directives, services
from trienkhai.documents.models import Document
from trienkhai.documents.types import ensure_standard_types
from trienkhai.orgs import services as org_services
from trienkhai.orgs.models import Unit, UnitKind

DUE = dt.date(2020, 6, 30)
LATE = {"CB-VT-07": 2, "CB-VT-19": 5, "DU-VT-31074": 1, "CB-VT-25": 3, "CB-VT-33": 8}
"""Days after the due date on which these units' plans were dated."""

HAMLET_CELLS = [
    ("CB-VT-31060-01", "Chi bộ ấp Vĩnh Đông"),
    ("CB-VT-31060-02", "Chi bộ ấp Vĩnh Tây"),
    ("CB-VT-31060-03", "Chi bộ ấp Vĩnh Thạnh"),
]
"""Illustrative hamlet cells under Đảng ủy xã Vĩnh Bình Bắc; today under its successor."""

SUMMARY_217 = (
    "Về đẩy mạnh việc thực hiện chuyên đề năm 2020 và tăng cường ý thức, trách nhiệm của "
    "cấp ủy, cơ quan, đơn vị, cán bộ, đảng viên tham gia đấu tranh, phản bác các quan điểm "
    "sai trái, thù địch trên không gian mạng"
)


SIGNER = "Nguyễn Văn A"
"""An illustrative signer (VN_DOCUMENTS.md's placeholder): a number needs one (decision 0029)."""


def _issue(issuer: Unit, type_code: str, day: dt.date, summary: str, **extra) -> Document:
    extra.setdefault("signer", SIGNER)
    extra.setdefault("signer_authority", "tm")
    extra.setdefault("recipients", "Huyện ủy Vĩnh Thuận (để báo cáo)\nLưu Văn phòng")
    draft = services.register_draft(
        acting_user=DEMO, issuer=issuer, type=type_code, date=day, summary=summary, **extra
    )
    return services.issue(acting_user=DEMO, document=draft)


def _hamlet_cells(committee: Unit) -> list[Unit]:
    successor = Unit.objects.get(code="DU-AG-31064")  # Vĩnh Bình Bắc went into Vĩnh Bình
    kind = UnitKind.objects.get(code="party_cell")
    cells = []
    for code, name in HAMLET_CELLS:
        cell = org_services.create_unit(
            acting_user=DEMO,
            code=code,
            name=name,
            kind=kind,
            parent=committee,
            valid_from=SINCE,
            abbreviation="CB",
        )
        org_services.change_unit(acting_user=DEMO, unit=cell, on=REFORM, parent=successor)
        cells.append(cell)
    return cells


def load() -> None:
    hu = Unit.objects.get(code="HU-VT")
    if Document.objects.filter(unit=hu, symbol="217-CV/HU").exists():
        return
    ensure_standard_types()
    btg = Unit.objects.get(code="BTGHU-VT")
    services.register_incoming(
        acting_user=DEMO,
        unit=hu,
        type="NQ",
        symbol="35-NQ/TW",
        date=dt.date(2018, 10, 22),
        received_date=dt.date(2018, 11, 5),
        summary="Về tăng cường bảo vệ nền tảng tư tưởng của Đảng, đấu tranh phản bác các "
        "quan điểm sai trái, thù địch trong tình hình mới",
        issuer_name="Bộ Chính trị",
        profile="party",
    )
    services.register_incoming(
        acting_user=DEMO,
        unit=hu,
        type="KL",
        symbol="53-KL/TW",
        date=dt.date(2019, 8, 1),
        received_date=dt.date(2019, 8, 12),
        summary="Kết luận của Ban Bí thư về tiếp tục thực hiện Nghị quyết 35-NQ/TW",
        issuer_name="Ban Bí thư",
        profile="party",
    )
    services.carry_over(
        acting_user=DEMO, issuer=hu, type="KH", day=dt.date(2020, 3, 3), last_number=91
    )
    kh92 = _issue(
        hu,
        "KH",
        dt.date(2020, 3, 3),
        "Triển khai, thực hiện Chuyên đề năm 2020 “Tăng cường khối đại đoàn kết toàn dân tộc, "
        "xây dựng Đảng và hệ thống chính trị trong sạch, vững mạnh theo tư tưởng, đạo đức, "
        "phong cách Hồ Chí Minh”",
        signer_authority="tm",
        recipients="Các chi, đảng bộ trực thuộc\nLưu Văn phòng Huyện ủy",
    )
    services.carry_over(
        acting_user=DEMO, issuer=hu, type="CV", day=dt.date(2020, 6, 2), last_number=216
    )
    cv217 = _issue(
        hu,
        "CV",
        dt.date(2020, 6, 2),
        SUMMARY_217,
        signer_authority="tm",
        recipients="Các chi, đảng bộ trực thuộc\nBan Tuyên giáo Huyện ủy\nLưu Văn phòng Huyện ủy",
    )
    services.link(acting_user=DEMO, source=cv217, target=kh92, kind="implements")
    _deploy(hu, cv217)
    services.carry_over(
        acting_user=DEMO, issuer=btg, type="BC", day=dt.date(2020, 12, 10), last_number=3
    )
    bc04 = _issue(
        btg,
        "BC",
        dt.date(2020, 12, 10),
        "Kết quả đẩy mạnh việc thực hiện chuyên đề năm 2020 và tăng cường ý thức, trách nhiệm "
        "của cấp ủy, cơ quan, đơn vị, cán bộ, đảng viên tham gia đấu tranh, phản bác các quan "
        "điểm sai trái, thù địch trên không gian mạng",
        signer_authority="own",
        recipients="Thường trực Huyện ủy (để báo cáo)\nLưu Ban Tuyên giáo",
    )
    services.link(acting_user=DEMO, source=bc04, target=cv217, kind="responds_to")


def _deploy(hu: Unit, cv217: Document) -> None:
    """217-CV/HU to the 42 cells and committees, their 42 plans, and one cascade."""
    codes = [code for code, _, _ in COMMUNE_COMMITTEES] + [
        f"CB-VT-{n:02d}" for n in range(1, len(AGENCY_BODIES) + 1)
    ]
    directives.assign(
        acting_user=DEMO,
        document=cv217,
        due=DUE,
        expects="KH",
        units=codes,
        task="Xây dựng kế hoạch triển khai thực hiện tại chi, đảng bộ; gửi về Huyện ủy "
        "(qua Ban Tuyên giáo) trước ngày 30/6/2020",
    )
    units = {u.code: u for u in Unit.objects.filter(code__in=codes)}
    for n, code in enumerate(sorted(codes)):
        day = DUE + dt.timedelta(days=LATE[code]) if code in LATE else dt.date(2020, 6, 5 + n % 24)
        plan = _issue(
            units[code],
            "KH",
            day,
            "Triển khai Công văn 217-CV/HU của Huyện ủy về đẩy mạnh thực hiện chuyên đề năm 2020",
        )
        directives.answer(acting_user=DEMO, directive=cv217, unit=units[code], document=plan)
    committee = units["DU-VT-31060"]
    cells = _hamlet_cells(committee)
    directives.assign(
        acting_user=DEMO,
        document=cv217,
        by=committee,
        due=dt.date(2020, 6, 25),
        expects="KH",
        units=[c.code for c in cells],
        task="Chi bộ xây dựng kế hoạch thực hiện, gửi Đảng ủy xã",
    )
    for cell, day in zip(cells[:2], (dt.date(2020, 6, 18), dt.date(2020, 6, 27)), strict=True):
        plan = _issue(cell, "KH", day, "Kế hoạch thực hiện Công văn 217-CV/HU tại chi bộ ấp")
        directives.answer(acting_user=DEMO, directive=cv217, unit=cell, document=plan)
