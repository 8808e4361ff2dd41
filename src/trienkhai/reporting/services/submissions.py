"""Submission and approval: draft → submitted → approved or returned, unlocking."""

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.utils import timezone
from django.utils.translation import gettext, ngettext

from trienkhai.accounts import policy
from trienkhai.common.actors import Actor
from trienkhai.common.errors import BadInput, Conflict, one_language
from trienkhai.orgs.models import Unit
from trienkhai.reporting import review, signals, statuses, structure
from trienkhai.reporting.models import (
    CellMark,
    Form,
    Submission,
)
from trienkhai.reporting.services.acting import _audited, _user
from trienkhai.reporting.services.values import (
    check_can_enter,
    form_values,
)

MAX_MARKS = 2000
"""Cells marked in one call: more than any form has."""
MAX_KEEP_REASON = 2000
"""Characters of the reason to send a report again with marked cells as they were."""


@dataclass
class MarkInput:
    """A cell an approver marks: to fix (with a return) or for follow-up."""

    indicator: str
    option: str = ""
    note: str = ""


def _names(cells: list[review.Cell]) -> tuple[str, str]:
    shown = cells[:10]
    more = len(cells) - len(shown)
    vi = "; ".join(c.names[0] for c in shown) + (f"; và {more} ô nữa" if more else "")
    en = "; ".join(c.names[1] for c in shown) + (f"; and {more} more" if more else "")
    return vi, en


def _blocking_shown(empty: list[review.Cell], invalid: list[review.Cell]) -> str:
    """Why a submission is refused, in the reader's language, the cells by name."""
    parts = []
    if empty:
        parts.append(
            ngettext("%(n)s ô bắt buộc chưa nhập", "%(n)s ô bắt buộc chưa nhập", len(empty))
            % {"n": len(empty)}
        )
    if invalid:
        parts.append(
            ngettext("%(n)s ô không hợp lệ", "%(n)s ô không hợp lệ", len(invalid))
            % {"n": len(invalid)}
        )
    cells = empty + invalid
    names = "; ".join(c.name for c in cells[:10])
    if len(cells) > 10:
        more = len(cells) - 10
        names += "; " + ngettext("và %(n)s ô nữa", "và %(n)s ô nữa", more) % {"n": more}
    return f"{', '.join(parts)}: {names}"


def _wrong_status(submission: Submission) -> str:
    label = one_language(str(Submission.Status(submission.status).label))
    return gettext("Báo cáo đang ở trạng thái “%(status)s”") % {"status": label}


def _hold_unit(unit: Unit) -> None:
    """Hold ``unit``'s row ``FOR SHARE`` until the transaction ends, before a submit reads
    its figures. A source that deletes a fact (``activities.locks``) holds the rows of
    the fact's unit and the units above it ``FOR UPDATE``: the submit waits for it and
    reads what is left, or the deletion sees a submit at work. Submits do not wait for
    each other. SQLite holds the whole database for the transaction (IMMEDIATE)."""
    db = connections[DEFAULT_DB_ALIAS]
    if not db.features.has_select_for_update:
        return
    quote = db.ops.quote_name
    with db.cursor() as cursor:
        cursor.execute(
            f"SELECT 1 FROM {quote(Unit._meta.db_table)} WHERE id = %s FOR SHARE",
            [unit.pk],
        )


def _submission_for_update(submission: Submission) -> Submission:
    return (
        Submission.objects.select_for_update().select_related("form", "unit").get(pk=submission.pk)
    )


@transaction.atomic
def submit(
    *,
    acting_user: Actor,
    form: Form,
    unit: Unit,
    period_id: str,
    comment: str = "",
    keep_marked: str = "",
    today: dt.date | None = None,
) -> Submission:
    """Draft or returned → submitted.

    Refused (400, nothing changes) while a compulsory cell is empty or a stored value
    no longer passes the rules of its cell (``compulsory_empty`` / ``invalid_values``,
    each cell named in the details), and while validation rules fail: always if the
    form is ``complete_only_if_valid`` (``validation_failed``), otherwise until the
    submitter confirms them with ``comment`` (``confirmation_required``), which the
    approver reads. The marks to fix of the last return are answered by this: a
    marked cell nobody touched since (value and note as they were: ``review.UNTOUCHED``)
    refuses it (``marks_untouched``, each cell named) unless ``keep_marked`` says why
    it stays as it is; the approver reads that reason too.
    """
    period = form.period(period_id)
    submission = check_can_enter(acting_user, form, unit, period, today=today)
    submission = _submission_for_update(submission)
    _hold_unit(unit)
    found = review.readiness(form, period, form_values(form, unit, period.id))
    if found.blocking:
        empty, invalid = found.empty_compulsory, [c for c, _ in found.invalid]
        vi, en = _names(empty + invalid)
        raise BadInput(
            "compulsory_empty" if empty else "invalid_values",
            f"{len(empty)} ô bắt buộc chưa nhập, {len(invalid)} ô không hợp lệ: {vi} / "
            f"{len(empty)} compulsory {'cell is' if len(empty) == 1 else 'cells are'} empty, "
            f"{len(invalid)} invalid: {en}",
            details=found.blocking,
            shown=_blocking_shown(empty, invalid),
        )
    keep_marked = keep_marked.strip()[:MAX_KEEP_REASON]
    untouched = _untouched_marks(submission)
    if untouched and not keep_marked:
        marked = _marked_cells(form, period, untouched)
        vi, en = _names(marked)
        raise BadInput(
            "marks_untouched",
            f"{len(marked)} ô được đánh dấu cần sửa chưa sửa, chưa ghi chú: {vi} / "
            f"{len(marked)} marked {'cell was' if len(marked) == 1 else 'cells were'} "
            f"neither changed nor annotated: {en}; fix or annotate them, or say why they "
            "stay as they are (keep_marked; keepMarked in a DHIS2 registration)",
            details=[
                {
                    **c.to_dict(),
                    "kind": "untouched_mark",
                    "problem": "Cần sửa: chưa sửa, chưa ghi chú / to fix: unchanged, no note",
                }
                for c in marked
            ],
            shown=ngettext(
                "%(n)s ô được đánh dấu cần sửa chưa sửa: hãy sửa, ghi chú cho ô, "
                "hoặc ghi lý do giữ nguyên",
                "%(n)s ô được đánh dấu cần sửa chưa sửa: hãy sửa, ghi chú cho ô, "
                "hoặc ghi lý do giữ nguyên",
                len(marked),
            )
            % {"n": len(marked)}
            + ": "
            + "; ".join(c.name for c in marked[:10]),
        )
    failed = found.failed_rules
    count = len(failed)
    if failed and (form.complete_only_if_valid or not comment.strip()):
        code, vi, en = (
            ("validation_failed", "", "")
            if form.complete_only_if_valid
            else (
                "confirmation_required",
                ": cần ghi giải trình để gửi",
                ": explain them in a comment to submit",
            )
        )
        raise BadInput(
            code,
            f"{count} quy tắc kiểm tra chưa đạt{vi} / "
            f"{count} validation {'rule fails' if count == 1 else 'rules fail'}{en}",
            details=failed,
            shown=ngettext(
                "%(n)s quy tắc kiểm tra chưa đạt", "%(n)s quy tắc kiểm tra chưa đạt", count
            )
            % {"n": count}
            + ("" if code == "validation_failed" else ": " + gettext("cần ghi giải trình để gửi")),
        )
    now = timezone.now()
    submission.status = Submission.Status.SUBMITTED
    submission.submitted, submission.submitted_by = now, _user(acting_user)
    submission.first_submitted = submission.first_submitted or now
    # The reason for a return is answered by resubmitting; it stays in the history.
    submission.comment = ""
    kept = (
        gettext("Giữ nguyên các ô được đánh dấu cần sửa: %(why)s") % {"why": keep_marked}
        if untouched
        else ""
    )
    submission.submit_comment = "\n".join(p for p in (comment.strip() if failed else "", kept) if p)
    submission.modified = now
    _audited(submission, acting_user).save()
    CellMark.objects.filter(
        submission=submission, kind=CellMark.Kind.FIX, resolved__isnull=True
    ).update(resolved=now, modified=now)
    statuses.follow(submission)  # its values count as submitted (totals per status)
    signals.report_submitted.send(__name__, submission=submission, acting_user=acting_user)
    return submission


def _untouched_marks(submission: Submission) -> list[CellMark]:
    """The open marks to fix of a returned report that nobody touched since the return."""
    if submission.status != Submission.Status.RETURNED:
        return []
    marks = review.open_marks(submission)
    states = review.fix_states(submission, marks)
    return [m for m in marks if states.get(m.pk) == review.UNTOUCHED]


def _marked_cells(form: Form, period, marks: list[CellMark]) -> list[review.Cell]:
    """The cells of ``marks``, named as the form names them."""
    by_key = {(c.indicator.code, c.option): c for c in review.cells(form, period)}
    return [
        by_key.get((m.indicator.code, m.option))
        or review.Cell(m.indicator, m.option, None, is_compulsory=False)
        for m in marks
    ]


def _require_approver(acting_user: Actor, submission: Submission) -> None:
    """Approval belongs to a manager of an ancestor of the reporting unit, not of the unit itself."""
    day = submission.unit.reference_date()
    parent = submission.unit.version_on(day)
    parent_unit = parent.parent if parent is not None else None
    if parent_unit is None or not policy.can(acting_user, policy.Action.APPROVE, parent_unit):
        raise policy.PermissionDenied(
            "Chỉ quản lý đơn vị cấp trên được duyệt / only a manager above the unit may approve"
        )


def _decide(
    acting_user: Actor,
    submission: Submission,
    *,
    expect: set[str],
    status: str,
    comment: str = "",
) -> Submission:
    submission = _submission_for_update(submission)
    _require_approver(acting_user, submission)
    if submission.status not in expect:
        raise Conflict(
            "wrong_status",
            f"Báo cáo đang ở trạng thái {submission.status} / the report is {submission.status}",
            shown=_wrong_status(submission),
        )
    submission.status = status
    submission.decided, submission.decided_by = timezone.now(), _user(acting_user)
    submission.comment = comment
    submission.modified = timezone.now()
    _audited(submission, acting_user).save()
    statuses.follow(submission)  # its values count as approved, or drafts again
    return submission


@transaction.atomic
def approve(*, acting_user: Actor, submission: Submission) -> Submission:
    decided = _decide(
        acting_user,
        submission,
        expect={Submission.Status.SUBMITTED},
        status=Submission.Status.APPROVED,
    )
    signals.report_approved.send(__name__, submission=decided, acting_user=acting_user)
    return decided


def _marks(
    acting_user: Actor, submission: Submission, cells: Sequence[MarkInput], kind: str
) -> list[CellMark]:
    """The marks for ``cells`` (unsaved), or BadInput naming each cell that is not one of
    the form's cells for the period."""
    if len(cells) > MAX_MARKS:
        raise BadInput("invalid_cells", "Quá nhiều ô / too many cells")
    form = submission.form
    period = form.period(submission.period)
    shape = structure.of(form)
    items = {i.indicator.code: i.indicator for i in shape.items_during(period)}
    problems, made, seen = [], [], set()
    for cell in cells:
        indicator = items.get(cell.indicator)
        option = cell.option or ""
        where = {"indicator": cell.indicator, "option": option}
        if indicator is None or not indicator.is_entered:
            problems.append({**where, "problem": "Không phải ô của biểu / not a cell of the form"})
        elif option not in shape.option_codes(indicator):
            problems.append({**where, "problem": "Lựa chọn không hợp lệ / invalid option"})
        elif (indicator.code, option) not in seen:
            seen.add((indicator.code, option))
            made.append(
                CellMark(
                    submission=submission,
                    indicator=indicator,
                    option=option,
                    kind=kind,
                    note=(cell.note or "").strip()[:2000],
                    created_by=_user(acting_user),
                )
            )
    if problems:
        raise BadInput(
            "invalid_cells",
            f"{len(problems)} ô đánh dấu không hợp lệ; chưa làm gì / "
            f"{len(problems)} marked {'cell is' if len(problems) == 1 else 'cells are'} invalid; "
            "nothing changed",
            details=problems,
            shown=ngettext(
                "%(n)s ô đánh dấu không hợp lệ; chưa làm gì",
                "%(n)s ô đánh dấu không hợp lệ; chưa làm gì",
                len(problems),
            )
            % {"n": len(problems)},
        )
    return made


def _save_marks(acting_user: Actor, marks: list[CellMark]) -> None:
    for mark in marks:  # one by one: each writes its history row (who marked it)
        _audited(mark, acting_user).save()


@transaction.atomic
def return_submission(
    *, acting_user: Actor, submission: Submission, comment: str, cells: Sequence[MarkInput] = ()
) -> Submission:
    """Submitted → returned, with the reason; ``cells`` are marked to fix (with an
    optional note each) and shown on the reporter's grid until it is submitted again."""
    if not comment.strip():
        raise BadInput("comment_required", "Cần ghi lý do trả lại / say why it is returned")
    decided = _decide(
        acting_user,
        submission,
        expect={Submission.Status.SUBMITTED},
        status=Submission.Status.RETURNED,
        comment=comment,
    )
    _save_marks(acting_user, _marks(acting_user, decided, cells, CellMark.Kind.FIX))
    signals.report_returned.send(__name__, submission=decided, acting_user=acting_user)
    return decided


@transaction.atomic
def mark_for_follow_up(
    *, acting_user: Actor, submission: Submission, cells: Sequence[MarkInput]
) -> list[CellMark]:
    """Flag values of a submitted or approved report for follow-up, each with a note:
    kept and listed on the review (and by data-quality pages) until resolved."""
    submission = _submission_for_update(submission)
    _require_approver(acting_user, submission)
    if submission.status not in {Submission.Status.SUBMITTED, Submission.Status.APPROVED}:
        raise Conflict(
            "wrong_status",
            f"Báo cáo đang ở trạng thái {submission.status} / the report is {submission.status}",
            shown=_wrong_status(submission),
        )
    if not cells:
        raise BadInput("invalid_cells", "Chưa chọn ô nào / no cell chosen")
    marks = _marks(acting_user, submission, cells, CellMark.Kind.FOLLOW_UP)
    _save_marks(acting_user, marks)
    return marks


@transaction.atomic
def unlock(*, acting_user: Actor, submission: Submission, comment: str) -> Submission:
    """Approved → returned, so that values can be corrected: a manager's audited act."""
    if not comment.strip():
        raise BadInput("comment_required", "Cần ghi lý do mở khóa / say why it is unlocked")
    return _decide(
        acting_user,
        submission,
        expect={Submission.Status.APPROVED},
        status=Submission.Status.RETURNED,
        comment=comment,
    )
