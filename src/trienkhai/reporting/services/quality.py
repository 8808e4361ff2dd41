"""A manager's note on, and resolution of, one item of the data-quality page."""

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from trienkhai.accounts import policy
from trienkhai.common.errors import BadInput
from trienkhai.orgs.models import Unit
from trienkhai.reporting import structure
from trienkhai.reporting.models import CellMark, Form, QualityNote, ValidationRule
from trienkhai.reporting.outliers.stats import Method
from trienkhai.reporting.services.acting import _audited, _user

MAX_NOTE = 2000
Kind = QualityNote.Kind


@dataclass(frozen=True)
class ItemRef:
    """What identifies an item of the page: its kind, the report (form, unit, period),
    and within it the cell (``indicator`` code, ``option``) and ``method`` of an outlier,
    the cell of an empty compulsory cell, the ``rule`` id of a failed rule, or the
    ``mark`` id of a value for follow-up; a missing report needs nothing more."""

    kind: str
    form: Form
    unit: Unit
    period: str
    indicator: str = ""
    option: str = ""
    method: str = ""
    rule: int | None = None
    mark: int | None = None


def may_resolve(user, unit: Unit) -> bool:
    """Whether ``user`` may comment on and resolve the data-quality items of ``unit``:
    its approver, a manager (APPROVE) of its parent on the unit's reference day — the
    rule of the approval screen (``review.may_decide``) and of follow-up marks — or, for
    the top of the hierarchy, APPROVE on the unit itself."""
    version = unit.version_on(unit.reference_date())
    parent = version.parent if version is not None else None
    return policy.can(user, policy.Action.APPROVE, parent if parent is not None else unit)


def _subject(item: ItemRef) -> tuple[str, CellMark | None]:
    """The item's ``QualityNote.subject``, and its mark for a follow-up; BadInput when
    the item names something that is not of the report."""
    from trienkhai.reporting.quality import subject_of

    period = item.form.period(item.period)  # BadInput: another type, or not a period
    if item.kind not in Kind.values:
        raise BadInput(
            "invalid_kind",
            f"Loại mục không hợp lệ / invalid kind: {item.kind!r} ({', '.join(Kind.values)})",
        )
    if item.kind in (Kind.OUTLIER, Kind.EMPTY):
        shape = structure.of(item.form)
        indicators = {i.indicator.code: i.indicator for i in shape.items_during(period)}
        indicator = indicators.get(item.indicator)
        if indicator is None or not indicator.is_entered:
            raise BadInput(
                "invalid_indicator",
                f"Biểu không có chỉ tiêu / the form has no indicator {item.indicator!r}",
            )
        if item.option not in shape.option_codes(indicator):
            raise BadInput(
                "invalid_option", f"Lựa chọn không hợp lệ / invalid option: {item.option!r}"
            )
        if item.kind == Kind.EMPTY:
            return subject_of(item.kind, indicator.pk, item.option), None
        if item.method not in Method.__members__.values():
            raise BadInput(
                "invalid_method",
                f"Phương pháp không hợp lệ / invalid method: {item.method!r} "
                "(modified_z, z, minmax, siblings)",
            )
        return subject_of(item.kind, indicator.pk, item.option, item.method), None
    if item.kind == Kind.RULE:
        if not ValidationRule.objects.filter(pk=item.rule or 0, form=item.form).exists():
            raise BadInput(
                "invalid_rule", f"Biểu không có quy tắc / the form has no rule {item.rule!r}"
            )
        return subject_of(item.kind, extra=item.rule), None
    if item.kind == Kind.FOLLOW_UP:
        mark = (
            CellMark.objects.select_for_update()
            .filter(
                pk=item.mark or 0,
                kind=CellMark.Kind.FOLLOW_UP,
                submission__form=item.form,
                submission__unit=item.unit,
                submission__period=period.id,
            )
            .first()
        )
        if mark is None:
            raise BadInput(
                "invalid_mark",
                f"Không có giá trị cần theo dõi / no value for follow-up: {item.mark!r}",
            )
        return subject_of(item.kind, extra=mark.pk), mark
    return "", None


@transaction.atomic
def note_quality_item(
    *, acting_user, item: ItemRef, note: str | None = None, resolve: bool | None = None
) -> QualityNote:
    """Comment on one item of the data-quality page (``note``: replaces the last one;
    the history keeps every version), resolve it (``resolve=True``) or open it again
    (``False``); at least one of the two. A value for follow-up is resolved on its mark
    too (``CellMark.resolved``), so the review and the grid stop listing it.

    Who: the unit's approver (``may_resolve``: APPROVE on the unit's parent) — the same
    manager who approves its reports and marks its values; a reporter, a viewer or a
    manager elsewhere is refused (403). Bad input (an unknown kind, a cell, rule or mark
    not of the report, a note over 2,000 characters) → 400, nothing changes.
    """
    if acting_user is not None and not may_resolve(acting_user, item.unit):
        raise policy.PermissionDenied(
            "Chỉ quản lý đơn vị cấp trên được xử lý / only a manager above the unit may resolve"
        )
    if note is None and resolve is None:
        raise BadInput("nothing_to_do", "Chưa ghi chú hay xử lý gì / no note and no resolution")
    text = None if note is None else note.strip()
    if text is not None and len(text) > MAX_NOTE:
        raise BadInput(
            "note_too_long", f"Ghi chú quá dài (tối đa {MAX_NOTE} ký tự) / note too long"
        )
    subject, mark = _subject(item)
    period = item.form.period(item.period).id
    key = {"unit": item.unit, "form": item.form, "period": period, "kind": item.kind}
    found = QualityNote.objects.select_for_update().filter(**key, subject=subject).first()
    if found is None:
        found = QualityNote(**key, subject=subject, created_by=_user(acting_user))
    now = timezone.now()
    if text is not None:
        found.note = text
    if resolve is True and found.resolved is None:
        found.resolved, found.resolved_by = now, _user(acting_user)
    elif resolve is False:
        found.resolved, found.resolved_by = None, None
    found.modified, found.modified_by = now, _user(acting_user)
    _audited(found, acting_user).save()
    if mark is not None and resolve is not None:
        mark.resolved = found.resolved
        mark.modified = now
        _audited(mark, acting_user).save(update_fields=["resolved", "modified"])
    return found
