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
from typing import ClassVar, TypeVar

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


class PeriodsField(forms.CharField):
    """Periods in words (``reporting.periods.read_span``): "6 tháng đầu năm 2020", "Năm
    2019–2021", "Quý III/2021", accents optional, or identifiers ("2020S1", "2019..2021").

    Cleans to the identifier text ("2020S1", "2019..2021"); ``several`` also takes a list
    separated by commas or semicolons ("2020S1, 2020S2") and cleans to the periods. A
    value shown again is shown in words; the input offers words as one types (a
    ``<datalist>``, no script).
    """

    def __init__(self, *, several: bool = False, **kwargs) -> None:
        kwargs.setdefault("max_length", 200)
        kwargs.setdefault("widget", PeriodsInput)
        super().__init__(**kwargs)
        self.several = several

    def clean(self, value):
        from trienkhai.reporting import periods

        text = super().clean(value)
        if not text:
            return [] if self.several else text
        try:
            if self.several:
                return read_periods(text)
            return periods.span_id(periods.read_span(text))
        except BadInput as exc:
            raise ValidationError(exc.shown, code=exc.code) from None


def read_periods(text: str) -> list:
    """``2020S1, 2020S2``, ``6 tháng đầu năm 2020; Năm 2021`` or ``2019..2021`` → the
    periods in order, each once. Parts are split by commas and semicolons; a part that is
    not one period or span in words may be identifiers split by spaces ("2020S1 2020S2")."""
    from trienkhai.reporting import periods

    found: list = []
    for part in (p.strip() for p in text.replace(";", ",").split(",")):
        if not part:
            continue
        try:
            read = periods.read_span(part)
        except BadInput:
            tokens = part.split()
            if len(tokens) < 2:
                raise
            read = [p for token in tokens for p in periods.read_span(token)]
        found += [p for p in read if p not in found]
    return found


class PeriodsInput(forms.TextInput):
    """A text input showing periods in words and offering words as one types."""

    template_name = "web/periods_input.html"

    def __init__(self, attrs=None) -> None:
        super().__init__({"autocomplete": "off", "spellcheck": "false", **(attrs or {})})

    def format_value(self, value):
        from trienkhai.reporting import periods

        if isinstance(value, list):
            return "; ".join(periods.span_label([p]) for p in value)
        text = super().format_value(value)
        if not text:
            return text
        try:
            return "; ".join(periods.span_label(periods.read_span(p)) for p in text.split(","))
        except BadInput:
            return text  # shown as typed, with the field's error beside it

    def get_context(self, name, value, attrs):
        from django.utils import timezone

        from trienkhai.reporting import periods

        context = super().get_context(name, value, attrs)
        context["widget"]["attrs"]["list"] = f"{context['widget']['attrs']['id']}-words"
        context["suggestions"] = periods.suggestions(timezone.localdate())
        return context


F = TypeVar("F", bound=forms.Form)


class UnitField(forms.CharField):
    """A unit chosen by name: "Huyện ủy Vĩnh Thuận (HU-VT)" as the picker writes it, a
    name alone (accents optional) when one unit the user may see bears it, or a code.

    Cleans to the ``Unit``. Set ``user`` (the form's ``for_user``) so that names are
    looked up only among the units the user may see; a code is looked up as before, and
    whether the user may use that unit stays the page's question.
    """

    default_error_messages = {
        "unknown": _("Không tìm thấy đơn vị “%(text)s”: chọn trong danh sách gợi ý."),
        "ambiguous": _("Có nhiều đơn vị tên “%(text)s”: %(names)s. Chọn một trong danh sách."),
    }

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("max_length", 300)
        kwargs.setdefault("widget", UnitInput)
        super().__init__(**kwargs)
        self.user = None

    def clean(self, value):
        from trienkhai.web import units as typed

        text = super().clean(value)
        if not text:
            return None
        found = typed.units_named(text, self.user)
        if not found:
            raise ValidationError(
                self.error_messages["unknown"], code="unknown", params={"text": text}
            )
        if len(found) > 1:
            names = typed.listed(found[:5])
            raise ValidationError(
                self.error_messages["ambiguous"],
                code="ambiguous",
                params={"text": text, "names": names},
            )
        return found[0].unit


class UnitInput(forms.TextInput):
    """A text input that offers units by name as one types: the user's own units at
    first, then (web/site.js) the units the API finds for what is typed."""

    template_name = "web/units_input.html"

    def __init__(self, attrs=None) -> None:
        super().__init__({"autocomplete": "off", "spellcheck": "false", **(attrs or {})})
        self.user = None

    def format_value(self, value):
        from trienkhai.web import units as typed

        if hasattr(value, "code"):
            value = value.code
        text = super().format_value(value)
        return typed.shown(text, self.user) if text else text

    def get_context(self, name, value, attrs):
        from trienkhai.web import units as typed

        context = super().get_context(name, value, attrs)
        context["widget"]["attrs"]["list"] = f"{context['widget']['attrs']['id']}-units"
        context["widget"]["attrs"]["data-units"] = "/api/v1/units"
        context["suggestions"] = typed.own_units(self.user) if self.user is not None else []
        return context


def for_user(form: F, user) -> F:
    """``form`` with its unit fields looking up (and offering) what ``user`` may see."""
    for field in form.fields.values():
        if isinstance(field, UnitField):
            field.user = user
            field.widget.user = user
    return form


class ServiceForm(forms.Form):
    """A form whose data goes to a service; a ``BadInput`` from it becomes a form error.

    ``error_fields`` maps a service error code to the field it is about; other codes
    show above the form.
    """

    error_fields: ClassVar[dict[str, str]] = {}

    def add_service_error(self, exc: BadInput) -> None:
        field = self.error_fields.get(exc.code)
        self.add_error(field if field in self.fields else None, exc.shown)


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
