"""The data-quality page (chất lượng số liệu): what needs a manager's eye in a unit's
subtree, for one form over a span of its periods.

Four sections, each item of them identified by (unit, period, kind, subject):

- ``outliers`` — ``reporting.outliers`` per period: against the unit's own history
  (modified z-score, or z-score as asked), its min-max bounds, its siblings; with the
  reporter's explanation (``OutlierComment``) of that very value;
- ``rules`` — the validation rules that fail on the reports submitted or approved (the
  figures that count; a draft is still being typed);
- ``follow_ups`` — values an approver marked for follow-up (``CellMark`` FOLLOW_UP);
- ``gaps`` — reports past their deadline and not submitted (none, draft or returned),
  and empty compulsory cells of the reports submitted or approved.

Each item carries the manager's note and whether it is resolved (``QualityNote``; a
follow-up's resolution is its mark's own ``resolved``). ``state`` keeps the open
ones, the resolved ones or all.

Reads only. Per period: the outlier read of ``reporting.outliers`` (one statement per
500 units, plus the subtree walk) and the expected units; for the whole span: the
submissions, the values of the reports that count (per 500 units), the marks, the
explanations and the notes — a fixed number of queries whatever the number of units.
"""

import datetime as dt
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _

from trienkhai.common.errors import BadInput
from trienkhai.orgs.models import Unit
from trienkhai.reporting import formulas, outliers
from trienkhai.reporting.models import (
    CellMark,
    DataValue,
    Form,
    Indicator,
    OutlierComment,
    QualityNote,
    Submission,
    ValidationRule,
)
from trienkhai.reporting.outliers import Method
from trienkhai.reporting.periods import Period
from trienkhai.reporting.periods import span as period_span
from trienkhai.reporting.services.forms import expected_codes
from trienkhai.reporting.services.values import rules_failing
from trienkhai.vn import sort_key
from trienkhai.web.labels import local_name

MAX_SPAN_DAYS = 5 * 366
"""A span longer than about five years is refused: the page is a manager's worklist,
not an archive (the API's analytics read longer spans)."""

STATES = ("open", "resolved", "all")
COUNTED = (Submission.Status.SUBMITTED, Submission.Status.APPROVED)
_CHUNK = 500  # units per statement: within SQLite's limit on parameters

Kind = QualityNote.Kind


def method_label(method: str) -> str:
    """How a method of judging an outlier is said to a manager."""
    words: dict[str, str] = {
        Method.MODIFIED_Z.value: _("Khác xa lịch sử của đơn vị (điểm z hiệu chỉnh, trung vị)"),
        Method.Z.value: _("Khác xa lịch sử của đơn vị (điểm z, trung bình)"),
        Method.MINMAX.value: _("Ngoài khoảng tối thiểu–tối đa"),
        Method.SIBLINGS.value: _("Khác xa các đơn vị cùng cấp trong kỳ"),
    }
    return words.get(str(method), str(method))


def span_of(form: Form, first: str, last: str) -> list[Period]:
    """The periods of ``form`` from ``first`` to ``last``: BadInput (400) for a period of
    another type, ``first`` after ``last``, or a span longer than about five years."""
    start, end = form.period(first), form.period(last)
    if end < start:
        raise BadInput(
            "invalid_span",
            f"Kỳ bắt đầu sau kỳ kết thúc / the first period is after the last: {first} > {last}",
        )
    if (end.end - start.start).days > MAX_SPAN_DAYS:
        raise BadInput(
            "span_too_long",
            f"Khoảng kỳ quá dài (tối đa 5 năm) / the span is too long (5 years at most): "
            f"{first}..{last}",
        )
    return period_span(start.id, end.id, form.calendar)


def default_span(form: Form, today: dt.date | None = None, count: int = 6) -> list[Period]:
    """The last ``count`` periods of ``form`` that have ended by ``today``, ending at the
    last period anyone submitted if that is earlier: the page opens on figures there are
    (a form no one has sent for years opens on its last reports, not on years of gaps,
    which the completeness page shows)."""
    from trienkhai.reporting.periods import PeriodType, containing

    today = today or timezone.localdate()
    last = containing(today, PeriodType(form.period_type), form.calendar).previous()
    sent = (
        Submission.objects.filter(form=form, status__in=COUNTED)
        .order_by("-period")
        .values_list("period", flat=True)
        .first()
    )
    if sent is not None:
        latest = form.period(sent)
        if latest.start < last.start:
            last = latest
    first = last
    for _n in range(count - 1):
        first = first.previous()
    return period_span(first.id, last.id, form.calendar)


@dataclass
class Item:
    """One line of the page, and of the API's answer."""

    kind: str
    unit: str
    unit_name: str
    period: str
    period_label: str
    subject: str
    indicator: str = ""
    option: str = ""
    name: str = ""
    """The cell's name in the reader's language: indicator – option."""
    value: float | None = None
    low: float | None = None
    high: float | None = None
    shown_value: str = ""
    """The value as the page writes it: 20.673."""
    usual: str = ""
    """The usual range as the page writes it: 165–235."""
    method: str = ""
    method_label: str = ""
    score: float | None = None
    explanation: str = ""
    explained_by: str = ""
    rule: int | None = None
    rule_text: str = ""
    mark: int | None = None
    mark_note: str = ""
    marked_by: str = ""
    marked_at: dt.datetime | None = None
    state: str = ""
    """A gap: "missing", "draft", "returned" (a report), "empty" (a cell)."""
    state_label: str = ""
    deadline: dt.date | None = None
    note: str = ""
    noted_by: str = ""
    noted_at: dt.datetime | None = None
    resolved: dt.datetime | None = None
    resolved_by: str = ""

    @property
    def is_resolved(self) -> bool:
        return self.resolved is not None

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class Quality:
    form: Form
    root: Unit
    root_name: str
    periods: list[Period]
    method: Method
    state: str
    outliers: list[Item] = field(default_factory=list)
    rules: list[Item] = field(default_factory=list)
    follow_ups: list[Item] = field(default_factory=list)
    gaps: list[Item] = field(default_factory=list)
    too_little_history: int = 0
    """How many values of the span the history method could not judge: fewer than 3 of
    the 6 periods before them submitted or approved. Min-max and siblings still judge
    them, so an outlier of a report's review can be missing from the history section."""

    def outliers_by_method(self) -> list[tuple[str, str, list[Item]]]:
        """(method, words, items) for the history method asked, min-max and siblings."""
        return [
            (str(m), method_label(m), [i for i in self.outliers if i.method == m])
            for m in (self.method, Method.MINMAX, Method.SIBLINGS)
        ]

    def counts(self) -> dict[str, int]:
        return {
            "outliers": len(self.outliers),
            "rules": len(self.rules),
            "follow_ups": len(self.follow_ups),
            "gaps": len(self.gaps),
        }

    def to_dict(self) -> dict:
        return {
            "form": self.form.code,
            "unit": self.root.code,
            "from": self.periods[0].id,
            "to": self.periods[-1].id,
            "method": str(self.method),
            "state": self.state,
            "counts": self.counts(),
            "too_little_history": self.too_little_history,
            "outliers": [i.to_dict() for i in self.outliers],
            "rules": [i.to_dict() for i in self.rules],
            "follow_ups": [i.to_dict() for i in self.follow_ups],
            "gaps": [i.to_dict() for i in self.gaps],
        }


def _person(user) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


def _shown(number: float | None) -> str:
    return outliers.format_value(number)


def _chunks(ids: Iterable[int]) -> Iterable[list[int]]:
    ordered = sorted(set(ids))
    for start in range(0, len(ordered), _CHUNK):
        yield ordered[start : start + _CHUNK]


def subject_of(
    kind: str, indicator_id: int | None = None, option: str = "", extra: object = ""
) -> str:
    """The key of an item within its report (``QualityNote.subject``)."""
    if kind == Kind.OUTLIER:
        return f"{indicator_id}|{option}|{extra}"
    if kind == Kind.EMPTY:
        return f"{indicator_id}|{option}"
    if kind in (Kind.RULE, Kind.FOLLOW_UP):
        return str(extra)
    return ""


class _Reader:
    """Builds the four sections of one page."""

    def __init__(self, form: Form, root: Unit, periods: list[Period], method: Method):
        # Here, not at the top: review imports services, whose submissions import review.
        from trienkhai.reporting import review

        self.form, self.root, self.periods, self.method = form, root, periods, method
        self.ids = [p.id for p in periods]
        self.method_labels: dict[str, str] = {}
        self.labels = {p.id: p.label() for p in periods}
        self.units: dict[int, tuple[str, str]] = {}
        self.units_of: dict[str, set[int]] = {}
        self.too_little_history = 0
        self.cells = {p.id: review.cells(form, p) for p in periods}
        self.names: dict[tuple[str, str], str] = {}
        for form_cells in self.cells.values():
            for cell in form_cells:
                self.names.setdefault((cell.indicator.code, cell.option), cell.name)
        self.indicators: dict[int, Indicator] = {
            c.indicator.pk: c.indicator for cs in self.cells.values() for c in cs
        }

    def method_label(self, method: str) -> str:
        found = self.method_labels.get(method)
        if found is None:
            found = self.method_labels[method] = method_label(method)
        return found

    def cell_name(self, indicator: Indicator, option: str) -> str:
        found = self.names.get((indicator.code, option))
        if found:
            return found
        own = local_name(indicator)
        return f"{own} – {option}" if option else own

    def item(self, kind: str, unit_id: int, period: str, subject: str, **more) -> Item:
        code, name = self.units[unit_id]
        return Item(kind, code, name, period, self.labels[period], subject, **more)

    def outliers(self) -> list[Item]:
        span = outliers.span_read(self.form, self.root, self.periods, method=self.method)
        findings, self.units, self.units_of = span.findings, span.units, span.units_of
        self.too_little_history = sum(span.too_little_history.values())
        found = [(f, f.unit_id) for f in findings]
        comments = {}
        if found:
            rows = OutlierComment.objects.filter(
                period__in=self.ids,
                unit_id__in={u for _f, u in found},
                indicator_id__in={f.indicator.pk for f, _u in found},
            ).select_related("created_by")
            comments = {(c.unit_id, c.period, c.indicator_id, c.option): c for c in rows}
        items = []
        for finding, unit_id in found:
            comment = comments.get((unit_id, finding.period, finding.indicator.pk, finding.option))
            if comment is not None and float(comment.value) != finding.value:
                comment = None  # it explained another value
            items.append(
                self.item(
                    Kind.OUTLIER,
                    unit_id,
                    finding.period,
                    subject_of(Kind.OUTLIER, finding.indicator.pk, finding.option, finding.method),
                    indicator=finding.indicator.code,
                    option=finding.option,
                    name=self.cell_name(finding.indicator, finding.option),
                    value=finding.value,
                    low=finding.low,
                    high=finding.high,
                    shown_value=_shown(finding.value),
                    usual=f"{_shown(finding.low)}–{_shown(finding.high)}",
                    method=str(finding.method),
                    method_label=self.method_label(finding.method),
                    score=finding.score,
                    explanation=comment.text if comment else "",
                    explained_by=_person(comment.created_by) if comment else "",
                )
            )
        return items

    def submissions(self) -> dict[tuple[int, str], tuple[int, str]]:
        """(unit id, period) → (submission id, status) of the subtree's reports."""
        found = {}
        for unit_id, period, pk, status in Submission.objects.filter(
            form=self.form, period__in=self.ids
        ).values_list("unit_id", "period", "pk", "status"):
            if unit_id in self.units_of.get(period, ()):
                found[(unit_id, period)] = (pk, status)
        return found

    def values(
        self, counted: set[tuple[int, str]], wanted: set[str]
    ) -> dict[tuple[int, str], dict]:
        """(unit id, period) → {(indicator code, option): (number, text)} of ``counted``,
        for the indicators of codes ``wanted`` (those the rules and compulsory cells read)."""
        codes = {pk: i.code for pk, i in self.indicators.items() if i.code in wanted}
        if not codes:
            return {}
        found: dict[tuple[int, str], dict] = {}
        periods = sorted({p for _u, p in counted})
        for chunk in _chunks(u for u, _p in counted):
            rows = DataValue.objects.filter(
                unit_id__in=chunk, period__in=periods, indicator_id__in=list(codes)
            ).values_list(
                "unit_id", "period", "indicator_id", "option", "value_number", "value_text"
            )
            for unit_id, period, indicator_id, option, number, text in rows:
                if (unit_id, period) in counted:
                    found.setdefault((unit_id, period), {})[(codes[indicator_id], option)] = (
                        number,
                        text,
                    )
        return found

    def rules_and_empty(
        self, submissions: dict[tuple[int, str], tuple[int, str]]
    ) -> tuple[list[Item], list[Item]]:
        counted = {key for key, (_pk, status) in submissions.items() if status in COUNTED}
        rules = list(ValidationRule.objects.filter(form=self.form).order_by("pk"))
        wanted = {c.indicator.code for cs in self.cells.values() for c in cs if c.is_compulsory}
        for rule in rules:
            try:
                wanted |= formulas.names(rule.left) | formulas.names(rule.right)
            except BadInput:
                continue  # a rule that no longer parses is skipped, as the review does
        values = self.values(counted, wanted)
        failed, empty = [], []
        for unit_id, period in counted:
            own = values.get((unit_id, period), {})

            def lookup(code: str, option: str | None, own=own) -> Decimal | None:
                if option is not None:
                    found = own.get((code, option))
                    return found[0] if found else None
                numbers = [v[0] for (c, _o), v in own.items() if c == code and v[0] is not None]
                return sum(numbers, Decimal(0)) if numbers else None

            for rule, left, right in rules_failing(rules, lookup):
                failed.append(
                    self.item(
                        Kind.RULE,
                        unit_id,
                        period,
                        subject_of(Kind.RULE, extra=rule.pk),
                        rule=rule.pk,
                        rule_text=rule.message or str(rule),
                        shown_value=f"{_shown(float(left))} {rule.get_operator_display()} "
                        f"{_shown(float(right))}",
                    )
                )
            for cell in self.cells[period]:
                if not cell.is_compulsory:
                    continue
                number, text = own.get((cell.indicator.code, cell.option), (None, ""))
                if number is None and not text:
                    empty.append(
                        self.item(
                            Kind.EMPTY,
                            unit_id,
                            period,
                            subject_of(Kind.EMPTY, cell.indicator.pk, cell.option),
                            indicator=cell.indicator.code,
                            option=cell.option,
                            name=cell.name,
                            state="empty",
                            state_label=_("Ô bắt buộc còn trống"),
                        )
                    )
        return failed, empty

    def missing(
        self, submissions: dict[tuple[int, str], tuple[int, str]], today: dt.date
    ) -> list[Item]:
        words = {
            "missing": _("Chưa gửi"),
            Submission.Status.DRAFT.value: _("Đang nhập, chưa gửi"),
            Submission.Status.RETURNED.value: _("Bị trả lại, chưa gửi lại"),
        }
        items = []
        for period in self.periods:
            deadline = self.form.deadline(period)
            if deadline >= today:
                continue  # not yet due
            inside = self.units_of[period.id]
            for unit_id in expected_codes(self.form, period):
                if unit_id not in inside:
                    continue
                status = submissions.get((unit_id, period.id), (0, "missing"))[1]
                if status in COUNTED:
                    continue
                items.append(
                    self.item(
                        Kind.MISSING,
                        unit_id,
                        period.id,
                        "",
                        state=status,
                        state_label=words.get(status, status),
                        deadline=deadline,
                    )
                )
        return items

    def follow_ups(self) -> list[Item]:
        marks = (
            CellMark.objects.filter(
                kind=CellMark.Kind.FOLLOW_UP,
                submission__form=self.form,
                submission__period__in=self.ids,
            )
            .select_related("submission", "indicator", "created_by")
            .order_by("created", "pk")
        )
        items = []
        for mark in marks:
            unit_id, period = mark.submission.unit_id, mark.submission.period
            if unit_id not in self.units_of.get(period, ()):
                continue
            item = self.item(
                Kind.FOLLOW_UP,
                unit_id,
                period,
                subject_of(Kind.FOLLOW_UP, extra=mark.pk),
                indicator=mark.indicator.code,
                option=mark.option,
                name=self.cell_name(mark.indicator, mark.option),
                mark=mark.pk,
                mark_note=mark.note,
                marked_by=_person(mark.created_by),
                marked_at=mark.created,
            )
            item.resolved = mark.resolved
            items.append(item)
        return items


def _with_notes(form: Form, periods: list[str], items: list[Item]) -> None:
    """Attach to each item its note and resolution (one query)."""
    if not items:
        return
    units = {i.unit for i in items}
    notes = {
        (n.unit.code, n.period, n.kind, n.subject): n
        for n in QualityNote.objects.filter(form=form, period__in=periods, unit__code__in=units)
        .select_related("unit", "created_by", "modified_by", "resolved_by")
        .order_by("pk")
    }
    for item in items:
        note = notes.get((item.unit, item.period, item.kind, item.subject))
        if note is None:
            continue
        item.note = note.note
        item.noted_by = _person(note.modified_by or note.created_by)
        item.noted_at = note.modified
        if item.kind != Kind.FOLLOW_UP:  # a follow-up's resolution is its mark's
            item.resolved = note.resolved
        if item.resolved is not None:
            item.resolved_by = _person(note.resolved_by)


def _keep(items: list[Item], state: str) -> list[Item]:
    if state == "open":
        return [i for i in items if not i.is_resolved]
    if state == "resolved":
        return [i for i in items if i.is_resolved]
    return items


def quality(
    form: Form,
    root: Unit,
    periods: list[Period],
    *,
    method: Method = Method.MODIFIED_Z,
    state: str = "open",
    today: dt.date | None = None,
) -> Quality:
    """The four sections of the page for the subtree of ``root`` (root included)."""
    if state not in STATES:
        raise BadInput(
            "invalid_state",
            f"Trạng thái không hợp lệ / invalid state: {state!r} (open, resolved, all)",
        )
    if method not in (Method.MODIFIED_Z, Method.Z):
        raise BadInput(
            "invalid_method",
            f"Phương pháp không hợp lệ / invalid method: {method!r} (modified_z, z)",
        )
    today = today or timezone.localdate()
    reader = _Reader(form, root, periods, Method(method))
    found_outliers = reader.outliers()
    submissions = reader.submissions()
    failed, empty = reader.rules_and_empty(submissions)
    gaps = reader.missing(submissions, today) + empty
    follow_ups = reader.follow_ups()
    order = {p.id: n for n, p in enumerate(periods)}
    collation: dict[str, tuple] = {}

    def by_place(item: Item) -> tuple:
        key = collation.get(item.unit_name)
        if key is None:
            key = collation[item.unit_name] = sort_key(item.unit_name)
        return (order[item.period], key, item.unit)

    failed.sort(key=by_place)
    gaps.sort(key=lambda i: (*by_place(i), i.kind != Kind.MISSING))
    found_outliers.sort(key=by_place)  # stable: the form's order within a unit
    follow_ups.sort(key=by_place)
    everything = found_outliers + failed + follow_ups + gaps
    _with_notes(form, reader.ids, everything)
    root_name = reader.units.get(root.pk, (root.code, root.code))[1]
    return Quality(
        form,
        root,
        root_name,
        periods,
        Method(method),
        state,
        _keep(found_outliers, state),
        _keep(failed, state),
        _keep(follow_ups, state),
        _keep(gaps, state),
        reader.too_little_history,
    )
