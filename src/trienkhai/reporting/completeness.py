"""The completeness and timeliness page: who under a unit reported a form for a period.

The numbers come from ``services.completeness`` (the API answers the same); this module
only adds what a page needs around them: unit names, the first-submission dates for the
chart, the people to remind. Every read is one query for the whole list, never one per
unit, so a province costs what a district does.
"""

import csv
import datetime as dt
import io
from dataclasses import dataclass, field

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from trienkhai.accounts.models import Role, RoleAssignment
from trienkhai.common.spreadsheets import csv_row
from trienkhai.orgs import queries
from trienkhai.orgs.models import Unit
from trienkhai.reporting import access, services
from trienkhai.reporting.models import Form, Submission
from trienkhai.reporting.periods import Period
from trienkhai.vn import format_date, sort_key
from trienkhai.web.downloads import attachment, file_name
from trienkhai.web.labels import local_name

REMIND_ROLES = (Role.REPORTER, Role.MANAGER)


@login_required
@require_GET
def page(request, form: str, unit: str, period: str):
    """Expected, on time, late, missing and returned units, a chart and whom to remind."""
    found, parent = access.get_form(request.user, form), access.get_unit(request.user, unit)
    report = _report(found, parent, found.period(period))
    return render(request, "reporting/completeness.html", report)


@login_required
@require_GET
def remind_csv(request, form: str, unit: str, period: str):
    """The units to remind, with their reporters and managers, as a CSV that Excel opens."""
    found, parent = access.get_form(request.user, form), access.get_unit(request.user, unit)
    report = _report(found, parent, found.period(period))
    out = io.StringIO()
    out.write("\ufeff")  # Excel reads UTF-8 only after a byte-order mark.
    writer = csv.writer(out)
    writer.writerow([_("Mã đơn vị"), _("Đơn vị"), _("Tình trạng"), _("Vai trò"), _("Người")])
    for row in report["remind"]:
        people = row.people or [("", "")]
        for role, person in people:
            writer.writerow(csv_row([row.code, row.name, row.state, role, person]))
    name = file_name(
        _("Danh sách nhắc"),
        local_name(found),
        report["parent_name"],
        report["period"].label(),
        ext="csv",
    )
    return attachment(out.getvalue(), "text/csv; charset=utf-8", name)


# Reads behind the page -----------------------------------------------------------------


@dataclass
class UnitRow:
    code: str
    name: str
    state: str = ""
    comment: str = ""
    when: dt.date | None = None
    people: list[tuple[str, str]] = field(default_factory=list)
    """(role label, person) for the reporters and managers at the unit."""


def _report(form: Form, parent: Unit, period: Period) -> dict:
    result = services.completeness(form, period.id, parent)
    codes = set(result.missing) | set(result.late_units)
    names = {
        v.unit.code: v.name
        for v in queries.versions_on(period.end).filter(unit__code__in=codes | {parent.code})
    }
    submissions = _submissions(form, parent, period)
    late = _rows(result.late_units, names)
    for row in late:
        row.when = submissions.get(row.code, (None, ""))[0]
    missing = _rows([c for c in result.missing if c not in result.returned], names)
    returned = _rows(result.returned, names)
    for row in returned:
        row.comment = submissions.get(row.code, (None, ""))[1]
    remind = _with_people(
        [
            *(_state(r, _("chưa gửi")) for r in missing),
            *(_state(r, _("bị trả lại")) for r in returned),
        ]
    )
    firsts = sorted(d for d, _comment in submissions.values() if d is not None)
    return {
        "form": form,
        "parent": parent,
        "parent_name": names.get(parent.code, parent.code),
        "period": period,
        "previous": period.previous(),
        "next": period.next(),
        "result": result,
        "late": late,
        "missing": missing,
        "returned": returned,
        "remind": remind,
        "remind_text": _remind_text(remind),
        "chart": chart(firsts, expected=result.expected, deadline=result.deadline, period=period),
    }


def _submissions(form: Form, parent: Unit, period: Period) -> dict[str, tuple[dt.date | None, str]]:
    """unit code → (day of its first submission if it now counts as submitted, return comment).

    ``services.completeness`` gives codes and counts; the chart also needs the dates, so
    they are read here in one query over the parent's subtree.
    """
    inside = queries.subtree_ids([parent.pk], period.end)
    done = {Submission.Status.SUBMITTED, Submission.Status.APPROVED}
    rows = Submission.objects.filter(form=form, period=period.id, unit_id__in=inside).values_list(
        "unit__code", "status", "first_submitted", "comment"
    )
    return {
        code: (
            timezone.localtime(first).date() if first and status in done else None,
            comment if status == Submission.Status.RETURNED else "",
        )
        for code, status, first, comment in rows
    }


def _rows(codes: list[str], names: dict[str, str]) -> list[UnitRow]:
    rows = [UnitRow(code, names.get(code, code)) for code in codes]
    return sorted(rows, key=lambda r: sort_key(r.name))


def _state(row: UnitRow, state: str) -> UnitRow:
    row.state = state
    return row


def _with_people(rows: list[UnitRow]) -> list[UnitRow]:
    """Fill each row's reporters and managers, held at the unit itself (one query)."""
    by_code = {r.code: r for r in rows}
    labels = dict(Role.choices)
    assignments = (
        RoleAssignment.objects.filter(unit__code__in=list(by_code), role__in=REMIND_ROLES)
        .select_related("user", "unit")
        .order_by("role", "user__username")
    )
    for a in assignments:
        by_code[a.unit.code].people.append((str(labels[a.role]).split(" / ")[0], str(a.user)))
    return rows


def _remind_text(rows: list[UnitRow]) -> str:
    lines = []
    for row in rows:
        people = "; ".join(f"{role}: {person}" for role, person in row.people)
        lines.append(f"{row.name} ({row.code}) — {row.state}" + (f" — {people}" if people else ""))
    return "\n".join(lines)


# The chart -----------------------------------------------------------------------------

# The chart's own units: the SVG scales to its container (viewBox, width 100 %), from a
# 390 px phone to its full size; letters FONT units high stay readable at both.
WIDTH, HEIGHT = 480, 240
LEFT, RIGHT, TOP, BOTTOM = 40, 16, 18, 34
FONT = 14
MAX_TICKS = 6


@dataclass
class Chart:
    """Cumulative first submissions by day, as SVG coordinates (drawn by the template)."""

    width: int
    height: int
    font: int
    points: str
    deadline_x: float
    expected_y: float
    baseline_y: float
    left: int
    right_x: int
    middle_x: float
    x_ticks: list[tuple[float, str, str]]
    y_ticks: list[tuple[float, int]]
    deadline: dt.date
    expected: int
    total: int
    summary: str


def chart(firsts: list[dt.date], *, expected: int, deadline: dt.date, period: Period) -> Chart:
    """Lay out the step line of ``firsts`` (sorted days) from the period's end to the deadline or later."""
    start = min([period.end, *firsts[:1]])
    end = max([deadline, *firsts[-1:]]) + dt.timedelta(days=2)
    days = max((end - start).days, 1)
    top = max(expected, len(firsts), 1)
    inner_w, inner_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def x(day: dt.date) -> float:
        return round(LEFT + inner_w * (day - start).days / days, 1)

    def y(count: int) -> float:
        return round(TOP + inner_h * (1 - count / top), 1)

    points = [(x(start), y(0))]
    for count, day in enumerate(firsts, start=1):
        points += [(x(day), points[-1][1]), (x(day), y(count))]
    points.append((x(end), points[-1][1]))
    # A label at either end reads inward, not cut by the edge of the picture.
    x_ticks = [
        (
            x(day),
            label,
            "start"
            if x(day) - LEFT < len(label) * FONT * 0.3
            else "end"
            if WIDTH - RIGHT - x(day) < len(label) * FONT * 0.3
            else "middle",
        )
        for day, label in _ticks(start, end, inner_w)
    ]
    y_step = max(top // 4, 1)
    y_ticks = [(y(n), n) for n in range(0, top + 1, y_step)]
    on_time = sum(1 for d in firsts if d <= deadline)
    summary = _(
        "%(total)d/%(expected)d đơn vị đã gửi, %(on_time)d đúng hạn (hạn nộp %(deadline)s)"
    ) % {
        "total": len(firsts),
        "expected": expected,
        "on_time": on_time,
        "deadline": format_date(deadline),
    }
    return Chart(
        width=WIDTH,
        height=HEIGHT,
        font=FONT,
        points=" ".join(f"{px},{py}" for px, py in points),
        deadline_x=x(deadline),
        expected_y=y(expected),
        baseline_y=y(0),
        left=LEFT,
        right_x=WIDTH - RIGHT,
        middle_x=(LEFT + WIDTH - RIGHT) / 2,
        x_ticks=x_ticks,
        y_ticks=y_ticks,
        deadline=deadline,
        expected=expected,
        total=len(firsts),
        summary=summary,
    )


def _ticks(start: dt.date, end: dt.date, room: float) -> list[tuple[dt.date, str]]:
    """The days the x axis names between ``start`` and ``end``, at most MAX_TICKS and as
    many as their labels leave room for in ``room`` units: days ("27/12", with the year,
    "27/12/2020", once the span crosses one), the first of months ("01/2021") over a
    few months, the first of January ("2021") over years; always left to right."""
    days = (end - start).days

    def fitting(chars: int) -> int:
        return max(2, min(MAX_TICKS, int(room // (chars * FONT * 0.6 + FONT))))

    if days <= 92:
        crosses = start.year != end.year
        count = fitting(10 if crosses else 5)
        step = max(1, -(-days // (count - 1)))
        found = [start + dt.timedelta(days=n) for n in range(0, days + 1, step)]
        return [(d, format_date(d) if crosses else format_date(d)[:5]) for d in found]
    if days <= 3 * 366:
        count = fitting(7)
        months = (end.year - start.year) * 12 + end.month - start.month
        step = next(m for m in (1, 2, 3, 4, 6, 12) if months / m <= count)
        month = start.year * 12 + start.month  # the first of the month after start
        firsts = []
        while (day := dt.date(month // 12, month % 12 + 1, 1)) <= end:
            if (month % 12) % step == 0:
                firsts.append(day)
            month += 1
        return [(d, f"{d.month:02d}/{d.year}") for d in firsts]
    count = fitting(4)
    years = end.year - start.year
    step = next(y for y in (1, 2, 5, 10, 20, 50) if years / y <= count)
    return [
        (dt.date(year, 1, 1), str(year))
        for year in range(start.year + 1, end.year + 1)
        if year % step == 0
    ]
