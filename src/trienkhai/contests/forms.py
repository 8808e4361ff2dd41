"""The judge's score sheet (phiếu chấm): one box per criterion of the rubric."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext as _

from trienkhai.contests.models import Criterion, Score
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


class PrizesForm(ServiceForm):
    """The round's prizes, one a line ("Giải Nhất: 1"), in the order they go down the
    ranking, and how many entries go to the higher level's contest."""

    error_fields = {"invalid_prizes": "co_cau", "invalid_quota": "gui_cap_tren"}

    def __init__(self, data=None, **kwargs) -> None:
        super().__init__(data, **kwargs)
        self.fields["co_cau"] = forms.CharField(
            label=_("Cơ cấu giải"),
            required=False,
            widget=forms.Textarea(attrs={"rows": 5, "cols": 30}),
            help_text=_("Mỗi dòng một giải, từ cao xuống thấp: tên giải, dấu hai chấm, số giải."),
        )
        self.fields["gui_cap_tren"] = forms.IntegerField(
            label=_("Số bài gửi dự thi cấp trên"),
            required=False,
            min_value=1,
            max_value=10_000,
            widget=forms.TextInput(attrs={"inputmode": "numeric", "size": 6}),
        )

    def clean(self) -> dict:
        data = super().clean() or {}
        prizes: list[tuple[str, int]] = []
        for n, line in enumerate((data.get("co_cau") or "").splitlines(), start=1):
            if not line.strip():
                continue
            name, colon, count = line.rpartition(":")
            try:
                number = int(count.strip()) if colon else 0
            except ValueError:
                number = 0
            if not name.strip() or number < 1:
                self.add_error(
                    "co_cau",
                    _("Dòng %(n)s: ghi tên giải, dấu hai chấm rồi số giải, ví dụ “Giải Nhất: 1”.")
                    % {"n": n},
                )
                continue
            prizes.append((name.strip(), number))
        data["prizes"] = prizes
        if not prizes and not data.get("gui_cap_tren") and not self.errors:
            self.add_error(None, _("Ghi ít nhất một giải hoặc số bài gửi cấp trên."))
        return data

    @staticmethod
    def shown(prizes, quota: int | None) -> dict:
        """The form's initial text from the round's prizes."""
        return {
            "co_cau": "\n".join(f"{p.name}: {p.count}" for p in prizes),
            "gui_cap_tren": quota or "",
        }
