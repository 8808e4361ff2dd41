"""Writes of the administration pages: edit and delete indicators, breakdowns and rules;
a form's sections; a form's reporting units from a date.

Like ``services``: keyword-only ``acting_user`` (a user or a system actor), one transaction,
the history row (simple-history) in it. Indicators and breakdowns are shared data
(MANAGE_INDICATORS); a form's parts belong to the managers of its owner (CHANGE on the
owner). Something in use is not deleted: values, forms, formulas and rules would lose
their meaning.
"""

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal

from django.db import transaction
from django.db.models import Max, Q
from django.utils.translation import gettext as _

from trienkhai.accounts import policy
from trienkhai.common.actors import Actor
from trienkhai.common.errors import BadInput, Conflict
from trienkhai.common.models import overlaps
from trienkhai.orgs.models import Unit, UnitKind
from trienkhai.reporting import formulas, services, signals
from trienkhai.reporting.models import (
    DataValue,
    Disaggregation,
    DisaggregationOption,
    Form,
    FormAssignment,
    FormIndicator,
    FormSection,
    Indicator,
    ValidationRule,
)
from trienkhai.vn import nfc
from trienkhai.web.labels import local_name

_audited = services._audited


def _require_indicators(acting_user: Actor) -> None:
    policy.require(acting_user, policy.Action.MANAGE_INDICATORS)


def _require_form(acting_user: Actor, form: Form) -> None:
    policy.require(acting_user, policy.Action.CHANGE, form.owner)


def _in_use(what: str, where: list[str], shown: str) -> Conflict:
    """409 ``in_use``: ``what`` (codes, for the API) is used by ``where``; ``shown``
    says it in names for the screen."""
    return Conflict(
        "in_use",
        f"{what} đang được dùng ({'; '.join(where)}): không xóa được / "
        f"{what} is in use ({'; '.join(where)}): not deleted",
        shown=shown,
    )


def _quoted(names: Iterable[str]) -> str:
    return ", ".join(f"“{name}”" for name in names)


# Indicators ----------------------------------------------------------------------------


def _formulas_naming(code: str) -> tuple[list[Indicator], list[ValidationRule]]:
    """(indicators whose formula reads ``code``, rules that read it)."""
    indicators = [
        i
        for i in Indicator.objects.filter(formula__contains=code)
        if code in formulas.names(i.formula)
    ]
    rules = [
        r
        for r in ValidationRule.objects.filter(
            Q(left__contains=code) | Q(right__contains=code)
        ).select_related("form")
        if code in formulas.names(r.left) | formulas.names(r.right)
    ]
    return indicators, rules


@transaction.atomic
def update_indicator(
    *,
    acting_user: Actor,
    indicator: Indicator,
    name: str,
    value_type: str,
    aggregation: str,
    disaggregation: Disaggregation | None = None,
    formula: str = "",
    name_en: str = "",
    unit_of_measure: str = "",
    min_value: Decimal | None = None,
    max_value: Decimal | None = None,
    parent_figure: str = Indicator.ParentFigure.ADD,
    allow_negative: bool = False,
) -> Indicator:
    """Change what an indicator is; its code stays (files and formulas name it).

    Once values are stored, its value type and breakdown stay too: the values were
    read and split by them.
    """
    _require_indicators(acting_user)
    indicator = Indicator.objects.select_for_update().get(pk=indicator.pk)
    services.check_indicator_fields(value_type, aggregation, parent_figure)
    services.check_formula(formula, itself=indicator.code)
    new_group = disaggregation.pk if disaggregation else None
    if (
        value_type != indicator.value_type or new_group != indicator.disaggregation_id
    ) and DataValue.objects.filter(indicator=indicator).exists():
        raise Conflict(
            "has_values",
            f"Chỉ tiêu {indicator.code} đã có số liệu: không đổi kiểu giá trị hay phân tổ / "
            f"{indicator.code} has values: its value type and breakdown stay",
            shown=_(
                "Chỉ tiêu “%(indicator)s” đã có số liệu: không đổi được kiểu giá trị hay phân tổ."
            )
            % {"indicator": local_name(indicator)},
        )
    rule_before = (indicator.aggregation, indicator.parent_figure)
    indicator.name, indicator.name_en = nfc(name), name_en
    indicator.value_type, indicator.aggregation = value_type, aggregation
    indicator.disaggregation, indicator.formula = disaggregation, formula.strip()
    indicator.unit_of_measure, indicator.parent_figure = unit_of_measure, parent_figure
    indicator.min_value, indicator.max_value = min_value, max_value
    indicator.allow_negative = allow_negative
    _audited(indicator, acting_user).save()
    if rule_before != (indicator.aggregation, indicator.parent_figure):
        signals.rule_changed.send(sender=__name__, indicator=indicator)
    return indicator


@transaction.atomic
def delete_indicator(*, acting_user: Actor, indicator: Indicator) -> None:
    """Delete an indicator that no form, value, formula or rule uses (history keeps it)."""
    _require_indicators(acting_user)
    forms = list(Form.objects.filter(items__indicator=indicator).distinct().order_by("code"))
    where = [f"biểu / form {form.code}" for form in forms]
    shown = (
        [_("biểu %(forms)s") % {"forms": _quoted(local_name(f) for f in forms)}] if forms else []
    )
    if DataValue.objects.filter(indicator=indicator).exists():
        where.append("số liệu / values")
        shown.append(_("số liệu đã nhập"))
    used_by, rules = _formulas_naming(indicator.code)
    used_by = [i for i in used_by if i.pk != indicator.pk]
    where += [f"công thức / formula {i.code}" for i in used_by]
    where += [f"quy tắc / rule {r.form.code}: {r}" for r in rules]
    if used_by:
        shown.append(
            _("công thức của chỉ tiêu %(names)s") % {"names": _quoted(map(local_name, used_by))}
        )
    shown += [
        _("quy tắc “%(rule)s” của biểu “%(form)s”")
        % {"rule": r.message or r, "form": local_name(r.form)}
        for r in rules
    ]
    if where:
        raise _in_use(
            f"Chỉ tiêu {indicator.code}",
            where,
            _("Chỉ tiêu “%(indicator)s” đang được dùng (%(where)s) nên không xóa được.")
            % {"indicator": local_name(indicator), "where": "; ".join(shown)},
        )
    _audited(indicator, acting_user).delete()


# Breakdowns ----------------------------------------------------------------------------


@transaction.atomic
def update_disaggregation(
    *,
    acting_user: Actor,
    disaggregation: Disaggregation,
    name: str,
    options: list[tuple[str, str]],
    name_en: str = "",
) -> Disaggregation:
    """Rename a breakdown and set its options in order: existing codes are renamed and
    moved, new codes added, missing ones removed if no value uses them."""
    _require_indicators(acting_user)
    services.check_option_codes(options)
    disaggregation = Disaggregation.objects.select_for_update().get(pk=disaggregation.pk)
    current = {o.code: o for o in disaggregation.options.all()}
    wanted = [code for code, _ in options]
    gone = [code for code in current if code not in wanted]
    used = set(
        DataValue.objects.filter(
            indicator__disaggregation=disaggregation, option__in=gone
        ).values_list("option", flat=True)
    )
    if used:
        raise Conflict(
            "option_in_use",
            f"Lựa chọn đã có số liệu, không bỏ được / options with values stay: "
            f"{', '.join(sorted(used))}",
            shown=_("Các lựa chọn đã có số liệu nên không bỏ được: %(options)s.")
            % {"options": _quoted(local_name(current[code]) for code in sorted(used))},
        )
    for code in gone:
        _audited(current[code], acting_user).delete()
    for order, (code, option_name) in enumerate(options):
        option = current.get(code) or DisaggregationOption(disaggregation=disaggregation, code=code)
        if option.pk is None or (option.name, option.sort_order) != (nfc(option_name), order):
            option.name, option.sort_order = nfc(option_name), order
            _audited(option, acting_user).save()
    disaggregation.name, disaggregation.name_en = nfc(name), name_en
    _audited(disaggregation, acting_user).save()
    return disaggregation


@transaction.atomic
def delete_disaggregation(*, acting_user: Actor, disaggregation: Disaggregation) -> None:
    """Delete a breakdown that no indicator uses, with its options."""
    _require_indicators(acting_user)
    users = list(disaggregation.indicators.order_by("code"))
    if users:
        raise _in_use(
            f"Phân tổ {disaggregation.code}",
            [f"chỉ tiêu / indicator {i.code}" for i in users],
            _("Phân tổ “%(breakdown)s” đang được dùng (chỉ tiêu %(names)s) nên không xóa được.")
            % {"breakdown": local_name(disaggregation), "names": _quoted(map(local_name, users))},
        )
    for option in disaggregation.options.all():
        _audited(option, acting_user).delete()
    _audited(disaggregation, acting_user).delete()


# Validation rules ----------------------------------------------------------------------


@transaction.atomic
def update_rule(
    *, acting_user: Actor, rule: ValidationRule, left: str, operator: str, right: str, message: str
) -> ValidationRule:
    _require_form(acting_user, rule.form)
    services.check_rule(left, operator, right)
    rule.left, rule.operator, rule.right = left.strip(), operator, right.strip()
    rule.message = nfc(message)
    _audited(rule, acting_user).save()
    return rule


@transaction.atomic
def delete_rule(*, acting_user: Actor, rule: ValidationRule) -> None:
    _require_form(acting_user, rule.form)
    _audited(rule, acting_user).delete()


# Sections ------------------------------------------------------------------------------


@transaction.atomic
def add_section(
    *,
    acting_user: Actor,
    form: Form,
    title: str,
    title_en: str = "",
    before: Indicator | None = None,
    on: dt.date | None = None,
) -> FormSection:
    """A new section (``title_en``: its title on English pages): at the end of the form,
    holding nothing, or, with ``before``, just above that indicator of the form as it
    stands on ``on`` (today by default), so that it holds ``before`` and the indicators
    under it down to the next section, by the rule of the form's page: an indicator
    belongs to the section above it. The form's indicators keep their order."""
    _require_form(acting_user, form)
    if not title.strip():
        raise BadInput("title_required", "Cần tên phần / give the section a title")
    Form.objects.select_for_update().filter(pk=form.pk).first()  # one change at a time
    layout = [
        (section, [item.indicator for item in items])
        for section, items in services.current_layout(form, on)
    ]
    last = form.sections.aggregate(last=Max("order"))["last"]
    section = FormSection.objects.create(
        form=form,
        title=nfc(title.strip()),
        title_en=nfc(title_en.strip()),
        order=0 if last is None else last + 1,
    )
    if before is None:
        return section
    at = next((n for n, (_above, members) in enumerate(layout) if before in members), None)
    if at is None:
        raise _not_in_form(form, before)
    above, members = layout[at]
    cut = members.index(before)
    layout[at : at + 1] = [(above, members[:cut]), (section, members[cut:])]
    reorder_form(acting_user=acting_user, form=form, layout=layout)
    return section


@transaction.atomic
def update_section(
    *, acting_user: Actor, section: FormSection, title: str, order: int, title_en: str = ""
) -> FormSection:
    """Rename a section (``title_en`` on English pages) and put it at position ``order``
    (1 = first) among the form's."""
    form = section.form
    _require_form(acting_user, form)
    if not title.strip():
        raise BadInput("title_required", "Cần tên phần / give the section a title")
    others = [s for s in form.sections.select_for_update().order_by("order", "id") if s != section]
    position = min(max(order, 1), len(others) + 1) - 1
    others.insert(position, section)
    section.title, section.title_en = nfc(title.strip()), nfc(title_en.strip())
    for number, member in enumerate(others):
        member.order = number
        fields = ["order", "title", "title_en"] if member is section else ["order"]
        member.save(update_fields=fields)
    return section


@transaction.atomic
def delete_section(*, acting_user: Actor, section: FormSection) -> None:
    """Remove a section; its indicators stay in the form, outside any section."""
    _require_form(acting_user, section.form)
    for item in section.items.all():
        item.section = None
        _audited(item, acting_user).save(update_fields=["section"])
    section.delete()


def _not_in_form(form: Form, indicator: Indicator) -> BadInput:
    return BadInput(
        "not_in_form",
        f"Biểu {form.code} không có chỉ tiêu {indicator.code} / "
        f"{indicator.code} is not in {form.code}",
        shown=_("Biểu “%(form)s” không có chỉ tiêu “%(indicator)s”.")
        % {"form": local_name(form), "indicator": local_name(indicator)},
    )


@transaction.atomic
def move_to_section(
    *,
    acting_user: Actor,
    form: Form,
    indicators: Iterable[Indicator],
    section: FormSection | None,
) -> int:
    """Show each of ``indicators`` under ``section`` (None: outside any) in every
    period of the form, several at once; the number of memberships moved. Each keeps
    its place among the section's indicators by the form's order."""
    _require_form(acting_user, form)
    if section is not None and section.form_id != form.pk:
        raise BadInput("unknown_section", "Phần này không thuộc biểu / not a section of this form")
    indicators = list(indicators)
    if not indicators:
        raise BadInput(
            "no_indicators",
            "Cần ít nhất một chỉ tiêu / choose at least one indicator",
            shown=_("Đánh dấu ít nhất một chỉ tiêu để chuyển."),
        )
    items = list(FormIndicator.objects.filter(form=form, indicator__in=indicators))
    found = {item.indicator_id for item in items}
    for indicator in indicators:
        if indicator.pk not in found:
            raise _not_in_form(form, indicator)
    for item in items:
        if item.section_id != (section.pk if section else None):
            item.section = section
            _audited(item, acting_user).save(update_fields=["section"])
    return len(items)


@transaction.atomic
def reorder_form(
    *,
    acting_user: Actor,
    form: Form,
    layout: list[tuple[FormSection | None, list[Indicator]]],
) -> None:
    """Put the form's sections and indicators in the order of ``layout``: groups of
    (section, its indicators), None for the indicators outside any section (they come
    first, as the grid shows them). ``layout`` names every section and every current
    indicator once (``designer.read_layout`` checks a post). Each indicator keeps its
    place and section in every period of the form, like ``move_to_section``."""
    _require_form(acting_user, form)
    Form.objects.select_for_update().filter(pk=form.pk).first()  # one change at a time
    items: dict[int, list[FormIndicator]] = {}
    for item in FormIndicator.objects.filter(form=form):
        items.setdefault(item.indicator_id, []).append(item)
    place, number = 0, 0
    for section, indicators in layout:
        if section is not None:
            if section.form_id != form.pk:
                raise BadInput(
                    "unknown_section", "Phần này không thuộc biểu / not a section of this form"
                )
            if section.order != number:
                section.order = number
                section.save(update_fields=["order"])
            number += 1
        for indicator in indicators:
            place += 1
            for item in items.get(indicator.pk, []):
                if (item.order, item.section_id) != (place, section.pk if section else None):
                    item.order, item.section = place, section
                    _audited(item, acting_user).save(update_fields=["order", "section"])


# Who reports ---------------------------------------------------------------------------


@transaction.atomic
def set_units(
    *,
    acting_user: Actor,
    form: Form,
    units: Iterable[Unit] = (),
    kind: UnitKind | None = None,
    kinds: Iterable[UnitKind] = (),
    level: int | None = None,
    valid_from: dt.date,
) -> list[FormAssignment]:
    """From ``valid_from`` on, the form is reported by ``units`` (or every unit of
    ``kind``/``level`` under its owner; ``kinds``: any of several) instead of whom it
    was assigned to.

    The assignments in force end on that day and new dated ones begin, so that the
    periods before keep the units that were expected then; assignments planned to
    start on or after that day are replaced.
    """
    _require_form(acting_user, form)
    units, kinds = list(units), list(kinds)
    if not units and kind is None and not kinds and level is None:
        raise BadInput(
            "no_units",
            "Cần đơn vị báo cáo, hoặc loại/cấp đơn vị / give the units, or a kind or level",
        )
    Form.objects.select_for_update().filter(pk=form.pk).first()  # one change at a time
    for assignment in FormAssignment.objects.filter(form=form).filter(overlaps(valid_from, None)):
        if assignment.valid_from >= valid_from:
            _audited(assignment, acting_user).delete()
        else:
            assignment.valid_to = valid_from
            _audited(assignment, acting_user).save(update_fields=["valid_to"])
    return services.assign(
        form, units=units, kind=kind, kinds=kinds, level=level, valid_from=valid_from
    )
