"""The data-quality page (chất lượng số liệu), its .xlsx export and its notes.

/chat-luong/?bieu=&don_vi=&tu=&den=&phuong_phap=&trang_thai= shows ``quality.quality``
to whoever may view the unit; the notes form posts to /chat-luong/ghi-chu/, which the
unit's approver may use (``services.note_quality_item`` decides). Unknown codes → 404,
a unit out of reach → 403, a bad span, method or state → 400 (the BadInput middleware).
"""

import datetime as dt
import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from trienkhai.accounts import policy
from trienkhai.common.errors import BadInput
from trienkhai.common.spreadsheets import xlsx_row
from trienkhai.orgs import queries
from trienkhai.orgs.kinds import ROOT_CODE
from trienkhai.orgs.models import Unit
from trienkhai.reporting import access, quality, services
from trienkhai.reporting.periods import PeriodType, containing, span_label
from trienkhai.vn import format_date
from trienkhai.web.downloads import attachment, file_name
from trienkhai.web.labels import local_name, unit_name

MAX_UNIT_CHOICES = 300


def _chosen(request) -> quality.Quality:
    """The page's read for the request's choices, defaults filled in."""
    params = request.GET
    code = params.get("bieu", "")
    if not code:
        seen = access.forms_seen_by(request.user)
        if not seen:
            raise policy.PermissionDenied
        code = seen[0][0].code
    form = access.get_form(request.user, code)
    unit_code = params.get("don_vi", "") or _default_unit(request.user, form)
    root = access.get_unit(request.user, unit_code)
    first, last = params.get("tu", ""), params.get("den", "")
    if first or last:
        periods = quality.span_of(form, first or last, last or first)
    else:
        periods = quality.default_span(form)
    return quality.quality(
        form,
        root,
        periods,
        method=params.get("phuong_phap", "") or quality.Method.MODIFIED_Z,  # type: ignore[arg-type]
        state=params.get("trang_thai", "") or "open",
    )


def _default_unit(user, form) -> str:
    if policy.can(user, policy.Action.VIEW, form.owner):
        return form.owner.code
    roles = Unit.objects.filter(pk__in=policy.role_unit_ids(user)).order_by("code").first()
    return roles.code if roles is not None else form.owner.code


def unit_choices(user, today: dt.date) -> list[tuple[str, str]]:
    """(code, name) of the units the user may pick: the tops of what they may view and
    the units right under them (a longer list is typed as a code)."""
    tops = policy.visible_root_ids(user, today)
    roots = list(
        Unit.objects.filter(code=ROOT_CODE) if tops is None else Unit.objects.filter(pk__in=tops)
    )
    found: list[tuple[str, str]] = []
    for unit in sorted(roots, key=lambda u: u.code):
        version = unit.version_on(unit.reference_date())
        found.append((unit.code, version.name if version else unit.code))
        found += [(n.code, f"— {n.name}") for n in queries.subtree(unit, today, depth=1)]
    return found[:MAX_UNIT_CHOICES]


def _period_choices(found: quality.Quality, today: dt.date) -> list[tuple[str, str]]:
    form = found.form
    current = containing(today, PeriodType(form.period_type), form.calendar)
    periods = {p.id: p for p in found.periods}
    period = current
    for _n in range(24):
        periods.setdefault(period.id, period)
        period = period.previous()
    return [(p.id, p.label()) for p in sorted(periods.values(), reverse=True)]


@login_required
@require_GET
def page(request):
    """Outliers, failed rules, values for follow-up and gaps of a subtree and span."""
    found = _chosen(request)
    today = timezone.localdate()
    root_approver = services.may_resolve(request.user, found.root)
    below_approver = policy.can(request.user, policy.Action.APPROVE, found.root)
    context = {
        "q": found,
        "sections": [
            ("outliers", _("Số liệu bất thường"), found.outliers),
            ("rules", _("Quy tắc kiểm tra không đạt"), found.rules),
            ("follow_ups", _("Giá trị cần theo dõi"), found.follow_ups),
            ("gaps", _("Thiếu báo cáo, ô bắt buộc trống"), found.gaps),
        ],
        "forms": [f for f, _units in access.forms_seen_by(request.user)],
        "units": unit_choices(request.user, today),
        "period_choices": _period_choices(found, today),
        "states": [("open", _("Chưa xử lý")), ("resolved", _("Đã xử lý")), ("all", _("Tất cả"))],
        "methods": [
            (str(m), quality.method_label(m)) for m in (quality.Method.MODIFIED_Z, quality.Method.Z)
        ],
        "can_resolve": {found.root.code} if root_approver else set(),
        "can_resolve_below": below_approver,
        "here": request.get_full_path(),
        "export_url": reverse("quality:export") + "?" + request.GET.urlencode(),
    }
    return render(request, "reporting/quality.html", context)


def _sheets() -> list[tuple[str, str]]:
    """(section, sheet title): titles short, as Excel wants them (31 characters)."""
    return [
        ("outliers", _("Bất thường")),
        ("rules", _("Quy tắc")),
        ("follow_ups", _("Theo dõi")),
        ("gaps", _("Thiếu")),
    ]


def _columns() -> dict[str, list[tuple[str, str]]]:
    where = [
        ("unit", _("Mã đơn vị")),
        ("unit_name", _("Đơn vị")),
        ("period_label", _("Kỳ báo cáo")),
    ]
    note = [("note", _("Ghi chú")), ("resolved", _("Đã xử lý")), ("resolved_by", _("Người xử lý"))]
    cell = [("name", _("Chỉ tiêu")), ("option", _("Lựa chọn"))]
    return {
        "outliers": where
        + cell
        + [
            ("value", _("Giá trị")),
            ("low", _("Thường từ")),
            ("high", _("Thường đến")),
            ("method_label", _("Phương pháp")),
            ("score", _("Điểm")),
            ("explanation", _("Giải trình của đơn vị")),
        ]
        + note,
        "rules": [*where, ("rule_text", _("Quy tắc")), ("shown_value", _("Hai vế")), *note],
        "follow_ups": where
        + cell
        + [("mark_note", _("Lý do theo dõi")), ("marked_by", _("Người đánh dấu"))]
        + note,
        "gaps": [
            *where,
            ("state_label", _("Tình trạng")),
            *cell,
            ("deadline", _("Hạn nộp")),
            *note,
        ],
    }


def _cell(item: quality.Item, key: str):
    value = getattr(item, key)
    if isinstance(value, dt.datetime):
        return format_date(timezone.localtime(value).date())
    if isinstance(value, dt.date):
        return format_date(value)
    return value


@login_required
@require_GET
def export(request):
    """The page as an .xlsx workbook: one sheet per section, what people typed as text."""
    from openpyxl import Workbook

    found = _chosen(request)
    book = Workbook(write_only=True)
    columns = _columns()
    for key, title in _sheets():
        sheet = book.create_sheet(title)
        sheet.append(xlsx_row(sheet, [label for _k, label in columns[key]]))
        for item in getattr(found, key):
            sheet.append(xlsx_row(sheet, [_cell(item, k) for k, _label in columns[key]]))
    out = io.BytesIO()
    book.save(out)
    name = file_name(
        _("Chất lượng số liệu"),
        local_name(found.form),
        unit_name(found.root),
        span_label(found.periods),
        ext="xlsx",
    )
    return attachment(
        out.getvalue(),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        name,
    )


def _int(text: str) -> int | None:
    try:
        return int(text) if text else None
    except ValueError:
        raise BadInput("invalid_input", _("Dữ liệu không hợp lệ.")) from None


@login_required
@require_POST
def note(request):
    """Comment on one item and/or resolve it (xu_ly=resolve) or open it again (reopen)."""
    post = request.POST
    form = access.get_form(request.user, post.get("bieu", ""))
    unit = access.get_unit(request.user, post.get("don_vi", ""))
    action = post.get("xu_ly", "")
    if action not in ("", "resolve", "reopen"):
        raise BadInput("invalid_input", _("Dữ liệu không hợp lệ."))
    text = post.get("ghi_chu")
    services.note_quality_item(
        acting_user=request.user,
        item=services.ItemRef(
            kind=post.get("loai", ""),
            form=form,
            unit=unit,
            period=post.get("ky", ""),
            indicator=post.get("chi_tieu", ""),
            option=post.get("lua_chon", ""),
            method=post.get("phuong_phap", ""),
            rule=_int(post.get("quy_tac", "")),
            mark=_int(post.get("danh_dau", "")),
        ),
        note=text if text is not None and (text.strip() or not action) else None,
        resolve={"resolve": True, "reopen": False}.get(action),
    )
    messages.success(
        request,
        {"resolve": _("Đã đánh dấu là đã xử lý."), "reopen": _("Đã mở lại.")}.get(
            action, _("Đã lưu ghi chú.")
        ),
    )
    back = post.get("tiep", "")
    if not url_has_allowed_host_and_scheme(back, {request.get_host()}, request.is_secure()):
        back = reverse("quality:page") + f"?bieu={form.code}&don_vi={unit.code}"
    return redirect(back)
