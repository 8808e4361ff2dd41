"""The one formula engine: arithmetic over indicator codes, nothing else."""

from decimal import Decimal

import pytest

from trienkhai.common.errors import BadInput
from trienkhai.reporting import formulas

VALUES = {
    ("luot", None): Decimal(20673),
    ("lop", None): Decimal(12),
    ("nhom", "dang_vien"): Decimal(5),
}


def lookup(code, option):
    return VALUES.get((code, option))


@pytest.mark.parametrize(
    ("formula", "value"),
    [
        ("luot / lop", Decimal(20673) / 12),
        ("(luot + 27) * 100 / 20700", Decimal(100)),
        ("-lop + 2", Decimal(-10)),
        ('option(nhom, "dang_vien") * 2', Decimal(10)),
        ("max(lop, 20, 3)", Decimal(20)),
        ("min(lop, 20)", Decimal(12)),
        ("luot / 0", None),
        ("luot / missing", None),
        ("lop + missing", None),
    ],
)
def test_it_evaluates_arithmetic_over_codes(formula, value):
    assert formulas.evaluate(formula, lookup) == value


@pytest.mark.parametrize(
    "formula",
    [
        "__import__('os').system('true')",
        "luot.real",
        "luot ** 2",
        "[lop]",
        "lop if luot else 1",
        "open('x')",
        "lambda: 1",
        "luot >",
        "True + 1",
        "option(nhom)",
        "max(x=1)",
    ],
)
def test_it_refuses_anything_but_arithmetic(formula):
    with pytest.raises(BadInput) as err:
        formulas.parse(formula)
    assert err.value.code == "invalid_formula"


def test_it_names_the_codes_a_formula_reads():
    assert formulas.names('luot / lop + option(nhom, "dang_vien")') == {"luot", "lop", "nhom"}
