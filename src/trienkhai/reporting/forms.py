"""Forms of the reporting pages: the decisions on a report, the one-cell JSON save, and
the administration of indicators, disaggregations and forms."""

from django import forms
from django.utils.translation import gettext_lazy as _
from pydantic import BaseModel, ValidationError

from trienkhai.common.errors import BadInput
from trienkhai.reporting import services
from trienkhai.reporting.models import Disaggregation, Indicator, ValidationRule
from trienkhai.reporting.periods import Calendar, PeriodType
from trienkhai.web.forms import PeriodsField, ServiceForm, VnDateField
from trienkhai.web.labels import local_name


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
    code = forms.CharField(label=_("Mã chỉ tiêu"), max_length=40)
    name = forms.CharField(label=_("Tên chỉ tiêu"), max_length=300)
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


class ReportFormForm(ServiceForm):
    """A new reporting form: who issues it, its period, its indicators, who reports it."""

    owner = forms.CharField(label=_("Mã đơn vị ban hành"), max_length=40)
    code = forms.CharField(label=_("Mã biểu"), max_length=40)
    name = forms.CharField(label=_("Tên biểu"), max_length=300)
    period_type = forms.ChoiceField(
        label=_("Loại kỳ"),
        choices=[
            (PeriodType.YEARLY.value, _("Năm")),
            (PeriodType.SIXMONTHLY.value, _("6 tháng")),
            (PeriodType.QUARTERLY.value, _("Quý")),
            (PeriodType.MONTHLY.value, _("Tháng")),
        ],
    )
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
    indicators = forms.CharField(
        label=_("Mã các chỉ tiêu, theo thứ tự"), widget=forms.Textarea(attrs={"rows": 4})
    )
    units = forms.CharField(
        label=_("Mã các đơn vị báo cáo"),
        required=False,
        help_text=_("Cách nhau bởi dấu phẩy; hoặc để trống và chọn loại/cấp đơn vị."),
    )
    kind = forms.CharField(label=_("Loại đơn vị báo cáo"), max_length=40, required=False)
    level = forms.IntegerField(
        label=_("Cấp dưới đơn vị ban hành (1 = trực thuộc)"), min_value=1, required=False
    )
    valid_from = VnDateField(label=_("Áp dụng từ ngày"))
    rules = forms.ChoiceField(
        label=_("Khi còn quy tắc kiểm tra chưa đạt"),
        choices=RULES_CHOICES,
        widget=forms.RadioSelect,
        initial="block",
        required=False,
    )
    error_fields = {
        "duplicate_code": "code",
        "invalid_period_type": "period_type",
        "unknown_indicator": "indicators",
        "no_indicators": "indicators",
        "unit_outside_owner": "units",
        "unknown_kind": "kind",
    }

    def clean_indicators(self) -> list[str]:
        return _codes(self.cleaned_data["indicators"])

    def clean_units(self) -> list[str]:
        return _codes(self.cleaned_data["units"])


class MembershipForm(ServiceForm):
    """Add an indicator to a form, or take it out, from a day."""

    indicator = forms.CharField(label=_("Mã chỉ tiêu"), max_length=40)
    on = VnDateField(label=_("Từ ngày"))
    error_fields = {
        "unknown_indicator": "indicator",
        "already_in_form": "indicator",
        "not_in_form": "indicator",
    }


class RuleForm(ServiceForm):
    left = forms.CharField(label=_("Vế trái"), max_length=500)
    operator = forms.ChoiceField(label=_("So sánh"), choices=ValidationRule.Operator.choices)
    right = forms.CharField(label=_("Vế phải"), max_length=500)
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
    title = forms.CharField(label=_("Tên phần"), max_length=300)
    order = forms.IntegerField(label=_("Thứ tự (1 = đầu tiên)"), min_value=1, required=False)
    error_fields = {"title_required": "title"}


class MoveForm(ServiceForm):
    """Show an indicator under a section of the form (empty: outside any)."""

    indicator = forms.CharField(label=_("Mã chỉ tiêu"), max_length=40)
    section = forms.IntegerField(label=_("Phần"), required=False, widget=forms.Select)
    error_fields = {"not_in_form": "indicator", "unknown_indicator": "indicator"}

    def __init__(self, *args, sections=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["section"].widget.choices = [("", _("(ngoài các phần)"))] + [
            (s.pk, s.title) for s in sections
        ]


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
        field.choices = [(i.code, local_name(i)) for i in indicators]


class UnitsForm(ServiceForm):
    """Who reports the form from a day on."""

    units = forms.CharField(
        label=_("Mã các đơn vị báo cáo"),
        required=False,
        help_text=_("Cách nhau bởi dấu phẩy; hoặc để trống và chọn loại/cấp đơn vị."),
    )
    kind = forms.CharField(label=_("Loại đơn vị báo cáo"), max_length=40, required=False)
    level = forms.IntegerField(
        label=_("Cấp dưới đơn vị ban hành (1 = trực thuộc)"), min_value=1, required=False
    )
    valid_from = VnDateField(label=_("Áp dụng từ ngày"))
    error_fields = {"unit_outside_owner": "units", "unknown_kind": "kind", "no_units": "units"}

    def clean_units(self) -> list[str]:
        return _codes(self.cleaned_data["units"])
