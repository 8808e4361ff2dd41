"""Every write of periodic reporting, and the reads it needs: one function per change.

A package by subject (indicators, forms, values, submissions, completeness); callers
use ``from trienkhai.reporting import services`` and ``services.save_values(...)``.

Rules enforced here, for the API, the web pages and the Excel uploads alike:
- a value goes to a unit that is expected to report the form for the period, inside
  the acting user's scope (enter_data), within the entry window, while the unit's
  submission is not submitted or approved (those lock it);
- an edit carries the version it was made on; a stale version is refused (409), so two
  people editing one cell never silently overwrite each other;
- all values of one call are saved or none; every change is kept (who, when, old → new).
"""

from trienkhai.reporting.models import Indicator  # callers reached it through services
from trienkhai.reporting.services.acting import _audited, _user
from trienkhai.reporting.services.completeness import (
    Completeness,
    completeness,
)
from trienkhai.reporting.services.forms import (
    add_indicator_to_form,
    add_rule,
    assign,
    change_form,
    check_rule,
    create_form,
    current_items,
    current_layout,
    expected_codes,
    expected_under,
    expected_units,
    form_items,
    is_expected,
    remove_indicator_from_form,
    set_submission_rules,
    short_code,
)
from trienkhai.reporting.services.indicators import (
    check_formula,
    check_indicator_fields,
    check_option_codes,
    create_disaggregation,
    create_indicator,
)
from trienkhai.reporting.services.outliers import (
    Generated,
    explain_outlier,
    generate_bounds,
    set_bounds,
)
from trienkhai.reporting.services.quality import ItemRef, may_resolve, note_quality_item
from trienkhai.reporting.services.submissions import (
    MarkInput,
    approve,
    mark_for_follow_up,
    return_submission,
    submit,
    unlock,
)
from trienkhai.reporting.services.values import (
    CellInput,
    SaveResult,
    check_can_enter,
    failed_rules,
    form_values,
    lookup_from,
    rules_failing,
    save_values,
)

__all__ = [
    "CellInput",
    "Completeness",
    "Generated",
    "Indicator",
    "ItemRef",
    "MarkInput",
    "SaveResult",
    "_audited",
    "_user",
    "add_indicator_to_form",
    "add_rule",
    "approve",
    "assign",
    "change_form",
    "check_can_enter",
    "check_formula",
    "check_indicator_fields",
    "check_option_codes",
    "check_rule",
    "completeness",
    "create_disaggregation",
    "create_form",
    "create_indicator",
    "current_items",
    "current_layout",
    "expected_codes",
    "expected_under",
    "expected_units",
    "explain_outlier",
    "failed_rules",
    "form_items",
    "form_values",
    "generate_bounds",
    "is_expected",
    "lookup_from",
    "mark_for_follow_up",
    "may_resolve",
    "note_quality_item",
    "remove_indicator_from_form",
    "return_submission",
    "rules_failing",
    "save_values",
    "set_bounds",
    "set_submission_rules",
    "short_code",
    "submit",
    "unlock",
]
