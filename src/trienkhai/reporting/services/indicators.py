"""Indicators and disaggregations: shared data, edited by admins, with history."""

from decimal import Decimal

from django.db import transaction

from trienkhai.accounts import policy
from trienkhai.common.actors import Actor
from trienkhai.common.errors import BadInput, Conflict
from trienkhai.reporting import formulas
from trienkhai.reporting.models import (
    Disaggregation,
    DisaggregationOption,
    Indicator,
)
from trienkhai.reporting.services.acting import _audited
from trienkhai.reporting.services.forms import free_code
from trienkhai.vn import nfc, slug


def check_indicator_fields(value_type: str, aggregation: str, parent_figure: str) -> None:
    """BadInput unless the three choices of an indicator are known values."""
    if value_type not in Indicator.ValueType.values:
        raise BadInput(
            "invalid_value_type",
            f"Kiểu giá trị không hợp lệ / invalid value_type: {value_type!r}",
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


def _code_from_name(name: str) -> str:
    """A free indicator code made from its name: "Số lớp đã mở" → "so_lop_da_mo". Codes
    are names in formulas, so they start with a letter."""
    base = slug(name, sep="_") or "chi_tieu"
    if not base[0].isalpha():
        base = f"ct_{base}"[:40]
    return free_code(Indicator, base, sep="_")


@transaction.atomic
def create_indicator(
    *,
    acting_user: Actor,
    code: str = "",
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
    allow_negative: bool = False,
) -> Indicator:
    policy.require(acting_user, policy.Action.MANAGE_INDICATORS)
    code = code.strip() or _code_from_name(name)
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
        allow_negative=allow_negative,
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
    *,
    acting_user: Actor,
    code: str,
    name: str,
    options: list[tuple[str, str]],
    name_en: str = "",
) -> Disaggregation:
    """A way to split figures (audience group, sex) with its options, in the given order."""
    policy.require(acting_user, policy.Action.MANAGE_INDICATORS)
    code = code.strip() or _code_from_name(name)
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
            disaggregation=disaggregation,
            code=option_code,
            name=nfc(option_name),
            sort_order=order,
        )
        _audited(option, acting_user).save()
    return disaggregation
