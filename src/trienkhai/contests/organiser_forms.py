"""The organiser's forms (issue 17): a new contest, a category, a judge, an entry received,
a disqualification, the results decision and the certificates. They parse what office
staff type (dd/mm/yyyy, 7,5, a unit or a person by name); the services decide."""

import datetime as dt
from decimal import Decimal
from typing import ClassVar

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from trienkhai import vn
from trienkhai.accounts.models import RoleAssignment, User
from trienkhai.contests.forms import shown
from trienkhai.contests.models import Contest, Round
from trienkhai.documents.models import Document
from trienkhai.orgs import queries
from trienkhai.orgs.models import Unit
from trienkhai.web.forms import ServiceForm, UnitField, VnDateField

ROUND_ROWS = 3
"""Rounds a new contest may have on the form (sơ khảo, chung khảo, and one more)."""
CRITERION_ROWS = 8
"""Criteria rows on the form; the empty ones are left out."""
MOST = Decimal("9999.99")
"""The largest weight or highest score the rubric stores (six digits, two decimals)."""
PEOPLE_OFFERED = 300
"""People offered in the judge picker's list; anyone else is typed by login name."""


class NumberText(forms.CharField):
    """A number typed as Vietnamese write it (7,5 or 7.5; 1.000 is a thousand, not 1)."""

    inputmode = "decimal"

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("max_length", 20)
        super().__init__(**kwargs)
        self.widget.attrs.update({"inputmode": self.inputmode, "autocomplete": "off", "size": 6})

    @staticmethod
    def read(text: str) -> Decimal | None:
        """The number ``text`` says, None if it is none."""
        try:
            return vn.parse_number(text)
        except ValueError:
            return None


class DecimalText(NumberText):
    """A positive number with two decimals at most. Cleans to a Decimal."""

    def clean(self, value):
        text = super().clean(value)
        if not text:
            return None
        number = self.read(text)
        if number is None:
            raise ValidationError(
                _("“%(text)s” không phải là một số: nhập ví dụ 7,5."),
                code="invalid",
                params={"text": text},
            )
        if not 0 < number <= MOST:
            raise ValidationError(
                _("Nhập một số lớn hơn 0, tối đa %(max)s."),
                code="range",
                params={"max": shown(MOST)},
            )
        if number != number.quantize(Decimal("0.01")):
            raise ValidationError(_("Tối đa 2 chữ số sau dấu phẩy."), code="decimals")
        return number


class WholeNumber(NumberText):
    """A whole number from ``low`` to ``high``. Cleans to an int."""

    inputmode = "numeric"

    def __init__(self, *, low: int = 1, high: int, **kwargs) -> None:
        super().__init__(**kwargs)
        self.low, self.high = low, high

    def clean(self, value):
        text = super().clean(value)
        if not text:
            return None
        number = self.read(text)
        if number is None or number != number.to_integral_value():
            raise ValidationError(
                _("“%(text)s” không phải là một số nguyên."), code="invalid", params={"text": text}
            )
        if not self.low <= number <= self.high:
            raise ValidationError(
                _("Nhập một số từ %(low)s đến %(high)s."),
                code="range",
                params={"low": vn.format_number(self.low), "high": vn.format_number(self.high)},
            )
        return int(number)


def _lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


class ContestForm(ServiceForm):
    """A new contest (``services.create_contest``): title, organiser, the days entries are
    taken, rows of rounds (name, judges per entry) and of criteria (name, weight, highest
    score); empty rows are left out. Fields of a row are named ``vong-{n}-ten``."""

    error_fields: ClassVar[dict[str, str]] = {
        "invalid_title": "title",
        "invalid_dates": "closes",
        "invalid_categories": "categories",
        "invalid_rounds": "vong-1-ten",
        "invalid_criteria": "tieu-chi-1-ten",
    }

    title = forms.CharField(label=_("Tên cuộc thi"), max_length=300)
    unit = UnitField(label=_("Đơn vị tổ chức"))
    opens = VnDateField(label=_("Nhận bài từ ngày"))
    closes = VnDateField(label=_("Hạn nhận bài"))
    categories = forms.CharField(
        label=_("Thể loại"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Mỗi dòng một thể loại (ví dụ: Chính luận, Tác phẩm báo chí). Để trống nếu "
            "cuộc thi không chia thể loại."
        ),
    )

    def __init__(self, data=None, **kwargs) -> None:
        super().__init__(data, **kwargs)
        for n in range(1, ROUND_ROWS + 1):
            self.fields[f"vong-{n}-ten"] = forms.CharField(
                label=_("Tên vòng %(n)s") % {"n": n}, required=False, max_length=200
            )
            self.fields[f"vong-{n}-giam-khao"] = WholeNumber(
                label=_("Số giám khảo chấm mỗi bài (vòng %(n)s)") % {"n": n},
                required=False,
                high=50,
            )
        for n in range(1, CRITERION_ROWS + 1):
            self.fields[f"tieu-chi-{n}-ten"] = forms.CharField(
                label=_("Tiêu chí %(n)s") % {"n": n}, required=False, max_length=200
            )
            self.fields[f"tieu-chi-{n}-he-so"] = DecimalText(
                label=_("Hệ số (tiêu chí %(n)s)") % {"n": n}, required=False
            )
            self.fields[f"tieu-chi-{n}-toi-da"] = DecimalText(
                label=_("Điểm tối đa (tiêu chí %(n)s)") % {"n": n}, required=False
            )
        if not self.is_bound:
            self.initial.setdefault("vong-1-ten", _("Sơ khảo"))
            self.initial.setdefault("vong-1-giam-khao", 2)
            self.initial.setdefault("vong-2-ten", _("Chung khảo"))
            self.initial.setdefault("vong-2-giam-khao", 3)

    def round_rows(self) -> list[tuple]:
        """(name field, judges field) of each row, for the template."""
        return [(self[f"vong-{n}-ten"], self[f"vong-{n}-giam-khao"]) for n in _rows(ROUND_ROWS)]

    def criterion_rows(self) -> list[tuple]:
        return [
            (self[f"tieu-chi-{n}-ten"], self[f"tieu-chi-{n}-he-so"], self[f"tieu-chi-{n}-toi-da"])
            for n in _rows(CRITERION_ROWS)
        ]

    def clean(self) -> dict:
        data = super().clean() or {}
        opens, closes = data.get("opens"), data.get("closes")
        if opens and closes and closes < opens:
            self.add_error("closes", _("Hạn nhận bài trước ngày bắt đầu nhận bài."))
        rounds = []
        for n in _rows(ROUND_ROWS):
            name, judges = data.get(f"vong-{n}-ten"), data.get(f"vong-{n}-giam-khao")
            if not name and not judges:
                continue
            if not name:
                self.add_error(f"vong-{n}-ten", _("Ghi tên vòng (ví dụ: Sơ khảo)."))
            elif not judges:
                if f"vong-{n}-giam-khao" not in self.errors:
                    self.add_error(f"vong-{n}-giam-khao", _("Ghi số giám khảo chấm mỗi bài."))
            else:
                rounds.append((name, judges))
        if not rounds and not self.errors:
            self.add_error("vong-1-ten", _("Cuộc thi cần ít nhất một vòng."))
        criteria = []
        for n in _rows(CRITERION_ROWS):
            name = data.get(f"tieu-chi-{n}-ten")
            weight, top = data.get(f"tieu-chi-{n}-he-so"), data.get(f"tieu-chi-{n}-toi-da")
            if not name and weight is None and top is None:
                continue
            if not name:
                self.add_error(f"tieu-chi-{n}-ten", _("Ghi tên tiêu chí."))
                continue
            if weight is None and f"tieu-chi-{n}-he-so" not in self.errors:
                self.add_error(f"tieu-chi-{n}-he-so", _("Ghi hệ số (ví dụ 1)."))
            if top is None and f"tieu-chi-{n}-toi-da" not in self.errors:
                self.add_error(f"tieu-chi-{n}-toi-da", _("Ghi điểm tối đa (ví dụ 10)."))
            if weight is not None and top is not None:
                criteria.append((name, weight, top))
        data["rounds"], data["criteria"] = rounds, criteria
        data["category_names"] = _lines(data.get("categories", ""))
        return data


def _rows(n: int) -> range:
    return range(1, n + 1)


class CategoryForm(ServiceForm):
    error_fields: ClassVar[dict[str, str]] = {
        "invalid_categories": "name",
        "duplicate_category": "name",
    }

    name = forms.CharField(label=_("Tên thể loại"), max_length=200)


class UserField(forms.CharField):
    """A person chosen by name: "Nguyễn Văn An (nvan)" as the picker offers it, a login
    name, or a full name (accents optional) that one active user bears. Cleans to the
    ``User``."""

    default_error_messages = {
        "unknown": _(
            "Không tìm thấy người dùng “%(text)s”: chọn trong danh sách gợi ý "
            "hoặc nhập tên đăng nhập."
        ),
        "ambiguous": _("Có nhiều người tên “%(text)s”: %(names)s. Chọn một trong danh sách."),
    }

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("max_length", 300)
        super().__init__(**kwargs)
        self.widget.attrs.update(
            {"autocomplete": "off", "autocapitalize": "none", "spellcheck": "false"}
        )

    def clean(self, value):
        text = super().clean(value)
        if not text:
            return None
        active = User.objects.filter(is_active=True)
        username = text.rsplit("(", 1)[-1].rstrip(")").strip() if text.endswith(")") else text
        found = active.filter(username=username).first()
        if found is not None:
            return found
        key = vn.fold(text)
        named = [u for u in active.filter(full_name__iexact=text.strip())[:6]] or [
            u for u in active.exclude(full_name="")[:5000] if vn.fold(u.full_name) == key
        ][:6]
        if not named:
            raise ValidationError(
                self.error_messages["unknown"], code="unknown", params={"text": text}
            )
        if len(named) > 1:
            names = ", ".join(person_label(u) for u in named[:5])
            raise ValidationError(
                self.error_messages["ambiguous"],
                code="ambiguous",
                params={"text": text, "names": names},
            )
        return named[0]


def person_label(user: User) -> str:
    """How the picker writes a person: "Nguyễn Văn An (nvan)"."""
    return f"{user.full_name} ({user.username})" if user.full_name else user.username


def people_near(contest: Contest) -> list[str]:
    """The picker's offers: active users holding a role in the organiser or below it, by
    name (a judge from elsewhere is typed by login name)."""
    day = contest.unit.reference_date()
    units = queries.subtree_ids([contest.unit_id], day)
    users = (
        User.objects.filter(
            is_active=True,
            pk__in=RoleAssignment.objects.filter(unit_id__in=units).values("user_id"),
        )
        .order_by("full_name", "username")
        .only("username", "full_name")[:PEOPLE_OFFERED]
    )
    return sorted((person_label(u) for u in users), key=vn.sort_key)


class JudgeForm(ServiceForm):
    """A judge of a round (``services.add_judge``), with an optional cap on their pile."""

    error_fields: ClassVar[dict[str, str]] = {
        "invalid_cap": "cap",
        "invalid_round": "round",
        "duplicate_judge": "user",
        "self_judge": "user",
    }

    user = UserField(
        label=_("Giám khảo"),
        help_text=_("Gõ họ tên hoặc tên đăng nhập rồi chọn trong danh sách gợi ý."),
    )
    round = forms.TypedChoiceField(label=_("Vòng"), coerce=int)
    cap = WholeNumber(
        label=_("Giới hạn số bài"),
        required=False,
        high=1_000_000,
        help_text=_("Để trống nếu không giới hạn."),
    )

    def __init__(self, data=None, *, rounds: list[Round], **kwargs) -> None:
        super().__init__(data, **kwargs)
        field = self.fields["round"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [(r.number, r.name) for r in rounds]
        self.fields["user"].widget.attrs["list"] = "people"


class ConflictForm(ServiceForm):
    """A conflict of interest an organiser records for a judge
    (``services.declare_conflict``): with one entry, by its receipt number, or with a
    unit and the units under it."""

    error_fields: ClassVar[dict[str, str]] = {
        "not_a_judge": "judge",
        "invalid_unit": "unit",
        "invalid_entry": "receipt",
        "invalid_reason": "reason",
        "duplicate_conflict": "judge",
    }

    judge = forms.TypedChoiceField(label=_("Giám khảo"), coerce=int)
    receipt = forms.CharField(
        label=_("Bài dự thi (số biên nhận)"),
        required=False,
        max_length=20,
        help_text=_("Ví dụ 012 hoặc 012/2022. Để trống nếu xung đột với một đơn vị."),
    )
    unit = UnitField(
        label=_("Hoặc đơn vị"),
        required=False,
        help_text=_("Gồm cả các đơn vị cấp dưới."),
    )
    reason = forms.CharField(label=_("Lý do"), required=False, max_length=500)

    def __init__(self, data=None, *, judges: list, **kwargs) -> None:
        super().__init__(data, **kwargs)
        people = {j.user_id: j.user for j in judges}
        field = self.fields["judge"]
        assert isinstance(field, forms.TypedChoiceField)
        offered = sorted(
            ((pk, person_label(u)) for pk, u in people.items()), key=lambda c: vn.sort_key(c[1])
        )
        field.choices = [("", _("— Chọn giám khảo —")), *offered]
        self.people = people

    def clean_judge(self) -> User:
        return self.people[self.cleaned_data["judge"]]

    def clean_receipt(self) -> int | None:
        text = self.cleaned_data["receipt"].strip()
        if not text:
            return None
        number = text.split("/", 1)[0].strip()
        if not number.isdigit() or not 0 < int(number) < 1_000_000:
            raise ValidationError(
                _("Ghi số biên nhận, ví dụ 012 hoặc 012/2022."), code="invalid_receipt"
            )
        return int(number)

    def clean(self) -> dict:
        data = super().clean() or {}
        if (
            "receipt" in data
            and "unit" in data
            and (data["receipt"] is None) == (data["unit"] is None)
        ):
            self.add_error(
                None, _("Ghi số biên nhận của một bài hoặc chọn một đơn vị (một trong hai).")
            )
        return data


class EntryForm(ServiceForm):
    """An entry received (``services.receive_entry``): the file, its title and author, the
    unit that sends it, its category when the contest has some, the day it was sent."""

    error_fields: ClassVar[dict[str, str]] = {
        "invalid_entry": "title",
        "invalid_unit": "unit",
        "invalid_category": "category",
        "invalid_sent_on": "sent_on",
        "late": "sent_on",
        "not_open": "sent_on",
        "duplicate_entry": "file",
        "file_too_large": "file",
        "empty_file": "file",
        "not_anonymisable": "file",
        "unreadable_file": "file",
        "unsupported_file": "file",
        "wrong_content": "file",
    }

    file = forms.FileField(
        label=_("Tệp bài dự thi (.docx, .pdf, ảnh chụp .jpg, .png, .tif)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".docx,.pdf,.jpg,.jpeg,.png,.tif,.tiff"}),
    )
    title = forms.CharField(label=_("Tên bài"), max_length=500)
    author_name = forms.CharField(label=_("Tác giả"), max_length=200)
    unit = UnitField(label=_("Đơn vị gửi bài"))
    category = forms.ChoiceField(label=_("Thể loại"), required=False)
    sent_on = VnDateField(
        label=_("Ngày gửi"),
        required=False,
        help_text=_("Ngày theo dấu bưu điện hoặc ngày gửi; để trống là hôm nay."),
    )

    def __init__(self, data=None, files=None, *, categories: list[str], **kwargs) -> None:
        super().__init__(data, files, **kwargs)
        field = self.fields["category"]
        assert isinstance(field, forms.ChoiceField)
        if categories:
            field.choices = [("", _("— Chọn thể loại —")), *((c, c) for c in categories)]
            field.required = True
        else:
            del self.fields["category"]


class DisqualifyForm(ServiceForm):
    error_fields: ClassVar[dict[str, str]] = {"invalid_reason": "reason"}

    reason = forms.CharField(
        label=_("Lý do loại bài"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Ví dụ: sao chép bài đã đăng báo; vi phạm thể lệ."),
    )


AUTHORITIES = [(a.value, a.label) for a in Document.Authority if a.value]


class ResultsDecisionForm(ServiceForm):
    """The results decision from the organiser's register (``results.issue_results``)."""

    error_fields: ClassVar[dict[str, str]] = {
        "invalid_date": "date",
        "issuer_not_existing": "date",  # the organiser did not exist on that day
    }

    date = VnDateField(label=_("Ngày quyết định"))
    summary = forms.CharField(
        label=_("Trích yếu"),
        required=False,
        max_length=1000,
        help_text=_("Để trống: “Về việc công nhận kết quả và trao giải …” (tên cuộc thi)."),
    )
    signer_authority = forms.ChoiceField(label=_("Thẩm quyền ký"), choices=AUTHORITIES)
    signer = forms.CharField(label=_("Họ và tên người ký"), max_length=100)
    recipients = forms.CharField(
        label=_("Nơi nhận"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Mỗi dòng một nơi nhận."),
    )

    def __init__(self, data=None, *, organiser: Unit | None = None, **kwargs) -> None:
        super().__init__(data, **kwargs)
        self.fields["date"].initial = decision_day(organiser)


def decision_day(organiser: Unit | None) -> dt.date:
    """The day a decision form offers: today, or the organiser's last day once it has
    ended (Tỉnh ủy Kiên Giang's 2022 contest, decided after 01/07/2025, would be refused:
    no register to number it)."""
    today = timezone.localdate()
    if organiser is None or organiser.is_valid_on(today):
        return today
    return organiser.last_day or today


class CertificatesForm(ServiceForm):
    """The prize certificates (``certificates.issue``)."""

    error_fields: ClassVar[dict[str, str]] = {
        "invalid_date": "day",
        "missing_signer": "signer_position",
    }

    signer_position = forms.CharField(
        label=_("Chức vụ người ký"), max_length=100, help_text=_("Ví dụ: TRƯỞNG BAN.")
    )
    signer_name = forms.CharField(label=_("Họ và tên người ký"), required=False, max_length=100)
    day = VnDateField(
        label=_("Ngày cấp"),
        required=False,
        help_text=_("Để trống: ngày của quyết định công nhận kết quả."),
    )
