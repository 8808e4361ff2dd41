"""This quarter's reporting round, after the 2025 reform: work on every demo desk today.

The demo's history ends in 2021 (the source documents' figures) and the Party bodies of
Vĩnh Thuận and Chợ Đồn were reorganised on 01/07/2025 (demo/reform.py), so on the day
the demo is loaded nothing of that history is still due. So that each demo user finds
real work on their desk whatever day it is, two quarterly forms run from the reform to
the day the demo is loaded, one in each new province, reported by the commune party
committees that took in the two districts' bodies:

- ``BC35-AG-QUY`` (Tỉnh ủy An Giang: Vĩnh Thuận's communes), ``BC35-TN-QUY`` (Tỉnh ủy
  Thái Nguyên: Chợ Đồn's).
- Every quarter before the last one ended is in and approved. Of the last one ended
  (due, or past its deadline, depending on the day): the committees that took in
  baocao's commune and bc.yenphong's have entered nothing; the one that took in Tân
  Thuận, the district seat and the agency cells is returned with a reason and a marked
  cell; one committee of An Giang and two of Thái Nguyên wait for the province's
  approval; the others are approved.
- The demo's people carry on where their units went: baocao, bc.tanthuan, bc.bhxh and
  bc.yenphong report for the committee that took in their unit (their old roles stay,
  for the history); xem, of Tỉnh ủy Kiên Giang, views Tỉnh ủy An Giang, which Kiên
  Giang joined; ql.chodon manages at Tỉnh ủy Thái Nguyên, which took in Chợ Đồn.

What is counted is the organisation's own work, as in demo/reporting.py. The
notifications of the quarters already closed are read (as their people would have read
them); what is still open stays unread. Idempotent: a form that exists is left as it is.
"""

import datetime as dt

from django.utils import timezone

from trienkhai.accounts import services as accounts
from trienkhai.accounts.models import RoleAssignment, User
from trienkhai.common.actors import DEMO
from trienkhai.demo import people
from trienkhai.demo.reform import REFORM
from trienkhai.demo.reporting import _audience, _cells, date_the_trail
from trienkhai.notifications import services as notifications
from trienkhai.notifications.models import Notification
from trienkhai.orgs import queries
from trienkhai.orgs.models import Unit
from trienkhai.reporting import services
from trienkhai.reporting.models import Form, Indicator, Submission, ValidationRule
from trienkhai.reporting.periods import Period, PeriodType, containing
from trienkhai.reporting.services import MarkInput

FORMS = {
    # code: (owner, prefix of its reporting committees, province in the form's name)
    "BC35-AG-QUY": ("TU-AG", "DU-AG-", "An Giang"),
    "BC35-TN-QUY": ("TU-TN", "DU-TN-", "Thái Nguyên"),
}
# Named with the province: an admin sees both forms side by side (the newcomer's walk
# found two rows that read the same).
NAME = "Báo cáo quý thực hiện Nghị quyết 35-NQ/TW ({province})"
NAME_EN = "Quarterly report on Resolution 35-NQ/TW ({province})"
DEADLINE_DAYS = 15
SECTIONS = [
    (
        "1. Giáo dục chính trị, học tập nghị quyết",
        ["lop_boi_duong_llct", "hoi_nghi_hoc_tap", "hoi_nghi_truc_tuyen", "luot_tham_gia", "luot_theo_doi_tuong"],
    ),
    ("2. Thông tin chính thống", ["tin_bai_chinh_thuc"]),
]  # fmt: skip

NOT_ENTERED = ("DU-VT-31060", "DU-CD-02083")
"""The old communes (baocao's, bc.yenphong's) whose successor has entered nothing."""
RETURNED_FROM = "DU-VT-31072"
"""Tân Thuận (bc.tanthuan's): its successor's last report is returned."""
RETURN_COMMENT = (
    "Số lượt người tham gia chưa khớp danh sách điểm danh các hội nghị trong quý; "
    "đề nghị đối chiếu, sửa lại rồi gửi."
)
RETURN_MARK = MarkInput(
    "luot_tham_gia", note="Danh sách điểm danh ghi ít hơn; đề nghị kiểm tra lại số lượt."
)
PENDING = {"BC35-AG-QUY": 1, "BC35-TN-QUY": 2}
"""Per form, how many committees' last report waits for the province's approval."""
CARRIED_ON = [
    # user, role, unit whose successor (or the unit itself) they now work for
    ("baocao", "reporter", "DU-VT-31060"),
    ("bc.tanthuan", "reporter", "DU-VT-31072"),
    ("bc.bhxh", "reporter", "CB-VT-30"),
    ("bc.yenphong", "reporter", "DU-CD-02083"),
    ("xem", "viewer", "TU-AG"),
    ("ql.chodon", "manager", "TU-TN"),
]


def load(today: dt.date | None = None) -> None:
    today = today or timezone.localdate()
    if Form.objects.filter(code__in=FORMS).exists():
        return
    _carry_on(today)
    indicators = {i.code: i for i in Indicator.objects.all()}
    special = {
        "not_entered": {_successor(code, today) for code in NOT_ENTERED},
        "returned": _successor(RETURNED_FROM, today),
    }
    for code, (owner, prefix, province) in FORMS.items():
        units = list(Unit.objects.filter(code__startswith=prefix).order_by("code"))
        form = _form(code, province, Unit.objects.get(code=owner), units, indicators)
        _replay(form, units, special, today)
    _read_what_is_closed()


def _successor(code: str, today: dt.date) -> Unit:
    found = queries.successors(Unit.objects.get(code=code), today)
    return sorted(found, key=lambda s: (s.is_partial, s.unit.code))[0].unit


def _carry_on(today: dt.date) -> None:
    for username, role, code in CARRIED_ON:
        user = User.objects.get(username=username)
        unit = _successor(code, today)
        if not RoleAssignment.objects.filter(user=user, unit=unit, role=role).exists():
            accounts.grant_role(acting_user=DEMO, user=user, unit=unit, role=role)


def _form(
    code: str, province: str, owner: Unit, units: list[Unit], indicators: dict[str, Indicator]
) -> Form:
    form = services.create_form(
        acting_user=DEMO,
        code=code,
        name=NAME.format(province=province),
        name_en=NAME_EN.format(province=province),
        owner=owner,
        indicators=[],
        sections=[(title, [indicators[c] for c in codes]) for title, codes in SECTIONS],
        units=units,
        period_type=PeriodType.QUARTERLY,
        deadline_days=DEADLINE_DAYS,
        valid_from=REFORM,
    )
    ValidationRule.objects.create(
        form=form,
        left="luot_theo_doi_tuong",
        operator="==",
        right="luot_tham_gia",
        message="Tổng các đối tượng bằng tổng lượt người tham gia",
    )
    return form


def _figures(n: int, quarter: int) -> dict:
    """A commune committee's quarter: a study conference or two, now and then a class or
    an online conference, a few hundred attendances, its page's posts."""
    attended = 160 + (n * 37 + quarter * 11) % 120
    return {
        "lop_boi_duong_llct": 1 if (n + quarter) % 3 == 0 else 0,
        "hoi_nghi_hoc_tap": 1 + (n + quarter) % 2,
        "hoi_nghi_truc_tuyen": (n * quarter) % 2,
        "luot_tham_gia": attended,
        "luot_theo_doi_tuong": _audience(attended),
        "tin_bai_chinh_thuc": 12 + (n * 7 + quarter * 3) % 15,
    }


def _quarters(today: dt.date) -> list[Period]:
    """From the reform's quarter to the last one ended by ``today``."""
    period = containing(today, PeriodType.QUARTERLY).previous()
    found = []
    while period.end >= REFORM:
        found.append(period)
        period = period.previous()
    return found[::-1]


def _replay(form: Form, units: list[Unit], special: dict, today: dt.date) -> None:
    quarters = _quarters(today)
    others = [u for u in units if u not in special["not_entered"] and u != special["returned"]]
    pending = set(others[: PENDING[form.code]])
    for number, period in enumerate(quarters, start=1):
        last = number == len(quarters)
        deadline = form.deadline(period)
        for n, unit in enumerate(units):
            if last and unit in special["not_entered"]:
                continue
            services.save_values(
                acting_user=DEMO,
                form=form,
                unit=unit,
                period_id=period.id,
                cells=_cells(_figures(n, number)),
            )
            submission = services.submit(
                acting_user=DEMO, form=form, unit=unit, period_id=period.id
            )
            if last and unit == special["returned"]:
                services.return_submission(
                    acting_user=people.manager_of(form.owner),
                    submission=submission,
                    comment=RETURN_COMMENT,
                    cells=[RETURN_MARK],
                )
            elif not (last and unit in pending):
                services.approve(acting_user=DEMO, submission=submission)
            # Submitted in the days before the deadline, decided three days later; the
            # last quarter's never after today.
            sent = min(deadline - dt.timedelta(days=1 + n % 10), today - dt.timedelta(days=1))
            sent = max(sent, period.end)
            decided = min(sent + dt.timedelta(days=3), today)
            Submission.objects.filter(pk=submission.pk).update(
                first_submitted=_at(sent, 8 + n % 9),
                submitted=_at(sent, 8 + n % 9),
                decided=None if last and unit in pending else _at(decided, 15),
            )
            date_the_trail(submission.pk)


def _at(day: dt.date, hour: int) -> dt.datetime:
    moment = dt.datetime(day.year, day.month, day.day, hour, tzinfo=timezone.get_current_timezone())
    return min(moment, timezone.now())


def _read_what_is_closed() -> None:
    """What its people already acted on is read: a report decided (approved or returned)
    no longer waits for its manager, an approval needs nothing of its reporter. A report
    returned, or waiting, stays unread for whoever must act on it."""
    decided = Submission.objects.filter(form__code__in=FORMS).exclude(
        status=Submission.Status.SUBMITTED
    )
    keys = tuple(
        f"{kind}:{pk}:"
        for pk in decided.values_list("pk", flat=True)
        for kind in ("submitted", "approved")
    )
    for notification in Notification.objects.filter(read__isnull=True).select_related("user"):
        if notification.key.startswith(keys):
            notifications.mark_read(acting_user=notification.user, notification=notification)
