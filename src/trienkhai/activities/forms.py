"""The forms of the activity pages: the list's filters, a new event, an attendance file."""

import datetime as dt
import re
from typing import ClassVar

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from trienkhai import vn
from trienkhai.activities.models import Audience, Event
from trienkhai.activities.sites import MAX_HEADS
from trienkhai.web.forms import ServiceForm, UnitField, VnDateField


class EventFilter(forms.Form):
    """The list's filters, named as the page's address says them (?don-vi=&loai=&nam=).

    The year is any year; the page offers the years its unit held events in."""

    def __init__(self, data=None) -> None:
        super().__init__(data)
        self.fields["don-vi"] = UnitField(label=_("Đơn vị"), required=False)
        self.fields["loai"] = forms.ChoiceField(
            label=_("Loại hoạt động"),
            choices=[("", _("Tất cả")), *Event.Kind.choices],
            required=False,
        )
        self.fields["nam"] = forms.IntegerField(
            label=_("Năm"), required=False, min_value=1900, max_value=2100, widget=forms.Select
        )


class PeopleFilter(forms.Form):
    """The people search (?don-vi=&q=): a unit and part of a name, accents optional."""

    q = forms.CharField(label=_("Họ và tên (không cần dấu)"), required=False, max_length=200)

    def __init__(self, data=None) -> None:
        super().__init__(data)
        self.fields["don-vi"] = UnitField(label=_("Đơn vị"), required=False)
        self.order_fields(["don-vi", "q"])


_SEPARATORS = re.compile(r"[\s,;]+")


def span(form: forms.Form) -> tuple[dt.date | None, dt.date | None]:
    """A form's ``start`` and ``end`` days, cleaned: an empty end is the start (a day's
    event or inspection); an end before the start is said beside the end."""
    data = form.cleaned_data
    start, end = data.get("start"), data.get("end")
    if start and not end and "end" not in form.errors:
        data["end"] = end = start
    if start and end and end < start:
        form.add_error("end", _("Ngày kết thúc trước ngày bắt đầu."))
    return start, end


class EventForm(ServiceForm):
    """A new event and its sessions (``services.create_event``)."""

    title = forms.CharField(label=_("Tên hoạt động"), max_length=300)
    kind = forms.ChoiceField(label=_("Loại hoạt động"), choices=Event.Kind.choices)
    organiser = UnitField(label=_("Đơn vị tổ chức"))
    start = VnDateField(label=_("Từ ngày"))
    end = VnDateField(
        label=_("Đến ngày"), required=False, help_text=_("Để trống nếu chỉ trong một ngày.")
    )
    place = forms.CharField(label=_("Địa điểm"), required=False, max_length=300)
    link = forms.URLField(
        label=_("Đường dẫn (hội nghị trực tuyến)"),
        required=False,
        max_length=500,
        assume_scheme="https",
    )
    audience = forms.MultipleChoiceField(
        label=_("Đối tượng tham gia"),
        choices=Audience.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    sessions = forms.CharField(
        label=_("Các buổi"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Ngày của từng buổi (dd/mm/yyyy), cách nhau bởi dấu phẩy hoặc xuống dòng. "
            "Để trống: một buổi vào ngày bắt đầu."
        ),
    )
    error_fields: ClassVar[dict[str, str]] = {
        "invalid_kind": "kind",
        "missing_title": "title",
        "invalid_dates": "end",
        "session_outside_event": "sessions",
        "invalid_audience": "audience",
    }

    def clean_sessions(self) -> list[dt.date]:
        days, wrong = [], []
        for text in _SEPARATORS.split(self.cleaned_data["sessions"]):
            if not text:
                continue
            try:
                days.append(vn.parse_date(text))
            except ValueError:
                wrong.append(text)
        if wrong:
            raise ValidationError(
                _("Ngày không hợp lệ: %(days)s. Nhập theo dạng dd/mm/yyyy, ví dụ 01/07/2025."),
                params={"days": ", ".join(wrong)},
            )
        return sorted(set(days))

    def clean(self):
        super().clean()
        data = self.cleaned_data
        start, end = span(self)
        if start and end and end >= start and data.get("sessions"):
            outside = [day for day in data["sessions"] if not start <= day <= end]
            if outside:
                self.add_error(
                    "sessions",
                    _("Buổi ngoài thời gian của hoạt động: %(days)s.")
                    % {"days": ", ".join(vn.format_date(day) for day in outside)},
                )
        return data


class AttendanceUploadForm(forms.Form):
    file = forms.FileField(label=_("Tệp danh sách điểm danh (.xlsx, .csv)"))


class SiteForm(forms.Form):
    """A connected site of an online conference, added on its page (``sites.add_sites``)."""

    unit = UnitField(
        label=_("Đơn vị có điểm cầu"),
        help_text=_("Một đơn vị trực thuộc đơn vị tổ chức, ví dụ đảng ủy xã."),
    )
    place = forms.CharField(label=_("Địa điểm điểm cầu"), required=False, max_length=300)


class SiteCountsForm(forms.Form):
    """A site's place and how many people followed each session there (blank: not
    counted by head, the people named there are what counts)."""

    place = forms.CharField(label=_("Địa điểm điểm cầu"), required=False, max_length=300)

    def __init__(self, data=None, *, sessions, initial=None) -> None:
        super().__init__(data, initial=initial)
        self.sessions = list(sessions)
        for number, session in enumerate(self.sessions, start=1):
            self.fields[self.key(session)] = forms.IntegerField(
                label=_("Số người ở buổi %(n)s (%(day)s)")
                % {"n": number, "day": vn.format_date(session.date)},
                required=False,
                min_value=0,
                max_value=MAX_HEADS,
            )

    @staticmethod
    def key(session) -> str:
        return f"buoi-{session.pk}"

    def counts(self) -> list[tuple[int, int | None]]:
        """(session id, the number typed or None: left blank), in the sessions' order."""
        return [(s.pk, self.cleaned_data.get(self.key(s))) for s in self.sessions]
