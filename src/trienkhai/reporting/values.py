"""Moved to ``reporting.cells``, the one home of the rules of a cell; these names stay
importable from here for code written before it."""

from trienkhai.reporting.cells import display, parse_value

__all__ = ["display", "parse_value"]
