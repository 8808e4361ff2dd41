"""The one formula engine: derived indicators and validation rules.

A formula is arithmetic over indicator codes: ``participants / classes``,
``(a + b) * 100 / c``. A name stands for the indicator's total (the sum of its options
when it is disaggregated); ``option(code, "dang_vien")`` for one option. Numbers,
``+ - * /``, parentheses and ``min``/``max`` of several terms are allowed, nothing else:
the text is parsed with ``ast`` and every node is checked, so a formula cannot run code.

A missing value makes the result missing (None), and so does a division by zero.
"""

import ast
import functools
from collections.abc import Callable
from decimal import Decimal, DivisionByZero, InvalidOperation

from django.utils.translation import gettext

from trienkhai.common.errors import BadInput
from trienkhai.vn import format_number

Lookup = Callable[[str, str | None], Decimal | None]
"""(indicator code, option code or None for the total) → value or None."""

_BINARY = {ast.Add, ast.Sub, ast.Mult, ast.Div}
_FUNCTIONS = {"min", "max", "option"}


def _bad(formula: str, why: str) -> BadInput:
    return BadInput(
        "invalid_formula",
        f"Công thức không hợp lệ / invalid formula {formula!r}: {why}",
        shown=gettext(
            "Không hiểu “%(formula)s”: hãy viết tên một chỉ tiêu của biểu, hoặc một công "
            "thức bằng mã chỉ tiêu (ví dụ: lop_da_mo + lop_ke_hoach)."
        )
        % {"formula": formula.strip()},
    )


def parse(formula: str) -> ast.Expression:
    """Parse and check ``formula``; BadInput naming the problem if it is not allowed."""
    try:
        tree = ast.parse(formula.strip(), mode="eval")
    except SyntaxError as exc:
        raise _bad(formula, f"cú pháp / syntax ({exc.msg})") from None
    for node in ast.walk(tree):
        if isinstance(node, (ast.Expression, ast.Load, ast.Name, ast.operator, ast.unaryop)):
            if isinstance(node, ast.operator) and type(node) not in _BINARY:
                raise _bad(
                    formula,
                    f"phép toán không được dùng / operator not allowed: {type(node).__name__}",
                )
            continue
        if isinstance(node, ast.BinOp | ast.UnaryOp):
            if isinstance(node, ast.UnaryOp) and not isinstance(node.op, ast.USub | ast.UAdd):
                raise _bad(formula, "phép toán không được dùng / operator not allowed")
            continue
        if isinstance(node, ast.Constant) and (
            (isinstance(node.value, int | float) and not isinstance(node.value, bool))
            or isinstance(node.value, str)
        ):
            continue
        if isinstance(node, ast.Call):
            if (
                not isinstance(node.func, ast.Name)
                or node.func.id not in _FUNCTIONS
                or node.keywords
            ):
                raise _bad(formula, "chỉ dùng được min, max, option / only min, max, option")
            if node.func.id == "option" and not (
                len(node.args) == 2
                and isinstance(node.args[0], ast.Name)
                and isinstance(node.args[1], ast.Constant)
                and isinstance(node.args[1].value, str)
            ):
                raise _bad(formula, 'option(chỉ_tiêu, "mã_lựa_chọn") / option(indicator, "option")')
            continue
        raise _bad(formula, f"thành phần không được dùng / not allowed: {type(node).__name__}")
    return tree


def names(formula: str) -> set[str]:
    """The indicator codes a formula reads."""
    return {
        node.id
        for node in ast.walk(parse(formula))
        if isinstance(node, ast.Name) and node.id not in _FUNCTIONS
    }


@functools.lru_cache(maxsize=1024)
def _parsed(formula: str) -> ast.Expression:
    """``parse``, remembered: a rule is evaluated once per report, and the data-quality
    page checks a province's reports (the tree is only read, never changed)."""
    return parse(formula)


def evaluate(formula: str | ast.Expression, lookup: Lookup) -> Decimal | None:
    """The value of ``formula`` with indicator values from ``lookup``."""
    tree = _parsed(formula) if isinstance(formula, str) else formula
    try:
        return _eval(tree.body, lookup)
    except (DivisionByZero, InvalidOperation, ZeroDivisionError):
        return None


def _eval(node: ast.AST, lookup: Lookup) -> Decimal | None:
    if isinstance(node, ast.Constant):
        return Decimal(str(node.value))
    if isinstance(node, ast.Name):
        return lookup(node.id, None)
    if isinstance(node, ast.UnaryOp):
        value = _eval(node.operand, lookup)
        return None if value is None else (-value if isinstance(node.op, ast.USub) else value)
    if isinstance(node, ast.BinOp):
        left, right = _eval(node.left, lookup), _eval(node.right, lookup)
        if left is None or right is None:
            return None
        if isinstance(node.op, ast.Add):
            return left + right
        if isinstance(node.op, ast.Sub):
            return left - right
        if isinstance(node.op, ast.Mult):
            return left * right
        if right == 0:
            return None
        return left / right
    if isinstance(node, ast.Call):
        assert isinstance(node.func, ast.Name)
        if node.func.id == "option":
            code = node.args[0]
            option = node.args[1]
            assert isinstance(code, ast.Name) and isinstance(option, ast.Constant)
            return lookup(code.id, str(option.value))
        values = [_eval(arg, lookup) for arg in node.args]
        if not values or any(v is None for v in values):
            return None
        return (min if node.func.id == "min" else max)(values)  # type: ignore[type-var]
    raise AssertionError(f"unchecked node {node!r}")


Namer = Callable[[str, str | None], str]
"""(indicator code, option code or None for the total) → the name a reader knows it by."""

_SIGNS = {ast.Add: "+", ast.Sub: "−", ast.Mult: "×", ast.Div: "/"}
_RANK = {ast.Add: 1, ast.Sub: 1, ast.Mult: 2, ast.Div: 2}


def spoken(formula: str, name_of: Namer) -> str:
    """``formula`` for a reader: every indicator code replaced by ``name_of(code, option)``
    ("ban_dang_ky_tu_duong * 100 / so_dang_vien" → "Số bản đăng ký tu dưỡng × 100 / Số
    đảng viên"), numbers as written in Vietnamese (20.673; 0,5). The text is rebuilt from
    the parsed tree, so a code inside another ("dang_vien" in "so_dang_vien") is never
    touched and the parentheses that matter are kept. A formula that does not parse is
    given back as written."""
    try:
        tree = _parsed(formula)
    except BadInput:
        return formula
    return _spoken(tree.body, name_of)


def _spoken(node: ast.AST, name_of: Namer) -> str:
    if isinstance(node, ast.Constant):
        if isinstance(node.value, str):
            return node.value
        number = Decimal(str(node.value)).normalize()
        decimals = max(0, -int(number.as_tuple().exponent))
        return format_number(number, decimals)
    if isinstance(node, ast.Name):
        return name_of(node.id, None)
    if isinstance(node, ast.UnaryOp):
        sign = "−" if isinstance(node.op, ast.USub) else "+"
        inner = _spoken(node.operand, name_of)
        return f"{sign}({inner})" if isinstance(node.operand, ast.BinOp) else f"{sign}{inner}"
    if isinstance(node, ast.BinOp):
        rank = _RANK[type(node.op)]
        left, right = _spoken(node.left, name_of), _spoken(node.right, name_of)
        if isinstance(node.left, ast.BinOp) and _RANK[type(node.left.op)] < rank:
            left = f"({left})"
        # a − (b + c), a / (b × c): the right side keeps its parentheses at an equal rank
        # too, where the order changes the result.
        if isinstance(node.right, ast.BinOp) and (
            _RANK[type(node.right.op)] < rank
            or (_RANK[type(node.right.op)] == rank and isinstance(node.op, ast.Sub | ast.Div))
        ):
            right = f"({right})"
        return f"{left} {_SIGNS[type(node.op)]} {right}"
    if isinstance(node, ast.Call):
        assert isinstance(node.func, ast.Name)
        if node.func.id == "option":
            code, option = node.args
            assert isinstance(code, ast.Name) and isinstance(option, ast.Constant)
            return name_of(code.id, str(option.value))
        terms = "; ".join(_spoken(arg, name_of) for arg in node.args)
        word = gettext("nhỏ nhất") if node.func.id == "min" else gettext("lớn nhất")
        return f"{word}({terms})"
    raise AssertionError(f"unchecked node {node!r}")
