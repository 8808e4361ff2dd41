"""Reads that return the object or raise: 404 if unknown, 403 if the policy says no."""

from trienkhai.accounts import policy
from trienkhai.common import rows
from trienkhai.common.errors import BadInput, NotFound
from trienkhai.orgs import access as org_access
from trienkhai.orgs.models import Unit, UnitVersion
from trienkhai.reporting.models import Disaggregation, Form, Indicator, Submission


def get_form(user, code: str) -> Form:
    """A form, visible to whoever may view its owner or any unit that reports it."""
    form = _form_with_owner(code)
    if form is None:
        raise NotFound("biểu báo cáo / form", code)
    if not policy.can(user, policy.Action.VIEW):
        raise policy.PermissionDenied
    return form


def _form_with_owner(code: str) -> Form | None:
    """``Form.objects.select_related("owner").filter(code=code).first()``, in one statement
    written by hand: every save of a value reads its form (common.rows)."""
    found = rows.fetch(_form_sql(), [code])
    if not found:
        return None
    form = rows.instance(Form, found[0])
    form.owner = rows.instance(Unit, found[0], rows.width(Form))
    return form


@rows.statement
def _form_sql() -> str:
    return (
        f"SELECT {rows.columns(Form, 'f')}, {rows.columns(Unit, 'o')}"
        f" FROM {rows.table(Form)} f JOIN {rows.table(Unit)} o"
        f" ON o.{rows.column(Unit, 'id')} = f.{rows.column(Form, 'owner')}"
        f" WHERE f.{rows.column(Form, 'code')} = %s"
    )


@rows.statement
def _unit_sql() -> str:
    return (
        f"SELECT {rows.columns(Unit, 'u')}, {rows.columns(UnitVersion, 'v')}"
        f" FROM {rows.table(Unit)} u LEFT JOIN {rows.table(UnitVersion)} v"
        f" ON v.{rows.column(UnitVersion, 'unit')} = u.{rows.column(Unit, 'id')}"
        f" WHERE u.{rows.column(Unit, 'code')} = %s"
        f" ORDER BY v.{rows.column(UnitVersion, 'valid_from')}"
    )


def get_unit_to_enter(user, code: str) -> Unit:
    """The unit with stable ``code`` if ``user`` may enter its data (the answer of
    ``get_unit(user, code, ENTER_DATA)``), with its versions loaded but not their kinds
    and parents: what a save needs, in one statement written by hand (common.rows)."""
    found = rows.fetch(_unit_sql(), [code])
    if not found:
        if not policy.can(user, policy.Action.VIEW):
            raise policy.PermissionDenied
        raise NotFound("đơn vị / unit", code)
    unit = rows.instance(Unit, found[0])
    start = rows.width(Unit)
    versions = [rows.instance(UnitVersion, row, start) for row in found if row[start] is not None]
    for version in versions:
        version.unit = unit
    # What prefetch_related("versions") leaves: unit.versions.all() answers from memory.
    loaded = unit.versions.all()
    loaded._result_cache, loaded._prefetch_done = versions, True
    unit._prefetched_objects_cache = {"versions": loaded}
    policy.require(user, policy.Action.ENTER_DATA, unit)
    return unit


def get_form_to_change(user, code: str) -> Form:
    """A form whose indicators and rules ``user`` may change: a manager of its owner."""
    form = Form.objects.select_related("owner").filter(code=code).first()
    if form is None:
        if not policy.can(user, policy.Action.CHANGE):
            raise policy.PermissionDenied
        raise NotFound("biểu báo cáo / form", code)
    policy.require(user, policy.Action.CHANGE, form.owner)
    return form


def get_indicators(codes: list[str]) -> list[Indicator]:
    found = {i.code: i for i in Indicator.objects.filter(code__in=codes)}
    unknown = [c for c in codes if c not in found]
    if unknown:
        raise BadInput(
            "unknown_indicator", f"Không có chỉ tiêu / unknown indicators: {', '.join(unknown)}"
        )
    return [found[c] for c in codes]


def get_disaggregation(code: str | None) -> Disaggregation | None:
    if not code:
        return None
    found = Disaggregation.objects.filter(code=code).first()
    if found is None:
        raise BadInput(
            "unknown_disaggregation", f"Không có cách phân tổ / unknown disaggregation: {code}"
        )
    return found


def get_submission(
    user, submission_id: int, action: policy.Action = policy.Action.VIEW
) -> Submission:
    submission = Submission.objects.select_related("form", "unit").filter(pk=submission_id).first()
    if submission is None:
        raise NotFound("báo cáo / submission", str(submission_id))
    policy.require(user, action, submission.unit)
    return submission


get_unit = org_access.get_unit
