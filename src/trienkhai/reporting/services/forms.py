"""Forms: their indicators, rules and assignments, and which units report them."""

import datetime as dt
import re
from collections.abc import Iterable

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from trienkhai.accounts import policy
from trienkhai.common.actors import Actor
from trienkhai.common.errors import BadInput, Conflict
from trienkhai.common.models import overlaps, valid_on
from trienkhai.orgs import queries
from trienkhai.orgs.models import Unit, UnitKind
from trienkhai.reporting import formulas, structure
from trienkhai.reporting.models import (
    Form,
    FormAssignment,
    FormIndicator,
    FormSection,
    Indicator,
    ValidationRule,
)
from trienkhai.reporting.periods import Period, PeriodType
from trienkhai.reporting.services.acting import _audited
from trienkhai.vn import fold, format_date, nfc
from trienkhai.web.labels import local_name, unit_name


def check_rule(left: str, operator: str, right: str) -> None:
    """BadInput unless a rule compares two formulas over known indicators."""
    if operator not in ValidationRule.Operator.values:
        raise BadInput(
            "invalid_operator",
            f"Phép so sánh không hợp lệ / invalid operator: {operator!r}",
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
    *, acting_user: Actor, form: Form, left: str, operator: str, right: str, message: str
) -> ValidationRule:
    """A check between the cells of ``form``, e.g. ``lop_da_mo <= lop_ke_hoach``."""
    policy.require(acting_user, policy.Action.CHANGE, form.owner)
    check_rule(left, operator, right)
    rule = ValidationRule(
        form=form,
        left=left.strip(),
        operator=operator,
        right=right.strip(),
        message=nfc(message),
    )
    _audited(rule, acting_user).save()
    return rule


@transaction.atomic
def create_form(
    *,
    acting_user: Actor,
    code: str = "",
    name: str,
    owner: Unit,
    period_type: str,
    indicators: list[Indicator],
    units: Iterable[Unit] = (),
    kind: UnitKind | None = None,
    kinds: Iterable[UnitKind] = (),
    level: int | None = None,
    deadline_days: int = 10,
    calendar: str = "gregorian",
    valid_from: dt.date = dt.date(2000, 1, 1),
    sections: list[tuple[str, list[Indicator]]] | None = None,
    compulsory: Iterable[Indicator] = (),
    complete_only_if_valid: bool = True,
    name_en: str = "",
) -> Form:
    """A form owned by ``owner``, reported by ``units`` (or every unit of ``kind``/``level`` under it).

    ``kinds``: several kinds at once, any of them reports (``assign``).

    ``compulsory``: indicators of the form whose every cell must be filled before a
    submission (see ``reporting.review``); ``complete_only_if_valid``: failed
    validation rules refuse a submission (else the submitter confirms them). Without
    ``code``, a short one is made from ``name`` (``short_code``: "Báo cáo quý công tác
    học tập nghị quyết" → "BCQ-CTHTNQ", then "BCQ-CTHTNQ-2" if taken)."""
    policy.require(acting_user, policy.Action.CHANGE, owner)
    code = code.strip() or free_code(Form, short_code(name), max_length=SHORT_CODE_LENGTH)
    if period_type not in PeriodType.__members__.values():
        raise BadInput(
            "invalid_period_type",
            f"Loại kỳ không hợp lệ / invalid period_type: {period_type!r}",
        )
    if Form.objects.filter(code=code).exists():
        raise Conflict("duplicate_code", f"Mã biểu đã có / form code exists: {code}")
    if not indicators and not sections:
        raise BadInput("no_indicators", "Biểu cần ít nhất một chỉ tiêu / a form needs indicators")
    form = _audited(
        Form(
            code=code,
            name=nfc(name),
            name_en=nfc(name_en),
            owner=owner,
            period_type=period_type,
            deadline_days=deadline_days,
            calendar=calendar,
            complete_only_if_valid=complete_only_if_valid,
        ),
        acting_user,
    )
    form.save()
    members = [i for _title, group in sections or [("", indicators)] for i in group]
    required = _check_compulsory(members, compulsory)
    order = 0
    for title, members in sections or [("", indicators)]:
        section = form.sections.create(title=title, order=order) if title else None
        for indicator in members:
            order += 1
            item = FormIndicator(
                form=form,
                section=section,
                indicator=indicator,
                order=order,
                valid_from=valid_from,
                is_compulsory=indicator.pk in required,
            )
            _audited(item, acting_user).save()
    assign(form, units=units, kind=kind, kinds=kinds, level=level, valid_from=valid_from)
    return form


SHORT_CODE_LENGTH = 20
# The words after which a form's name turns from what it is to what it is about:
# "Báo cáo quý | công tác học tập", "Báo cáo 6 tháng | đầu năm".
_PERIOD_WORDS = {"nam", "quy", "thang", "tuan"}


def short_code(name: str) -> str:
    """A form's code made from its name, short as the shipped ones (BC35-VT-6T): each
    word's initial, a number whole, in capitals, a hyphen after the words that say the
    report and its period: "Báo cáo quý công tác học tập nghị quyết" → "BCQ-CTHTNQ",
    "Báo cáo 6 tháng" → "BC6T", "Kết quả học tập" → "KQHT". At most SHORT_CODE_LENGTH
    characters; "BIEU" for a name without a letter or a digit. The create page's script
    (reporting/designer.js, ``shortCode``) shows the same as the name is typed."""
    words = re.findall(r"[a-z0-9]+", fold(name))
    marks = [word if word.isdigit() else word[0].upper() for word in words]
    cut = next((n + 1 for n, word in enumerate(words[:4]) if n and word in _PERIOD_WORDS), 0)
    head, tail = "".join(marks[:cut]), "".join(marks[cut:])
    code = f"{head}-{tail}" if head and tail else head + tail
    return code[:SHORT_CODE_LENGTH].rstrip("-") or "BIEU"


def free_code(model, base: str, *, sep: str = "-", max_length: int = 40) -> str:
    """``base``, or ``base-2``, ``base-3`` ... : the first code no row of ``model`` has."""
    taken = set(
        model.objects.filter(code__startswith=base[:max_length]).values_list("code", flat=True)
    )
    code, n = base[:max_length], 1
    while code in taken:
        n += 1
        suffix = f"{sep}{n}"
        code = f"{base[: max_length - len(suffix)]}{suffix}"
    return code


def _check_compulsory(members: list[Indicator], compulsory: Iterable[Indicator]) -> set[int]:
    """The ids of ``compulsory``, or BadInput if one is not among ``members`` or is not entered
    (a formula computes it or a source counts it)."""
    ids = {i.pk for i in members}
    wrong = [i.code for i in compulsory if i.pk not in ids or not i.is_entered]
    if wrong:
        raise BadInput(
            "invalid_compulsory",
            f"Chỉ tiêu bắt buộc phải là chỉ tiêu nhập của biểu: {', '.join(wrong)} / "
            f"compulsory indicators must be entered indicators of the form: {', '.join(wrong)}",
        )
    return {i.pk for i in compulsory}


@transaction.atomic
def set_submission_rules(
    *,
    acting_user: Actor,
    form: Form,
    compulsory: Iterable[Indicator],
    complete_only_if_valid: bool,
) -> Form:
    """Which of the form's current indicators are compulsory, and whether failed rules
    refuse a submission: a manager of the owner's change, audited."""
    policy.require(acting_user, policy.Action.CHANGE, form.owner)
    form = Form.objects.select_for_update().get(pk=form.pk)
    current = list(
        FormIndicator.objects.filter(form=form, valid_to__isnull=True).select_related("indicator")
    )
    required = _check_compulsory([i.indicator for i in current], list(compulsory))
    for item in current:
        wanted = item.indicator_id in required
        if item.is_compulsory != wanted:
            item.is_compulsory = wanted
            _audited(item, acting_user).save(update_fields=["is_compulsory"])
    if form.complete_only_if_valid != complete_only_if_valid:
        form.complete_only_if_valid = complete_only_if_valid
        form.modified = timezone.now()
        _audited(form, acting_user).save(update_fields=["complete_only_if_valid", "modified"])
    return form


MAX_DEADLINE_DAYS = 366


@transaction.atomic
def change_form(
    *,
    acting_user: Actor,
    form: Form,
    name: str | None = None,
    name_en: str | None = None,
    period_type: str | None = None,
    calendar: str | None = None,
    deadline_days: int | None = None,
) -> Form:
    """Change a form's name (in both languages), period type, calendar or deadline (only
    what is given), audited. A manager of the owner's change.

    The period type and the calendar change only while nothing was entered or submitted
    for the form (409 ``form_has_data``): the periods already reported would no longer
    be the form's. A new deadline counts for every period, past ones too: lateness is
    always computed from the form's deadline, never stored."""
    from trienkhai.reporting.models import Submission
    from trienkhai.reporting.periods import Calendar

    policy.require(acting_user, policy.Action.CHANGE, form.owner)
    form = Form.objects.select_for_update().get(pk=form.pk)
    fields: list[str] = []
    if name is not None:
        name = nfc(name).strip()
        if not name or len(name) > 300:
            raise BadInput(
                "invalid_name",
                "Tên biểu phải có từ 1 đến 300 ký tự / a form's name has 1 to 300 characters",
                shown=_("Tên biểu phải có từ 1 đến 300 ký tự."),
            )
        form.name, fields = name, [*fields, "name"]
    if name_en is not None:
        form.name_en, fields = nfc(name_en).strip()[:300], [*fields, "name_en"]
    if deadline_days is not None:
        if not 0 <= deadline_days <= MAX_DEADLINE_DAYS:
            raise BadInput(
                "invalid_deadline",
                f"Hạn gửi từ 0 đến {MAX_DEADLINE_DAYS} ngày sau khi hết kỳ / the deadline is "
                f"0 to {MAX_DEADLINE_DAYS} days after the period ends",
                shown=_("Hạn gửi từ 0 đến %(n)s ngày sau khi hết kỳ.") % {"n": MAX_DEADLINE_DAYS},
            )
        form.deadline_days, fields = deadline_days, [*fields, "deadline_days"]
    periods = {"period_type": period_type, "calendar": calendar}
    changes = {k: v for k, v in periods.items() if v is not None and v != getattr(form, k)}
    if "period_type" in changes and changes["period_type"] not in PeriodType.__members__.values():
        raise BadInput(
            "invalid_period_type",
            f"Kỳ báo cáo không hợp lệ: {period_type} / unknown period type: {period_type}",
            shown=_("Hãy chọn kỳ báo cáo trong danh sách."),
        )
    if "calendar" in changes and changes["calendar"] not in {c.value for c in Calendar}:
        raise BadInput(
            "invalid_calendar",
            f"Lịch báo cáo không hợp lệ: {calendar} / unknown calendar: {calendar}",
            shown=_("Hãy chọn lịch báo cáo trong danh sách."),
        )
    if changes:
        if Submission.objects.filter(form=form).exists() or _has_values(form):
            raise Conflict(
                "form_has_data",
                "Biểu đã có số liệu: không đổi được kỳ báo cáo hay lịch; hãy tạo biểu mới / "
                "the form has data: its period type and calendar cannot change; make a new form",
                shown=_(
                    "Biểu đã có số liệu nên không đổi được kỳ báo cáo hay lịch báo cáo; "
                    "hãy tạo biểu mới."
                ),
            )
        for key, value in changes.items():
            setattr(form, key, value)
        fields += list(changes)
    if fields:
        form.modified = timezone.now()
        _audited(form, acting_user).save(update_fields=[*fields, "modified"])
    return form


def _has_values(form: Form) -> bool:
    """Whether a value was entered for one of the form's indicators in a period of the
    form's type (values belong to indicator, unit and period, not to a form)."""
    from trienkhai.reporting.models import DataValue
    from trienkhai.reporting.periods import parse

    indicators = form.items.values("indicator_id")
    periods = DataValue.objects.filter(indicator_id__in=indicators).values_list("period", flat=True)
    for period_id in periods.distinct():
        try:
            if parse(period_id, form.calendar).type == form.period_type:
                return True
        except BadInput:  # not a period id: not this form's
            continue
    return False


def assign(
    form: Form,
    *,
    units: Iterable[Unit],
    kind: UnitKind | None,
    level: int | None,
    valid_from: dt.date,
    kinds: Iterable[UnitKind] = (),
) -> list[FormAssignment]:
    """New assignments of ``form`` from ``valid_from``: each of ``units`` (under the
    owner), and every unit of ``kind`` (and of each of ``kinds``) at ``level`` under the
    owner if a kind or the level is given: one row per kind, all at the same level, so
    that a kind and the level narrow the choice and several kinds widen it (a unit of
    any of them). Part of a service's transaction; the caller asked the policy."""
    owner, day = form.owner, valid_from
    made = []
    for unit in units:
        if not queries.is_descendant_or_self(
            unit.pk, [owner.pk], unit.reference_date(max(day, unit.valid_from))
        ):
            raise BadInput(
                "unit_outside_owner",
                f"{unit.code} không thuộc {owner.code} / {unit.code} is not under {owner.code}",
                shown=_("%(unit)s không trực thuộc %(owner)s, đơn vị ban hành biểu.")
                % {"unit": unit_name(unit, day), "owner": unit_name(owner, day)},
            )
        made.append(FormAssignment.objects.create(form=form, unit=unit, valid_from=day))
    chosen: list[UnitKind | None] = list(dict.fromkeys([*([kind] if kind else []), *kinds]))
    for each in chosen or ([None] if level is not None else []):
        made.append(
            FormAssignment.objects.create(form=form, kind=each, level=level, valid_from=day)
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


def current_layout(
    form: Form, day: dt.date | None = None
) -> list[tuple[FormSection | None, list[FormIndicator]]]:
    """The form on ``day`` as the grid shows it: (None, the indicators outside any
    section) first, then each section in order with its indicators, every section
    listed even when it holds none."""
    items = current_items(form, day)
    layout: list[tuple[FormSection | None, list[FormIndicator]]] = [
        (None, [i for i in items if i.section_id is None])
    ]
    for section in form.sections.order_by("order", "id"):
        layout.append((section, [i for i in items if i.section_id == section.pk]))
    return layout


@transaction.atomic
def add_indicator_to_form(
    *,
    acting_user: Actor,
    form: Form,
    indicator: Indicator,
    valid_from: dt.date,
    section: FormSection | None = None,
) -> FormIndicator:
    """Put ``indicator`` at the end of ``form`` (or of ``section``) from ``valid_from`` on."""
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
            shown=_("Chỉ tiêu “%(indicator)s” đã có trong biểu “%(form)s” từ ngày %(day)s.")
            % {
                "indicator": local_name(indicator),
                "form": local_name(form),
                "day": format_date(valid_from),
            },
        )
    last = FormIndicator.objects.filter(form=form).aggregate(last=Max("order"))["last"] or 0
    item = FormIndicator(
        form=form,
        indicator=indicator,
        section=section,
        order=last + 1,
        valid_from=valid_from,
    )
    _audited(item, acting_user).save()
    return item


@transaction.atomic
def remove_indicator_from_form(
    *, acting_user: Actor, form: Form, indicator: Indicator, on: dt.date
) -> FormIndicator:
    """Take ``indicator`` out of ``form`` from ``on``: periods before keep it and its values."""
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
            shown=_("Biểu “%(form)s” không có chỉ tiêu “%(indicator)s” từ ngày %(day)s.")
            % {
                "form": local_name(form),
                "indicator": local_name(indicator),
                "day": format_date(on),
            },
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
    rules = _Rules(
        (a.kind.code if a.kind else None, a.level) for a in assignments if a.unit is None
    )
    if rules:
        nodes = owner_subtree if owner_subtree is not None else queries.subtree(form.owner, day)
        expected.update({n.unit_id: n.code for n in nodes if rules.match(n.kind, n.depth)})
    return expected


class _Rules:
    """A form's assignments by kind and level, as (kind code, level) pairs with None for
    "any": asked of ten thousand units, each a few set lookups."""

    def __init__(self, pairs: Iterable[tuple[str | None, int | None]]):
        self.pairs = set(pairs)

    def __bool__(self) -> bool:
        return bool(self.pairs)

    def match(self, kind: str | None, level: int) -> bool:
        pairs = self.pairs
        return (
            (kind, level) in pairs
            or (None, level) in pairs
            or (kind, None) in pairs
            or (None, None) in pairs
        )


def expected_under(form: Form, period: Period, roots: Iterable[Unit]) -> dict[int, str]:
    """``expected_codes`` of ``roots`` and the units under them only, read from their own
    subtrees on the period's last day rather than from the owner's whole one: a
    district's reporter in a province-wide form walks 500 units, not 10,000."""
    day = period.end
    assignments = structure.of(form).assignments_on(day)
    direct = {a.unit_id for a in assignments if a.unit_id is not None}
    rules = [a for a in assignments if a.unit_id is None]
    kind_codes = dict(UnitKind.objects.values_list("pk", "code")) if rules else {}
    wanted = _Rules((kind_codes[a.kind_id] if a.kind_id else None, a.level) for a in rules)
    found: dict[int, str] = {}
    for root in roots:
        version = root.version_on(day)
        if version is None:
            continue
        nodes = [(root.pk, root.code, kind_codes.get(version.kind_id), 0)] + [
            (n.unit_id, n.code, n.kind, n.depth) for n in queries.subtree(root, day)
        ]
        found.update({uid: code for uid, code, _, _ in nodes if uid in direct})
        if not wanted:
            continue
        above = dict(queries.ancestor_ids(root.pk, day))
        if form.owner_id not in above:
            # The owner is below the root, or elsewhere: the owner's own list, kept to
            # the root's units.
            mine = {uid for uid, *_ in nodes}
            found.update({uid: c for uid, c in expected_codes(form, period).items() if uid in mine})
            continue
        offset = above[form.owner_id]
        found.update(
            {
                uid: code
                for uid, code, kind, depth in nodes
                if offset + depth > 0 and wanted.match(kind, offset + depth)
            }
        )
    return found


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
