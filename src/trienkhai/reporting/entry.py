"""Moved to ``reporting.cells``, the one home of the rules of a cell; these names stay
importable from here for code written before it."""

from trienkhai.reporting.cells import Refusal, open_submission, refusals, window_closed

__all__ = ["Refusal", "open_submission", "refusals", "window_closed"]
