"""Reporting periods: DHIS2 identifiers, two calendars, spans.

Identifiers as DHIS2 writes them: ``2021`` (year), ``2021S1``/``2021S2`` (half-year),
``2021Q3`` (quarter), ``202107`` (month). The boundaries depend on the calendar:

- ``gregorian``: calendar months, quarters, halves and years.
- ``nd09``: the State reporting regime of Nghị định 09/2019/NĐ-CP, whose figures are
  cut off on the 14th: month m runs 15 of m−1 to 14 of m, the first half-year 15/12 of
  the year before to 14/6, the year 15/12 to 14/12 (VN_DOCUMENTS.md §3.1).

A span (``2019..2023``, ``2020S1..2021S2``) is every period of one type between two
identifiers, for reviews over several periods.
"""

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from django.utils import translation
from django.utils.dates import MONTHS
from django.utils.translation import gettext, gettext_noop, pgettext_lazy

from trienkhai.common.errors import BadInput


class PeriodType(StrEnum):
    YEARLY = "yearly"
    SIXMONTHLY = "sixmonthly"
    QUARTERLY = "quarterly"
    MONTHLY = "monthly"


class Calendar(StrEnum):
    GREGORIAN = "gregorian"
    ND09 = "nd09"


_PATTERNS = [
    (re.compile(r"^(\d{4})$"), PeriodType.YEARLY),
    (re.compile(r"^(\d{4})S([12])$"), PeriodType.SIXMONTHLY),
    (re.compile(r"^(\d{4})Q([1-4])$"), PeriodType.QUARTERLY),
    (re.compile(r"^(\d{4})(0[1-9]|1[0-2])$"), PeriodType.MONTHLY),
]
_MONTHS = {
    PeriodType.YEARLY: 12,
    PeriodType.SIXMONTHLY: 6,
    PeriodType.QUARTERLY: 3,
    PeriodType.MONTHLY: 1,
}
# Marked for the catalogue (gettext_noop), translated when a label is asked for: the
# formal label keeps the Vietnamese text.
_LABELS = {
    PeriodType.YEARLY: gettext_noop("Năm %(year)s"),
    PeriodType.SIXMONTHLY: gettext_noop("6 tháng đầu năm %(year)s"),
    PeriodType.QUARTERLY: gettext_noop("Quý %(roman)s/%(year)s"),
    PeriodType.MONTHLY: gettext_noop("Tháng %(number)s/%(year)s"),
}
_SECOND_HALF = gettext_noop("6 tháng cuối năm %(year)s")
# The same in the middle of a sentence ("cho kỳ quý II/2025", "for the second half of
# 2020"): entries of their own (context "giữa câu"), as each language lowers its own
# words ("2020" alone for an English year).
_INLINE_LABELS = {
    PeriodType.YEARLY: pgettext_lazy("giữa câu", "năm %(year)s"),
    PeriodType.SIXMONTHLY: pgettext_lazy("giữa câu", "6 tháng đầu năm %(year)s"),
    PeriodType.QUARTERLY: pgettext_lazy("giữa câu", "quý %(roman)s/%(year)s"),
    PeriodType.MONTHLY: pgettext_lazy("giữa câu", "tháng %(number)s/%(year)s"),
}
_INLINE_SECOND_HALF = pgettext_lazy("giữa câu", "6 tháng cuối năm %(year)s")
_COUNT = {
    PeriodType.YEARLY: 1,
    PeriodType.SIXMONTHLY: 2,
    PeriodType.QUARTERLY: 4,
    PeriodType.MONTHLY: 12,
}


@dataclass(frozen=True, order=True)
class Period:
    year: int
    type: PeriodType
    number: int
    """1-based index within the year: the half, the quarter or the month."""
    calendar: Calendar = Calendar.GREGORIAN

    def __post_init__(self) -> None:
        # Accept the plain strings stored on a form ("sixmonthly", "nd09"): the period's
        # methods compare by identity with the enum members.
        object.__setattr__(self, "type", PeriodType(self.type))
        object.__setattr__(self, "calendar", Calendar(self.calendar))

    @property
    def id(self) -> str:
        if self.type is PeriodType.YEARLY:
            return str(self.year)
        if self.type is PeriodType.SIXMONTHLY:
            return f"{self.year}S{self.number}"
        if self.type is PeriodType.QUARTERLY:
            return f"{self.year}Q{self.number}"
        return f"{self.year}{self.number:02d}"

    @property
    def first_month(self) -> int:
        return (self.number - 1) * _MONTHS[self.type] + 1

    @property
    def last_month(self) -> int:
        return self.number * _MONTHS[self.type]

    @property
    def start(self) -> dt.date:
        """The first day of the period (inclusive)."""
        if self.calendar is Calendar.ND09:
            month = self.first_month - 1
            return dt.date(self.year - 1, 12, 15) if month == 0 else dt.date(self.year, month, 15)
        return dt.date(self.year, self.first_month, 1)

    @property
    def end(self) -> dt.date:
        """The last day of the period (inclusive)."""
        if self.calendar is Calendar.ND09:
            return dt.date(self.year, self.last_month, 14)
        following = self.next().start if self.calendar is Calendar.GREGORIAN else None
        assert following is not None
        return following - dt.timedelta(days=1)

    def next(self) -> "Period":
        if self.number < _COUNT[self.type]:
            return Period(self.year, self.type, self.number + 1, self.calendar)
        return Period(self.year + 1, self.type, 1, self.calendar)

    def previous(self) -> "Period":
        if self.number > 1:
            return Period(self.year, self.type, self.number - 1, self.calendar)
        return Period(self.year - 1, self.type, _COUNT[self.type], self.calendar)

    def same_period_last_year(self) -> "Period":
        return Period(self.year - 1, self.type, self.number, self.calendar)

    def contains(self, day: dt.date) -> bool:
        return self.start <= day <= self.end

    def label(self) -> str:
        """On screen, in the reader's language: 'Năm 2021', '6 tháng đầu năm 2021',
        'Quý III/2021', 'Tháng 7/2021' in Vietnamese (the catalogue gives the English)."""
        return self._label(gettext)

    def inline_label(self) -> str:
        """The label in the middle of a sentence, lowered as the reader's language
        lowers it: 'cho kỳ quý III/2021', 'for the second half of 2020'; ``label`` where
        the name starts a line, a heading or a cell."""
        text = _INLINE_LABELS[self.type]
        if self.type is PeriodType.SIXMONTHLY and self.number == 2:
            text = _INLINE_SECOND_HALF
        return self._label(str, text)

    def formal_label(self) -> str:
        """Always Vietnamese, whatever the page's language: the text of formal documents
        (drafting), which are Vietnamese documents."""
        return self._label(str)

    def _label(self, translate: Callable[[str], str], text: object = None) -> str:
        if text is None:
            text = _LABELS[self.type]
            if self.type is PeriodType.SIXMONTHLY and self.number == 2:
                text = _SECOND_HALF
        return translate(str(text)) % {
            "year": self.year,
            "number": self.number,
            "roman": ["I", "II", "III", "IV"][self.number - 1] if self.number <= 4 else "",
            # The month's name, for languages that write it ("July 2021"); Vietnamese
            # writes its number.
            "month": MONTHS[self.number] if self.type is PeriodType.MONTHLY else "",
        }

    def __str__(self) -> str:
        return self.id


def parse(period_id: str, calendar: Calendar | str = Calendar.GREGORIAN) -> Period:
    """The period of a DHIS2 identifier; BadInput for anything else."""
    text = (period_id or "").strip()
    for pattern, kind in _PATTERNS:
        match = pattern.match(text)
        if match:
            year = int(match.group(1))
            number = 1 if kind is PeriodType.YEARLY else int(match.group(2))
            if not 1900 <= year <= 2200:
                break
            return Period(year, kind, number, Calendar(calendar))
    raise BadInput(
        "invalid_period",
        f"Kỳ báo cáo không hợp lệ / invalid period: {period_id!r} (2021, 2021S1, 2021Q3, 202107)",
    )


def span(first: str, last: str, calendar: Calendar | str = Calendar.GREGORIAN) -> list[Period]:
    """Every period from ``first`` to ``last`` inclusive; both of one type."""
    start, end = parse(first, calendar), parse(last, calendar)
    if start.type is not end.type or end < start:
        raise BadInput(
            "invalid_span",
            f"Khoảng kỳ không hợp lệ / invalid span: {first}..{last}",
        )
    periods = [start]
    while periods[-1] != end:
        periods.append(periods[-1].next())
    return periods


def parse_span(text: str, calendar: Calendar | str = Calendar.GREGORIAN) -> list[Period]:
    """``2019..2023`` → the five years; a single id → that period."""
    if ".." in text:
        first, last = text.split("..", 1)
        return span(first, last, calendar)
    return [parse(text, calendar)]


def containing(
    day: dt.date, kind: PeriodType, calendar: Calendar | str = Calendar.GREGORIAN
) -> Period:
    """The period of ``kind`` that contains ``day``."""
    calendar = Calendar(calendar)
    guess = Period(day.year + 1, kind, 1, calendar)
    while not guess.contains(day):
        guess = guess.previous()
    return guess


# Periods in words, as people write them on screens (issue 14): "6 tháng đầu năm 2020",
# "Quý III/2021", "Tháng 7/2021", "Năm 2019–2021", with or without accents, or in
# English ("first half of 2020", "Q3 2021", "July 2021"). The API keeps the identifiers.
_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}
_ENGLISH_MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}
_YEAR = r"(?:nam |year |of |/|-|\s)*(\d{4})"
_WORDS = [
    (re.compile(r"^(?:nam|year)? ?(\d{4})$"), PeriodType.YEARLY, lambda m: (m[1], 1)),
    (
        re.compile(rf"^(?:6|sau) thang (dau|cuoi){_YEAR}$"),
        PeriodType.SIXMONTHLY,
        lambda m: (m[2], 1 if m[1] == "dau" else 2),
    ),
    (
        re.compile(rf"^nua (dau|cuoi|sau){_YEAR}$"),
        PeriodType.SIXMONTHLY,
        lambda m: (m[2], 1 if m[1] == "dau" else 2),
    ),
    (
        re.compile(rf"^(?:the )?(first|second|1st|2nd) half{_YEAR}$"),
        PeriodType.SIXMONTHLY,
        lambda m: (m[2], 1 if m[1] in ("first", "1st") else 2),
    ),
    (re.compile(rf"^(?:h|s)([12]){_YEAR}$"), PeriodType.SIXMONTHLY, lambda m: (m[2], m[1])),
    (re.compile(r"^(\d{4}) ?(?:h|s)([12])$"), PeriodType.SIXMONTHLY, lambda m: (m[1], m[2])),
    (
        re.compile(rf"^(?:quy|quarter) (iv|i{{1,3}}|[1-4]){_YEAR}$"),
        PeriodType.QUARTERLY,
        lambda m: (m[2], _ROMAN.get(m[1], m[1])),
    ),
    (re.compile(rf"^q([1-4]){_YEAR}$"), PeriodType.QUARTERLY, lambda m: (m[2], m[1])),
    (re.compile(r"^(\d{4}) ?q([1-4])$"), PeriodType.QUARTERLY, lambda m: (m[1], m[2])),
    (
        re.compile(r"^(?:thang |month )?(\d{1,2})(?:/| nam | ?- ?)(\d{4})$"),
        PeriodType.MONTHLY,
        lambda m: (m[2], m[1]),
    ),
    (
        re.compile(rf"^({'|'.join(_ENGLISH_MONTHS)}){_YEAR}$"),
        PeriodType.MONTHLY,
        lambda m: (m[2], _ENGLISH_MONTHS[m[1]]),
    ),
]
_SPAN_MARKS = re.compile(r"\s*(?:\.\.|–|—|→|\bden\b|\bto\b|\btoi\b|\s-\s|-)\s*")
EXAMPLES = gettext_noop(
    "Ví dụ: Năm 2021; 6 tháng đầu năm 2021; Quý III/2021; Tháng 7/2021; Năm 2019–2021"
)


def read(text: str, calendar: Calendar | str = Calendar.GREGORIAN) -> Period:
    """The period a person wrote, in words or as an identifier; BadInput if it is not one.

    "6 tháng đầu năm 2020", "6 thang dau 2020", "Quý III/2021", "quy 3 nam 2021", "Tháng
    7/2021", "07/2021", "Năm 2021", "2020S1", "first half of 2020", "Q3 2021", "July 2021".
    """
    from trienkhai.vn import fold

    words = fold(text or "").replace(",", " ").replace(".", " ").strip()
    words = re.sub(r"\s+", " ", words)
    for pattern, kind, parts in _WORDS:
        match = pattern.match(words)
        if match:
            year, number = (int(part) for part in parts(match))
            if 1900 <= year <= 2200 and 1 <= number <= _COUNT[kind]:
                return Period(year, kind, number, Calendar(calendar))
            break
    try:
        return parse(text, calendar)
    except BadInput:
        raise _not_a_period(text) from None


def read_span(text: str, calendar: Calendar | str = Calendar.GREGORIAN) -> list[Period]:
    """A period or a span a person wrote: "Năm 2019–2021", "2019 đến 2021", "6 tháng đầu
    năm 2020 - 6 tháng cuối năm 2021", "2020S1..2021S2"; the last may leave out the kind
    of the first ("Năm 2019–2021", "Quý I–III/2021" is not understood)."""
    from trienkhai.vn import fold

    folded = re.sub(r"^(?:tu|from) ", "", fold(text or ""))
    try:
        return [read(folded, calendar)]
    except BadInput:
        pass
    for mark in _SPAN_MARKS.finditer(folded):
        first, last = folded[: mark.start()], folded[mark.end() :]
        try:
            start = read(first, calendar)
        except BadInput:
            continue
        try:
            end = read(last, calendar)
        except BadInput:
            # "Năm 2019–2021": the second year alone, of the first's kind.
            if not re.fullmatch(r"\d{4}", last.strip()) or start.type is not PeriodType.YEARLY:
                continue
            end = Period(int(last), start.type, 1, start.calendar)
        return span(start.id, end.id, calendar)
    raise _not_a_period(text)


def _not_a_period(text: str) -> BadInput:
    """ "Không hiểu kỳ “hai”. Ví dụ: …" with the examples in each half's language (the
    English half once carried the text again, which the Vietnamese half then repeated)."""
    with translation.override("vi"):
        vi = gettext(EXAMPLES)
    with translation.override("en"):
        en = gettext(EXAMPLES)
    return BadInput(
        "invalid_period", f"Không hiểu kỳ “{text}”. {vi} / not a period: “{text}”. {en}"
    )


# How often something is reported, in a sentence ("Biểu … báo cáo hằng quý").
_CADENCE = {
    PeriodType.YEARLY: gettext_noop("hằng năm"),
    PeriodType.SIXMONTHLY: gettext_noop("6 tháng một lần"),
    PeriodType.QUARTERLY: gettext_noop("hằng quý"),
    PeriodType.MONTHLY: gettext_noop("hằng tháng"),
}


def cadence(period_type: str) -> str:
    """ "quarterly" → "hằng quý" in the reader's language: how often a form or a report
    template is reported, in a sentence; an unknown type as given."""
    try:
        return gettext(_CADENCE[PeriodType(period_type)])
    except ValueError:
        return str(period_type)


def span_label(periods: list[Period], *, inline: bool = False) -> str:
    """The words of a span on screen: 'Năm 2021', 'Năm 2019–2021', '6 tháng đầu năm 2020 –
    6 tháng cuối năm 2021'; what ``read_span`` reads back. ``inline``: inside a sentence
    ('năm 2019–2021', 'second half of 2020'), as ``Period.inline_label``."""
    if not periods:
        return ""
    name = Period.inline_label if inline else Period.label
    first, last = periods[0], periods[-1]
    if first == last:
        return name(first)
    if first.type is PeriodType.YEARLY:
        return f"{name(first)}–{last.year}"
    return f"{name(first)} – {name(last)}"


def span_id(periods: list[Period]) -> str:
    """The identifier text of a period or span: '2020S1', '2019..2021'."""
    return periods[0].id if len(periods) == 1 else f"{periods[0].id}..{periods[-1].id}"


def suggestions(today: dt.date, years: int = 3) -> list[str]:
    """Words a period field offers as one types (newest first): the years, halves and
    quarters of the last ``years`` years and the spans of the reviews (3 and 5 years)."""
    offered: list[str] = []
    for year in range(today.year, today.year - years, -1):
        offered.append(Period(year, PeriodType.YEARLY, 1).label())
        offered += [Period(year, PeriodType.SIXMONTHLY, n).label() for n in (2, 1)]
        offered += [Period(year, PeriodType.QUARTERLY, n).label() for n in (4, 3, 2, 1)]
    for length in (3, 5):
        first = Period(today.year - length, PeriodType.YEARLY, 1)
        offered.append(span_label(span(first.id, str(today.year - 1))))
    return offered
