"""What an approver reads before deciding, and what a submission must satisfy.

Two reads, shared by the submit service, the grid, the review page and the API:

- ``readiness(form, period, values)``: the form's cells that are empty (compulsory or
  not), the stored values that no longer pass the rules of a cell (``parse_value``:
  today's type, bounds and sign), and the validation rules that fail. A submission is
  refused while a compulsory cell is empty or a value is invalid; failed rules refuse it
  too when the form is ``complete_only_if_valid``, otherwise the submitter confirms them
  with a comment.
- ``review(submission)``: the above, plus what changed since the report was last
  returned (old → new, who, when: from ``DataValueChange``), the approver's marks, and
  the outliers (``outliers``: the place where the outlier checks plug in).

Compulsory means every option of the indicator: a disaggregated compulsory indicator
needs all its option cells (DHIS2 lists compulsory operands one per option combination;
a form here marks the indicator, and that is the same as listing all its options).
Derived indicators are computed, never empty nor compulsory.

Reads only, in a fixed number of queries whatever the size of the form.
"""

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from trienkhai.accounts import policy
from trienkhai.common.errors import BadInput
from trienkhai.orgs.models import Unit
from trienkhai.reporting import structure
from trienkhai.reporting.cells import in_language, parse_value
from trienkhai.reporting.models import (
    CellMark,
    DataValue,
    DataValueChange,
    DisaggregationOption,
    Form,
    Indicator,
    Submission,
)
from trienkhai.reporting.periods import Period
from trienkhai.reporting.services.values import failed_rules, form_values
from trienkhai.web.labels import local_name

CHANGES_LIMIT = 5000
"""Change rows read for one review: far more than a form's cells are edited between two
submissions; a report past it shows its latest changes."""


@dataclass(frozen=True)
class Cell:
    """One cell of a form: an indicator and an option ("" if not disaggregated)."""

    indicator: Indicator
    option: str
    choice: DisaggregationOption | None
    is_compulsory: bool

    @property
    def name(self) -> str:
        """The indicator's name in the reader's language, then the option's."""
        own = local_name(self.indicator)
        return f"{own} – {local_name(self.choice)}" if self.choice else own

    @property
    def names(self) -> tuple[str, str]:
        """(Vietnamese, English) names with the code, for a bilingual message."""
        ind, opt = self.indicator, self.choice
        vi, en = ind.name, ind.name_en or ind.name
        if opt is not None:
            vi, en = f"{vi} – {opt.name}", f"{en} – {opt.name_en or opt.name}"
        code = f"{ind.code}{'/' + self.option if self.option else ''}"
        return f"{vi} ({code})", f"{en} ({code})"

    def to_dict(self) -> dict:
        return {
            "indicator": self.indicator.code,
            "option": self.option,
            "name": self.name,
            "compulsory": self.is_compulsory,
        }


def cells(form: Form, period: Period) -> list[Cell]:
    """The cells a unit fills in ``form`` for ``period``, in the grid's order (one query
    for the options' names; the structure is in memory)."""
    items = structure.of(form).items_during(period)
    groups = {i.indicator.disaggregation_id for i in items if i.indicator.disaggregation_id}
    options: dict[int, list[DisaggregationOption]] = {}
    if groups:
        for option in DisaggregationOption.objects.filter(disaggregation_id__in=groups):
            options.setdefault(option.disaggregation_id, []).append(option)
    found = []
    for item in items:
        indicator = item.indicator
        if not indicator.is_entered:
            continue
        own: list[DisaggregationOption | None] = list(
            options.get(indicator.disaggregation_id or 0, [])
        )
        for choice in own or [None]:
            code = choice.code if choice is not None else ""
            found.append(Cell(indicator, code, choice, item.is_compulsory))
    return found


@dataclass
class Readiness:
    empty: list[Cell] = field(default_factory=list)
    invalid: list[tuple[Cell, str]] = field(default_factory=list)
    failed_rules: list[dict] = field(default_factory=list)

    @property
    def empty_compulsory(self) -> list[Cell]:
        return [c for c in self.empty if c.is_compulsory]

    @property
    def blocking(self) -> list[dict]:
        """The cells that refuse a submission whatever the form says, as error details."""
        return [
            {
                **c.to_dict(),
                "kind": "empty",
                "problem": "Ô bắt buộc chưa nhập / compulsory cell is empty",
            }
            for c in self.empty_compulsory
        ] + [{**c.to_dict(), "kind": "invalid", "problem": problem} for c, problem in self.invalid]


def _still_valid(indicator: Indicator, value: DataValue) -> str:
    """ "" if the stored value passes today's rules of its cell, else why not."""
    raw: object = value.value_text
    number = value.value_number
    if number is not None:
        if indicator.value_type == Indicator.ValueType.BOOLEAN:
            raw = {Decimal(0): "0", Decimal(1): "1"}.get(number, format(number, "f"))
        else:
            raw = number
    try:
        parse_value(indicator, raw)
    except BadInput as exc:
        return exc.message
    return ""


def readiness(
    form: Form,
    period: Period,
    values: dict[tuple[str, str], DataValue],
    form_cells: list[Cell] | None = None,
) -> Readiness:
    """What stands between ``values`` (``form_values``) and a submission."""
    found = Readiness(failed_rules=failed_rules(form, values))
    for cell in form_cells if form_cells is not None else cells(form, period):
        value = values.get((cell.indicator.code, cell.option))
        if value is None or (value.value_number is None and not value.value_text):
            found.empty.append(cell)
            continue
        problem = _still_valid(cell.indicator, value)
        if problem:
            found.invalid.append((cell, problem))
    return found


def reviewing_unit(unit: Unit) -> Unit | None:
    """The unit whose managers review, approve and return ``unit``'s reports: its parent
    on its reference day (after the 2025 reorganisation, the province a commune went
    to, "Tỉnh ủy An Giang"); None for a root."""
    version = unit.version_on(unit.reference_date())
    return version.parent if version is not None else None


def may_decide(user, unit: Unit) -> bool:
    """A manager above the unit (not of the unit itself) reviews, approves and returns
    its reports (the rule of ``services.submissions._require_approver``)."""
    parent = reviewing_unit(unit)
    return parent is not None and policy.can(user, policy.Action.APPROVE, parent)


def cell_name(indicator: Indicator, option: str, names: dict[tuple[str, str], str]) -> str:
    """The name of a cell in the reader's language: from ``names`` (the form's cells,
    ``Cell.name``), else the indicator's name and its option's ("Lượt người tham gia –
    Nhân dân", never the code "nhan_dan"; one query for a cell the form no longer has)."""
    found = names.get((indicator.code, option))
    if found:
        return found
    own = local_name(indicator)
    if not option or indicator.disaggregation_id is None:
        return f"{own} – {option}" if option else own
    choice = DisaggregationOption.objects.filter(
        disaggregation_id=indicator.disaggregation_id, code=option
    ).first()
    return f"{own} – {local_name(choice) if choice else option}"


def outliers(
    submission: Submission,
    values: dict[tuple[str, str], DataValue],
    names: dict[tuple[str, str], str] | None = None,
) -> list[dict]:
    """The outliers of a report with their explanations, for the review page and the API:
    each item of ``outliers.outliers_of_submission`` with the cell's ``name`` in the
    reader's language (``cell_name``), and ``value``, ``low``, ``high`` written as the page writes
    numbers, a count's usual range in whole numbers as the grid says it ("0 – 69", never
    "0 – 69,5128": ``outliers.whole_range``); the template ``reporting/_review_outliers.html``
    shows them."""
    from trienkhai.reporting.outliers import (
        Method,
        format_value,
        outliers_of_submission,
        whole_range,
    )
    from trienkhai.reporting.quality import method_label

    found = outliers_of_submission(submission)
    if not found:
        return []
    indicators = {
        i.code: i for i in Indicator.objects.filter(code__in={o["indicator"] for o in found})
    }
    shown = []
    for item in found:
        indicator = indicators.get(item["indicator"])
        name = cell_name(indicator, item["option"], names or {}) if indicator else ""
        low, high = item["low"], item["high"]
        if (
            indicator is not None
            and indicator.value_type == Indicator.ValueType.INTEGER
            and item["method"] != Method.MINMAX
        ):
            low, high = whole_range(low, high)
        shown.append(
            {
                **item,
                "name": name or item["indicator"],
                "value": format_value(item["value"]),
                "low": format_value(low),
                "high": format_value(high),
                # Which yardstick found it: the unit's history, its min-max bounds or its
                # siblings (the data-quality page lists each method apart).
                "method_label": method_label(item["method"]),
            }
        )
    return shown


@dataclass
class Change:
    cell: str
    indicator: str
    option: str
    old: str
    new: str
    by: str
    when: dt.datetime
    count: int

    def to_dict(self) -> dict:
        return {
            "indicator": self.indicator,
            "option": self.option,
            "name": self.cell,
            "old": self.old,
            "new": self.new,
            "by": self.by,
            "when": self.when,
            "count": self.count,
        }


def returned_at(submission: Submission) -> dt.datetime | None:
    """When the report was last sent back (returned or unlocked) before its latest
    submission, or, while it is back with the unit, when it was: the start of "what
    changed". None for a first submission."""
    if submission.submitted is None:
        return None
    returns = submission.history.filter(status=Submission.Status.RETURNED)
    if submission.status != Submission.Status.RETURNED:
        returns = returns.filter(history_date__lt=submission.submitted)
    return returns.order_by("-history_date").values_list("history_date", flat=True).first()


def changes(
    form: Form, unit: Unit, period: Period, since: dt.datetime | None, names: dict
) -> list[Change]:
    """Per cell, old → new since ``since`` (every change for a first submission): the
    first change's old value, the last one's new value, who made it and when. A cell
    changed and changed back is left out."""
    ids = [i.indicator_id for i in structure.of(form).items_during(period)]
    rows = DataValueChange.objects.filter(unit=unit, period=period.id, indicator_id__in=ids)
    if since is not None:
        rows = rows.filter(changed__gt=since)
    rows = rows.select_related("changed_by", "indicator").order_by("-changed", "-id")
    by_cell: dict[tuple[int, str], list[DataValueChange]] = {}
    for row in rows[:CHANGES_LIMIT]:
        by_cell.setdefault((row.indicator_id, row.option), []).append(row)
    found = []
    for (_indicator, option), rows_of_cell in by_cell.items():
        last, first = rows_of_cell[0], rows_of_cell[-1]
        if first.old == last.new:
            continue
        indicator = last.indicator
        name = cell_name(indicator, option, names)
        who = last.changed_by
        found.append(
            Change(
                name,
                indicator.code,
                option,
                in_language(first.old, indicator),
                in_language(last.new, indicator),
                (who.get_full_name() or who.get_username()) if who else "—",
                last.changed,
                len(rows_of_cell),
            )
        )
    return found


@dataclass
class Review:
    submission: Submission
    since: dt.datetime | None
    changes: list[Change]
    readiness: Readiness
    marks: list[CellMark]
    outliers: list[dict]
    names: dict[tuple[str, str], str]
    cells: list[Cell]
    values: dict[tuple[str, str], DataValue]
    fixed: dict[int, str] = field(default_factory=dict)
    """``fix_states`` of the open marks to fix."""

    def mark_dicts(self) -> list[dict]:
        return [
            {
                "id": m.pk,
                "indicator": m.indicator.code,
                "option": m.option,
                "name": self.names.get((m.indicator.code, m.option), m.indicator.code),
                "kind": m.kind,
                "note": m.note,
                "by": (m.created_by.get_full_name() or m.created_by.get_username())
                if m.created_by
                else "—",
                "created": m.created,
                "resolved": m.resolved,
                "fixed": self.fixed.get(m.pk) == FIXED,
            }
            for m in self.marks
        ]

    def to_dict(self) -> dict:
        ready = self.readiness
        return {
            "since": self.since,
            "changes": [c.to_dict() for c in self.changes],
            "empty": [c.to_dict() for c in ready.empty],
            "empty_compulsory": [c.to_dict() for c in ready.empty_compulsory],
            "invalid": [{**c.to_dict(), "problem": problem} for c, problem in ready.invalid],
            "failed_rules": ready.failed_rules,
            "submit_comment": self.submission.submit_comment,
            "marks": self.mark_dicts(),
            "outliers": self.outliers,
        }


def open_marks(submission: Submission | None) -> list[CellMark]:
    """The marks the reporter's grid shows: to fix and not yet answered, and for follow-up."""
    if submission is None:
        return []
    return list(
        CellMark.objects.filter(submission=submission, resolved__isnull=True)
        .select_related("indicator", "created_by")
        .order_by("created", "id")
    )


UNTOUCHED, FIXED, CHANGED = "untouched", "fixed", "changed"


def fix_states(submission: Submission | None, marks: list[CellMark]) -> dict[int, str]:
    """What became of each open mark to fix among ``marks`` (the report's), by mark id:

    - ``UNTOUCHED``: nobody changed the cell's value or comment since it was marked
      (sending the report again asks about it first);
    - ``FIXED``: its value is no longer the one it had when marked: it waits for the
      report to be sent again ("Đã sửa, chờ gửi lại"), which resolves the mark;
    - ``CHANGED``: changed, but its value is as it was (changed back, or a comment only).

    One query, none without open marks to fix."""
    fix = [m for m in marks if m.kind == CellMark.Kind.FIX and m.resolved is None]
    if submission is None or not fix:
        return {}
    # Oldest first: the first change after a mark holds the value the mark was put on.
    rows = DataValueChange.objects.filter(
        unit_id=submission.unit_id,
        period=submission.period,
        indicator_id__in={m.indicator_id for m in fix},
        changed__gt=min(m.created for m in fix),
    ).order_by("changed", "id")
    changes: dict[tuple[int, str], list[tuple[dt.datetime, str, str]]] = {}
    for indicator_id, option, when, old, new in rows.values_list(
        "indicator_id", "option", "changed", "old", "new"
    ):
        changes.setdefault((indicator_id, option), []).append((when, old, new))
    states = {}
    for mark in fix:
        after = [
            c for c in changes.get((mark.indicator_id, mark.option), []) if c[0] > mark.created
        ]
        states[mark.pk] = (
            UNTOUCHED if not after else FIXED if after[0][1] != after[-1][2] else CHANGED
        )
    return states


def review(submission: Submission) -> Review:
    """Everything the approval screen and ``GET /api/v1/submissions/{id}/review`` show."""
    form, unit = submission.form, submission.unit
    period = form.period(submission.period)
    values = form_values(form, unit, period.id)
    form_cells = cells(form, period)
    ready = readiness(form, period, values, form_cells)
    names = {(c.indicator.code, c.option): c.name for c in form_cells}
    since = returned_at(submission)
    marks = list(
        CellMark.objects.filter(submission=submission)
        .select_related("indicator", "created_by")
        .order_by("-created", "-id")
    )
    return Review(
        submission,
        since,
        changes(form, unit, period, since, names),
        ready,
        marks,
        outliers(submission, values, names),
        names,
        form_cells,
        values,
        fix_states(submission, marks),
    )
