"""Forms of the drafting pages: a new report, and the editor's header fields."""

from django import forms
from django.utils.translation import gettext_lazy as _

from trienkhai.drafting.models import Report, ReportTemplate
from trienkhai.web.forms import PeriodsField, UnitField
from trienkhai.web.labels import local_name


class TemplateChoiceField(forms.ModelChoiceField):
    """A report template by its name in the reader's language, not its code."""

    def label_from_instance(self, obj) -> str:
        return local_name(obj)


class NewReportForm(forms.Form):
    template = TemplateChoiceField(
        label=_("Mẫu báo cáo"),
        queryset=ReportTemplate.objects.filter(is_active=True),
        to_field_name="code",
        empty_label=None,
    )
    unit = UnitField(label=_("Đơn vị (số liệu của)"), help_text=_("Gõ tên đơn vị, không cần dấu"))
    issuer = UnitField(
        label=_("Đơn vị ban hành"), required=False, help_text=_("Để trống: chính đơn vị trên")
    )
    period = PeriodsField(
        label=_("Kỳ báo cáo"), help_text=_("Ví dụ: 6 tháng đầu năm 2020; Năm 2021; Năm 2019–2021")
    )
    directive = forms.CharField(
        label=_("Văn bản chỉ đạo"), required=False, help_text=_("Ví dụ 217-CV/HU; để trống: tự tìm")
    )

    figure_status = forms.ChoiceField(
        label=_("Số liệu"),
        required=False,
        choices=[
            ("", _("Theo mẫu báo cáo")),
            ("approved", _("Chỉ số liệu đã duyệt")),
            ("submitted", _("Đã gửi hoặc đã duyệt")),
            ("all", _("Tất cả, kể cả đang nhập")),
        ],
    )


class HeaderForm(forms.ModelForm):
    date = forms.DateField(
        label=_("Ngày ban hành"), input_formats=["%d/%m/%Y", "%Y-%m-%d"], help_text="dd/mm/yyyy"
    )
    # The directive by its symbol, as the list page takes it; not a model field of the
    # form: the service finds it in the unit's register (``update_report``).
    directive = forms.CharField(
        label=_("Văn bản chỉ đạo"),
        required=False,
        max_length=60,
        help_text=_(
            "Số, ký hiệu văn bản đi của đơn vị mà báo cáo trả lời, ví dụ 217-CV/HU; để trống "
            "nếu không có."
        ),
    )
    field_order = ["superior", "issuer_label", "place", "date", "title", "directive"]

    class Meta:
        model = Report
        fields = [
            "superior",
            "issuer_label",
            "place",
            "date",
            "title",
            "signer_for",
            "signer_position",
            "signer_name",
            "recipients",
        ]
        labels = {
            "superior": _("Cơ quan cấp trên"),
            "issuer_label": _("Cơ quan ban hành"),
            "place": _("Địa danh"),
            "title": _("Trích yếu"),
            "signer_for": _("Thẩm quyền ký (T/M, K/T …)"),
            "signer_position": _("Chức vụ người ký"),
            "signer_name": _("Họ tên người ký"),
            "recipients": _("Nơi nhận (mỗi dòng một nơi)"),
        }
        widgets = {
            # the editor's script shows its placeholders as figures (drafting/editor.js)
            "title": forms.Textarea(attrs={"rows": 2, "data-figures": ""}),
            "recipients": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["date"].widget.format = "%d/%m/%Y"
        if self.instance.directive_id:
            self.fields["directive"].initial = self.instance.directive.symbol
