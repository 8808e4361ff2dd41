"""The report pages: list and create, edit the narrative, preview, download, issue.

Each view: decorators → access (accounts.policy) → form → service → render or redirect.
"""

import re
import string
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from trienkhai.accounts import policy
from trienkhai.common.errors import BadInput, Conflict
from trienkhai.documents import services as documents
from trienkhai.drafting import access, guide, names, pdf, preview, reports, services
from trienkhai.drafting.forms import HeaderForm, NewReportForm
from trienkhai.drafting.layout import split_symbol
from trienkhai.drafting.models import Report
from trienkhai.drafting.pdf import ConversionError
from trienkhai.drafting.reports import Number
from trienkhai.vn import format_date
from trienkhai.web.forms import for_user


@login_required
@require_GET
def report_list(request):
    """The reports the user may see, and the form that starts a new one."""
    access.require_any_view(request.user)
    return _list(request, for_user(NewReportForm(), request.user))


def _list(request, form: NewReportForm, error: BadInput | None = None, status: int = 200):
    context = {"reports": access.reports_seen_by(request.user), "form": form, "error": error}
    return render(request, "drafting/list.html", context, status=status)


@login_required
@require_POST
def report_create(request):
    """Generate a draft for (template, unit, period); errors say which and where."""
    access.require_any_view(request.user)
    form = for_user(NewReportForm(request.POST), request.user)
    if not form.is_valid():
        return _list(request, form, status=400)
    data = form.cleaned_data
    try:
        unit = access.get_report_unit(request.user, data["unit"].code)
        issuer = (
            access.get_report_unit(request.user, data["issuer"].code, policy.Action.CHANGE)
            if data["issuer"]
            else None
        )
        same = _same_reports(data["template"], unit, issuer or unit, data["period"].strip())
        draft = next((r for r in same if r.is_draft), None)
        if draft is not None:
            # One draft a report: a second would wait on the desk for ever.
            messages.info(
                request,
                _("Đã có dự thảo báo cáo này (tạo ngày %(day)s): mở lại dự thảo đó.")
                % {"day": format_date(timezone.localtime(draft.created).date())},
            )
            return redirect("drafting:edit", pk=draft.pk)
        report = services.create_report(
            acting_user=request.user,
            template=data["template"],
            unit=unit,
            issuer=issuer,
            period=data["period"].strip(),
            directive=(data["directive"] or "").strip(),
            figure_status=data.get("figure_status") or None,
        )
    except BadInput as exc:
        return _list(request, form, exc, status=400)
    messages.success(request, _("Đã tạo dự thảo báo cáo."))
    issued = [r.document for r in same if r.document is not None]
    if issued:
        messages.warning(
            request,
            _("Báo cáo này đã ban hành: %(symbols)s. Dự thảo mới sẽ lấy số mới khi ban hành.")
            % {"symbols": ", ".join(d.symbol for d in issued)},
        )
    return redirect("drafting:edit", pk=report.pk)


def _same_reports(template, unit, issuer, period: str) -> list[Report]:
    """The reports already made from ``template`` for ``unit`` and ``period`` by
    ``issuer``, drafts and issued (none if the period is not one the template takes:
    creating the draft then says why)."""
    try:
        wanted = reports.asked_period(template, period).text
    except BadInput:
        return []
    found = Report.objects.filter(template=template, unit=unit, issuer=issuer).select_related(
        "document"
    )
    return [r for r in found if r.period == wanted]


@login_required
@require_http_methods(["GET", "POST"])
def report_edit(request, pk: int):
    """The editor: header fields and each narrative text, the data blocks as they print."""
    action = policy.Action.CHANGE if request.method == "POST" else policy.Action.VIEW
    report = access.get_report(request.user, pk, action)
    if not report.is_draft:
        return redirect("drafting:preview", pk=report.pk)
    form = HeaderForm(request.POST or None, instance=Report.objects.get(pk=report.pk))
    error = None
    if request.method == "POST":
        narrative = {k[2:]: v for k, v in request.POST.items() if k.startswith("t-")}
        if form.is_valid():
            fields = {name: form.cleaned_data[name] for name in HeaderForm.Meta.fields}
            try:
                services.update_report(
                    acting_user=request.user,
                    report=report,
                    narrative=narrative,
                    directive=form.cleaned_data["directive"].strip(),
                    **fields,
                )
            except BadInput as exc:
                if exc.code == "unknown_directive":
                    form.add_error("directive", exc.shown)  # said beside its field
                else:
                    error = exc
            else:
                messages.success(request, _("Đã lưu."))
                if "preview" in request.POST:
                    return redirect("drafting:preview", pk=report.pk)
                return redirect("drafting:edit", pk=report.pk)
        # Nothing was saved: the page is laid out from the saved texts and shows the
        # ones typed, so that every edit stays to be corrected.
        return _editor(request, report, form, error, typed=narrative)
    return _editor(request, report, form, error)


def _editor(
    request, report: Report, form: HeaderForm, error: BadInput | None, typed: dict | None = None
):
    parts, legend, notes, wrong, figures = [], [], [], "", []
    labels = guide.paragraph_labels(report.template.definition)
    try:
        page = reports.page_of(report)
        legend, notes = guide.legend(page, labels), guide.notes(page, labels)
        texts = [*(typed or report.narrative).values(), form["title"].value() or ""]
        figures = _figures(page.context, legend, texts)
        found = reports.parts(page)
        wrong = _wrong_part(error)
        for part in found:
            parts.append(
                {
                    "kind": part.kind,
                    "key": part.key,
                    "label": labels.get(part.key, part.key),
                    "text": (typed or report.narrative).get(part.key, ""),
                    "blocks": [preview.block_dict(b) for b in part.layout],
                    "error": _text_problem(error) if part.key == wrong else "",
                }
            )
        if wrong:
            error = None  # said beside its paragraph
    except BadInput as exc:
        error = error or exc
    status = 400 if error or wrong or form.errors else 200
    context = {
        "report": report,
        "name": names.title(report),
        "form": form,
        "parts": parts,
        "legend": [entry for entry in legend if entry.is_used],
        "more_placeholders": [entry for entry in legend if not entry.is_used],
        "notes": notes,
        "figures": figures,
        "may_change": policy.can(request.user, policy.Action.CHANGE, report.issuer),
        "error": error,
        "wrong_label": next((p["label"] for p in parts if p["error"]), ""),
    }
    return render(request, "drafting/edit.html", context, status=status)


def _figures(context: dict[str, Any], legend: list[guide.Entry], texts: list[str]) -> list[dict]:
    """The placeholders as the editor's script shows them (drafting/editor.js): each by
    its name (what the picker ranks) and in words, what it prints now (for each width the
    texts give it: ``{so_trang:02}``), whether it has no figure yet, and the paragraphs
    using it; the texts' first."""
    widths: dict[str, set[str]] = {}
    for text in texts:
        try:
            fields = [(name, spec) for _, name, spec, _ in string.Formatter().parse(text) if name]
        except ValueError:
            continue  # said beside its paragraph, which stays a text box
        for name, spec in fields:
            # only the widths reports.fill takes: "{x:0100000000}" would print 100 MB
            if re.fullmatch(r"0?[0-9]", spec or "0"):
                widths.setdefault(name, set()).add(spec or "")
    found = []
    for entry in legend:
        value, prints = context[entry.name], {}
        for spec in sorted(widths.get(entry.name, set()) | {""}):
            try:
                prints[spec] = format(value, spec).replace("\x00", "")
            except (TypeError, ValueError):
                continue  # a width the text may not give: refused when saved
        found.append(
            {
                "name": entry.name,
                "label": entry.label,
                "meaning": entry.meaning or entry.label,
                "prints": prints,
                "missing": isinstance(value, Number) and value.value is None,
                "used_in": entry.used_in,
            }
        )
    return found


def _wrong_part(error: BadInput | None) -> str:
    """The key of the text block a refused text is in ("3.4"), from the error's details."""
    for detail in (error.details if error else []) or []:
        if isinstance(detail, dict) and detail.get("block"):
            return reports.block_key(detail["section"], detail["block"])
    return ""


def _text_problem(error: BadInput | None) -> str:
    """What is wrong with a text, in the reader's language, without the template's code."""
    if error is None:
        return ""
    if error.code == "invalid_text":
        return _("Dấu ngoặc nhọn không khớp: viết {{ hoặc }} cho một dấu ngoặc.")
    if error.code == "invalid_format":
        return _("Chỗ điền chỉ nhận dạng {tên} hoặc {tên:02}.")
    if error.code == "unknown_placeholder":
        unknown = ", ".join(f"{{{d['placeholder']}}}" for d in error.details if "placeholder" in d)
        return _("Không có chỗ điền %(names)s: xóa đi rồi chọn một số liệu có trong danh sách.") % {
            "names": unknown
        }
    return error.shown


@login_required
@require_GET
def report_preview(request, pk: int):
    """The report as it will print (HTML), with its .docx/.pdf and the issue button."""
    report = access.get_report(request.user, pk)
    error, document, notes = None, None, []
    try:
        if report.document is not None:
            number, code = split_symbol(report.document.symbol)
            formal = reports.build(report, number=number, code=code)
            symbol = f"Số {report.document.symbol}"
        else:
            page = reports.page_of(report)
            notes = guide.notes(page, guide.paragraph_labels(report.template.definition))
            formal = reports.build(report, page=page)
            symbol = (
                f"Số      -{formal.code}"
                if services.is_party(report)
                else f"Số:      /{formal.code}"
            )
        document = preview.document_dict(formal, symbol)
    except BadInput as exc:
        error = exc
    may_issue = report.is_draft and policy.can(request.user, policy.Action.CHANGE, report.issuer)
    # The issue button is disabled while issuing would be refused, and says why.
    blockers = services.issue_blockers(report) if may_issue else []
    if may_issue and error is not None:
        blockers.insert(0, _("Sửa lỗi nêu ở trên trước khi ban hành."))
    context = {
        "report": report,
        "name": names.title(report),
        "document": document,
        "error": error,
        "notes": notes,
        "unreviewed": reports.unreviewed(report) if report.is_draft else [],
        "may_issue": may_issue,
        "blockers": blockers,
        "fields_missing": may_issue and bool(services.missing_to_issue(report)),
        "converter": pdf.is_available(),
    }
    return render(request, "drafting/preview.html", context, status=400 if error else 200)


@login_required
@require_GET
def report_file(request, pk: int, fmt: str):
    """The issued file as stored, or a draft rendered now (no number).

    An issued report whose file is still pending is made now; if LibreOffice is missing
    or fails, a 503 says so and that the file will come (never a 500, never a broken
    file)."""
    report = access.get_report(request.user, pk)
    try:
        services.check_format(fmt)
        if report.is_draft:
            data = services.render(report, fmt)
        else:
            if not getattr(report, fmt):
                report = services.make_files(
                    acting_user=services.FILES, report=report, with_pdf=fmt == "pdf"
                )
            with getattr(report, fmt).open("rb") as stored:
                data = stored.read()
    except BadInput as exc:
        return HttpResponse(exc.shown, status=exc.status, content_type="text/plain; charset=utf-8")
    except ConversionError as exc:
        return _pdf_unavailable(request, report, exc)
    response = HttpResponse(data, content_type=services.FORMATS[fmt])
    response["Content-Disposition"] = names.content_disposition(report, fmt)
    return response


@login_required
@require_POST
def report_delete(request, pk: int):
    """Delete a draft, after a page that asks (the same POST again with ``xac_nhan=1``).
    Who may edit the draft may delete it; an issued report never (409, the page says
    why)."""
    report = access.get_report(request.user, pk, policy.Action.CHANGE)
    name = names.title(report)
    context = {"report": report, "name": name, "error": None}
    try:
        services.check_deletable(report)
        if request.POST.get("xac_nhan") != "1":
            return render(request, "drafting/delete.html", context)
        services.delete_report(acting_user=request.user, report=report)
    except Conflict as exc:  # issued, perhaps since the page asked
        return render(request, "drafting/delete.html", {**context, "error": exc}, status=409)
    messages.success(request, _("Đã xóa dự thảo: %(name)s.") % {"name": name})
    return redirect("drafting:list")


def _pdf_unavailable(request, report: Report, error: ConversionError):
    """503: the PDF cannot be made now; what the user can do meanwhile."""
    context = {"report": report, "name": names.title(report), "error": error, "unavailable": True}
    response = render(request, "drafting/pdf_unavailable.html", context, status=503)
    response["Retry-After"] = "60"
    return response


@login_required
@require_POST
def report_issue(request, pk: int):
    """Take the next number from the register, then make the .docx and .pdf (the PDF
    may stay pending: the page says so); after a page naming the number ("Cấp số
    06-BC/BTGHU?"), asked again if another issue took it."""
    report = access.get_report(request.user, pk, policy.Action.CHANGE)
    if report.is_draft:
        missing = services.missing_to_issue(report)
        symbol = services.next_symbol(report)
        shown = request.POST.get("so", "")
        if missing or shown != symbol:
            context = {
                "what": names.title(report),
                "symbol": symbol,
                "changed": shown if shown and shown != symbol else "",
                "error": documents.incomplete(missing) if missing else None,
                "action": reverse("drafting:issue", args=[pk]),
                "back": reverse("drafting:preview", args=[pk]),
                "fix": reverse("drafting:edit", args=[pk]),
                "carry": {"xac_nhan": request.POST.get("xac_nhan", "")},
            }
            return render(
                request, "web/confirm_number.html", context, status=400 if missing else 200
            )
    try:
        report = services.issue_report(
            acting_user=request.user,
            report=report,
            acknowledged=request.POST.get("xac_nhan") == "1",
        )
    except BadInput as exc:
        messages.error(request, exc.shown)
        return redirect("drafting:preview", pk=report.pk)
    except ConversionError as exc:
        messages.error(request, exc.message)
        return redirect("drafting:preview", pk=report.pk)
    symbol = report.document.symbol if report.document else ""
    messages.success(request, _("Đã ban hành: số %(symbol)s.") % {"symbol": symbol})
    if report.files_pending:
        messages.warning(request, _("Tệp PDF đang được chuẩn bị; tải lại sau ít phút nếu chưa có."))
    return redirect("drafting:preview", pk=report.pk)
