"""What each notification says: its kind and parameters are stored, its words are made
when it is shown, in the reader's language (the page's, or the e-mail's).

A builder (``returned``, ``due_soon`` …) turns an event into the parameters that kind
needs: plain JSON, names as they were (a form's Vietnamese and English names, a unit's
name, a person's), periods by id, days in ISO. ``render`` makes the (title, body) of a
kind from them in the active language; a form is named by ``local_name``, a period by
``Period.label``. Unit and person names are proper nouns, the same in both languages.
"""

import datetime as dt
from collections.abc import Callable
from typing import Any, NamedTuple

from django.utils.translation import gettext as _

from trienkhai.notifications.models import Kind, Notification
from trienkhai.orgs.models import Unit
from trienkhai.reporting.periods import parse
from trienkhai.vn import format_date
from trienkhai.web.labels import local_name

Params = dict[str, Any]


class _Named(NamedTuple):
    """A form as it was named when told, for ``local_name``."""

    name: str
    name_en: str


def unit_name(unit: Unit, day: dt.date | None = None) -> str:
    version = unit.version_on(unit.reference_date(day))
    return version.name if version is not None else unit.code


# Builders: the parameters of each kind --------------------------------------------------


def report(form, period, unit_label: str) -> Params:
    """The report an event is about: its form's names, its period, its unit's name."""
    return {"form": form.name, "form_en": form.name_en, "period": period.id, "unit": unit_label}


def returned(form, period, unit_label, reason, by) -> Params:
    return {**report(form, period, unit_label), "reason": reason, "by": by}


def submitted(form, period, unit_label, by) -> Params:
    return {**report(form, period, unit_label), "by": by}


def approved(form, period, unit_label, by) -> Params:
    return {**report(form, period, unit_label), "by": by}


def deadline(form, period, unit_label, day: dt.date, days: int) -> Params:
    """Due soon, overdue, escalated: the deadline and how many days to it or past it
    when told (the words of a late one name the deadline only: see ``_overdue``)."""
    return {**report(form, period, unit_label), "deadline": day.isoformat(), "days": days}


def task(document_label, unit_label, due: dt.date, what: str) -> Params:
    return {"document": document_label, "unit": unit_label, "due": due.isoformat(), "what": what}


def document(document_label, unit_label, issuer) -> Params:
    return {"document": document_label, "unit": unit_label, "issuer": issuer}


# Words: (title, body) in the active language ---------------------------------------------


def _report(p: Params) -> dict[str, str]:
    form = local_name(_Named(p["form"], p.get("form_en", "")))
    return {"report": f"{form} – {parse(p['period']).label()}", "unit": p["unit"]}


def _date(p: Params, name: str) -> str:
    return format_date(dt.date.fromisoformat(p[name]))


def _returned(p: Params) -> tuple[str, str]:
    title = _("Báo cáo bị trả lại: %(report)s – %(unit)s") % _report(p)
    if not p["by"]:  # returned by the system (an import, the demo): no one to name
        return title, _("Báo cáo bị trả lại. Lý do: %(reason)s") % {"reason": p["reason"]}
    body = _("%(by)s trả lại báo cáo. Lý do: %(reason)s") % {"by": p["by"], "reason": p["reason"]}
    return title, body


def _submitted(p: Params) -> tuple[str, str]:
    title = _("Báo cáo chờ duyệt: %(report)s – %(unit)s") % _report(p)
    if not p["by"]:
        return title, _("Báo cáo đã được gửi và chờ anh/chị xem xét.")
    return title, _("%(by)s đã gửi báo cáo; báo cáo chờ anh/chị xem xét.") % {"by": p["by"]}


def _approved(p: Params) -> tuple[str, str]:
    title = _("Báo cáo đã được duyệt: %(report)s – %(unit)s") % _report(p)
    if not p["by"]:
        return title, _("Báo cáo đã được duyệt.")
    return title, _("%(by)s đã duyệt báo cáo.") % {"by": p["by"]}


def _due_soon(p: Params) -> tuple[str, str]:
    title = _("Sắp đến hạn: %(report)s – %(unit)s") % _report(p)
    body = _("Hạn gửi %(date)s (còn %(days)s ngày).") % {
        "date": _date(p, "deadline"),
        "days": p["days"],
    }
    return title, body


def _overdue(p: Params) -> tuple[str, str]:
    title = _("Quá hạn: %(report)s – %(unit)s") % _report(p)
    # By the deadline's date, not the days late when told: a notice read later (or
    # years later, in the demo) would say a count that is no longer true.
    body = _("Hạn gửi %(date)s đã qua. Xin gửi báo cáo.") % {"date": _date(p, "deadline")}
    return title, body


def _escalated(p: Params) -> tuple[str, str]:
    title = _("Đơn vị cấp dưới quá hạn lâu: %(report)s – %(unit)s") % _report(p)
    body = _("%(unit)s chưa gửi báo cáo, hạn gửi là %(date)s. Đơn vị đã được nhắc hằng ngày.") % {
        "unit": p["unit"],
        "date": _date(p, "deadline"),
    }
    return title, body


def _task(p: Params) -> tuple[str, str]:
    title = _("Nhiệm vụ mới cho %(unit)s: %(document)s") % {
        "unit": p["unit"],
        "document": p["document"],
    }
    body = _("Hạn: %(date)s.") % {"date": _date(p, "due")}
    if p["what"]:
        body += " " + p["what"]
    return title, body


def _document(p: Params) -> tuple[str, str]:
    title = _("Văn bản đến %(unit)s: %(document)s") % {
        "unit": p["unit"],
        "document": p["document"],
    }
    return title, _("Cơ quan ban hành: %(issuer)s.") % {"issuer": p["issuer"]}


_WORDS: dict[str, Callable[[Params], tuple[str, str]]] = {
    Kind.RETURNED: _returned,
    Kind.SUBMITTED: _submitted,
    Kind.APPROVED: _approved,
    Kind.DUE_SOON: _due_soon,
    Kind.OVERDUE: _overdue,
    Kind.ESCALATED: _escalated,
    Kind.TASK: _task,
    Kind.DOCUMENT: _document,
}


def render(kind: str, params: Params) -> tuple[str, str]:
    """(title, body) of a notification of ``kind`` in the active language; KeyError,
    ValueError or TypeError when ``params`` are not what the kind needs."""
    return _WORDS[kind](params)


def words(notification: Notification) -> tuple[str, str]:
    """(title, body) of ``notification`` in the active language. A row written before
    notifications kept their parameters (or whose parameters a later version no longer
    reads) says what it said when it was written, in the language it was written in."""
    if notification.params:
        try:
            return render(notification.kind, notification.params)
        except (KeyError, TypeError, ValueError):
            pass
    return notification.title, notification.body
