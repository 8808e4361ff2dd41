"""The template filters that write figures the Vietnamese way."""

from decimal import Decimal

import pytest

from trienkhai.web.templatetags.vn import vn_amount


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (Decimal("241.0000"), "241"),
        ("2500.0000", "2.500"),
        ("2.5", "2,5"),
        (Decimal("20673"), "20.673"),
        ("-3.250", "-3,25"),
        (None, ""),
        ("", ""),
        ("không rõ", "không rõ"),
    ],
)
def test_a_figure_reads_with_no_more_decimals_than_it_has(value, shown):
    assert vn_amount(value) == shown
