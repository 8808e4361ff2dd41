"""The forms of the document pages: register a draft or an incoming document, assign, answer."""

from typing import ClassVar

from django import forms
from django.utils.translation import gettext_lazy as _

from trienkhai.documents.models import Document
from trienkhai.web.forms import ServiceForm, VnDateField


class DraftForm(ServiceForm):
    type = forms.CharField(
        label=_("Loại văn bản"),
        max_length=10,
        help_text=_("Mã loại như in trên văn bản: KH, BC, CV, QĐ, TTr ..."),
    )
    date = VnDateField(label=_("Ngày văn bản"))
    summary = forms.CharField(label=_("Trích yếu"), widget=forms.Textarea(attrs={"rows": 3}))
    signer = forms.CharField(label=_("Người ký"), required=False, max_length=100)
    signer_authority = forms.ChoiceField(
        label=_("Thẩm quyền ký"), choices=Document.Authority.choices, required=False
    )
    recipients = forms.CharField(
        label=_("Nơi nhận"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Mỗi dòng một nơi nhận; cần có trước khi cấp số."),
    )
    unit_suffix = forms.CharField(
        label=_("Đơn vị soạn thảo (công văn Nhà nước)"), required=False, max_length=20
    )
    error_fields: ClassVar[dict[str, str]] = {
        "unknown_type": "type",
        "issuer_not_existing": "date",
        "empty_summary": "summary",
        "invalid_authority": "signer_authority",
    }


class DraftEditForm(ServiceForm):
    """A draft's text and signature (``services.DRAFT_FIELDS``); what issuing needs."""

    date = VnDateField(label=_("Ngày văn bản"))
    summary = forms.CharField(label=_("Trích yếu"), widget=forms.Textarea(attrs={"rows": 3}))
    signer = forms.CharField(label=_("Người ký"), required=False, max_length=100)
    signer_authority = forms.ChoiceField(
        label=_("Thẩm quyền ký"), choices=Document.Authority.choices, required=False
    )
    recipients = forms.CharField(
        label=_("Nơi nhận"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Mỗi dòng một nơi nhận; cần có trước khi cấp số."),
    )
    error_fields: ClassVar[dict[str, str]] = {
        "issuer_not_existing": "date",
        "unknown_type": "date",
        "empty_summary": "summary",
        "invalid_authority": "signer_authority",
    }


class AttachForm(forms.Form):
    file = forms.FileField(label=_("Tệp đính kèm (.docx, .pdf, .jpg, .png, .tif)"))


class IncomingForm(ServiceForm):
    issuer_name = forms.CharField(label=_("Cơ quan ban hành (tác giả)"), max_length=200)
    profile = forms.ChoiceField(
        label=_("Hệ văn bản"), choices=[("party", _("Đảng")), ("state", _("Nhà nước"))]
    )
    type = forms.CharField(label=_("Loại văn bản"), max_length=10)
    symbol = forms.CharField(label=_("Số, ký hiệu"), max_length=80)
    date = VnDateField(label=_("Ngày văn bản"))
    received_date = VnDateField(label=_("Ngày đến"))
    received_number = forms.IntegerField(
        label=_("Số đến"),
        required=False,
        min_value=1,
        help_text=_("Để trống: hệ thống cấp số đến tiếp theo của năm."),
    )
    summary = forms.CharField(label=_("Trích yếu"), widget=forms.Textarea(attrs={"rows": 3}))
    signer = forms.CharField(label=_("Người ký"), required=False, max_length=100)
    error_fields: ClassVar[dict[str, str]] = {
        "unknown_type": "type",
        "symbol_required": "symbol",
        "duplicate_incoming": "symbol",
        "duplicate_received_number": "received_number",
        "invalid_received_number": "received_number",
        "received_before_date": "received_date",
        "empty_summary": "summary",
    }


class AssignForm(ServiceForm):
    CHOOSE = [
        ("units", _("Các đơn vị liệt kê dưới đây")),
        ("kind", _("Mọi đơn vị thuộc một loại")),
        ("level", _("Mọi đơn vị ở một cấp dưới")),
    ]
    how = forms.ChoiceField(label=_("Giao cho"), choices=CHOOSE, widget=forms.RadioSelect)
    units = forms.CharField(
        label=_("Mã đơn vị"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Mỗi mã một dòng hoặc cách nhau bởi dấu phẩy."),
    )
    kind = forms.ChoiceField(label=_("Loại đơn vị"), required=False)
    level = forms.IntegerField(label=_("Cấp dưới"), required=False, min_value=1, initial=1)
    due = VnDateField(label=_("Hạn trả lời"))
    expects = forms.CharField(
        label=_("Phải gửi lại"),
        max_length=10,
        initial="KH",
        help_text=_("Mã loại văn bản (KH: kế hoạch); hoặc để trống và chọn biểu báo cáo."),
        required=False,
    )
    report_form = forms.CharField(label=_("Biểu báo cáo"), required=False, max_length=40)
    period = forms.CharField(label=_("Kỳ báo cáo"), required=False, max_length=10)
    task = forms.CharField(
        label=_("Nhiệm vụ"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    error_fields: ClassVar[dict[str, str]] = {
        "unknown_unit": "units",
        "outside_subtree": "units",
        "already_assigned": "units",
        "unknown_kind": "kind",
        "invalid_level": "level",
        "due_before_document": "due",
        "unknown_type": "expects",
        "unknown_form": "report_form",
        "invalid_period": "period",
        "wrong_period_type": "period",
    }

    def __init__(self, *args, kinds: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        kind = self.fields["kind"]
        assert isinstance(kind, forms.ChoiceField)
        kind.choices = [("", "—"), *kinds]

    def selection(self) -> dict:
        """The service's arguments for the chosen way of picking units."""
        data = self.cleaned_data
        if data["how"] == "units":
            codes = [c.strip() for c in data["units"].replace(",", "\n").split() if c.strip()]
            return {"units": codes}
        if data["how"] == "kind":
            return {"kind": data["kind"] or None}
        return {"level": data["level"]}

    def expectation(self):
        data = self.cleaned_data
        if data["report_form"] or data["period"]:
            return {"form": data["report_form"], "period": data["period"]}
        return data["expects"]


class AnswerExistingForm(ServiceForm):
    document = forms.TypedChoiceField(label=_("Văn bản đã ban hành"), coerce=int)
    error_fields: ClassVar[dict[str, str]] = {"wrong_type": "document"}

    def __init__(self, *args, documents: list[Document], **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["document"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [
            (d.pk, f"{d.symbol} — {d.date:%d/%m/%Y} — {d.summary[:80]}") for d in documents
        ]
        self.has_choices = bool(documents)


class AnswerNewForm(ServiceForm):
    type = forms.CharField(label=_("Loại văn bản"), max_length=10)
    date = VnDateField(label=_("Ngày văn bản"))
    summary = forms.CharField(label=_("Trích yếu"), widget=forms.Textarea(attrs={"rows": 3}))
    signer = forms.CharField(label=_("Người ký"), max_length=100)
    signer_authority = forms.ChoiceField(
        label=_("Thẩm quyền ký"), choices=Document.Authority.choices[1:]
    )
    recipients = forms.CharField(
        label=_("Nơi nhận"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Mỗi dòng một nơi nhận."),
    )
    error_fields: ClassVar[dict[str, str]] = {
        "unknown_type": "type",
        "wrong_type": "type",
        "issuer_not_existing": "date",
        "answer_before_directive": "date",
        "empty_summary": "summary",
    }
