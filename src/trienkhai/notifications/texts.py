"""What each notification says, in the active language (``services.tell`` sets the
user's): a title (the e-mail's subject) and a body."""

import datetime as dt

from django.utils.translation import gettext as _

from trienkhai.orgs.models import Unit
from trienkhai.reporting.models import Form
from trienkhai.reporting.periods import Period
from trienkhai.vn import format_date
from trienkhai.web.labels import local_name


def unit_name(unit: Unit, day: dt.date | None = None) -> str:
    version = unit.version_on(unit.reference_date(day))
    return version.name if version is not None else unit.code


def report(form: Form, period: Period) -> str:
    return f"{local_name(form)} – {period.label()}"


def returned(form, period, unit_label, reason, by) -> tuple[str, str]:
    title = _("Báo cáo bị trả lại: %(report)s – %(unit)s") % {
        "report": report(form, period),
        "unit": unit_label,
    }
    body = _("%(by)s trả lại báo cáo. Lý do: %(reason)s") % {"by": by, "reason": reason}
    return title, body


def submitted(form, period, unit_label, by) -> tuple[str, str]:
    title = _("Báo cáo chờ duyệt: %(report)s – %(unit)s") % {
        "report": report(form, period),
        "unit": unit_label,
    }
    return title, _("%(by)s đã gửi báo cáo; báo cáo chờ anh/chị xem xét.") % {"by": by}


def approved(form, period, unit_label, by) -> tuple[str, str]:
    title = _("Báo cáo đã được duyệt: %(report)s – %(unit)s") % {
        "report": report(form, period),
        "unit": unit_label,
    }
    return title, _("%(by)s đã duyệt báo cáo.") % {"by": by}


def due_soon(form, period, unit_label, deadline, days) -> tuple[str, str]:
    title = _("Sắp đến hạn: %(report)s – %(unit)s") % {
        "report": report(form, period),
        "unit": unit_label,
    }
    body = _("Hạn gửi %(date)s (còn %(days)s ngày).") % {
        "date": format_date(deadline),
        "days": days,
    }
    return title, body


def overdue(form, period, unit_label, deadline, days) -> tuple[str, str]:
    title = _("Quá hạn: %(report)s – %(unit)s") % {
        "report": report(form, period),
        "unit": unit_label,
    }
    body = _("Hạn gửi %(date)s, đã quá %(days)s ngày. Xin gửi báo cáo.") % {
        "date": format_date(deadline),
        "days": days,
    }
    return title, body


def escalated(form, period, unit_label, deadline, days) -> tuple[str, str]:
    title = _("Đơn vị cấp dưới quá hạn %(days)s ngày: %(report)s – %(unit)s") % {
        "days": days,
        "report": report(form, period),
        "unit": unit_label,
    }
    body = _("%(unit)s chưa gửi báo cáo, hạn gửi là %(date)s. Đơn vị đã được nhắc hằng ngày.") % {
        "unit": unit_label,
        "date": format_date(deadline),
    }
    return title, body


def task(document_label, unit_label, due, what) -> tuple[str, str]:
    title = _("Nhiệm vụ mới cho %(unit)s: %(document)s") % {
        "unit": unit_label,
        "document": document_label,
    }
    body = _("Hạn: %(date)s.") % {"date": format_date(due)}
    if what:
        body += " " + what
    return title, body


def document(document_label, unit_label, issuer) -> tuple[str, str]:
    title = _("Văn bản đến %(unit)s: %(document)s") % {
        "unit": unit_label,
        "document": document_label,
    }
    return title, _("Cơ quan ban hành: %(issuer)s.") % {"issuer": issuer}
