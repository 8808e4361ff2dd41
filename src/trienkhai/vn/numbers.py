"""Numbers with Vietnamese separators: '.' groups thousands, ',' marks decimals."""

import re
from decimal import Decimal, InvalidOperation

_GROUPED = re.compile(r"^[+-]?\d{1,3}(\.\d{3})+(,\d+)?$")
_PLAIN = re.compile(r"^[+-]?\d+(,\d+)?$")


def parse_number(text: str) -> Decimal:
    """'20.673' and '20673' → 20673; '20,5' → 20.5; '1.234,5' → 1234.5.

    A lone '.' followed by exactly three digits is a thousands separator, as Vietnamese
    users type it; any other '.' is read as a decimal point (pasted from English Excel).
    """
    cleaned = text.strip().replace(" ", "").replace("\u00a0", "")
    if _GROUPED.match(cleaned):
        cleaned = cleaned.replace(".", "").replace(",", ".")
    elif _PLAIN.match(cleaned):
        cleaned = cleaned.replace(",", ".")
    try:
        return Decimal(cleaned)
    except InvalidOperation:
        raise ValueError(f"Số không hợp lệ / not a number: {text!r}") from None


def format_number(value: int | float | Decimal, decimals: int = 0) -> str:
    """20673 → '20.673'; 20.5 with decimals=1 → '20,5'."""
    text = f"{value:,.{decimals}f}"
    return text.replace(",", "\u0001").replace(".", ",").replace("\u0001", ".")
