"""The edXML import page of a unit's incoming register (/van-ban/don-vi/<code>/nhap-edxml/).

Exporting needs no page: the document page links to ``GET /api/v1/documents/{id}/edxml``,
which takes the browser's session."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from trienkhai.common.errors import BadInput
from trienkhai.documents import access, interchange
from trienkhai.orgs import queries
from trienkhai.orgs.access import read_upload


class EdxmlImportForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Gói edXML (.xml)"))


@login_required
@require_http_methods(["GET", "POST"])
def import_edxml(request, unit_code: str):
    """Enter an edXML package into the unit's incoming register (the API's checks)."""
    unit = access.get_issuer(request.user, unit_code)
    posting = request.method == "POST"
    form = EdxmlImportForm(request.POST, request.FILES) if posting else EdxmlImportForm()
    status = 200
    if posting:
        if form.is_valid():
            try:
                document = interchange.import_package(
                    acting_user=request.user,
                    data=read_upload(form.cleaned_data["file"]),
                    unit=unit,
                )
            except BadInput as exc:
                form.add_error("file", exc.message)
                status = exc.status
            else:
                messages.success(
                    request,
                    _("Đã nhập gói edXML vào sổ văn bản đến, số đến %(n)s.")
                    % {"n": document.received_number},
                )
                return redirect("documents:document", document.pk)
        else:
            status = 400
    context = {
        "form": form,
        "unit": unit,
        "unit_name": queries.latest_versions([unit.pk])[unit.pk].name,
    }
    return render(request, "documents/edxml_import.html", context, status=status)
