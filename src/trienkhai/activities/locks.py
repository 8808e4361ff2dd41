"""What a register's deletion may not take from a report already sent (issue 16).

A register's figures are read live (decision 0039): a report of a form holding a
sourced figure shows what the register holds now. A correction (a count changed, an
inspection's days put right) is how a wrong figure is mended, audited in the register.
A deletion takes a fact away altogether; while a report that reads it is submitted or
approved — locked, as its typed cells are — the deletion is refused (409
``read_by_report``), naming those reports, so a figure never leaves a sent report
without anyone seeing it. Returning the report unlocks it, as it does for typed cells;
a draft or returned report simply reads the register again.
"""

import datetime as dt
from collections.abc import Iterable

from django.utils import timezone

from trienkhai.common.errors import Conflict
from trienkhai.orgs import queries
from trienkhai.orgs.models import Unit
from trienkhai.reporting.models import FormIndicator, Submission

SHOWN = 5
"""Reports named in a refusal; the rest are counted."""


def reports_reading(codes: Iterable[str], unit: Unit, start: dt.date, end: dt.date) -> list:
    """The submitted or approved reports of ``unit`` or a unit above it whose form holds
    one of the figures ``codes`` and whose period meets ``start``–``end`` (a few queries;
    the periods are read in Python: a unit's line of reports is short)."""
    day = unit.reference_date(min(end, timezone.localdate()))
    above = {unit.pk} | {v.unit_id for v in queries.ancestors(unit, day)}
    forms = FormIndicator.objects.filter(indicator__code__in=list(codes)).values("form_id")
    locked = (
        Submission.objects.filter(
            unit_id__in=above,
            form_id__in=forms,
            status__in=[Submission.Status.SUBMITTED, Submission.Status.APPROVED],
        )
        .select_related("form", "unit")
        .order_by("period", "id")
    )
    found = []
    for report in locked:
        period = report.form.period(report.period)
        if period.start <= end and start <= period.end:
            found.append(report)
    return found


def refuse_if_read(what: str, codes: Iterable[str], unit: Unit, start: dt.date, end: dt.date):
    """Raise Conflict ``read_by_report`` when a sent report reads the figures ``codes`` of
    ``unit`` over ``start``–``end``; ``what`` names the thing deleted ("kênh", "số tin, bài")."""
    reports = reports_reading(codes, unit, start, end)
    if not reports:
        return
    names = [f"{r.form.code} {r.period} ({r.unit.code})" for r in reports[:SHOWN]]
    more = len(reports) - SHOWN
    listed = "; ".join(names) + (f" … (+{more})" if more > 0 else "")
    raise Conflict(
        "read_by_report",
        f"Không xóa được {what}: số liệu đã vào báo cáo đã gửi {listed}. Trả lại báo cáo "
        f"trước khi xóa, hoặc sửa thay vì xóa / cannot delete: a submitted report reads "
        f"its figures ({listed}); return the report first, or correct it instead",
    )
