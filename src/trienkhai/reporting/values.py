"""Reading a typed value: '20.673' and '20673' are twenty thousand six hundred seventy-three."""

from decimal import Decimal

from trienkhai.common.errors import BadInput
from trienkhai.reporting.models import Indicator
from trienkhai.vn import parse_number

_YES = {"1", "true", "yes", "có", "co", "x", "đúng", "dung"}
_NO = {"0", "false", "no", "không", "khong", "sai"}


def parse_value(indicator: Indicator, raw) -> tuple[Decimal | None, str]:
    """(number, text) for ``raw`` typed into a cell of ``indicator``; BadInput if it does not fit.

    An empty value means "no value" and returns (None, "").
    """
    text = "" if raw is None else str(raw).strip()
    if text == "":
        return None, ""
    kind = indicator.value_type
    if kind == Indicator.ValueType.TEXT:
        return None, text
    if kind == Indicator.ValueType.BOOLEAN:
        folded = text.lower()
        if folded in _YES:
            return Decimal(1), ""
        if folded in _NO:
            return Decimal(0), ""
        raise _invalid(indicator, text, "có/không / yes/no")
    try:
        number = (
            parse_number(text.rstrip("%").strip())
            if not isinstance(raw, int | float | Decimal)
            else Decimal(str(raw))
        )
    except ValueError:
        raise _invalid(indicator, text, "một số / a number") from None
    if kind == Indicator.ValueType.INTEGER and number != number.to_integral_value():
        raise _invalid(indicator, text, "số nguyên / a whole number")
    if kind == Indicator.ValueType.PERCENT and not Decimal(0) <= number <= Decimal(100):
        raise _invalid(indicator, text, "từ 0 đến 100 / between 0 and 100")
    return number, ""


def _invalid(indicator: Indicator, text: str, expected: str) -> BadInput:
    return BadInput(
        "invalid_value",
        f"Giá trị {text!r} không hợp lệ cho {indicator.code}: cần {expected} / "
        f"{text!r} does not fit {indicator.code}",
    )


def outlier(indicator: Indicator, number: Decimal | None) -> str:
    """A warning (not an error) when a number lies outside the indicator's min/max."""
    if number is None:
        return ""
    if indicator.min_value is not None and number < indicator.min_value:
        return f"Nhỏ hơn mức tối thiểu {indicator.min_value:g} / below the minimum"
    if indicator.max_value is not None and number > indicator.max_value:
        return f"Lớn hơn mức tối đa {indicator.max_value:g} / above the maximum"
    return ""


def display(number: Decimal | None, text: str, indicator: Indicator) -> str:
    """The stored value as a cell shows it: '20.673', '20,5', 'có'."""
    from trienkhai.vn import format_number

    if number is None:
        return text
    if indicator.value_type == Indicator.ValueType.BOOLEAN:
        return "có" if number else "không"
    decimals = (
        0 if number == number.to_integral_value() else len(str(number.normalize()).split(".")[1])
    )
    return format_number(number, decimals)
