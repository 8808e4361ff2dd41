"""Indicators, forms and reported figures that reproduce shared/DOMAIN.md.

Two forms:

- ``BC35-VT-6T``: half-yearly, owned by Huyện ủy Vĩnh Thuận, reported by its 42 cells
  and committees for 2020S1 and 2020S2. 2020S1 gives the figures of Báo cáo
  04-BC/BTGHU (seed 000): 42/42 deployed and sent their plan back, every party member
  wrote a self-improvement pledge, 4 official websites, 20 theory club members.
  2020S2 has one cell missing and one committee returned, for the completeness page.
- ``BC35-CD-NAM``: yearly, owned by Huyện ủy Chợ Đồn, reported by its 32 cells and
  committees for 2019–2021, whose totals are seed 003's: 612 posts on official pages
  ("trên 600") typed; the 12 political theory classes, 4 study conferences, 12 online
  conferences and 20,673 participant-attendances are not typed but counted from the
  register of activities (demo/chodon_activities.py): the form lists the register's
  figures (``act_classes`` …, decision 0039), which its grid shows read-only.

What is counted is the organisation's own work: classes, conferences, attendances,
posts on the district's official pages. Nothing about anyone's speech (seeds/README.md).

The loader replays history: values and submissions go through the services (as a
reporter and a manager would), then the submission dates are set to the historical
days with a queryset ``update`` so that timeliness reads as it would have in 2020.
Idempotent: a form that exists is left as it is.
"""

import datetime as dt
from collections.abc import Iterable

from django.utils import timezone

from trienkhai.activities import figures as activity_figures
from trienkhai.common.actors import DEMO
from trienkhai.demo import chodon, people
from trienkhai.demo.vinh_thuan import AGENCY_BODIES as VT_AGENCIES
from trienkhai.demo.vinh_thuan import COMMUNE_COMMITTEES as VT_COMMUNES
from trienkhai.orgs.models import Unit
from trienkhai.reporting import services
from trienkhai.reporting.models import (
    CellMark,
    DataValueChange,
    Disaggregation,
    Form,
    FormSection,
    Indicator,
    Submission,
    ValidationRule,
)
from trienkhai.reporting.services import CellInput, MarkInput

AUDIENCE = [
    # code, name, English, share of an attendance total (per mille)
    ("bao_cao_vien", "Báo cáo viên", "Lecturers", 10),
    ("can_bo", "Cán bộ", "Officials", 300),
    ("dang_vien", "Đảng viên", "Party members", 0),  # the rest
    ("doan_vien", "Đoàn viên", "Youth Union members", 60),
    ("hoi_vien", "Hội viên", "Association members", 50),
    ("nhan_dan", "Nhân dân", "The public", 30),
]

# code, name, English, value type, aggregation, unit of measure, formula
#
# A derived figure is its formula over the inputs rolled up for the whole period or span
# asked (analytics.engine, decision 0013), so the inputs of a ratio must total alike over
# time. Pledges are a head-count like members (one pledge a member a year; the form's
# rule: pledges <= members): both take each unit's latest figure within the period, and
# the share over 2019..2021 is the share at the span's end, 100 % when every member
# pledged — summed over three years against one year's members it read 290 %.
INDICATORS = [
    ("trien_khai", "Đã tổ chức triển khai, có kế hoạch gửi về", "Deployed, plan sent back", "boolean", "sum", "đơn vị", ""),
    ("van_ban_ban_hanh", "Văn bản lãnh đạo, chỉ đạo đã ban hành", "Documents issued", "integer", "sum", "văn bản", ""),
    ("so_dang_vien", "Số đảng viên", "Party members", "integer", "last", "người", ""),
    ("ban_dang_ky_tu_duong", "Bản đăng ký tu dưỡng, rèn luyện của đảng viên", "Self-improvement pledges", "integer", "last", "bản", ""),
    ("ty_le_dang_ky", "Tỷ lệ đảng viên viết bản đăng ký", "Share of members who pledged", "percent", "average", "%", "ban_dang_ky_tu_duong * 100 / so_dang_vien"),
    ("lop_boi_duong_llct", "Lớp bồi dưỡng lý luận chính trị đã mở", "Political theory training classes held", "integer", "sum", "lớp", ""),
    ("hoi_nghi_hoc_tap", "Hội nghị học tập, quán triệt", "Study conferences", "integer", "sum", "hội nghị", ""),
    ("hoi_nghi_truc_tuyen", "Hội nghị trực tuyến", "Online conferences", "integer", "sum", "hội nghị", ""),
    ("luot_tham_gia", "Lượt người tham gia học tập", "Participant-attendances", "integer", "sum", "lượt", ""),
    ("luot_theo_doi_tuong", "Lượt người tham gia, theo đối tượng", "Participant-attendances by audience", "integer", "sum", "lượt", ""),
    ("binh_quan_luot", "Bình quân lượt người mỗi lớp, hội nghị", "Attendances per class or conference", "decimal", "average", "lượt", "luot_tham_gia / (lop_boi_duong_llct + hoi_nghi_hoc_tap + hoi_nghi_truc_tuyen)"),
    ("trang_thong_tin", "Trang, cổng thông tin điện tử chính thức do đơn vị quản lý", "Official websites managed", "integer", "last", "trang", ""),
    ("tin_bai_chinh_thuc", "Tin, bài đăng trên trang thông tin chính thức", "Posts on official pages", "integer", "sum", "tin, bài", ""),
    ("thanh_vien_clb_llct", "Thành viên câu lạc bộ lý luận chính trị", "Political theory club members", "integer", "last", "người", ""),
]  # fmt: skip

SECTIONS = [
    ("1. Công tác lãnh đạo, tổ chức triển khai", ["trien_khai", "van_ban_ban_hanh", "so_dang_vien", "ban_dang_ky_tu_duong", "ty_le_dang_ky"]),
    ("2. Giáo dục chính trị, học tập nghị quyết", ["lop_boi_duong_llct", "hoi_nghi_hoc_tap", "hoi_nghi_truc_tuyen", "luot_tham_gia", "luot_theo_doi_tuong", "binh_quan_luot"]),
    ("3. Thông tin chính thống", ["trang_thong_tin", "tin_bai_chinh_thuc", "thanh_vien_clb_llct"]),
]  # fmt: skip

SECTIONS_EN = {
    "1. Công tác lãnh đạo, tổ chức triển khai": "1. Leadership and deployment",
    "2. Giáo dục chính trị, học tập nghị quyết": "2. Political education, studying resolutions",
    "3. Thông tin chính thống": "3. Official information",
    "1. Giáo dục chính trị, học tập nghị quyết": "1. Political education, studying resolutions",
    "2. Thông tin chính thống": "2. Official information",
}
"""The English titles of the demo forms' sections (those of demo/current.py's too)."""

RULES = [
    ("luot_theo_doi_tuong", "==", "luot_tham_gia", "Tổng các đối tượng bằng tổng lượt người tham gia"),
    ("ban_dang_ky_tu_duong", "<=", "so_dang_vien", "Số bản đăng ký không vượt số đảng viên"),
]  # fmt: skip

# Chợ Đồn registers its classes and conferences: its form lists the register's figures,
# counted for each unit's events, instead of the typed ones (decision 0039 (c)). The
# attendances split by audience group; the sum of the groups is the total by
# construction, so the rule of the typed split is not needed. No average per class: a
# form's derived cells are worked out from the typed values only.
CD_COUNTED = [
    "act_classes",
    "act_study_conferences",
    "act_online_conferences",
    "act_attendances",
    "act_participants",
]
CD_SECTIONS = [
    (title, CD_COUNTED if title.startswith("2.") else codes) for title, codes in SECTIONS
]
CD_RULES = [rule for rule in RULES if rule[0] != "luot_theo_doi_tuong"]


def load() -> None:
    from trienkhai.demo import outliers

    indicators = _indicators()
    _vinh_thuan(indicators)
    _cho_don(indicators)
    outliers.load()


# Indicators and forms ------------------------------------------------------------------


def _indicators() -> dict[str, Indicator]:
    audience, created = Disaggregation.objects.get_or_create(
        code="doi_tuong", defaults={"name": "Đối tượng", "name_en": "Audience group"}
    )
    if created:
        for order, (code, name, name_en, _share) in enumerate(AUDIENCE):
            audience.options.create(code=code, name=name, name_en=name_en, sort_order=order)
    found = {i.code: i for i in Indicator.objects.filter(code__in=[row[0] for row in INDICATORS])}
    for code, name, name_en, value_type, aggregation, measure, formula in INDICATORS:
        if code not in found:
            found[code] = services.create_indicator(
                acting_user=DEMO,
                code=code,
                name=name,
                name_en=name_en,
                value_type=value_type,
                aggregation=aggregation,
                unit_of_measure=measure,
                formula=formula,
                disaggregation=audience if code == "luot_theo_doi_tuong" else None,
            )
    # The register's figures: made by the activities migration (again here after a
    # test's flush); attendances by audience group, like luot_theo_doi_tuong.
    activity_figures.ensure_indicators()
    counted = {i.code: i for i in Indicator.objects.filter(code__in=CD_COUNTED)}
    attendances = counted["act_attendances"]
    if attendances.disaggregation_id is None:
        attendances.disaggregation, attendances.modified = audience, timezone.now()
        attendances.save(update_fields=["disaggregation", "modified"])
    return found | counted


def _form(
    indicators: dict[str, Indicator],
    *,
    code: str,
    name: str,
    owner: str,
    units: list[str],
    sections: list[tuple[str, list[str]]] = SECTIONS,
    rules: list[tuple[str, str, str, str]] = RULES,
    **kw,
) -> Form:
    form = services.create_form(
        acting_user=DEMO,
        code=code,
        name=name,
        owner=Unit.objects.get(code=owner),
        indicators=[],
        sections=[(title, [indicators[c] for c in codes]) for title, codes in sections],
        units=list(Unit.objects.filter(code__in=units).order_by("code")),
        **kw,
    )
    for left, operator, right, message in rules:
        ValidationRule.objects.create(
            form=form, left=left, operator=operator, right=right, message=message
        )
    return form


# Replaying a period --------------------------------------------------------------------


def _audience(total: int, groups: Iterable[str] | None = None) -> dict[str, int]:
    """Split an attendance total over the audience groups (the rest to party members)."""
    keep = set(groups) if groups is not None else {code for code, *_ in AUDIENCE}
    split = {
        code: total * share // 1000 for code, _n, _e, share in AUDIENCE if code in keep and share
    }
    split["dang_vien"] = total - sum(split.values())
    return split


def _cells(values: dict) -> list[CellInput]:
    cells = []
    for code, value in values.items():
        if code == "luot_theo_doi_tuong":
            cells += [CellInput(code, n, option=o) for o, n in value.items() if n]
        elif value is not None:
            cells.append(CellInput(code, value))
    return cells


def _at(day: dt.date, hour: int = 9) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, tzinfo=timezone.get_current_timezone())


def _replay(
    form: Form,
    period_id: str,
    figures: dict[str, dict],
    *,
    late: dict[str, int],
    returned: dict[str, str] | None = None,
    marks: dict[str, list[MarkInput]] | None = None,
    pending: Iterable[str] = (),
) -> None:
    """Enter ``figures`` (unit code → values), submit, and date each submission.

    On-time units submit before the deadline, spread over the days before it; ``late``
    gives the days past the deadline; ``returned`` units are sent back with a comment
    and the cells of ``marks`` marked to fix; ``pending`` ones stay submitted; the
    others are approved three days later.
    """
    returned, marks = returned or {}, marks or {}
    deadline = form.deadline(form.period(period_id))
    units = {u.code: u for u in Unit.objects.filter(code__in=list(figures))}
    for n, (code, values) in enumerate(sorted(figures.items())):
        unit = units[code]
        services.save_values(
            acting_user=DEMO, form=form, unit=unit, period_id=period_id, cells=_cells(values)
        )
        submission = services.submit(acting_user=DEMO, form=form, unit=unit, period_id=period_id)
        if code in returned:
            services.return_submission(
                acting_user=people.manager_of(form.owner),
                submission=submission,
                comment=returned[code],
                cells=marks.get(code, ()),
            )
        elif code not in pending:
            services.approve(acting_user=DEMO, submission=submission)
        day = (
            deadline + dt.timedelta(days=late[code])
            if code in late
            else deadline - dt.timedelta(days=n % 12)
        )
        # History replayed: the services stamp today; the demo shows the 2020 dates.
        Submission.objects.filter(pk=submission.pk).update(
            first_submitted=_at(day, 8 + n % 9),
            submitted=_at(day, 8 + n % 9),
            decided=_at(day + dt.timedelta(days=3)) if code not in pending else None,
        )
        CellMark.objects.filter(submission=submission).update(
            created=_at(day + dt.timedelta(days=3)), modified=_at(day + dt.timedelta(days=3))
        )
        date_the_trail(submission.pk)


# Vĩnh Thuận, 2020 ----------------------------------------------------------------------

VT_UNITS = [code for code, _, _ in VT_COMMUNES] + [
    f"CB-VT-{n:02d}" for n in range(1, len(VT_AGENCIES) + 1)
]
VT_WEBSITES = {
    # the unit whose cell runs each of the four official websites of Báo cáo 04-BC/BTGHU
    "CB-VT-06": 58,  # tuyengiaovinhthuan.vn, Ban Tuyên giáo Huyện ủy
    "CB-VT-10": 84,  # vinhthuan.kiengiang.gov.vn, Ủy ban nhân dân huyện (its cell: VP HĐND và UBND)
    "CB-VT-02": 36,  # conganvinhthuan.ictvnpt.vn, Công an huyện
    "DU-VT-31060": 22,  # vinhbinhbac-vt.kiengiang.gov.vn, xã Vĩnh Bình Bắc
}
VT_CLUB = "CB-VT-06"  # Câu lạc bộ lý luận chính trị huyện: 20 members
# 2020S2: Đảng ủy xã Tân Thuận's report is returned with two cells marked to fix.
VT_RETURNED = "DU-VT-31072"
VT_RETURN_COMMENT = "Số lượt người tham gia chưa khớp biên bản hội nghị; đề nghị kiểm tra lại."
VT_RETURN_MARKS = [
    MarkInput(
        "luot_tham_gia",
        note="Biên bản hội nghị học tập ngày 18/12/2020 ghi số lượt khác; đề nghị đối chiếu.",
    ),
    MarkInput(
        "luot_theo_doi_tuong",
        option="dang_vien",
        note="Sửa theo số lượt người tham gia để tổng các đối tượng vẫn khớp.",
    ),
]


def _vt_figures(code: str, n: int, half: int) -> dict:
    is_commune = code.startswith("DU-")
    members = 120 + (n * 37) % 160 if is_commune else 6 + (n * 7) % 22
    attended = members + (90 + (n * 13) % 120 if is_commune else 0)
    if half == 2:  # the second half-year's study sessions drew a few more people
        attended += (n * 7) % 25
    groups = None if is_commune else {"dang_vien"}
    posts = VT_WEBSITES.get(code)
    return {
        "trien_khai": 1,
        "van_ban_ban_hanh": 1 if half == 1 else n % 3,  # its plan, then follow-up letters
        "so_dang_vien": members,
        "ban_dang_ky_tu_duong": members if half == 1 else None,
        "hoi_nghi_hoc_tap": 1,
        "luot_tham_gia": attended,
        "luot_theo_doi_tuong": _audience(attended, groups),
        "trang_thong_tin": 1 if posts else None,
        "tin_bai_chinh_thuc": posts + 9 * (half - 1) if posts else None,
        "thanh_vien_clb_llct": 20 if code == VT_CLUB else None,
    }


def _vinh_thuan(indicators: dict[str, Indicator]) -> None:
    if Form.objects.filter(code="BC35-VT-6T").exists():
        return
    form = _form(
        indicators,
        code="BC35-VT-6T",
        name="Báo cáo 6 tháng thực hiện Nghị quyết 35-NQ/TW và Chuyên đề năm 2020",
        name_en="Six-month report on Resolution 35-NQ/TW and the 2020 theme",
        owner="HU-VT",
        units=VT_UNITS,
        period_type="sixmonthly",
        deadline_days=15,
        valid_from=dt.date(2020, 1, 1),
    )
    first = {code: _vt_figures(code, n, 1) for n, code in enumerate(VT_UNITS)}
    _replay(
        form,
        "2020S1",
        first,
        late={"CB-VT-14": 3, "CB-VT-27": 6, "DU-VT-31074": 2, "CB-VT-33": 11},
    )
    missing = "CB-VT-30"  # Chi bộ Bảo hiểm xã hội huyện: nothing entered
    second = {code: _vt_figures(code, n, 2) for n, code in enumerate(VT_UNITS) if code != missing}
    _replay(
        form,
        "2020S2",
        second,
        late={"CB-VT-11": 4, "CB-VT-21": 9, "DU-VT-31051": 1},
        returned={VT_RETURNED: VT_RETURN_COMMENT},
        marks={VT_RETURNED: VT_RETURN_MARKS},
        pending={"CB-VT-03", "CB-VT-19"},
    )


# Chợ Đồn, 2019–2021 --------------------------------------------------------------------

CD_YEARS = {
    # year: (classes, study conferences, online conferences, attendances, posts TTVH, posts UBND)
    # The first four are registered activities (demo/chodon_activities.py), not typed.
    "2019": (4, 1, 0, 5120, 120, 40),
    "2020": (4, 2, 4, 6874, 150, 60),
    "2021": (4, 1, 8, 8679, 170, 72),
}
CD_CLASSES = chodon.agency_code(5)  # Trung tâm Chính trị huyện: the theory classes
CD_STUDY = chodon.agency_code(4)  # Ban Tuyên giáo: study conferences
CD_ONLINE = chodon.agency_code(3)  # Văn phòng Huyện ủy: the online conference point
CD_CENTRE = chodon.agency_code(6)  # Trung tâm Văn hóa, Thể thao và Truyền thông
CD_PORTAL = chodon.agency_code(7)  # Văn phòng HĐND và UBND: Cổng thông tin điện tử
CD_MISSING_2021 = chodon.commune_code("02083")  # Đảng ủy xã Yên Phong


def cd_members(n: int, code: str) -> int:
    """The party members of the ``n``-th of Chợ Đồn's reporting units in 2019 (a year
    adds ``year % 3``); the register's people are drawn in proportion."""
    return 90 + (n * 29) % 140 if code.startswith("DU-") else 5 + (n * 5) % 20


def _cd_figures(year: str) -> dict[str, dict]:
    *_counted, posts_centre, posts_portal = CD_YEARS[year]
    figures = {}
    for n, code in enumerate(chodon.reporting_codes()):
        members = cd_members(n, code)
        values: dict = {
            "trien_khai": 1,
            "van_ban_ban_hanh": 1 + n % 3,
            "so_dang_vien": members + int(year) % 3,
            "ban_dang_ky_tu_duong": members + int(year) % 3,
        }
        if code in {CD_CENTRE, CD_PORTAL}:
            values.update(
                trang_thong_tin=1,
                tin_bai_chinh_thuc=posts_centre if code == CD_CENTRE else posts_portal,
            )
        figures[code] = values
    return figures


def _cho_don(indicators: dict[str, Indicator]) -> None:
    if Form.objects.filter(code="BC35-CD-NAM").exists():
        return
    form = _form(
        indicators,
        code="BC35-CD-NAM",
        name="Báo cáo năm thực hiện Nghị quyết 35-NQ/TW",
        name_en="Annual report on Resolution 35-NQ/TW",
        owner="HU-CD",
        units=chodon.reporting_codes(),
        period_type="yearly",
        deadline_days=20,
        valid_from=dt.date(2019, 1, 1),
        sections=CD_SECTIONS,
        rules=CD_RULES,
    )
    late = {
        "2019": {chodon.commune_code("02053"): 5, chodon.agency_code(9): 12},
        "2020": {chodon.commune_code("02035"): 3, chodon.commune_code("02071"): 8},
        "2021": {chodon.agency_code(11): 2, chodon.commune_code("02026"): 15, CD_PORTAL: 4},
    }
    for year in CD_YEARS:
        figures = _cd_figures(year)
        if year == "2021":
            del figures[CD_MISSING_2021]
        _replay(form, year, figures, late=late[year])


def name_sections_in_english() -> None:
    """Give the demo forms' sections their English titles (SECTIONS_EN)."""
    for title, english in SECTIONS_EN.items():
        FormSection.objects.filter(title=title, title_en="").update(title_en=english)


def date_the_trail(submission_id: int) -> None:
    """A replayed report's trail dated as its history, not the day of loading: its values'
    change rows an hour before it was first sent, its status history (sent, returned,
    approved) at the report's own moments. The services stamp now; the demo then sets the
    report's dates (submitted, decided); this follows them."""
    report = Submission.objects.get(pk=submission_id)
    if report.first_submitted is None:
        return
    typed = report.first_submitted - dt.timedelta(hours=1)
    DataValueChange.objects.filter(
        unit_id=report.unit_id, period=report.period, indicator__form_items__form_id=report.form_id
    ).update(changed=typed)
    moments = {
        Submission.Status.DRAFT: typed,
        Submission.Status.SUBMITTED: report.submitted or report.first_submitted,
        Submission.Status.RETURNED: report.decided,
        Submission.Status.APPROVED: report.decided,
    }
    for status, moment in moments.items():
        if moment is not None:
            report.history.filter(status=status).update(history_date=moment)
