"""The filters of the analytics pages, read from the query string (GET: a view is a link).

Parameter names are Vietnamese like the other pages' (``ngay``): ``chi_tieu`` (indicator
codes, repeated), ``ky`` (periods and spans in words or identifiers: ``6 tháng đầu năm
2020; Năm 2019–2021``, ``2020S1, 2020S2``, ``2019..2021``),
``don_vi`` (a unit: "Name (CODE)", a name or a code), ``cap`` (levels below it: 0 the unit itself, 1 its
subordinates), ``ngay`` (as of: totals mapped onto the structure of that day),
``hang``/``hang2``/``cot`` (the pivot's rows and columns), ``so_voi`` (the period
compared with), ``loai`` (bar or line chart).
"""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from trienkhai.analytics.pivot import DIMENSION_LABELS, DIMENSIONS
from trienkhai.common.errors import BadInput
from trienkhai.orgs.models import Unit
from trienkhai.reporting import statuses
from trienkhai.reporting.models import Indicator
from trienkhai.reporting.periods import Period
from trienkhai.vn.text import sort_key
from trienkhai.web.forms import PeriodsField, UnitField, VnDateField
from trienkhai.web.labels import local_name

MAX_PERIODS = 24
MAX_LEVEL = 4
DIMENSION_CHOICES = [(d, DIMENSION_LABELS[d]) for d in DIMENSIONS]


INDICATOR_GROUPS = (
    ("typed", _("Nhập trong báo cáo")),
    ("formula", _("Tính từ chỉ tiêu khác")),
    ("sourced", _("Đếm từ sổ hoạt động")),
)


def indicator_choices() -> list[tuple[str, list[tuple[str, str]]]]:
    """The numeric indicators by name in the reader's language (Vietnamese order), in
    groups by where their figures come from: typed in reports, computed from other
    indicators, counted from the activity registers. The code is not in the label (a
    clerk picks by name); the page's search finds it by name or code."""
    groups: dict[str, list[Indicator]] = {key: [] for key, _label in INDICATOR_GROUPS}
    for indicator in Indicator.objects.exclude(value_type=Indicator.ValueType.TEXT):
        if indicator.is_sourced:
            groups["sourced"].append(indicator)
        elif indicator.formula:
            groups["formula"].append(indicator)
        else:
            groups["typed"].append(indicator)
    return [
        (
            str(label),
            [
                (i.code, local_name(i))
                for i in sorted(groups[key], key=lambda i: sort_key(local_name(i)))
            ],
        )
        for key, label in INDICATOR_GROUPS
        if groups[key]
    ]


class FiltersForm(forms.Form):
    """What every analytics page asks: indicators, periods, a unit and a level, a date."""

    chi_tieu = forms.MultipleChoiceField(
        label=_("Chỉ tiêu"),
        required=True,
        error_messages={
            "invalid_choice": _("Không có chỉ tiêu “%(value)s” / unknown indicator"),
            "required": _("Chọn ít nhất một chỉ tiêu."),
        },
        widget=forms.CheckboxSelectMultiple,
    )
    ky = PeriodsField(
        label=_("Kỳ"),
        several=True,
        help_text=_("Ví dụ: 6 tháng đầu năm 2020; Năm 2019–2021; Quý III/2021"),
    )
    don_vi = UnitField(label=_("Đơn vị"), help_text=_("Gõ tên đơn vị, không cần dấu"))
    cap = forms.TypedChoiceField(
        label=_("Xem theo"),
        coerce=int,
        initial=1,
        choices=[
            (0, _("Chính đơn vị này")),
            (1, _("Đơn vị trực thuộc (cấp dưới 1)")),
            (2, _("Cấp dưới 2")),
            (3, _("Cấp dưới 3")),
            (4, _("Cấp dưới 4")),
        ],
    )
    trang_thai = forms.ChoiceField(
        label=_("Số liệu"),
        required=False,
        initial=statuses.DEFAULT,
        choices=[
            ("approved", _("Đã duyệt")),
            ("submitted", _("Đã gửi hoặc đã duyệt")),
            ("all", _("Tất cả, kể cả đang nhập")),
        ],
        help_text=_("Tổng chỉ cộng số liệu có trạng thái này."),
    )
    ngay = VnDateField(
        label=_("Theo cơ cấu ngày"),
        required=False,
        help_text=_("Để trống: cơ cấu của từng kỳ. Có ngày: số liệu quy về đơn vị của ngày đó."),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["chi_tieu"].choices = indicator_choices()  # type: ignore[attr-defined]

    def clean_ky(self) -> list[Period]:
        periods = self.cleaned_data["ky"]
        if not periods:
            raise ValidationError(_("Nhập ít nhất một kỳ."))
        if len(periods) > MAX_PERIODS:
            raise ValidationError(_("Tối đa %(n)d kỳ một lần.") % {"n": MAX_PERIODS})
        return periods

    def clean_don_vi(self) -> Unit:
        return Unit.objects.prefetch_related("versions").get(pk=self.cleaned_data["don_vi"].pk)


class PivotForm(FiltersForm):
    hang = forms.ChoiceField(label=_("Hàng"), choices=DIMENSION_CHOICES, initial="unit")
    hang2 = forms.ChoiceField(
        label=_("Hàng phụ"), choices=[("", "—"), *DIMENSION_CHOICES], required=False
    )
    cot = forms.ChoiceField(label=_("Cột"), choices=DIMENSION_CHOICES, initial="period")

    def clean(self) -> dict:
        data = super().clean() or {}
        placed = [d for d in (data.get("hang"), data.get("hang2"), data.get("cot")) if d]
        if len(set(placed)) != len(placed):
            raise ValidationError(_("Hàng, hàng phụ và cột phải là các chiều khác nhau."))
        return data


class CompareForm(FiltersForm):
    """This period (or span) against another: ``ky=2021S1&so_voi=2020S1``."""

    so_voi = PeriodsField(
        label=_("So với kỳ"), help_text=_("Ví dụ: 6 tháng đầu năm 2020 (cùng kỳ năm trước)")
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["ky"] = PeriodsField(label=_("Kỳ"), help_text=self.fields["ky"].help_text)

    def clean_ky(self) -> str:  # type: ignore[override]
        return _one_period(self.cleaned_data["ky"])

    def clean_so_voi(self) -> str:
        return _one_period(self.cleaned_data["so_voi"])


def _one_period(text: str) -> str:
    """One period or one span, as the engine takes it."""
    from trienkhai.analytics import spans

    try:
        return spans.asked(text.strip()).text
    except BadInput as exc:
        raise ValidationError(exc.shown) from None


class ChartForm(FiltersForm):
    loai = forms.ChoiceField(
        label=_("Loại biểu đồ"),
        choices=[("cot", _("Biểu đồ cột")), ("duong", _("Biểu đồ đường"))],
        initial="cot",
    )
