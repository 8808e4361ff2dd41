"""The forms of the registers' pages (register_views.py): members' pledge lists, official
channels and their counts, inspection plans, inspections, conclusions and follow-ups.

Units are chosen with the unit picker (``UnitField``), days typed dd/mm/yyyy
(``VnDateField``), periods in words (``PeriodsField``). A service's refusal becomes an
error on the field it is about (``error_fields``)."""

from typing import ClassVar

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from trienkhai.activities.forms import span
from trienkhai.activities.models import Channel, Inspection
from trienkhai.common.errors import BadInput
from trienkhai.web.forms import PeriodsField, ServiceForm, UnitField, VnDateField

RECOMMENDATION_ROWS = 5
"""Recommendations a conclusion form offers at once (more: send it again)."""


class UnitYearFilter(forms.Form):
    """A register page's filters, as its address says them (?don-vi=&nam=)."""

    def __init__(self, data=None) -> None:
        super().__init__(data)
        self.fields["don-vi"] = UnitField(label=_("Đơn vị"), required=False)
        self.fields["nam"] = forms.IntegerField(
            label=pgettext_lazy("năm dương lịch", "Năm"),
            required=False,
            min_value=1990,
            max_value=2100,
            widget=forms.Select,
        )


class PledgeUploadForm(ServiceForm):
    """A cell's list of members for a year from a file (``pledges.record_pledges``)."""

    unit = UnitField(label=_("Chi bộ"))
    year = forms.IntegerField(
        label=pgettext_lazy("năm dương lịch", "Năm"), min_value=1990, max_value=2100
    )
    deadline = VnDateField(
        label=_("Hạn nộp"),
        required=False,
        help_text=_("Ngày cuối nộp đúng hạn. Cần cho danh sách mới; để trống: giữ hạn cũ."),
    )
    file = forms.FileField(label=_("Tệp danh sách đảng viên (.xlsx, .csv)"))
    replace = forms.BooleanField(
        label=_("Tệp là toàn bộ danh sách: bỏ khỏi danh sách những người không có trong tệp"),
        required=False,
    )
    error_fields: ClassVar[dict[str, str]] = {
        "invalid_year": "year",
        "unit_not_existing": "year",
        "missing_deadline": "deadline",
        "invalid_deadline": "deadline",
        "missing_columns": "file",
        "empty_list": "file",
        "invalid_rows": "file",
    }

    def add_service_error(self, exc: BadInput) -> None:
        """The file's problems (unreadable, too large, bad rows…) beside the file; a list
        saved at the same moment above the form."""
        field = self.error_fields.get(exc.code, None if exc.code == "concurrent_list" else "file")
        self.add_error(field, exc.shown)


class ChannelForm(ServiceForm):
    """An official channel of the organisation (``channels.register_channel`` /
    ``change_channel``). Its address is written down, never opened."""

    unit = UnitField(label=_("Đơn vị quản lý"))
    kind = forms.ChoiceField(label=_("Loại kênh"), choices=Channel.Kind.choices)
    name = forms.CharField(label=_("Tên kênh"), max_length=300)
    address = forms.CharField(
        label=_("Địa chỉ"),
        required=False,
        max_length=500,
        help_text=_("Địa chỉ trang (http://…, https://…); với đài, loa: nơi phát."),
    )
    active_from = VnDateField(label=_("Hoạt động từ ngày"))
    active_to = VnDateField(
        label=_("Ngừng hoạt động từ ngày"),
        required=False,
        help_text=_("Ngày hoạt động cuối cùng; để trống nếu còn hoạt động."),
    )
    error_fields: ClassVar[dict[str, str]] = {
        "invalid_kind": "kind",
        "missing_name": "name",
        "invalid_address": "address",
        "duplicate_channel": "address",
        "invalid_dates": "active_to",
        "counts_outside": "active_from",
    }

    def __init__(self, *args, editing: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if editing:  # the managing unit stays (change_channel does not move a channel)
            del self.fields["unit"]


class PostCountForm(ServiceForm):
    """One period's count of a channel, typed (``channels.record_post_counts``)."""

    period = PeriodsField(
        label=_("Kỳ"), help_text=_("Ví dụ: Tháng 1/2020, Quý I/2020, 6 tháng đầu năm 2020.")
    )
    posts = forms.IntegerField(label=_("Số tin, bài"), min_value=0, max_value=1_000_000)
    error_fields: ClassVar[dict[str, str]] = {"invalid_rows": "period"}


class PostCountUploadForm(forms.Form):
    file = forms.FileField(label=_("Tệp số tin, bài (.xlsx, .csv)"))


class PlanForm(ServiceForm):
    """A unit's annual plan of inspection and supervision (``inspections.create_plan``)."""

    unit = UnitField(label=_("Đơn vị"))
    year = forms.IntegerField(
        label=pgettext_lazy("năm dương lịch", "Năm"), min_value=1990, max_value=2100
    )
    title = forms.CharField(label=_("Tên kế hoạch"), max_length=300)
    reference = forms.CharField(
        label=_("Số hiệu"), required=False, max_length=60, help_text=_("Ví dụ: 05-KH/HU.")
    )
    error_fields: ClassVar[dict[str, str]] = {"invalid_year": "year", "missing_title": "title"}

    def __init__(self, *args, editing: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if editing:  # its unit and year stay (change_plan: its inspections are theirs)
            del self.fields["unit"], self.fields["year"]


class InspectionForm(ServiceForm):
    """An inspection or supervision of a unit below (``inspections.create_inspection``)."""

    unit = UnitField(label=_("Đơn vị kiểm tra, giám sát"))
    inspected = UnitField(label=_("Đơn vị được kiểm tra, giám sát"))
    kind = forms.ChoiceField(label=_("Hình thức"), choices=Inspection.Kind.choices)
    title = forms.CharField(label=_("Nội dung"), max_length=300)
    plan = forms.TypedChoiceField(
        label=_("Theo kế hoạch"), required=False, coerce=int, empty_value=None
    )
    start = VnDateField(label=_("Từ ngày"))
    end = VnDateField(
        label=_("Đến ngày"), required=False, help_text=_("Để trống nếu chỉ trong một ngày.")
    )
    team = forms.CharField(
        label=_("Thành phần đoàn"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Như quyết định thành lập đoàn ghi, mỗi người một dòng."),
    )
    error_fields: ClassVar[dict[str, str]] = {
        "invalid_kind": "kind",
        "missing_title": "title",
        "invalid_dates": "end",
        "not_subordinate": "inspected",
        "wrong_plan": "plan",
        "too_long": "team",
    }

    def __init__(self, *args, plans=(), editing: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if editing:  # the inspecting unit stays (change_inspection does not move it)
            del self.fields["unit"]
        field = self.fields["plan"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", _("Ngoài kế hoạch")), *plans]

    def clean(self):
        super().clean()
        span(self)
        return self.cleaned_data


class ConclusionForm(ServiceForm):
    """An inspection's conclusion and the recommendations it makes (``inspections.conclude``):
    a recommendation is a text and its deadline, both or neither."""

    concluded = VnDateField(label=_("Ngày kết luận"))
    findings = forms.CharField(
        label=_("Kết luận"), max_length=20000, widget=forms.Textarea(attrs={"rows": 4})
    )
    error_fields: ClassVar[dict[str, str]] = {
        "invalid_dates": "concluded",
        "future_date": "concluded",
        "missing_findings": "findings",
    }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for n in range(1, RECOMMENDATION_ROWS + 1):
            self.fields[f"text_{n}"] = forms.CharField(
                label=_("Kiến nghị %(n)s") % {"n": n},
                required=False,
                max_length=4000,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
            self.fields[f"deadline_{n}"] = VnDateField(
                label=_("Hạn thực hiện kiến nghị %(n)s") % {"n": n}, required=False
            )

    def clean(self):
        super().clean()
        data = self.cleaned_data
        found = []
        for n in range(1, RECOMMENDATION_ROWS + 1):
            text, deadline = data.get(f"text_{n}", ""), data.get(f"deadline_{n}")
            if f"deadline_{n}" in self.errors:
                continue
            if text.strip() and deadline is None:
                self.add_error(f"deadline_{n}", _("Cần hạn thực hiện của kiến nghị."))
            elif deadline is not None and not text.strip():
                self.add_error(f"text_{n}", _("Cần nội dung kiến nghị."))
            elif deadline is not None and data.get("concluded") and deadline < data["concluded"]:
                self.add_error(f"deadline_{n}", _("Hạn thực hiện trước ngày kết luận."))
            elif deadline is not None:
                found.append((text, deadline))
        data["recommendations"] = found
        return data

    def rows(self):
        """The recommendation fields in pairs (text, deadline), for the template."""
        return [
            (self[f"text_{n}"], self[f"deadline_{n}"]) for n in range(1, RECOMMENDATION_ROWS + 1)
        ]


class FollowUpForm(ServiceForm):
    """What the inspected unit did about a recommendation (``inspections.follow_up``)."""

    note = forms.CharField(
        label=_("Kết quả thực hiện"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    resolved = VnDateField(
        label=_("Ngày thực hiện xong"),
        required=False,
        help_text=_("Để trống nếu chưa thực hiện xong."),
    )
    error_fields: ClassVar[dict[str, str]] = {
        "invalid_dates": "resolved",
        "future_date": "resolved",
        "too_long": "note",
    }

    def __init__(self, *args, prefix_id: int | None = None, **kwargs) -> None:
        # One form per recommendation on a page: ids apart, names alike (one is posted).
        if prefix_id is not None:
            kwargs.setdefault("auto_id", f"id_r{prefix_id}_%s")
        super().__init__(*args, **kwargs)
