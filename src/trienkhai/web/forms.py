"""Shared form pieces: dates as dd/mm/yyyy, and service errors shown on the form.

A view that writes follows one shape::

    form = SomeForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        try:
            services.do_it(acting_user=request.user, ...)
        except BadInput as exc:
            form.add_service_error(exc)
        else:
            return redirect(...)
    return render_form(request, "app/template.html", {"form": form, ...})

``render_form`` answers 400 when the form carries errors, so that a refused change is
visible to clients and tests, and nothing was written (services are atomic).
"""

import datetime as dt
from typing import ClassVar

from django import forms
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from trienkhai import vn
from trienkhai.common.errors import BadInput


class VnDateField(forms.Field):
    """A date typed as dd/mm/yyyy (also dd.mm.yyyy, dd-mm-yyyy or yyyy-mm-dd)."""

    default_error_messages = {
        "invalid": _("Ngày không hợp lệ: nhập theo dạng dd/mm/yyyy, ví dụ 01/07/2025."),
    }

    def to_python(self, value) -> dt.date | None:
        if value in self.empty_values:
            return None
        if isinstance(value, dt.date):
            return value
        try:
            return vn.parse_date(str(value))
        except ValueError:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None

    def prepare_value(self, value):
        return vn.format_date(value) if isinstance(value, dt.date) else value

    def widget_attrs(self, widget) -> dict:
        attrs = super().widget_attrs(widget)
        attrs.update(
            {"placeholder": "dd/mm/yyyy", "inputmode": "numeric", "size": 10, "autocomplete": "off"}
        )
        return attrs


class ServiceForm(forms.Form):
    """A form whose data goes to a service; a ``BadInput`` from it becomes a form error.

    ``error_fields`` maps a service error code to the field it is about; other codes
    show above the form.
    """

    error_fields: ClassVar[dict[str, str]] = {}

    def add_service_error(self, exc: BadInput) -> None:
        field = self.error_fields.get(exc.code)
        self.add_error(field if field in self.fields else None, exc.message)


def render_form(
    request: HttpRequest, template: str, context: dict, *, form_key: str = "form"
) -> HttpResponse:
    """Render a page with a form: 400 if the form has errors, else 200."""
    form = context[form_key]
    status = 400 if form.is_bound and form.errors else 200
    return render(request, template, context, status=status)


def posted(request: HttpRequest):
    """The submitted data on POST; None (an unbound form) on GET."""
    return request.POST if request.method == "POST" else None
