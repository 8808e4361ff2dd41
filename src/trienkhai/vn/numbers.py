"""Numbers with Vietnamese separators: '.' groups thousands, ',' marks decimals."""

import re
from decimal import Decimal

# ASCII digits only ("١٢" and "²" are digits to Python, not to a report), no exponent,
# no NaN or Infinity, no underscores: a number as people write it on paper.
_GROUPED = re.compile(r"[+-]?[0-9]{1,3}(\.[0-9]{3})+(,[0-9]+)?")
_PLAIN = re.compile(r"[+-]?[0-9]+(,[0-9]+)?")
_POINT = re.compile(r"[+-]?([0-9]+\.[0-9]*|\.[0-9]+)")


def parse_number(text: str) -> Decimal:
    """'20.673' and '20673' → 20673; '20,5' → 20.5; '1.234,5' → 1234.5.

    A lone '.' followed by exactly three digits is a thousands separator, as Vietnamese
    users type it; any other '.' is read as a decimal point (pasted from English Excel).
    Anything else — '1e3', 'NaN', 'Infinity', '0x10', '1_000', '١٢' — is not a number
    (ValueError): the result is always finite and written with plain digits.
    """
    cleaned = text.strip().replace(" ", "").replace("\u00a0", "")
    if _GROUPED.fullmatch(cleaned):
        return Decimal(cleaned.replace(".", "").replace(",", "."))
    if _PLAIN.fullmatch(cleaned):
        return Decimal(cleaned.replace(",", "."))
    if _POINT.fullmatch(cleaned):
        return Decimal(cleaned)
    raise ValueError(f"Số không hợp lệ / not a number: {text!r}")


def format_number(value: int | float | Decimal, decimals: int = 0) -> str:
    """20673 → '20.673'; 20.5 with decimals=1 → '20,5'."""
    text = f"{value:,.{decimals}f}"
    return text.replace(",", "\u0001").replace(".", ",").replace("\u0001", ".")
