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


NAMES = {"so_dang_vien": "Số đảng viên", "ban_dang_ky_tu_duong": "Số bản đăng ký tu dưỡng"}


def name_of(code, option):
    name = NAMES.get(code, code.upper())
    return f"{name} – {option}" if option else name


@pytest.mark.parametrize(
    ("formula", "shown"),
    [
        (
            "ban_dang_ky_tu_duong * 100 / so_dang_vien",
            "Số bản đăng ký tu dưỡng × 100 / Số đảng viên",
        ),
        # "dang_vien" inside "so_dang_vien" is another code: never replaced in part.
        ("so_dang_vien - dang_vien", "Số đảng viên − DANG_VIEN"),
        ("(a + b) * 100 / c", "(A + B) × 100 / C"),
        ("a - (b - c)", "A − (B − C)"),
        ("a / (b * c)", "A / (B × C)"),
        ("a + b * c", "A + B × C"),
        ("-(a + b)", "−(A + B)"),
        ('option(nhom, "dang_vien") / 0.5', "NHOM – dang_vien / 0,5"),
        ("1000 * a", "1.000 × A"),
        ("max(a, 20)", "lớn nhất(A; 20)"),
        ("a +", "a +"),  # not a formula: as written
    ],
)
def test_it_speaks_a_formula_with_the_names_of_its_codes(formula, shown):
    """GIVEN a formula over codes WHEN it is shown to a reader THEN each code is its
    indicator's name, numbers are written the Vietnamese way, and the parentheses that
    change the result stay."""
    assert formulas.spoken(formula, name_of) == shown
