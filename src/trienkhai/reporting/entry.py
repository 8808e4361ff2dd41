"""The rules that must hold before values change, in one place for one save and for a
bulk import of many units.

For (form, period) and some units, in this order, the first that fails is the answer:
1. the acting user may enter data for the unit (accounts.policy, ENTER_DATA);
2. the unit reports the form for the period (assigned and alive on its last day);
3. the entry window of the form for the period is open;
4. the unit's report is not submitted or approved (those lock it).

One unit is asked about with a walk up from it (a few small queries); many units with
one subtree of the form's owner and one batch policy question. The reports found are
locked (SELECT … FOR UPDATE) until the caller's transaction ends, so that no approval
slips in between the check and the write.
"""

import datetime as dt
from collections.abc import Sequence

from django.db import IntegrityError, transaction
from django.utils import timezone

from trienkhai.accounts import policy
from trienkhai.common import rows
from trienkhai.common.errors import BadInput, Conflict
from trienkhai.orgs.models import Unit
from trienkhai.reporting.models import Form, Submission
from trienkhai.reporting.periods import Period
from trienkhai.vn import format_date

_CHUNK = 500  # within SQLite's limit on parameters

Refusal = BadInput | policy.PermissionDenied


def refusals(
    acting_user,
    form: Form,
    period: Period,
    units: Sequence[Unit],
    *,
    today: dt.date | None = None,
) -> tuple[dict[int, Refusal], dict[int, Submission]]:
    """({unit id: why it is refused}, {unit id: its existing report, locked for update}).

    Call inside a transaction: the reports stay locked until it ends. ``acting_user``
    None is the system (no policy question).
    """
    from trienkhai.reporting import services

    refused: dict[int, Refusal] = {}
    if acting_user is not None:
        if len(units) == 1:
            may = {u.pk for u in units if policy.can(acting_user, policy.Action.ENTER_DATA, u)}
        else:
            may = {u.pk for u in policy.allowed(acting_user, policy.Action.ENTER_DATA, units)}
        for unit in units:
            if unit.pk not in may:
                refused[unit.pk] = policy.PermissionDenied(
                    f"Bạn không được nhập số liệu cho {unit.code} / "
                    f"you may not enter data for {unit.code}"
                )
    rest = [u for u in units if u.pk not in refused]
    if len(rest) == 1:
        expected = {u.pk for u in rest if services.is_expected(form, u, period)}
    elif rest:
        expected = set(services.expected_codes(form, period))
    else:
        expected = set()
    for unit in rest:
        if unit.pk not in expected:
            refused[unit.pk] = BadInput(
                "not_assigned",
                f"{unit.code} không báo cáo biểu {form.code} kỳ {period.id} / "
                f"{unit.code} does not report {form.code} for {period.id}",
            )
    rest = [u for u in rest if u.pk not in refused]
    closed = window_closed(form, period, today or timezone.localdate())
    if closed is not None:
        for unit in rest:
            refused[unit.pk] = closed
        return refused, {}
    found: dict[int, Submission] = {}
    ids = [u.pk for u in rest]
    if len(ids) == 1:
        mine = _locked_submission(form, period, ids[0])
        if mine is not None:
            found[ids[0]] = mine
        ids = []
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start : start + _CHUNK]
        lookup = {"unit_id": chunk[0]} if len(chunk) == 1 else {"unit_id__in": chunk}
        for submission in Submission.objects.select_for_update().filter(
            form_id=form.pk, period=period.id, **lookup
        ):
            found[submission.unit_id] = submission
    codes = {u.pk: u.code for u in rest}
    for unit_id, submission in found.items():
        if submission.is_locked:
            status = Submission.Status(submission.status)
            refused[unit_id] = Conflict(
                "locked",
                f"Báo cáo của {codes[unit_id]} đã {status.label.split(' / ')[0].lower()}: "
                f"không sửa được / the report of {codes[unit_id]} is {status.value}: "
                "values are locked",
            )
    return refused, {k: v for k, v in found.items() if k not in refused}


@rows.statement
def _submission_sql() -> str:
    return (
        f"SELECT {rows.columns(Submission, 's')} FROM {rows.table(Submission)} s"
        f" WHERE s.{rows.column(Submission, 'form')} = %s"
        f" AND s.{rows.column(Submission, 'period')} = %s"
        f" AND s.{rows.column(Submission, 'unit')} = %s{rows.for_update()}"
    )


def _locked_submission(form: Form, period: Period, unit_id: int) -> Submission | None:
    """The unit's report, locked for update: what the loop of ``refusals`` asks for one
    unit, in a statement written by hand (common.rows) — every save of a value asks it."""
    found = rows.fetch(_submission_sql(), [form.pk, period.id, unit_id])
    return rows.instance(Submission, found[0]) if found else None


def window_closed(form: Form, period: Period, today: dt.date) -> BadInput | None:
    """Why entry is closed on ``today``, or None if it is open."""
    opens, closes = form.entry_window(period)
    if today < opens or (closes is not None and today > closes):
        until = f" – {format_date(closes)}" if closes else ""
        return BadInput(
            "entry_closed",
            f"Ngoài thời gian nhập liệu ({format_date(opens)}{until}) / outside the entry window",
        )
    return None


def open_submission(form: Form, unit: Unit, period: Period) -> Submission:
    """The unit's report of the period, created as a draft on the first value, locked."""
    try:
        with transaction.atomic():
            submission = Submission(form=form, unit=unit, period=period.id)
            submission.save(force_insert=True)
            return submission
    except IntegrityError:
        # Created meanwhile by a concurrent first save: take that one.
        return Submission.objects.select_for_update().get(
            form_id=form.pk, unit_id=unit.pk, period=period.id
        )
