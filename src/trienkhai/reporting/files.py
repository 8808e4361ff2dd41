"""Web pages for files: a unit's form as .xlsx (download, upload) and bulk values (CSV/XLSX).

Thin: access → read the file → ``excel``/``bulk`` → ``services.save_values`` → redirect,
or the page again with every bad cell or row and a 4xx status; nothing is partly saved.
"""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_GET, require_http_methods

from trienkhai.accounts import policy
from trienkhai.common.errors import BadInput
from trienkhai.orgs.access import read_upload
from trienkhai.reporting import access, bulk, excel, services
from trienkhai.reporting.models import DisaggregationOption
from trienkhai.web.downloads import attachment, file_name
from trienkhai.web.labels import local_name, unit_name


class UploadForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Tệp"))


@login_required
@require_GET
def download(request, form: str, unit: str, period: str):
    """The unit's form for the period as .xlsx, pre-filled, to fill offline."""
    found = access.get_form(request.user, form)
    target = access.get_unit(request.user, unit, policy.Action.ENTER_DATA)
    data = excel.form_workbook(found, target, period)
    name = file_name(local_name(found), unit_name(target), found.period(period).label(), ext="xlsx")
    return attachment(data, excel.XLSX_CONTENT_TYPE, name)


@login_required
@require_http_methods(["GET", "POST"])
def upload(request, form: str, unit: str, period: str):
    """Upload the filled workbook: all cells saved, or none and every bad cell listed."""
    found = access.get_form(request.user, form)
    target = access.get_unit(request.user, unit, policy.Action.ENTER_DATA)
    found.period(period)
    upload_form = UploadForm(request.POST or None, request.FILES or None)
    problems: list[dict] = []
    status = 200
    if request.method == "POST":
        status = 400
        if upload_form.is_valid():
            try:
                cells = excel.read_form_workbook(
                    read_upload(upload_form.cleaned_data["file"]),
                    form=found,
                    unit=target,
                    period_id=period,
                )
                result = services.save_values(
                    acting_user=request.user, form=found, unit=target, period_id=period, cells=cells
                )
            except BadInput as exc:
                upload_form.add_error("file", exc.shown)
                problems, status = _named(found, period, exc.shown_details), exc.status
            else:
                messages.success(
                    request,
                    ngettext(
                        "Đã lưu %(n)d ô từ tệp Excel.",
                        "Đã lưu %(n)d ô từ tệp Excel.",
                        result.saved,
                    )
                    % {"n": result.saved},
                )
                return redirect(f"/bao-cao/{found.code}/{target.code}/{period}/")
    context = {
        "form": upload_form,
        "problems": problems,
        "report_form": found,
        "unit": target,
        "period": period,
    }
    return render(request, "reporting/files_upload.html", context, status=status)


def _named(form, period_id: str, problems: list) -> list:
    """Each bad cell with its indicator's and option's names, for the screen."""
    items = {
        i.indicator.code: i.indicator for i in services.form_items(form, form.period(period_id))
    }
    options: dict[tuple, DisaggregationOption] = {
        (o.disaggregation_id, o.code): o
        for o in DisaggregationOption.objects.filter(
            disaggregation_id__in={i.disaggregation_id for i in items.values()}
        )
    }
    named = []
    for problem in problems:
        indicator = items.get(problem.get("indicator", ""))
        option = indicator and options.get((indicator.disaggregation_id, problem.get("option")))
        named.append(
            {
                **problem,
                "indicator_name": local_name(indicator) if indicator else "",
                "option_name": local_name(option) if option else "",
            }
        )
    return named


@login_required
@require_http_methods(["GET", "POST"])
def values(request, form: str, period: str):
    """Values of every unit under the reader: export (?format=csv|xlsx) or import a file."""
    found = access.get_form(request.user, form)
    found.period(period)
    fmt = request.GET.get("format")
    if request.method == "GET" and fmt:
        units = bulk.export_units(request.user, found, period)
        data = bulk.export_values(found, period, units, fmt=fmt)
        kind = excel.XLSX_CONTENT_TYPE if fmt == "xlsx" else bulk.CSV_CONTENT_TYPE
        name = file_name(_("Số liệu"), local_name(found), found.period(period).label(), ext=fmt)
        return attachment(data, kind, name)
    upload_form = UploadForm(request.POST or None, request.FILES or None)
    problems: list[dict] = []
    status = 200
    if request.method == "POST":
        policy.require(request.user, policy.Action.ENTER_DATA)
        status = 400
        if upload_form.is_valid():
            upload = upload_form.cleaned_data["file"]
            try:
                saved = bulk.import_values(
                    acting_user=request.user, name=upload.name, data=read_upload(upload)
                )
            except BadInput as exc:
                upload_form.add_error("file", exc.shown)
                problems, status = _named(found, period, exc.shown_details), exc.status
            else:
                messages.success(
                    request,
                    ngettext("Đã nhập %(n)d giá trị.", "Đã nhập %(n)d giá trị.", saved)
                    % {"n": saved},
                )
                return redirect(request.path)
    context = {"form": upload_form, "problems": problems, "report_form": found, "period": period}
    return render(request, "reporting/files_values.html", context, status=status)
