"""Every write of periodic reporting, and the reads it needs: one function per change.

Rules enforced here, for the API, the web pages and the Excel uploads alike:
- a value goes to a unit that is expected to report the form for the period, inside
  the acting user's scope (enter_data), within the entry window, while the unit's
  submission is not submitted or approved (those lock it);
- an edit carries the version it was made on; a stale version is refused (409), so two
  people editing one cell never silently overwrite each other;
- all values of one call are saved or none; every change is kept (who, when, old → new).
"""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from trienkhai.accounts import policy
from trienkhai.common import rows
from trienkhai.common.errors import BadInput, Conflict
from trienkhai.common.models import overlaps, valid_on
from trienkhai.orgs import queries
from trienkhai.orgs.models import Unit, UnitKind
from trienkhai.reporting import entry, formulas, structure
from trienkhai.reporting.models import (
    DataValue,
    DataValueChange,
    Disaggregation,
    DisaggregationOption,
    Form,
    FormAssignment,
    FormIndicator,
    FormSection,
    Indicator,
    Submission,
    ValidationRule,
)
from trienkhai.reporting.periods import Period, PeriodType
from trienkhai.reporting.signals import ValueChange, values_changed
from trienkhai.reporting.values import display, outlier, parse_value
from trienkhai.vn import nfc


def _audited(instance, acting_user):
    if acting_user is not None and getattr(acting_user, "is_authenticated", False):
        instance._history_user = acting_user
    return instance


# Indicators and forms ------------------------------------------------------------------


def check_indicator_fields(value_type: str, aggregation: str, parent_figure: str) -> None:
    """BadInput unless the three choices of an indicator are known values."""
    if value_type not in Indicator.ValueType.values:
        raise BadInput(
            "invalid_value_type", f"Kiểu giá trị không hợp lệ / invalid value_type: {value_type!r}"
        )
    if aggregation not in Indicator.Aggregation.values:
        raise BadInput(
            "invalid_aggregation",
            f"Cách tổng hợp không hợp lệ / invalid aggregation: {aggregation!r}",
        )
    if parent_figure not in Indicator.ParentFigure.values:
        raise BadInput(
            "invalid_parent_figure",
            f"Quy tắc số cấp trên không hợp lệ / invalid parent_figure: {parent_figure!r} (add, replace)",
        )


def check_formula(formula: str, itself: str = "") -> None:
    """BadInput unless ``formula`` (if any) reads known indicators, other than ``itself``."""
    if not formula:
        return
    unknown = formulas.names(formula) - set(Indicator.objects.values_list("code", flat=True))
    if itself and itself in formulas.names(formula):
        unknown.add(itself)
    if unknown:
        raise BadInput(
            "unknown_indicator",
            f"Công thức dùng chỉ tiêu chưa có / the formula names unknown indicators: {', '.join(sorted(unknown))}",
        )


@transaction.atomic
def create_indicator(
    *,
    acting_user,
    code: str,
    name: str,
    value_type: str = Indicator.ValueType.INTEGER,
    aggregation: str = Indicator.Aggregation.SUM,
    disaggregation: Disaggregation | None = None,
    formula: str = "",
    name_en: str = "",
    unit_of_measure: str = "",
    min_value: Decimal | None = None,
    max_value: Decimal | None = None,
    parent_figure: str = Indicator.ParentFigure.ADD,
) -> Indicator:
    if acting_user is not None:
        policy.require(acting_user, policy.Action.MANAGE_INDICATORS)
    if not code.isidentifier() or len(code) > 40:
        raise BadInput(
            "invalid_code",
            f"Mã chỉ tiêu chỉ gồm chữ không dấu, số và '_' / indicator codes are letters, digits and '_': {code!r}",
        )
    if Indicator.objects.filter(code=code).exists():
        raise Conflict("duplicate_code", f"Mã chỉ tiêu đã có / indicator code exists: {code}")
    check_indicator_fields(value_type, aggregation, parent_figure)
    check_formula(formula)
    indicator = Indicator(
        code=code,
        name=nfc(name),
        name_en=name_en,
        value_type=value_type,
        aggregation=aggregation,
        disaggregation=disaggregation,
        formula=formula,
        unit_of_measure=unit_of_measure,
        min_value=min_value,
        max_value=max_value,
        parent_figure=parent_figure,
    )
    _audited(indicator, acting_user).save()
    return indicator


def check_option_codes(options: list[tuple[str, str]]) -> None:
    """BadInput unless there are options, with distinct codes of letters, digits and '_'."""
    codes = [option for option, _ in options]
    bad = [c for c in codes if not c.isidentifier() or len(c) > 40]
    if not options or bad or len(set(codes)) != len(codes):
        raise BadInput(
            "invalid_options",
            "Cần ít nhất một lựa chọn, mỗi mã một lần, chữ không dấu, số và '_' / "
            f"give options with distinct codes of letters, digits and '_' {bad or ''}",
        )


@transaction.atomic
def create_disaggregation(
    *, acting_user, code: str, name: str, options: list[tuple[str, str]], name_en: str = ""
) -> Disaggregation:
    """A way to split figures (audience group, sex) with its options, in the given order."""
    if acting_user is not None:
        policy.require(acting_user, policy.Action.MANAGE_INDICATORS)
    if not code.isidentifier() or len(code) > 40:
        raise BadInput(
            "invalid_code",
            f"Mã chỉ gồm chữ không dấu, số và '_' / codes are letters, digits and '_': {code!r}",
        )
    if Disaggregation.objects.filter(code=code).exists():
        raise Conflict("duplicate_code", f"Mã phân tổ đã có / disaggregation code exists: {code}")
    check_option_codes(options)
    disaggregation = Disaggregation(code=code, name=nfc(name), name_en=name_en)
    _audited(disaggregation, acting_user).save()
    for order, (option_code, option_name) in enumerate(options):
        option = DisaggregationOption(
            disaggregation=disaggregation, code=option_code, name=nfc(option_name), sort_order=order
        )
        _audited(option, acting_user).save()
    return disaggregation


def check_rule(left: str, operator: str, right: str) -> None:
    """BadInput unless a rule compares two formulas over known indicators."""
    if operator not in ValidationRule.Operator.values:
        raise BadInput(
            "invalid_operator", f"Phép so sánh không hợp lệ / invalid operator: {operator!r}"
        )
    used = formulas.names(left) | formulas.names(right)
    unknown = used - set(Indicator.objects.filter(code__in=used).values_list("code", flat=True))
    if unknown:
        raise BadInput(
            "unknown_indicator",
            f"Quy tắc dùng chỉ tiêu chưa có / the rule names unknown indicators: {', '.join(sorted(unknown))}",
        )


@transaction.atomic
def add_rule(
    *, acting_user, form: Form, left: str, operator: str, right: str, message: str
) -> ValidationRule:
    """A check between the cells of ``form``, e.g. ``lop_da_mo <= lop_ke_hoach``."""
    if acting_user is not None:
        policy.require(acting_user, policy.Action.CHANGE, form.owner)
    check_rule(left, operator, right)
    rule = ValidationRule(
        form=form, left=left.strip(), operator=operator, right=right.strip(), message=nfc(message)
    )
    _audited(rule, acting_user).save()
    return rule


@transaction.atomic
def create_form(
    *,
    acting_user,
    code: str,
    name: str,
    owner: Unit,
    period_type: str,
    indicators: list[Indicator],
    units: Iterable[Unit] = (),
    kind: UnitKind | None = None,
    level: int | None = None,
    deadline_days: int = 10,
    calendar: str = "gregorian",
    valid_from: dt.date = dt.date(2000, 1, 1),
    sections: list[tuple[str, list[Indicator]]] | None = None,
) -> Form:
    """A form owned by ``owner``, reported by ``units`` (or every unit of ``kind``/``level`` under it)."""
    if acting_user is not None:
        policy.require(acting_user, policy.Action.CHANGE, owner)
    if period_type not in PeriodType.__members__.values():
        raise BadInput(
            "invalid_period_type", f"Loại kỳ không hợp lệ / invalid period_type: {period_type!r}"
        )
    if Form.objects.filter(code=code).exists():
        raise Conflict("duplicate_code", f"Mã biểu đã có / form code exists: {code}")
    if not indicators and not sections:
        raise BadInput("no_indicators", "Biểu cần ít nhất một chỉ tiêu / a form needs indicators")
    form = _audited(
        Form(
            code=code,
            name=nfc(name),
            owner=owner,
            period_type=period_type,
            deadline_days=deadline_days,
            calendar=calendar,
        ),
        acting_user,
    )
    form.save()
    order = 0
    for title, members in sections or [("", indicators)]:
        section = form.sections.create(title=title, order=order) if title else None
        for indicator in members:
            order += 1
            item = FormIndicator(
                form=form, section=section, indicator=indicator, order=order, valid_from=valid_from
            )
            _audited(item, acting_user).save()
    assign(form, units=units, kind=kind, level=level, valid_from=valid_from)
    return form


def assign(
    form: Form,
    *,
    units: Iterable[Unit],
    kind: UnitKind | None,
    level: int | None,
    valid_from: dt.date,
) -> list[FormAssignment]:
    """New assignments of ``form`` from ``valid_from``: each of ``units`` (under the
    owner), and every unit of ``kind``/``level`` under the owner if either is given.
    Part of a service's transaction; the caller asked the policy."""
    owner, day = form.owner, valid_from
    made = []
    for unit in units:
        if not queries.is_descendant_or_self(
            unit.pk, [owner.pk], unit.reference_date(max(day, unit.valid_from))
        ):
            raise BadInput(
                "unit_outside_owner",
                f"{unit.code} không thuộc {owner.code} / {unit.code} is not under {owner.code}",
            )
        made.append(FormAssignment.objects.create(form=form, unit=unit, valid_from=day))
    if kind is not None or level is not None:
        made.append(
            FormAssignment.objects.create(form=form, kind=kind, level=level, valid_from=day)
        )
    return made


def form_items(form: Form, period: Period) -> list[FormIndicator]:
    """The form's indicators during ``period`` (their membership overlaps it), in order.

    Every list of a form's indicators for a period reads this, so that values entered
    under an earlier version of the form stay readable after it changes. The objects
    come from the form's structure kept in memory (``structure``): read, never change.
    """
    return structure.of(form).items_during(period)


def current_items(form: Form, day: dt.date | None = None) -> list[FormIndicator]:
    """The form's indicators on ``day`` (today by default), in order."""
    return structure.of(form).items_on(day or timezone.localdate())


@transaction.atomic
def add_indicator_to_form(
    *,
    acting_user,
    form: Form,
    indicator: Indicator,
    valid_from: dt.date,
    section: FormSection | None = None,
) -> FormIndicator:
    """Put ``indicator`` at the end of ``form`` (or of ``section``) from ``valid_from`` on."""
    if acting_user is not None:
        policy.require(acting_user, policy.Action.CHANGE, form.owner)
    if section is not None and section.form_id != form.pk:
        raise BadInput("unknown_section", "Phần này không thuộc biểu / not a section of this form")
    Form.objects.select_for_update().filter(pk=form.pk).first()  # one change of a form at a time
    rows = FormIndicator.objects.filter(form=form, indicator=indicator)
    if rows.filter(overlaps(valid_from, None)).exists():
        raise Conflict(
            "already_in_form",
            f"Chỉ tiêu {indicator.code} đã có trong biểu {form.code} từ ngày này / "
            f"{indicator.code} is already in {form.code} on or after {valid_from}",
        )
    last = FormIndicator.objects.filter(form=form).aggregate(last=Max("order"))["last"] or 0
    item = FormIndicator(
        form=form, indicator=indicator, section=section, order=last + 1, valid_from=valid_from
    )
    _audited(item, acting_user).save()
    return item


@transaction.atomic
def remove_indicator_from_form(
    *, acting_user, form: Form, indicator: Indicator, on: dt.date
) -> FormIndicator:
    """Take ``indicator`` out of ``form`` from ``on``: periods before keep it and its values."""
    if acting_user is not None:
        policy.require(acting_user, policy.Action.CHANGE, form.owner)
    item = (
        FormIndicator.objects.select_for_update()
        .filter(form=form, indicator=indicator)
        .filter(overlaps(on, None))
        .order_by("valid_from")
        .first()
    )
    if item is None:
        raise BadInput(
            "not_in_form",
            f"Biểu {form.code} không có chỉ tiêu {indicator.code} từ ngày này / "
            f"{indicator.code} is not in {form.code} on {on}",
        )
    if item.valid_from >= on:
        # Added for a day that has not come yet: removing it from then undoes the addition.
        _audited(item, acting_user).delete()
        return item
    item.valid_to = on
    _audited(item, acting_user).save(update_fields=["valid_to"])
    return item


def expected_codes(
    form: Form, period: Period, *, owner_subtree: list[queries.Node] | None = None
) -> dict[int, str]:
    """The units that must report ``form`` for ``period`` (assigned and alive on its last
    day), as {unit id: code}, without building model objects: completeness at national
    scale reads ten thousand of them."""
    day = period.end
    assignments = list(form.assignments.filter(valid_on(day)).select_related("unit", "kind"))
    expected = {
        a.unit.pk: a.unit.code
        for a in assignments
        if a.unit is not None and a.unit.is_valid_on(day)
    }
    rules = [a for a in assignments if a.unit is None]
    if rules:
        nodes = owner_subtree if owner_subtree is not None else queries.subtree(form.owner, day)
        for n in nodes:
            if any(
                (a.kind is None or a.kind.code == n.kind)
                and (a.level is None or a.level == n.depth)
                for a in rules
            ):
                expected[n.unit_id] = n.code
    return expected


def expected_units(form: Form, period: Period) -> list[Unit]:
    """The units that must report ``form`` for ``period``: assigned and alive on its last day."""
    ids = expected_codes(form, period)
    return sorted(Unit.objects.filter(pk__in=list(ids)), key=lambda u: u.code)


def is_expected(form: Form, unit: Unit, period: Period) -> bool:
    """Whether ``unit`` must report ``form`` for ``period``: the answer of ``expected_units``
    for one unit, by walking up from it rather than listing the owner's whole subtree."""
    day = period.end
    version = unit.version_on(day)
    if version is None:
        return False
    assignments = structure.of(form).assignments_on(day)
    if any(a.unit_id == unit.pk for a in assignments):
        return True
    rules = [a for a in assignments if a.unit_id is None]
    if not rules:
        return False
    if version.parent_id == form.owner_id:
        depth: int | None = 1  # the common case, known without walking up
    else:
        depth = {uid: d for uid, d in queries.ancestor_ids(unit.pk, day)}.get(form.owner_id)
    if depth is None or depth == 0:
        return False
    return any(
        (a.kind_id is None or a.kind_id == version.kind_id)
        and (a.level is None or a.level == depth)
        for a in rules
    )


# Data values ---------------------------------------------------------------------------


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


def check_can_enter(
    acting_user, form: Form, unit: Unit, period: Period, *, today: dt.date | None = None
) -> Submission:
    """Everything that must hold before values of ``form`` for ``unit`` and ``period``
    change (``entry.refusals``, shared with the bulk import); the unit's report,
    created as a draft if it has none, locked until the transaction ends."""
    refused, found = entry.refusals(acting_user, form, period, [unit], today=today)
    if unit.pk in refused:
        raise refused[unit.pk]
    return found.get(unit.pk) or entry.open_submission(form, unit, period)


@transaction.atomic
def save_values(
    *,
    acting_user,
    form: Form,
    unit: Unit,
    period_id: str,
    cells: list[CellInput],
    today: dt.date | None = None,
) -> SaveResult:
    """Save the values of ``cells`` (all or none). An empty value removes the cell's value."""
    period = form.period(period_id)
    check_can_enter(acting_user, form, unit, period, today=today)
    shape = structure.of(form)
    items = {item.indicator.code: item.indicator for item in shape.items_during(period)}
    wanted = {items[c.indicator].pk for c in cells if c.indicator in items}
    by_id = {indicator.pk: indicator for indicator in items.values()}
    existing = {
        (by_id[v.indicator_id].code, v.option): v
        for v in _locked_values(unit.pk, period.id, sorted(wanted))
    }
    problems: list[dict] = []
    prepared = []
    for cell in cells:
        indicator = items.get(cell.indicator)
        where = {"indicator": cell.indicator, "option": cell.option}
        if indicator is None:
            problems.append(
                {**where, "problem": f"Biểu không có chỉ tiêu này / not in form {form.code}"}
            )
            continue
        if indicator.is_derived:
            problems.append(
                {**where, "problem": "Chỉ tiêu tính tự động, không nhập / derived, not entered"}
            )
            continue
        allowed = shape.option_codes(indicator)
        if (cell.option or "") not in allowed:
            problems.append(
                {
                    **where,
                    "problem": f"Lựa chọn không hợp lệ / invalid option (valid: {', '.join(sorted(allowed)) or '—'})",
                }
            )
            continue
        try:
            number, text = parse_value(indicator, cell.value)
        except BadInput as exc:
            problems.append({**where, "problem": exc.message})
            continue
        current = existing.get((indicator.code, cell.option or ""))
        if cell.version is not None and (current.version if current else 0) != cell.version:
            raise Conflict(
                "stale_version",
                f"Ô {indicator.code} {cell.option} đã được người khác sửa; hãy tải lại / "
                f"{indicator.code} {cell.option} was changed by someone else; reload",
                details=[{**where, "version": current.version if current else 0}],
            )
        prepared.append((indicator, cell, number, text, current))
    if problems:
        raise BadInput(
            "invalid_values",
            f"{len(problems)} ô không hợp lệ; chưa lưu gì / "
            f"{len(problems)} invalid {'cell' if len(problems) == 1 else 'cells'}; nothing saved",
            details=problems,
        )
    result = SaveResult()
    now, user = timezone.now(), _user(acting_user)
    # Written in bulk (one statement per kind of write), so that a whole form — an
    # uploaded workbook of 360 cells — costs a handful of queries, not 720.
    created: list[DataValue] = []
    updated: list[DataValue] = []
    deleted: list[int] = []
    changes: list[DataValueChange] = []
    numbers: list[ValueChange] = []
    for indicator, cell, number, text, current in prepared:
        option = cell.option or ""
        before = current.value_number if current else None
        old = display(current.value_number, current.value_text, indicator) if current else ""
        new = display(number, text, indicator)
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
            current.value_number, current.value_text, current.comment = number, text, comment
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
        warning = outlier(indicator, number)
        if warning:
            result.warnings.append(
                {"indicator": indicator.code, "option": option, "warning": warning}
            )
    if deleted:
        DataValue.objects.filter(pk__in=deleted).delete()
    if created:
        DataValue.objects.bulk_create(created)
    fields = ["value_number", "value_text", "comment", "version", "modified", "modified_by"]
    if len(updated) == 1:
        # One cell, the common case of the grid: a plain UPDATE written by hand, cheaper
        # than compiling bulk_update's CASE expression or save()'s query (neither sends
        # model signals: what listens to values listens to values_changed).
        rows.update(updated[0], fields)
    elif updated:
        DataValue.objects.bulk_update(updated, fields)
    rows.insert(changes)
    if numbers:
        values_changed.send(sender=__name__, changes=numbers)
    return result


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


def _user(acting_user):
    return acting_user if getattr(acting_user, "is_authenticated", False) else None


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
    lookup = lookup_from(values)
    failed = []
    for rule in ValidationRule.objects.filter(form=form):
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
            failed.append(
                {"rule": str(rule), "message": rule.message, "left": str(left), "right": str(right)}
            )
    return failed


# Submission and approval ---------------------------------------------------------------


def _submission_for_update(submission: Submission) -> Submission:
    return (
        Submission.objects.select_for_update().select_related("form", "unit").get(pk=submission.pk)
    )


@transaction.atomic
def submit(
    *, acting_user, form: Form, unit: Unit, period_id: str, today: dt.date | None = None
) -> Submission:
    """Draft or returned → submitted; refused while validation rules fail."""
    period = form.period(period_id)
    submission = check_can_enter(acting_user, form, unit, period, today=today)
    submission = _submission_for_update(submission)
    failed = failed_rules(form, form_values(form, unit, period.id))
    if failed:
        raise BadInput(
            "validation_failed",
            f"{len(failed)} quy tắc kiểm tra chưa đạt / "
            f"{len(failed)} validation {'rule fails' if len(failed) == 1 else 'rules fail'}",
            details=failed,
        )
    now = timezone.now()
    submission.status = Submission.Status.SUBMITTED
    submission.submitted, submission.submitted_by = now, _user(acting_user)
    submission.first_submitted = submission.first_submitted or now
    # The reason for a return is answered by resubmitting; it stays in the history.
    submission.comment = ""
    submission.modified = now
    _audited(submission, acting_user).save()
    return submission


def _require_approver(acting_user, submission: Submission) -> None:
    """Approval belongs to a manager of an ancestor of the reporting unit, not of the unit itself."""
    if acting_user is None:
        return
    day = submission.unit.reference_date()
    parent = submission.unit.version_on(day)
    parent_unit = parent.parent if parent is not None else None
    if parent_unit is None or not policy.can(acting_user, policy.Action.APPROVE, parent_unit):
        raise policy.PermissionDenied(
            "Chỉ quản lý đơn vị cấp trên được duyệt / only a manager above the unit may approve"
        )


def _decide(
    acting_user, submission: Submission, *, expect: set[str], status: str, comment: str = ""
) -> Submission:
    submission = _submission_for_update(submission)
    _require_approver(acting_user, submission)
    if submission.status not in expect:
        raise Conflict(
            "wrong_status",
            f"Báo cáo đang ở trạng thái {submission.status} / the report is {submission.status}",
        )
    submission.status = status
    submission.decided, submission.decided_by = timezone.now(), _user(acting_user)
    submission.comment = comment
    submission.modified = timezone.now()
    _audited(submission, acting_user).save()
    return submission


@transaction.atomic
def approve(*, acting_user, submission: Submission) -> Submission:
    return _decide(
        acting_user,
        submission,
        expect={Submission.Status.SUBMITTED},
        status=Submission.Status.APPROVED,
    )


@transaction.atomic
def return_submission(*, acting_user, submission: Submission, comment: str) -> Submission:
    if not comment.strip():
        raise BadInput("comment_required", "Cần ghi lý do trả lại / say why it is returned")
    return _decide(
        acting_user,
        submission,
        expect={Submission.Status.SUBMITTED},
        status=Submission.Status.RETURNED,
        comment=comment,
    )


@transaction.atomic
def unlock(*, acting_user, submission: Submission, comment: str) -> Submission:
    """Approved → returned, so that values can be corrected: a manager's audited act."""
    if not comment.strip():
        raise BadInput("comment_required", "Cần ghi lý do mở khóa / say why it is unlocked")
    return _decide(
        acting_user,
        submission,
        expect={Submission.Status.APPROVED},
        status=Submission.Status.RETURNED,
        comment=comment,
    )


# Completeness --------------------------------------------------------------------------


@dataclass
class Completeness:
    form: str
    period: str
    unit: str
    deadline: dt.date
    expected: int
    submitted: int
    on_time: int
    late: int
    missing: list[str]
    returned: list[str]
    late_units: list[str]


def completeness(form: Form, period_id: str, parent: Unit) -> Completeness:
    """Who of the units under ``parent`` reported ``form`` for the period, on time or late, and who did not.

    Three queries whatever the number of units: the owner's subtree, the parent's (the
    same one when the parent is the owner), and the form's submissions for the period.
    """
    period = form.period(period_id)
    owner_nodes = queries.subtree(form.owner, period.end)
    parent_nodes = (
        owner_nodes if parent.pk == form.owner_id else queries.subtree(parent, period.end)
    )
    inside = {n.unit_id for n in parent_nodes} | {parent.pk}
    codes = expected_codes(form, period, owner_subtree=owner_nodes)
    expected = sorted(
        ((uid, code) for uid, code in codes.items() if uid in inside), key=lambda p: p[1]
    )
    by_unit = {
        unit_id: (status, first)
        for unit_id, status, first in Submission.objects.filter(
            form=form, period=period.id
        ).values_list("unit_id", "status", "first_submitted")
    }
    deadline = form.deadline(period)
    done = {Submission.Status.SUBMITTED, Submission.Status.APPROVED}
    on_time: list[str] = []
    late: list[str] = []
    missing: list[str] = []
    returned: list[str] = []
    for unit_id, code in expected:
        status, first_submitted = by_unit.get(unit_id, (None, None))
        if status not in done:
            missing.append(code)
            if status == Submission.Status.RETURNED:
                returned.append(code)
            continue
        first = timezone.localtime(first_submitted).date() if first_submitted else None
        (on_time if first is not None and first <= deadline else late).append(code)
    return Completeness(
        form=form.code,
        period=period.id,
        unit=parent.code,
        deadline=deadline,
        expected=len(expected),
        submitted=len(on_time) + len(late),
        on_time=len(on_time),
        late=len(late),
        missing=missing,
        returned=returned,
        late_units=late,
    )
