"""What a register's deletion may not take from a report already sent (issue 16).

A register's figures are read live (decision 0039): a report of a form holding a
sourced figure shows what the register holds now. A correction (a count changed, an
inspection's days put right) is how a wrong figure is mended, audited in the register.
A deletion takes a fact away altogether; while a report that reads it is submitted or
approved — locked, as its typed cells are — the deletion is refused (409
``read_by_report``), naming those reports, so a figure never leaves a sent report
without anyone seeing it. Returning the report unlocks it, as it does for typed cells;
a draft or returned report simply reads the register again.

The check and the deletion are one transaction (``deleting``): on SQLite the
transaction holds the database (IMMEDIATE); on PostgreSQL it first takes the rows of the
unit and the units above it ``FOR NO KEY UPDATE NOWAIT``, and ``reporting``'s submit holds its
own unit's row ``FOR SHARE`` before it reads its figures. A report can then not be sent
between the check and the deletion: the submit waits for the deletion and reads what is
left, or the deletion finds the submit at work and says to try again (409 ``busy``,
never waiting, so never a deadlock with a submit that holds several units; two
deletions under one province meet the same way).
"""

import datetime as dt
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from django.db import DatabaseError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext

from trienkhai.common.errors import Conflict
from trienkhai.orgs import queries
from trienkhai.orgs.models import Unit
from trienkhai.reporting.models import FormIndicator, Submission
from trienkhai.web.labels import local_name, unit_name

SHOWN = 5
"""Reports named in a refusal; the rest are counted."""


def reports_reading(codes: Iterable[str], unit: Unit, start: dt.date, end: dt.date) -> list:
    """The submitted or approved reports of ``unit`` or a unit above it whose form holds
    one of the figures ``codes`` and whose period meets ``start``–``end`` (a few queries;
    the periods are read in Python: a unit's line of reports is short)."""
    above = _above(unit, end)
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


def _above(unit: Unit, end: dt.date) -> set[int]:
    """``unit`` and the units above it on the last day of ``end`` that has come."""
    day = unit.reference_date(min(end, timezone.localdate()))
    return {unit.pk} | {v.unit_id for v in queries.ancestors(unit, day)}


@contextmanager
def deleting(what: str, codes: Iterable[str], unit: Unit, start: dt.date, end: dt.date) -> Iterator:
    """The write transaction of a deletion of ``unit``'s figures ``codes`` over
    ``start``–``end``: refused (``refuse_if_read``) inside it, the rows of the units
    whose reports read them held until it ends (see the module's note)."""
    codes = list(codes)
    with transaction.atomic():
        try:
            list(
                Unit.objects.select_for_update(nowait=True, no_key=True).filter(
                    pk__in=_above(unit, end)
                )
            )
        except DatabaseError:
            raise Conflict(
                "busy",
                f"Chưa xóa được {what}: đơn vị đang gửi báo cáo hoặc đang xóa số liệu khác; "
                "hãy thử lại sau ít giây / the unit is submitting a report or deleting other "
                "figures; try again in a few seconds",
            ) from None
        refuse_if_read(what, codes, unit, start, end)
        yield


def _listed(reports: list[Submission], language: str) -> str:
    """'“<form's name>” 6 tháng đầu năm 2020 của <unit's name>; …' in ``language``, the
    first ``SHOWN`` reports, the rest counted."""
    with translation.override(language):
        names = []
        for report in reports[:SHOWN]:
            period = report.form.period(report.period)
            names.append(
                gettext("“%(form)s” %(period)s của %(unit)s")
                % {
                    "form": local_name(report.form),
                    "period": period.inline_label(),
                    "unit": unit_name(report.unit, period.end),
                }
            )
    more = len(reports) - SHOWN
    return "; ".join(names) + (f" … (+{more})" if more > 0 else "")


def refuse_if_read(what: str, codes: Iterable[str], unit: Unit, start: dt.date, end: dt.date):
    """Raise Conflict ``read_by_report`` when a sent report reads the figures ``codes`` of
    ``unit`` over ``start``–``end``; ``what`` names the thing deleted ("kênh", "số tin, bài")."""
    reports = reports_reading(codes, unit, start, end)
    if not reports:
        return
    raise Conflict(
        "read_by_report",
        f"Không xóa được {what}: số liệu đã vào báo cáo đã gửi: {_listed(reports, 'vi')}. "
        "Trả lại báo cáo trước khi xóa, hoặc sửa thay vì xóa / cannot delete: a submitted "
        f"report reads its figures ({_listed(reports, 'en')}); return the report first, "
        "or correct it instead",
    )
