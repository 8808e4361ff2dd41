"""Data values: saving a unit's cells for a period, and reading them back."""

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from trienkhai.common import rows
from trienkhai.common.actors import Actor
from trienkhai.common.errors import BadInput, Conflict
from trienkhai.orgs.models import Unit
from trienkhai.reporting import cells as rules
from trienkhai.reporting import formulas, outliers, statuses, structure
from trienkhai.reporting.models import (
    DataValue,
    DataValueChange,
    Form,
    Indicator,
    ValidationRule,
)
from trienkhai.reporting.periods import Period
from trienkhai.reporting.services.acting import _user
from trienkhai.reporting.services.forms import form_items
from trienkhai.reporting.signals import ValueChange, values_changed
from trienkhai.web.labels import local_name


@dataclass
class CellInput:
    indicator: str
    value: object = None
    option: str = ""
    comment: str | None = None
    version: int | None = None
    """The version the client edited; None skips the check (a first entry, an import)."""


@dataclass
class SaveResult:
    saved: int = 0
    versions: dict[tuple[str, str], int] = field(default_factory=dict)
    warnings: list[dict] = field(default_factory=list)


check_can_enter = rules.check_can_enter
"""Everything that must hold before values change (``cells.refusals`` for one unit)."""


def save_values(
    *,
    acting_user: Actor,
    form: Form,
    unit: Unit,
    period_id: str,
    cells: list[CellInput],
    today: dt.date | None = None,
) -> SaveResult:
    """Save the values of ``cells`` (all or none). An empty value removes the cell's value.

    Each value is read and checked by ``cells.parse_value``; BadInput "invalid_values"
    lists every bad cell ({"indicator", "option", "problem"}) and nothing is saved.
    """
    period = form.period(period_id)
    # What needs no lock is checked and read before the transaction: on SQLite every
    # other writer waits while one transaction holds the database (issue 18's 500
    # saves a second). What a report's status and the cells' versions decide is read
    # inside it, under the write lock.
    rules.check_standing(acting_user, form, unit, period, today=today)
    prepared = _parsed(form, period, cells)
    result, judged = _write_values(acting_user, form, unit, period, prepared)
    # Outliers (a warning, not a refusal): against the unit's history and bounds. Only
    # read, so after the transaction.
    result.warnings = outliers.save_warnings(form, unit, period, judged)
    return result


Parsed = tuple[Indicator, CellInput, Decimal | None, str]
"""A cell read and checked: (its indicator, the input, the number, the text)."""


def _parsed(form: Form, period: Period, cells: list[CellInput]) -> list[Parsed]:
    """Every cell read and checked against the form (``cells.parse_value``), or
    BadInput "invalid_values" listing every bad cell; reads no value."""
    shape = structure.of(form)
    items = {item.indicator.code: item.indicator for item in shape.items_during(period)}
    problems: list[dict] = []
    prepared: list[Parsed] = []
    seen: set[tuple[str, str]] = set()
    for cell in cells:
        indicator = items.get(cell.indicator)
        where = {"indicator": cell.indicator, "option": cell.option}
        key = (cell.indicator, cell.option or "")
        if key in seen:
            problems.append({**where, "problem": _("Ô này có hai giá trị trong cùng một lần lưu.")})
            continue
        seen.add(key)
        if indicator is None:
            problems.append(
                {
                    **where,
                    "problem": _("Biểu %(form)s không có chỉ tiêu này.") % {"form": form.code},
                }
            )
            continue
        if indicator.is_derived:
            problems.append(
                {
                    **where,
                    "problem": _("%(indicator)s được tính tự động, không nhập.")
                    % {"indicator": local_name(indicator)},
                }
            )
            continue
        allowed = shape.option_codes(indicator)
        if (cell.option or "") not in allowed:
            problems.append(
                {
                    **where,
                    "problem": _("%(indicator)s: lựa chọn không hợp lệ (hợp lệ: %(valid)s).")
                    % {
                        "indicator": local_name(indicator),
                        "valid": ", ".join(sorted(allowed)) or "—",
                    },
                }
            )
            continue
        try:
            number, text = rules.parse_value(indicator, cell.value)
        except BadInput as exc:
            problems.append({**where, "problem": exc.message})
            continue
        trouble = rules.comment_problem(cell.comment)
        if trouble:
            problems.append({**where, "problem": trouble})
            continue
        prepared.append((indicator, cell, number, text))
    if problems:
        count = len(problems)
        raise BadInput(
            "invalid_values",
            ngettext(
                "%(count)d ô không hợp lệ, chưa lưu gì: %(problems)s",
                "%(count)d ô không hợp lệ, chưa lưu gì: %(problems)s",
                count,
            )
            % {"count": count, "problems": " ".join(p["problem"] for p in problems[:5])},
            details=problems,
        )
    return prepared


@transaction.atomic
def _write_values(
    acting_user: Actor, form: Form, unit: Unit, period: Period, parsed: list[Parsed]
) -> tuple[SaveResult, list[tuple]]:
    """The writes of ``save_values``, in one transaction: (the result without warnings,
    the (indicator, option, number) of the cells changed)."""
    rules.lock_report(form, unit, period)
    by_id = {indicator.pk: indicator for indicator, *_rest in parsed}
    existing = {
        (by_id[v.indicator_id].code, v.option): v
        for v in _locked_values(unit.pk, period.id, sorted(by_id))
    }
    prepared = []
    for indicator, cell, number, text in parsed:
        current = existing.get((indicator.code, cell.option or ""))
        if cell.version is not None and (current.version if current else 0) != cell.version:
            where = {"indicator": cell.indicator, "option": cell.option}
            raise Conflict(
                "stale_version",
                _("Ô %(indicator)s %(option)s vừa được người khác sửa: hãy tải lại.")
                % {"indicator": local_name(indicator), "option": cell.option},
                details=[{**where, "version": current.version if current else 0}],
            )
        prepared.append((indicator, cell, number, text, current))
    result = SaveResult()
    now, user = timezone.now(), _user(acting_user)
    # Written in bulk (one statement per kind of write), so that a whole form — an
    # uploaded workbook of 360 cells — costs a handful of queries, not 720.
    created: list[DataValue] = []
    updated: list[DataValue] = []
    deleted: list[int] = []
    changes: list[DataValueChange] = []
    numbers: list[ValueChange] = []
    judged: list[tuple] = []  # (indicator, option, number) of the cells changed
    for indicator, cell, number, text, current in prepared:
        option = cell.option or ""
        before = current.value_number if current else None
        old = rules.display(current.value_number, current.value_text, indicator) if current else ""
        new = rules.display(number, text, indicator)
        comment = cell.comment if cell.comment is not None else (current.comment if current else "")
        if old == new and (current.comment if current else "") == comment:
            result.versions[(indicator.code, option)] = current.version if current else 0
            continue
        if number is None and text == "" and not comment:
            if current is not None:
                deleted.append(current.pk)
            version = 0
        elif current is None:
            created.append(
                DataValue(
                    indicator=indicator,
                    option=option,
                    unit=unit,
                    period=period.id,
                    value_number=number,
                    value_text=text,
                    comment=comment,
                    modified=now,
                    modified_by=user,
                )
            )
            version = 1
        else:
            current.value_number, current.value_text, current.comment = (
                number,
                text,
                comment,
            )
            current.version += 1
            current.modified, current.modified_by = now, user
            updated.append(current)
            version = current.version
        if before != number:
            numbers.append(ValueChange(indicator.pk, option, unit.pk, period.id, before, number))
        changes.append(
            DataValueChange(
                indicator=indicator,
                option=option,
                unit=unit,
                period=period.id,
                old=old,
                new=new,
                comment=comment,
                changed=now,
                changed_by=user,
            )
        )
        result.saved += 1
        result.versions[(indicator.code, option)] = version
        judged.append((indicator, option, number))
    if deleted:
        DataValue.objects.filter(pk__in=deleted).delete()
    # Written by hand like the change rows (common.rows): the new values' ids are not
    # read back, and bulk_create's compiling cost more than the INSERT itself.
    rows.insert(created)
    fields = [
        "value_number",
        "value_text",
        "comment",
        "version",
        "modified",
        "modified_by",
    ]
    if len(updated) == 1:
        # One cell, the common case of the grid: a plain UPDATE written by hand, cheaper
        # than compiling bulk_update's CASE expression or save()'s query (neither sends
        # model signals: what listens to values listens to values_changed).
        rows.update(updated[0], fields)
    elif updated:
        DataValue.objects.bulk_update(updated, fields)
    rows.insert(changes)
    if numbers:
        # A value shared with another form's submitted report is a draft again.
        numbers = statuses.drafted(existing.values(), numbers)
        values_changed.send(sender=__name__, changes=numbers)
    return result, judged


def _locked_values(unit_id: int, period_id: str, indicator_ids: list[int]) -> list[DataValue]:
    """The stored values of these indicators for a unit and period, locked for update:
    every save asks it, so in a statement written by hand (common.rows)."""
    if not indicator_ids:
        return []
    found = rows.fetch(_values_sql(len(indicator_ids)), [unit_id, period_id, *indicator_ids])
    return [rows.instance(DataValue, row) for row in found]


@rows.statement
def _values_sql(count: int) -> str:
    return (
        f"SELECT {rows.columns(DataValue, 'd')} FROM {rows.table(DataValue)} d"
        f" WHERE d.{rows.column(DataValue, 'unit')} = %s"
        f" AND d.{rows.column(DataValue, 'period')} = %s"
        f" AND d.{rows.column(DataValue, 'indicator')} IN ({', '.join(['%s'] * count)})"
        f"{rows.for_update()}"
    )


def form_values(form: Form, unit: Unit, period_id: str) -> dict[tuple[str, str], DataValue]:
    """The stored values of a form for a unit and period, by (indicator code, option)."""
    period = form.period(period_id)
    codes = [item.indicator.code for item in form_items(form, period)]
    stored = DataValue.objects.filter(
        unit=unit, period=period.id, indicator__code__in=codes
    ).select_related("indicator")
    return {(v.indicator.code, v.option): v for v in stored}


def lookup_from(values: dict[tuple[str, str], DataValue]) -> formulas.Lookup:
    """A formula lookup over stored values: a name is the total of its options."""

    def lookup(code: str, option: str | None) -> Decimal | None:
        if option is not None:
            value = values.get((code, option))
            return value.value_number if value else None
        numbers = [
            v.value_number
            for (c, _), v in values.items()
            if c == code and v.value_number is not None
        ]
        return sum(numbers, Decimal(0)) if numbers else None

    return lookup


def failed_rules(form: Form, values: dict[tuple[str, str], DataValue]) -> list[dict]:
    """The validation rules that fail on ``values`` (a rule with a missing side is skipped)."""
    return [
        {"rule": str(rule), "message": rule.message, "left": str(left), "right": str(right)}
        for rule, left, right in rules_failing(
            list(ValidationRule.objects.filter(form=form)), lookup_from(values)
        )
    ]


def rules_failing(
    rules: list[ValidationRule], lookup: formulas.Lookup
) -> list[tuple[ValidationRule, Decimal, Decimal]]:
    """Each rule of ``rules`` that fails on the values of ``lookup``, with its two sides
    (a rule with a missing side is skipped): the review's check, and the data-quality
    page's over many reports with the rules read once."""
    failed = []
    for rule in rules:
        left, right = formulas.evaluate(rule.left, lookup), formulas.evaluate(rule.right, lookup)
        if left is None or right is None:
            continue
        ok = {
            "==": left == right,
            "<=": left <= right,
            "<": left < right,
            ">=": left >= right,
            ">": left > right,
        }[rule.operator]
        if not ok:
            failed.append((rule, left, right))
    return failed
