"""Forms of the unit pages. They parse; the services decide and write."""

import datetime as dt

from django import forms
from django.utils.translation import gettext_lazy as _

from trienkhai.orgs.models import UnitKind
from trienkhai.web.forms import ServiceForm, VnDateField
from trienkhai.web.labels import local_name

MAX_OPEN = 30
"""The most tree nodes one page expands: the URL carries them, so it is bounded."""


class KindField(forms.ModelChoiceField):
    """A unit kind, chosen by its code, labelled in the reader's language."""

    def __init__(self, **kwargs):
        super().__init__(queryset=UnitKind.objects.all(), to_field_name="code", **kwargs)

    def label_from_instance(self, obj) -> str:
        return local_name(obj)


class TreeForm(forms.Form):
    """The tree browser's query: a search text, the date of the structure, the open nodes."""

    q = forms.CharField(
        label=_("Tìm đơn vị (gõ không dấu cũng được)"),
        required=False,
        widget=forms.SearchInput(
            attrs={"autofocus": True, "placeholder": "vinh thuan", "size": 28}
        ),
    )
    ngay = VnDateField(label=_("Cơ cấu tại ngày"), required=False)

    def __init__(self, data, **kwargs):
        super().__init__(data, **kwargs)
        self.open_codes = list(dict.fromkeys(data.getlist("mo")))[:MAX_OPEN]

    def text(self) -> str:
        return self.cleaned_data.get("q", "").strip() if self.is_valid() else ""

    def day(self, default: dt.date) -> dt.date:
        day = self.cleaned_data.get("ngay") if self.is_valid() else None
        return day or default


class DayForm(forms.Form):
    """The date at which a unit page shows the structure."""

    ngay = VnDateField(label=_("Cơ cấu tại ngày"), required=False)

    def day(self, default: dt.date) -> dt.date:
        day = self.cleaned_data.get("ngay") if self.is_valid() else None
        return day or default


class UnitCreateForm(ServiceForm):
    """A new unit under the unit whose page it is on."""

    code = forms.CharField(
        label=_("Mã đơn vị"),
        max_length=40,
        help_text=_("Mã riêng của đơn vị, không đổi theo thời gian: chữ, số, “.”, “_”, “-”."),
    )
    name = forms.CharField(label=_("Tên đơn vị"), max_length=200)
    kind = KindField(label=_("Loại đơn vị"))
    valid_from = VnDateField(label=_("Thành lập từ ngày"))
    abbreviation = forms.CharField(
        label=_("Tên viết tắt"),
        max_length=30,
        required=False,
        help_text=_("Dùng trong ký hiệu văn bản, ví dụ HU, TU, UBND."),
    )
    note = forms.CharField(
        label=_("Ghi chú (căn cứ, quyết định)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    error_fields = {
        "invalid_code": "code",
        "duplicate_code": "code",
        "name_required": "name",
        "parent_not_alive": "valid_from",
    }


class UnitChangeForm(ServiceForm):
    """A rename, a change of kind or a move to another parent, from a date."""

    on = VnDateField(label=_("Có hiệu lực từ ngày"))
    name = forms.CharField(label=_("Tên đơn vị"), max_length=200)
    abbreviation = forms.CharField(label=_("Tên viết tắt"), max_length=30, required=False)
    kind = KindField(label=_("Loại đơn vị"))
    parent = forms.CharField(
        label=_("Chuyển sang trực thuộc (mã đơn vị cấp trên mới)"),
        max_length=40,
        required=False,
        help_text=_("Để trống nếu không đổi đơn vị cấp trên. Mã đơn vị xem ở trang đơn vị."),
    )
    note = forms.CharField(
        label=_("Ghi chú (căn cứ, quyết định)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    error_fields = {
        "later_change_exists": "on",
        "unit_not_alive": "on",
        "parent_not_alive": "parent",
        "unknown_parent": "parent",
        "cycle": "parent",
    }


class DissolveForm(ServiceForm):
    """The end of a unit with no successor."""

    on = VnDateField(
        label=_("Giải thể từ ngày"),
        help_text=_("Ngày đầu tiên đơn vị không còn tồn tại."),
    )
    note = forms.CharField(
        label=_("Ghi chú (căn cứ, quyết định)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    confirm = forms.BooleanField(
        label=_("Tôi xác nhận giải thể đơn vị này. Việc giải thể không hoàn tác được."),
        error_messages={"required": _("Hãy đánh dấu ô xác nhận để giải thể đơn vị.")},
    )
    error_fields = {"later_change_exists": "on", "unit_not_alive": "on"}

    @property
    def cleaned_for_service(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if k != "confirm"}


class UnitImportForm(forms.Form):
    file = forms.FileField(
        label=_("Tệp CSV hoặc Excel (.xlsx)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
    )
