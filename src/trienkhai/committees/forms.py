"""The steering committees' write pages' forms (decision 0063): words and pickers, dates
as dd/mm/yyyy; each form's data goes to one service of services.py.

Documents (the founding decision, the minutes, the notice of conclusions) are picked
from the register by their number and symbol as printed ("125-QĐ/HU"), offered as one
types; ``registered`` finds the one typed in the committee's unit's register.
"""

from typing import ClassVar

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from trienkhai.committees import services
from trienkhai.committees.models import Meeting, Membership, Person
from trienkhai.documents.models import Document
from trienkhai.orgs.models import Unit
from trienkhai.web.forms import ServiceForm, UnitField, VnDateField


class UnitFilter(forms.Form):
    """The list's unit (``?don-vi=``), chosen by name; blank, the user's own."""

    def __init__(self, data=None) -> None:
        super().__init__(data)
        self.fields["don-vi"] = UnitField(label=_("Đơn vị"), required=False)


OFFERED = 200
"""How many of the register's latest documents a document picker offers."""


class DocumentInput(forms.TextInput):
    """A text input offering the register's documents (their symbol, date and summary) as
    one types: a ``<datalist>``, no script."""

    template_name = "committees/document_input.html"

    def __init__(self, attrs=None) -> None:
        super().__init__({"autocomplete": "off", "spellcheck": "false", **(attrs or {})})
        self.documents: list[Document] = []

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["attrs"]["list"] = f"{context['widget']['attrs']['id']}-documents"
        context["documents"] = self.documents
        return context


class DocumentField(forms.CharField):
    """A registered document by its number and symbol ("125-QĐ/HU"); cleans to the text,
    found in a unit's register by ``registered``."""

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("max_length", 80)
        kwargs.setdefault("widget", DocumentInput)
        kwargs.setdefault(
            "help_text",
            _(
                "Số, ký hiệu văn bản trong sổ văn bản của đơn vị, ví dụ 125-QĐ/HU: chọn trong gợi ý."
            ),
        )
        super().__init__(**kwargs)


def register_of(unit: Unit, *, decisions: bool = False) -> QuerySet[Document]:
    """The registered documents (issued, received, archived) of ``unit``'s register that
    bear a symbol, newest first; only its decisions (QĐ) if ``decisions``."""
    found = Document.objects.filter(unit=unit, status__in=services.REGISTERED).exclude(symbol="")
    if decisions:
        found = found.filter(type__slug="quyet_dinh")
    return found.order_by("-date", "-id")


def offer(form: forms.Form, field: str, documents: QuerySet[Document]) -> None:
    """``form``'s document ``field`` offers the latest of ``documents``."""
    widget = form.fields[field].widget
    assert isinstance(widget, DocumentInput)
    widget.documents = list(documents[:OFFERED])


def registered(
    form: forms.Form, field: str, documents: QuerySet[Document], unit_name: str
) -> Document | None:
    """The document of ``documents`` whose symbol was typed in ``field``; None if nothing
    was typed, or (with the error beside the field) if none or several bear it."""
    text = form.cleaned_data.get(field) or ""
    if not text.strip():
        return None
    found = list(documents.filter(symbol=text.strip())[:2])
    if len(found) == 1:
        return found[0]
    if not found:
        form.add_error(
            field,
            _("Không có văn bản “%(symbol)s” trong sổ văn bản của %(unit)s: chọn trong gợi ý.")
            % {"symbol": text.strip(), "unit": unit_name},
        )
    else:
        form.add_error(
            field,
            _("Sổ văn bản của %(unit)s có nhiều văn bản “%(symbol)s”: ghi trên trang văn bản.")
            % {"symbol": text.strip(), "unit": unit_name},
        )
    return None


class CommitteeForm(ServiceForm):
    unit = UnitField(label=_("Đơn vị thành lập"))
    name = forms.CharField(
        label=_("Tên ban chỉ đạo"),
        max_length=services.MAX_NAME,
        help_text=_("Ví dụ: Ban Chỉ đạo 35 huyện Chợ Đồn."),
    )
    decision = DocumentField(
        label=_("Quyết định thành lập"),
        required=False,
        help_text=_("Số, ký hiệu Quyết định trong sổ văn bản của đơn vị, ví dụ 125-QĐ/HU."),
    )
    founded = VnDateField(label=_("Ngày thành lập"))
    error_fields: ClassVar[dict[str, str]] = {
        "invalid_name": "name",
        "invalid_date": "founded",
        "invalid_document": "decision",
    }


ROLE_CHOICES = Membership.Role.choices


class MemberForm(ServiceForm):
    name = forms.CharField(label=_("Họ và tên"), max_length=services.MAX_NAME)
    unit = UnitField(label=_("Cơ quan, đơn vị công tác"), required=False)
    position = forms.CharField(
        label=_("Chức vụ tại cơ quan, đơn vị"),
        max_length=services.MAX_POSITION,
        required=False,
        help_text=_("Ví dụ: Phó Bí thư Thường trực Huyện ủy."),
    )
    role = forms.ChoiceField(
        label=_("Nhiệm vụ trong ban"), choices=ROLE_CHOICES, widget=forms.RadioSelect
    )
    valid_from = VnDateField(label=_("Từ ngày"))
    error_fields: ClassVar[dict[str, str]] = {
        "invalid_name": "name",
        "invalid_position": "position",
        "invalid_role": "role",
        "invalid_date": "valid_from",
        "overlapping_seat": "name",
        "one_head": "role",
    }


class SeatChangeForm(ServiceForm):
    on = VnDateField(label=_("Từ ngày"))
    role = forms.ChoiceField(
        label=_("Nhiệm vụ trong ban"), choices=ROLE_CHOICES, widget=forms.RadioSelect
    )
    position = forms.CharField(
        label=_("Chức vụ tại cơ quan, đơn vị"), max_length=services.MAX_POSITION, required=False
    )
    error_fields: ClassVar[dict[str, str]] = {
        "invalid_date": "on",
        "invalid_role": "role",
        "invalid_position": "position",
        "overlapping_seat": "on",
        "one_head": "role",
    }


class EndForm(ServiceForm):
    """The day a seat or the committee ends: its first day without it."""

    on = VnDateField(label=_("Ngày thôi"))
    error_fields: ClassVar[dict[str, str]] = {"invalid_date": "on", "seats_after_end": "on"}


class MeetingForm(ServiceForm):
    date = VnDateField(label=_("Ngày họp"))
    kind = forms.ChoiceField(
        label=_("Loại"), choices=Meeting.Kind.choices, widget=forms.RadioSelect
    )
    title = forms.CharField(
        label=_("Tên cuộc họp, hội nghị"),
        max_length=services.MAX_TITLE,
        help_text=_("Ví dụ: Sơ kết 6 tháng đầu năm 2021."),
    )
    place = forms.CharField(label=_("Địa điểm"), max_length=200, required=False)
    agenda = forms.CharField(
        label=_("Nội dung, chương trình"),
        max_length=services.MAX_AGENDA,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Mỗi nội dung một dòng."),
    )
    attendees = forms.TypedMultipleChoiceField(
        label=_("Thành viên dự họp"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    chair = forms.TypedChoiceField(label=_("Chủ trì"), coerce=int, required=False, empty_value=None)
    guests = forms.CharField(
        label=_("Khách mời"),
        required=False,
        max_length=services.MAX_AGENDA,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Mỗi dòng một người: họ tên, chức vụ. Ví dụ: Hoàng Thị Mai, Bí thư Chi bộ."),
    )
    minutes = DocumentField(label=_("Biên bản"), required=False)
    error_fields: ClassVar[dict[str, str]] = {
        "invalid_kind": "kind",
        "invalid_title": "title",
        "invalid_agenda": "agenda",
        "invalid_place": "place",
        "invalid_date": "date",
        "not_a_member": "attendees",
        "invalid_chair": "chair",
        "duplicate_attendee": "guests",
        "invalid_name": "guests",
        "invalid_position": "guests",
        "invalid_document": "minutes",
    }

    def __init__(self, *args, people: list[Person], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        names = [(p.pk, p.name) for p in people]
        attendees = self.fields["attendees"]
        chair = self.fields["chair"]
        assert isinstance(attendees, forms.ChoiceField) and isinstance(chair, forms.ChoiceField)
        attendees.choices = names
        chair.choices = [("", "—"), *names]

    def guest_list(self) -> list[services.Guest]:
        """The guests typed, one a line: "name, position"."""
        guests = []
        for line in self.cleaned_data["guests"].splitlines():
            name, _comma, position = line.partition(",")
            if name.strip():
                guests.append(services.Guest(name.strip(), position.strip()))
        return guests


class MinutesForm(ServiceForm):
    minutes = DocumentField(label=_("Biên bản"))
    error_fields: ClassVar[dict[str, str]] = {
        "invalid_document": "minutes",
        "invalid_date": "minutes",
    }


EXPECTS = [("BC", _("Báo cáo")), ("KH", _("Kế hoạch"))]


class ConclusionForm(ServiceForm):
    task = forms.CharField(
        label=_("Kết luận, nhiệm vụ"),
        max_length=services.MAX_AGENDA,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    unit = UnitField(label=_("Đơn vị thực hiện"))
    due = VnDateField(label=_("Hạn báo cáo"))
    expects = forms.ChoiceField(label=_("Phải gửi lại"), choices=EXPECTS, initial="BC")
    document = DocumentField(
        label=_("Văn bản kết luận"),
        required=False,
        help_text=_(
            "Thông báo kết luận hoặc biên bản trong sổ văn bản của đơn vị, ví dụ 12-TB/HU; "
            "để trống: biên bản của cuộc họp."
        ),
    )
    error_fields: ClassVar[dict[str, str]] = {
        "invalid_task": "task",
        "invalid_document": "document",
        "invalid_date": "document",
        "not_issued": "document",
        "unknown_unit": "unit",
        "outside_subtree": "unit",
        "no_units": "unit",
        "already_assigned": "unit",
        "due_before_document": "due",
        "unknown_type": "expects",
    }
