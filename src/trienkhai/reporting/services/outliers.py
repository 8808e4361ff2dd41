"""Outliers: generating and editing a unit's min-max bounds, explaining an outlier.

The statistics and the reads are in ``reporting.outliers``; these are the writes, each
one transaction with its history rows (django-simple-history) naming who did it.
"""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from trienkhai.accounts import policy
from trienkhai.common.actors import Actor
from trienkhai.common.errors import BadInput
from trienkhai.orgs import queries
from trienkhai.orgs.models import Unit
from trienkhai.reporting import outliers, structure
from trienkhai.reporting.cells import parse_value
from trienkhai.reporting.models import DataValue, Form, Indicator, OutlierComment, ValueBounds
from trienkhai.reporting.outliers import stats
from trienkhai.reporting.services.acting import _audited, _user
from trienkhai.reporting.services.values import check_can_enter
from trienkhai.web.labels import local_name

MAX_EXPLANATION = 2000
MAX_GENERATION_PERIODS = 24


@dataclass
class Generated:
    created: int = 0
    updated: int = 0
    kept: int = 0
    """Bounds typed by hand, left as they were."""
    units: int = 0


@transaction.atomic
def generate_bounds(
    *,
    acting_user: Actor,
    form: Form,
    root: Unit,
    period_id: str,
    method: stats.Method = stats.Method.MODIFIED_Z,
    periods: int = outliers.HISTORY_PERIODS,
    replace_edited: bool = False,
) -> Generated:
    """(Re)generate the min-max bounds of every unit of ``root``'s subtree for the
    indicators of ``form``, from their submitted and approved values of the ``periods``
    periods up to ``period_id`` (``stats.bounds``). Bounds typed by a manager are kept
    unless ``replace_edited``. A cell with too little history keeps what it had.
    Approvers of ``root`` only (APPROVE), as for ``set_bounds``."""
    policy.require(acting_user, policy.Action.APPROVE, root)
    if method not in (stats.Method.MODIFIED_Z, stats.Method.Z):
        raise BadInput(
            "invalid_method", f"Phương pháp không hợp lệ / invalid method: {method} (modified_z, z)"
        )
    if not 1 <= periods <= MAX_GENERATION_PERIODS:
        raise BadInput(
            "invalid_periods",
            f"Số kỳ phải từ 1 đến {MAX_GENERATION_PERIODS} / periods must be 1..{MAX_GENERATION_PERIODS}",
        )
    period = form.period(period_id)
    day = max(min(period.end, root.reference_date()), root.valid_from)
    unit_ids = sorted({root.pk, *(n.unit_id for n in queries.subtree(root, day))})
    indicators = outliers.judged_indicators(form, period)
    history = outliers.history_periods(period, periods - 1)
    data = outliers.read(form, unit_ids, indicators, period, history)
    by_id = {i.pk: i for i in indicators}
    existing = {
        (b.unit_id, b.indicator_id, b.option): b
        for b in ValueBounds.objects.filter(unit_id__in=unit_ids, indicator__in=indicators)
    }
    basis = f"{method}, {(history[-1] if history else period).id}..{period.id}"
    now, user = timezone.now(), _user(acting_user)
    result = Generated(units=len(unit_ids))
    created, updated = [], []
    for cell, (value, counts, past) in data.own.items():
        counted = [v for v in past if v is not None]
        if counts and value is not None:
            counted.append(value)
        indicator = by_id[cell[1]]
        generated = stats.bounds(
            counted,
            method,
            value_type=indicator.value_type,
            allow_negative=outliers._allow_negative(indicator),
        )
        if generated is None:
            continue
        low, high = (Decimal(str(x)) for x in generated)
        bound = existing.get(cell)
        if bound is None:
            created.append(
                ValueBounds(
                    unit_id=cell[0],
                    indicator_id=cell[1],
                    option=cell[2],
                    low=low,
                    high=high,
                    basis=basis,
                    modified_by=user,
                    created=now,
                    modified=now,
                )
            )
        elif bound.is_generated or replace_edited:
            bound.low, bound.high, bound.basis = low, high, basis
            bound.is_generated, bound.modified, bound.modified_by = True, now, user
            updated.append(bound)
        else:
            result.kept += 1
    if created:
        bulk_create_with_history(created, ValueBounds, default_user=user, default_date=now)
    if updated:
        bulk_update_with_history(
            updated,
            ValueBounds,
            ["low", "high", "basis", "is_generated", "modified", "modified_by"],
            default_user=user,
            default_date=now,
        )
    result.created, result.updated = len(created), len(updated)
    return result


def _number(indicator: Indicator, raw, what: str) -> Decimal | None:
    if raw is None or raw == "":
        return None
    try:
        number, _text = parse_value(indicator, raw)
    except BadInput as exc:
        raise BadInput(exc.code, f"{what}: {exc.message}") from None
    return number


def _check_option(indicator: Indicator, option: str) -> None:
    allowed = (
        {""}
        if indicator.disaggregation_id is None
        else set(indicator.disaggregation.options.values_list("code", flat=True))  # type: ignore[union-attr]
    )
    if option not in allowed:
        raise BadInput(
            "invalid_option",
            f"Lựa chọn không hợp lệ / invalid option: {option!r} ({', '.join(sorted(allowed)) or '—'})",
        )


@transaction.atomic
def set_bounds(
    *, acting_user: Actor, unit: Unit, indicator: Indicator, option: str = "", low=None, high=None
) -> ValueBounds:
    """A manager's own bounds for one cell of ``unit`` (kept by a regeneration). Both
    empty removes the bounds. Approvers of ``unit`` only (APPROVE)."""
    policy.require(acting_user, policy.Action.APPROVE, unit)
    if not indicator.is_numeric or indicator.is_derived:
        raise BadInput(
            "not_numeric",
            f"Chỉ tiêu {indicator.name} không nhập số / {indicator.code} takes no typed number",
            shown=_("Chỉ tiêu “%(indicator)s” không nhập số.")
            % {"indicator": local_name(indicator)},
        )
    _check_option(indicator, option)
    low_number = _number(indicator, low, "low")
    high_number = _number(indicator, high, "high")
    if low_number is not None and high_number is not None and low_number > high_number:
        raise BadInput("invalid_bounds", "Mức tối thiểu lớn hơn mức tối đa / low is above high")
    bound = (
        ValueBounds.objects.select_for_update()
        .filter(unit=unit, indicator=indicator, option=option)
        .first()
    ) or ValueBounds(unit=unit, indicator=indicator, option=option)
    bound.low, bound.high = low_number, high_number
    bound.is_generated, bound.basis = False, ""
    bound.modified, bound.modified_by = timezone.now(), _user(acting_user)
    if low_number is None and high_number is None:
        if bound.pk is not None:
            _audited(bound, acting_user).delete()
        return bound
    _audited(bound, acting_user).save()
    return bound


@transaction.atomic
def explain_outlier(
    *,
    acting_user: Actor,
    form: Form,
    unit: Unit,
    period_id: str,
    indicator_code: str,
    option: str = "",
    value=None,
    text: str,
    today: dt.date | None = None,
) -> OutlierComment:
    """Keep a value that looks wrong, saying why (giải trình): the explanation of this
    value of the cell, by someone who may enter the unit's figures while they may.
    ``value`` is the value explained (as typed); without it, the value stored."""
    period = form.period(period_id)
    check_can_enter(acting_user, form, unit, period, today=today)
    text = (text or "").strip()
    if not text:
        raise BadInput("comment_required", "Cần nội dung giải trình / an explanation is required")
    if len(text) > MAX_EXPLANATION:
        raise BadInput(
            "comment_too_long",
            f"Giải trình dài quá {MAX_EXPLANATION} ký tự / longer than {MAX_EXPLANATION} characters",
        )
    items = {i.indicator.code: i.indicator for i in structure.of(form).items_during(period)}
    indicator = items.get(indicator_code)
    if indicator is None or not indicator.is_numeric or indicator.is_derived:
        raise BadInput(
            "invalid_indicator",
            f"Biểu không có chỉ tiêu số này / not a typed number of form {form.code}: "
            f"{indicator_code}",
            shown=_("Biểu “%(form)s” không có chỉ tiêu nhập số này.") % {"form": local_name(form)},
        )
    if option not in structure.of(form).option_codes(indicator):
        raise BadInput("invalid_option", f"Lựa chọn không hợp lệ / invalid option: {option!r}")
    number = _number(indicator, value, indicator.name)
    if number is None:
        stored = DataValue.objects.filter(
            unit=unit, period=period.id, indicator=indicator, option=option
        ).first()
        number = stored.value_number if stored else None
    if number is None:
        raise BadInput("no_value", "Ô chưa có số để giải trình / the cell has no number to explain")
    comment = (
        OutlierComment.objects.select_for_update()
        .filter(unit=unit, period=period.id, indicator=indicator, option=option)
        .first()
    ) or OutlierComment(unit=unit, period=period.id, indicator=indicator, option=option)
    comment.value, comment.text = number, text
    comment.created, comment.created_by = timezone.now(), _user(acting_user)
    _audited(comment, acting_user).save()
    return comment
