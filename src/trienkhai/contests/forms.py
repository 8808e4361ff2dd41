"""The judge's score sheet (phiếu chấm): one box per criterion of the rubric."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext as _

from trienkhai.contests.models import Criterion, Score
from trienkhai.contests.results import MAX_PRIZES
from trienkhai.vn import format_number, parse_number
from trienkhai.web.forms import ServiceForm

DECIMALS = 2
"""As the service takes them (``services.MAX_DECIMALS``): 7,25 at most."""


def shown(value: Decimal) -> str:
    """60 or 7,5: a score as Vietnamese write it, without trailing zeros."""
    exponent = value.normalize().as_tuple().exponent
    decimals = -exponent if isinstance(exponent, int) and exponent < 0 else 0
    return format_number(value, decimals)


class ScoreField(forms.CharField):
    """A score from 0 to ``top`` typed as people write it: 7,5 (or 7.5), two decimals at
    most. Cleans to a Decimal."""

    def __init__(self, *, top: Decimal, **kwargs) -> None:
        kwargs.setdefault("max_length", 20)
        super().__init__(**kwargs)
        self.top = top
        self.widget.attrs.update(
            {"inputmode": "decimal", "autocomplete": "off", "size": 6, "class": "score"}
        )

    def clean(self, value):
        text = super().clean(value)
        if not text:
            return None
        try:
            score = parse_number(text)
        except ValueError:
            raise forms.ValidationError(
                _("“%(text)s” không phải là một số: nhập ví dụ 7,5.") % {"text": text},
                code="invalid",
            ) from None
        if not 0 <= score <= self.top:
            raise forms.ValidationError(
                _("Điểm phải từ 0 đến %(max)s.") % {"max": shown(self.top)}, code="range"
            )
        exponent = score.normalize().as_tuple().exponent
        if isinstance(exponent, int) and -exponent > DECIMALS:
            raise forms.ValidationError(
                _("Tối đa %(n)s chữ số sau dấu phẩy.") % {"n": DECIMALS}, code="decimals"
            )
        return score


class ScoreForm(ServiceForm):
    """A box per criterion, named ``tieu-chi-{pk}`` (a criterion's name may hold any
    character), labelled with the criterion's name and its highest score."""

    error_fields = {"round_closed": ""}

    def __init__(self, data, *, criteria: list[Criterion], sheet: Score | None) -> None:
        super().__init__(data)
        self.criteria = criteria
        values = sheet.values if sheet else {}
        for criterion in criteria:
            before = values.get(criterion.name)
            self.fields[self.name_of(criterion)] = ScoreField(
                top=criterion.max,
                label=criterion.name,
                help_text=_("Từ 0 đến %(max)s; hệ số %(weight)s")
                % {"max": shown(criterion.max), "weight": shown(criterion.weight)},
                initial=shown(Decimal(before)) if before is not None else "",
                error_messages={"required": _("Chưa có điểm cho tiêu chí này.")},
            )

    @staticmethod
    def name_of(criterion: Criterion) -> str:
        return f"tieu-chi-{criterion.pk}"

    def values(self) -> dict[str, int | float]:
        """The sheet as the service takes it: criterion name → number (validated here
        to two decimals, so the float says exactly what was typed)."""
        return {c.name: _plain(self.cleaned_data[self.name_of(c)]) for c in self.criteria}


def _plain(value: Decimal) -> int | float:
    """30 as 30 (the sheet keeps "30", not "30.0"), 7,25 as 7.25."""
    return int(value) if value == value.to_integral_value() else float(value)


PRIZE_ROWS = 4
"""Rows shown at least; as many more as the prizes saved, and one empty row after them."""


class PrizesForm(ServiceForm):
    """The round's prizes, a row each (name, how many, and the category whose entries it
    goes to when the contest has categories: "Toàn cuộc thi" for the whole round), in
    the order they are given; and how many entries go to the higher level's contest.
    Fields of a row are named ``giai-{n}-ten``; empty rows are left out."""

    error_fields = {
        "invalid_prizes": "giai-1-ten",
        "invalid_category": "giai-1-the-loai",
        "invalid_quota": "gui_cap_tren",
    }

    def __init__(self, data=None, *, categories: list[str] | None = None, **kwargs) -> None:
        from trienkhai.contests.organiser_forms import WholeNumber  # which imports this module

        super().__init__(data, **kwargs)
        self.has_categories = bool(categories)
        for n in range(1, MAX_PRIZES + 1):
            self.fields[f"giai-{n}-ten"] = forms.CharField(
                label=_("Tên giải (dòng %(n)s)") % {"n": n}, required=False, max_length=200
            )
            self.fields[f"giai-{n}-so"] = WholeNumber(
                label=_("Số giải (dòng %(n)s)") % {"n": n}, required=False, high=10_000
            )
            if categories:
                self.fields[f"giai-{n}-the-loai"] = forms.ChoiceField(
                    label=_("Thể loại (dòng %(n)s)") % {"n": n},
                    required=False,
                    choices=[("", _("Toàn cuộc thi"))] + [(c, c) for c in categories],
                )
        self.fields["gui_cap_tren"] = forms.IntegerField(
            label=_("Số bài gửi dự thi cấp trên"),
            required=False,
            min_value=1,
            max_value=10_000,
            widget=forms.TextInput(attrs={"inputmode": "numeric", "size": 6}),
        )

    def rows(self) -> list[tuple]:
        """The rows shown: those filled in, one empty after them, at least ``PRIZE_ROWS``."""
        source = self.data if self.is_bound else self.initial
        filled = [
            n
            for n in range(1, MAX_PRIZES + 1)
            if source.get(f"giai-{n}-ten") or source.get(f"giai-{n}-so")
        ]
        shown = min(MAX_PRIZES, max(PRIZE_ROWS, (filled[-1] if filled else 0) + 1))
        return [
            (
                self[f"giai-{n}-ten"],
                self[f"giai-{n}-so"],
                self[f"giai-{n}-the-loai"] if self.has_categories else None,
            )
            for n in range(1, shown + 1)
        ]

    def clean(self) -> dict:
        data = super().clean() or {}
        prizes: list[tuple[str, int, str | None]] = []
        for n in range(1, MAX_PRIZES + 1):
            name = (data.get(f"giai-{n}-ten") or "").strip()
            count = data.get(f"giai-{n}-so")
            if f"giai-{n}-so" in self.errors:
                continue
            if name and count is None:
                self.add_error(f"giai-{n}-so", _("Ghi số giải (từ 1)."))
            elif count is not None and not name:
                self.add_error(f"giai-{n}-ten", _("Ghi tên giải."))
            elif name:
                prizes.append((name, count or 0, data.get(f"giai-{n}-the-loai") or None))
        data["prizes"] = prizes
        if not prizes and not data.get("gui_cap_tren") and not self.errors:
            self.add_error(None, _("Ghi ít nhất một giải hoặc số bài gửi cấp trên."))
        return data

    @staticmethod
    def shown(prizes, quota: int | None) -> dict:
        """The form's initial rows from the round's prizes (their categories read)."""
        initial: dict = {"gui_cap_tren": quota or ""}
        for n, p in enumerate(prizes, start=1):
            initial[f"giai-{n}-ten"] = p.name
            initial[f"giai-{n}-so"] = p.count
            initial[f"giai-{n}-the-loai"] = p.category.name if p.category_id else ""
        return initial
