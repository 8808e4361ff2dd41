"""What other apps may listen to: the numbers of stored values changed, or their rule.

``values_changed`` is sent inside the transaction that wrote the values, once per save
(a cell, a form, a whole bulk import), with ``changes``: a list of ``ValueChange``. A
receiver that raises rolls the save back, so a receiver that keeps derived data (the
analytics rollups) is never out of step with the values.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.dispatch import Signal


@dataclass(frozen=True, slots=True)
class ValueChange:
    indicator_id: int
    option: str
    unit_id: int
    period: str
    old: Decimal | None  # the stored number before, None if there was none
    new: Decimal | None  # the stored number after, None if removed or text
    # The value's review level before and after (DataValue.Review): a save keeps drafts
    # drafts (0 → 0); a report's status change moves its values (reporting.statuses).
    old_status: int = 0
    new_status: int = 0


values_changed = Signal()  # sender: the module that wrote; changes: list[ValueChange]

rule_changed = Signal()
"""Sent inside the transaction of an indicator's edit when how its values add up changed
(aggregation or parent figure); ``indicator``: the saved Indicator. Totals kept by its
old rule are recomputed by the receiver (analytics)."""

report_submitted = Signal()
"""Sent inside the transaction of ``submissions.submit`` once a report is submitted;
``submission``: the saved Submission, ``acting_user``: who submitted. Listeners above
reporting (notifications) write their rows in the same transaction and send nothing
before it commits."""

report_returned = Signal()
"""Sent inside the transaction of ``submissions.return_submission``; ``submission`` (its
``comment`` says why), ``acting_user``: the approver."""

report_approved = Signal()
"""Sent inside the transaction of ``submissions.approve``; ``submission``, ``acting_user``."""
