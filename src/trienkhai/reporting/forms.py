"""Forms of the reporting pages: the decisions on a report, the one-cell JSON save, and
the administration of indicators, disaggregations and forms."""

from django import forms
from django.utils.translation import gettext_lazy as _
from pydantic import BaseModel, ValidationError

from trienkhai.common.errors import BadInput
from trienkhai.orgs.models import UnitKind
from trienkhai.reporting import services
from trienkhai.reporting.models import Disaggregation, Indicator, ValidationRule
from trienkhai.reporting.periods import Calendar, PeriodType
from trienkhai.web import labels
from trienkhai.web.forms import PeriodsField, ServiceForm, UnitField, VnDateField


class CommentForm(ServiceForm):
    """Return or unlock: the reason is required, and the reporter reads it."""

    comment = forms.CharField(
        label=_("Lý do"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
    )
    error_fields = {"comment_required": "comment"}


class ListPeriodsForm(forms.Form):
    """The report list's period picker: periods in words ("6 tháng đầu năm 2020")."""

    ky = PeriodsField(
        label=_("Kỳ báo cáo"),
        several=True,
        required=False,
        help_text=_("Để trống: kỳ này và các kỳ gần đây. Ví dụ: 6 tháng đầu năm 2020; Năm 2021"),
    )


class _Cell(BaseModel):
    indicator: str
    option: str = ""
    value: str | int | float | None = None
    comment: str | None = None
    version: int | None = None


class _Cells(BaseModel):
    cells: list[_Cell]


MAX_CELLS = 5000
"""A pasted block larger than this is refused: no form has that many cells."""


def parse_cells(body: bytes) -> list[services.CellInput]:
    """The cells of a save request ``{"cells": [{"indicator", "option", "value", ...}]}``."""
    try:
        parsed = _Cells.model_validate_json(body or b"{}")
    except ValidationError as exc:
        raise BadInput(
            "invalid_input",
            f"Dữ liệu không hợp lệ / invalid input: {exc.errors()[0].get('msg', '')}",
        ) from None
    if not parsed.cells or len(parsed.cells) > MAX_CELLS:
        raise BadInput("invalid_input", "Không có ô nào để lưu / no cells to save")
    return [services.CellInput(**cell.model_dump()) for cell in parsed.cells]


# The administration pages (/bao-cao/quan-tri/) -------------------------------------------


def _codes(text: str) -> list[str]:
    """Codes typed one per line or separated by commas or spaces, in order."""
    return [c for c in text.replace(",", " ").split() if c]


class IndicatorForm(ServiceForm):
    name = forms.CharField(label=_("Tên chỉ tiêu"), max_length=300)
    code = forms.CharField(
        label=_("Mã chỉ tiêu (không bắt buộc)"),
        max_length=40,
        required=False,
        help_text=_(
            "Để trống: mã được tạo từ tên chỉ tiêu. Công thức và quy tắc gọi chỉ tiêu bằng mã này."
        ),
    )
    name_en = forms.CharField(label=_("Tên tiếng Anh"), max_length=300, required=False)
    value_type = forms.ChoiceField(label=_("Kiểu giá trị"), choices=Indicator.ValueType.choices)
    aggregation = forms.ChoiceField(label=_("Cách tổng hợp"), choices=Indicator.Aggregation.choices)
    unit_of_measure = forms.CharField(label=_("Đơn vị tính"), max_length=50, required=False)
    disaggregation = forms.ModelChoiceField(
        label=_("Phân tổ"),
        queryset=Disaggregation.objects.order_by("code"),
        to_field_name="code",
        required=False,
    )
    formula = forms.CharField(
        label=_("Công thức (chỉ tiêu tính toán)"),
        max_length=500,
        required=False,
        help_text=_("Ví dụ: luot_nguoi / lop_da_mo"),
    )
    allow_negative = forms.BooleanField(
        label=_("Cho phép số âm"),
        required=False,
        help_text=_("Số nguyên và số thập phân được nhỏ hơn 0 (mức tăng giảm, số dư)."),
    )
    min_value = forms.DecimalField(
        label=_("Giá trị nhỏ nhất"),
        max_digits=20,
        decimal_places=4,
        required=False,
        help_text=_("Để trống nếu không giới hạn."),
    )
    max_value = forms.DecimalField(
        label=_("Giá trị lớn nhất"),
        max_digits=20,
        decimal_places=4,
        required=False,
        help_text=_("Để trống nếu không giới hạn."),
    )
    parent_figure = forms.ChoiceField(
        label=_("Số của đơn vị cấp trên"),
        choices=Indicator.ParentFigure.choices,
        required=False,
    )
    error_fields = {
        "invalid_code": "code",
        "duplicate_code": "code",
        "invalid_formula": "formula",
        "unknown_indicator": "formula",
        "invalid_parent_figure": "parent_figure",
    }
    # Kept as they are when a post leaves them out altogether (a page or client older
    # than these fields): the service replaces every field it is given, and a field
    # missing from the post would otherwise read as empty and wipe what was stored.
    kept_when_absent = ("min_value", "max_value", "parent_figure")

    def clean(self) -> dict:
        data = super().clean() or {}
        for name in self.kept_when_absent:
            if self.is_bound and self.add_prefix(name) not in self.data:
                data[name] = self.get_initial_for_field(self.fields[name], name)
        data["parent_figure"] = data.get("parent_figure") or Indicator.ParentFigure.ADD
        low, high = data.get("min_value"), data.get("max_value")
        if low is not None and high is not None and low > high:
            self.add_error("max_value", _("Giá trị lớn nhất phải không nhỏ hơn giá trị nhỏ nhất."))
        return data


class DisaggregationForm(ServiceForm):
    code = forms.CharField(label=_("Mã phân tổ"), max_length=40)
    name = forms.CharField(label=_("Tên phân tổ"), max_length=200)
    name_en = forms.CharField(label=_("Tên tiếng Anh"), max_length=200, required=False)
    options = forms.CharField(
        label=_("Các lựa chọn"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Mỗi dòng một lựa chọn: mã: tên, ví dụ dang_vien: Đảng viên"),
    )
    error_fields = {
        "invalid_code": "code",
        "duplicate_code": "code",
        "invalid_options": "options",
    }

    def clean_options(self) -> list[tuple[str, str]]:
        options = []
        for line in self.cleaned_data["options"].splitlines():
            if not line.strip():
                continue
            code, _sep, name = line.partition(":")
            if not name.strip():
                raise forms.ValidationError(
                    _("Mỗi dòng cần mã và tên, cách nhau bởi dấu hai chấm.")
                )
            options.append((code.strip(), name.strip()))
        return options


RULES_CHOICES = [
    ("block", _("Không cho gửi cho đến khi mọi quy tắc đều đạt")),
    ("confirm", _("Cho gửi khi người gửi ghi giải trình; cấp trên đọc giải trình khi duyệt")),
]


PERIOD_TYPE_CHOICES = [
    (PeriodType.YEARLY.value, _("Năm")),
    (PeriodType.SIXMONTHLY.value, _("6 tháng")),
    (PeriodType.QUARTERLY.value, _("Quý")),
    (PeriodType.MONTHLY.value, _("Tháng")),
]
LEVEL_CHOICES = [
    ("", _("(không chọn theo cấp)")),
    ("1", _("Trực thuộc đơn vị ban hành")),
    ("2", _("Dưới đơn vị ban hành hai cấp")),
    ("3", _("Dưới đơn vị ban hành ba cấp")),
    ("4", _("Dưới đơn vị ban hành bốn cấp")),
]


class KindsField(forms.ModelMultipleChoiceField):
    """Unit kinds chosen by their names in the reader's language, as check boxes (the
    keyboard and a phone work them as they are): none, one or several (``kind=A&kind=B``;
    a post of one kind as before the check boxes reads the same)."""

    widget = forms.CheckboxSelectMultiple

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("queryset", UnitKind.objects.order_by("sort_order", "code"))
        kwargs.setdefault("to_field_name", "code")
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def clean(self, value):
        # The select of one kind before the check boxes posted "" for "no kind".
        if isinstance(value, str):
            value = [value]
        return super().clean([v for v in value or [] if v])

    def label_from_instance(self, obj) -> str:
        return labels.local_name(obj)


class PickedUnits(forms.Field):
    """The units already chosen one by one: each posted as its code (``units=C1&units=C2``,
    the page's check boxes), or a name as the picker writes it."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value) -> list[str]:
        if not value:
            return []
        if isinstance(value, str):
            value = [value]
        # Clients older than the check boxes post one text: "C1, C2" or a line each.
        split = (part for v in value for part in str(v).replace("\n", ",").split(","))
        return [part.strip() for part in split if part.strip()]


class ReportingUnitsForm(ServiceForm):
    """Who reports a form: units one by one (check boxes and a unit picker), and every unit
    of any of the kinds chosen and/or at a level under the owner. ``chosen`` (after ``is_valid``) is the
    units picked one by one, each once, in order."""

    units = PickedUnits(label=_("Đơn vị đã chọn"), required=False)
    unit = UnitField(
        label=_("Thêm từng đơn vị"),
        required=False,
        help_text=_("Gõ vài chữ của tên đơn vị rồi chọn trong danh sách."),
    )
    kind = KindsField(
        label=_("Mọi đơn vị thuộc loại"),
        help_text=_("Chọn một hay nhiều loại: đơn vị thuộc bất kỳ loại nào đã chọn đều báo cáo."),
    )
    level = forms.TypedChoiceField(
        label=_("Ở cấp"),
        choices=LEVEL_CHOICES,
        coerce=int,
        empty_value=None,
        required=False,
    )
    valid_from = VnDateField(label=_("Áp dụng từ ngày"))
    error_fields = {"unit_outside_owner": "unit", "unknown_kind": "kind", "no_units": "unit"}

    def clean(self) -> dict:
        from trienkhai.web import units as typed

        data = super().clean() or {}
        chosen: list = []
        for text in data.get("units") or []:
            found = typed.units_named(text, getattr(self.fields["unit"], "user", None))
            if len(found) != 1:
                self.add_error("unit", _("Không tìm thấy đơn vị “%(text)s”.") % {"text": text})
                continue
            chosen.append(found[0].unit)
        if data.get("unit") is not None:
            chosen.append(data["unit"])
        self.chosen = list(dict.fromkeys(chosen))
        return data

    def shown_units(self) -> list[tuple[str, str]]:
        """(code, "Name (CODE)") of the units chosen one by one, for the check boxes shown
        again: what ``clean`` found, or what was posted as it was."""
        from trienkhai.web import units as typed

        if hasattr(self, "chosen"):
            latest = [u.latest_version() for u in self.chosen]
            return [(v.unit.code, typed.picked(v)) for v in latest]
        if not self.is_bound:
            user = getattr(self.fields["unit"], "user", None)
            return [(code, typed.shown(code, user)) for code in self.initial.get("units", [])]
        posted = (
            self.data.getlist(self.add_prefix("units")) if hasattr(self.data, "getlist") else []
        )
        return [(code, code) for code in posted]


class ReportFormForm(ReportingUnitsForm):
    """A new reporting form, by names: who issues it (the unit picker), its name (its code
    is made from it unless given), its period in words, its indicators chosen from a list
    in the order wanted, who reports it. ``confirm`` accepts the warnings the page gave
    (an owner that has ended, no reporting unit)."""

    owner = UnitField(
        label=_("Đơn vị ban hành"),
        help_text=_("Đơn vị bạn quản lý. Gõ vài chữ của tên rồi chọn trong danh sách."),
    )
    name = forms.CharField(label=_("Tên biểu"), max_length=300)
    code = forms.RegexField(
        label=_("Mã biểu (không bắt buộc)"),
        regex=r"^[A-Za-z0-9][A-Za-z0-9._-]*$",
        max_length=40,
        required=False,
        help_text=_(
            "Để trống: mã ngắn gồm chữ đầu các từ của tên biểu, ví dụ BCQ-CTHTNQ; gõ mã khác "
            "nếu muốn. Mã hiện sau tên biểu và trong địa chỉ trang."
        ),
        error_messages={
            "invalid": _(
                "Mã biểu chỉ gồm chữ không dấu, chữ số, dấu gạch ngang hoặc dấu chấm, "
                "ví dụ BC35-VT-6T."
            )
        },
    )
    period_type = forms.ChoiceField(label=_("Báo cáo theo kỳ"), choices=PERIOD_TYPE_CHOICES)
    calendar = forms.ChoiceField(
        label=_("Lịch báo cáo"),
        choices=[
            (Calendar.GREGORIAN.value, _("Theo tháng dương lịch")),
            (Calendar.ND09.value, _("Theo Nghị định 09/2019/NĐ-CP")),
        ],
    )
    deadline_days = forms.IntegerField(
        label=_("Hạn gửi (số ngày sau khi hết kỳ)"), min_value=0, max_value=366, initial=10
    )
    indicators = forms.MultipleChoiceField(
        label=_("Chỉ tiêu của biểu"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": _("Chọn ít nhất một chỉ tiêu."),
            "invalid_choice": _("Không có chỉ tiêu “%(value)s”."),
        },
    )
    rules = forms.ChoiceField(
        label=_("Khi còn quy tắc kiểm tra chưa đạt"),
        choices=RULES_CHOICES,
        widget=forms.RadioSelect,
        initial="block",
        required=False,
    )
    confirm = forms.BooleanField(
        label=_("Tôi đã đọc các cảnh báo trên và vẫn tạo biểu."), required=False
    )
    field_order = ["owner", "name", "code", "period_type", "calendar", "deadline_days"]
    error_fields = {
        **ReportingUnitsForm.error_fields,
        "duplicate_code": "code",
        "invalid_period_type": "period_type",
        "unknown_indicator": "indicators",
        "no_indicators": "indicators",
        "unconfirmed": "confirm",
    }

    def __init__(self, *args, indicators=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["indicators"]
        assert isinstance(field, forms.MultipleChoiceField)
        field.choices = [(row.code, row.name) for row in indicators]


class MembershipForm(ServiceForm):
    """Add an indicator to a form, or take it out, from a day: the indicator chosen by
    its name among ``indicators`` (those not in the form, or those in it)."""

    indicator = forms.ChoiceField(label=_("Chỉ tiêu"))
    on = VnDateField(label=_("Từ ngày"))
    error_fields = {
        "unknown_indicator": "indicator",
        "already_in_form": "indicator",
        "not_in_form": "indicator",
    }

    def __init__(self, *args, indicators=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["indicator"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", _("— chọn chỉ tiêu —"))] + [
            (i.code, labels.local_name(i)) for i in indicators
        ]


class RuleForm(ServiceForm):
    left = forms.CharField(
        label=_("Vế trái"),
        max_length=500,
        help_text=_("Tên một chỉ tiêu của biểu, hoặc công thức bằng mã chỉ tiêu."),
    )
    operator = forms.ChoiceField(label=_("So sánh"), choices=ValidationRule.Operator.choices)
    right = forms.CharField(
        label=_("Vế phải"),
        max_length=500,
        help_text=_("Tên một chỉ tiêu của biểu, hoặc công thức bằng mã chỉ tiêu."),
    )
    message = forms.CharField(label=_("Thông báo khi không đạt"), max_length=300)
    error_fields = {"invalid_operator": "operator"}


class IndicatorEditForm(IndicatorForm):
    """An indicator's fields but its code (files and formulas name it)."""

    code = None  # type: ignore[assignment]
    error_fields = {
        **IndicatorForm.error_fields,
        "has_values": "value_type",
        "invalid_value_type": "value_type",
        "invalid_aggregation": "aggregation",
    }


class DisaggregationEditForm(DisaggregationForm):
    code = None  # type: ignore[assignment]
    error_fields = {**DisaggregationForm.error_fields, "option_in_use": "options"}


class SectionForm(ServiceForm):
    """A section's title in both languages and its place among the form's sections."""

    title = forms.CharField(label=_("Tên phần"), max_length=300)
    title_en = forms.CharField(label=_("Tên phần (tiếng Anh)"), max_length=300, required=False)
    order = forms.IntegerField(
        label=_("Thứ tự giữa các phần (1 = phần đầu tiên)"),
        min_value=1,
        required=False,
        help_text=_(
            "Phần đi cùng các chỉ tiêu của nó. Chỉ tiêu chưa thuộc phần nào luôn đứng trước "
            "các phần."
        ),
    )
    error_fields = {"title_required": "title"}


def placed_choices(placed) -> list[tuple[str, str]]:
    """(code, "Name (phần “Section”)") of a form's indicators in the grid's order, from
    (indicator, its section or None) pairs: which section each one is in now."""
    return [
        (
            indicator.code,
            _("%(name)s (phần “%(section)s”)")
            % {"name": labels.local_name(indicator), "section": labels.local_name(section)}
            if section is not None
            else _("%(name)s (chưa thuộc phần nào)") % {"name": labels.local_name(indicator)},
        )
        for indicator, section in placed
    ]


class NewSectionForm(ServiceForm):
    """A new section, placed just above one of the form's indicators (``placed``: the
    indicators with their sections, in the grid's order), or at the end."""

    title = forms.CharField(label=_("Tên phần"), max_length=300)
    title_en = forms.CharField(label=_("Tên phần (tiếng Anh)"), max_length=300, required=False)
    before = forms.ChoiceField(
        label=_("Đặt phần này ngay trên chỉ tiêu"),
        required=False,
        help_text=_(
            "Phần mới gồm chỉ tiêu này và các chỉ tiêu dưới nó, đến phần kế tiếp: chỉ tiêu "
            "đứng dưới phần nào thì thuộc phần đó. Chọn “Cuối biểu” để thêm một phần trống."
        ),
    )
    error_fields = {"title_required": "title", "not_in_form": "before"}

    def __init__(self, *args, placed=(), **kwargs) -> None:
        placed = list(placed)
        loose = [indicator.code for indicator, section in placed if section is None]
        kwargs.setdefault("initial", {"before": loose[0] if loose else ""})
        super().__init__(*args, **kwargs)
        field = self.fields["before"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [
            *placed_choices(placed),
            ("", _("Cuối biểu (phần trống, chuyển chỉ tiêu vào sau)")),
        ]


class MoveForm(ServiceForm):
    """Several of the form's indicators (check boxes) shown under one section (empty:
    outside any), at once."""

    indicators = forms.MultipleChoiceField(
        label=_("Các chỉ tiêu cần chuyển"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Đánh dấu ít nhất một chỉ tiêu để chuyển.")},
    )
    section = forms.IntegerField(label=_("Vào phần"), required=False, widget=forms.Select)
    error_fields = {
        "not_in_form": "indicators",
        "unknown_indicator": "indicators",
        "no_indicators": "indicators",
        "unknown_section": "section",
    }

    def __init__(self, *args, sections=(), placed=(), **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["indicators"]
        assert isinstance(field, forms.MultipleChoiceField)
        field.choices = placed_choices(placed)
        self.fields["section"].widget.choices = [("", _("(ngoài các phần)"))] + [
            (s.pk, labels.local_name(s)) for s in sections
        ]


class FormSettingsForm(ServiceForm):
    """A form's name in both languages, its period, calendar and deadline, after it was
    made (the period and calendar only while nothing was entered: the service says so)."""

    name = forms.CharField(label=_("Tên biểu"), max_length=300)
    name_en = forms.CharField(label=_("Tên biểu bằng tiếng Anh"), max_length=300, required=False)
    period_type = forms.ChoiceField(label=_("Báo cáo theo kỳ"), choices=PERIOD_TYPE_CHOICES)
    calendar = forms.ChoiceField(
        label=_("Lịch báo cáo"),
        choices=[
            (Calendar.GREGORIAN.value, _("Theo tháng dương lịch")),
            (Calendar.ND09.value, _("Theo Nghị định 09/2019/NĐ-CP")),
        ],
    )
    deadline_days = forms.IntegerField(
        label=_("Hạn gửi (số ngày sau khi hết kỳ)"), min_value=0, max_value=366
    )
    error_fields = {
        "invalid_name": "name",
        "invalid_deadline": "deadline_days",
        "invalid_period_type": "period_type",
        "invalid_calendar": "calendar",
        "form_has_data": "period_type",
    }


class SubmissionRulesForm(ServiceForm):
    """What a submission must satisfy: compulsory indicators (by name) and what failed
    validation rules do."""

    compulsory = forms.MultipleChoiceField(
        label=_("Chỉ tiêu bắt buộc nhập"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Báo cáo chỉ gửi được khi mọi ô của các chỉ tiêu này đã nhập "
            "(chỉ tiêu có phân tổ: mọi lựa chọn)."
        ),
    )
    rules = forms.ChoiceField(
        label=_("Khi còn quy tắc kiểm tra chưa đạt"),
        choices=RULES_CHOICES,
        widget=forms.RadioSelect,
    )
    error_fields = {"invalid_compulsory": "compulsory"}

    def __init__(self, *args, indicators=(), **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["compulsory"]
        assert isinstance(field, forms.MultipleChoiceField)
        field.choices = [(i.code, labels.local_name(i)) for i in indicators]


class UnitsForm(ReportingUnitsForm):
    """Who reports the form from a day on."""
