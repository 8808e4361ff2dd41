"""Reads that return the object or raise: 404 if unknown, 403 if the policy says no."""

from trienkhai.accounts import policy
from trienkhai.common import rows
from trienkhai.common.errors import BadInput, NotFound
from trienkhai.orgs import access as org_access
from trienkhai.orgs.models import Unit, UnitVersion
from trienkhai.reporting.models import Disaggregation, Form, Indicator, Submission


def get_form(user, code: str) -> Form:
    """A form, visible to whoever may view its owner or any unit that reports it."""
    found = rows.fetch(_form_sql(), [code])
    if not found:
        raise NotFound("biểu báo cáo / form", code)
    return _visible_form(user, found[0])


def forms_seen_by(user) -> list[tuple[Form, list[str]]]:
    """The forms whose owner or a unit named in their assignments ``user`` may view, by
    code, each with the codes of its named units that the user may view: a list never
    names a unit outside the user's reach."""
    policy.require(user, policy.Action.VIEW)
    visible = policy.visible_unit_ids(user)
    found = []
    for form in Form.objects.select_related("owner").prefetch_related("assignments__unit"):
        named = {a.unit.pk: a.unit.code for a in form.assignments.all() if a.unit}
        seen = sorted(code for pk, code in named.items() if visible is None or pk in visible)
        if visible is None or form.owner_id in visible or seen:
            found.append((form, seen))
    return sorted(found, key=lambda pair: pair[0].code)


def get_unit_to_enter(user, code: str) -> Unit:
    """The unit with stable ``code`` if ``user`` may enter its data (the answer of
    ``get_unit(user, code, ENTER_DATA)``), with its versions loaded but not their kinds
    and parents: what a save needs."""
    found = rows.fetch(_unit_sql(), [code])
    if not found:
        raise policy.unknown(user, "đơn vị / unit", code)
    return _unit_to_enter(user, found, 0)


def get_form_and_unit_to_enter(user, form_code: str, unit_code: str) -> tuple[Form, Unit]:
    """``get_form(user, form_code)`` then ``get_unit_to_enter(user, unit_code)``, the same
    answers and refusals in the same order, read with one statement (every save of a
    value asks them)."""
    found = rows.fetch(_form_and_unit_sql(), [form_code, unit_code])
    if not found:  # one of them is unknown: say which, as the two calls do
        return get_form(user, form_code), get_unit_to_enter(user, unit_code)
    form = _visible_form(user, found[0])
    return form, _unit_to_enter(user, found, _form_width())


# Every save of a value reads its form and unit: the statements are written by hand
# (common.rows) rather than compiled querysets, and read the form with its owner
# (select_related) and the unit with its versions (prefetch_related).


def _form_width() -> int:
    return rows.width(Form) + rows.width(Unit)


def _form_columns() -> str:
    return (
        f"{rows.columns(Form, 'f')}, {rows.columns(Unit, 'o')} FROM {rows.table(Form)} f"
        f" JOIN {rows.table(Unit)} o ON o.{rows.column(Unit, 'id')} = f.{rows.column(Form, 'owner')}"
    )


def _unit_columns() -> str:
    return (
        f"{rows.columns(Unit, 'u')}, {rows.columns(UnitVersion, 'v')} FROM {rows.table(Unit)} u"
        f" LEFT JOIN {rows.table(UnitVersion)} v"
        f" ON v.{rows.column(UnitVersion, 'unit')} = u.{rows.column(Unit, 'id')}"
    )


@rows.statement
def _form_sql() -> str:
    return f"SELECT {_form_columns()} WHERE f.{rows.column(Form, 'code')} = %s"


@rows.statement
def _unit_sql() -> str:
    return (
        f"SELECT {_unit_columns()} WHERE u.{rows.column(Unit, 'code')} = %s"
        f" ORDER BY v.{rows.column(UnitVersion, 'valid_from')}"
    )


@rows.statement
def _form_and_unit_sql() -> str:
    form, unit = _form_columns().split(" FROM ", 1), _unit_columns().split(" FROM ", 1)
    return (
        f"SELECT {form[0]}, {unit[0]} FROM {form[1]} CROSS JOIN {unit[1]}"
        f" WHERE f.{rows.column(Form, 'code')} = %s AND u.{rows.column(Unit, 'code')} = %s"
        f" ORDER BY v.{rows.column(UnitVersion, 'valid_from')}"
    )


def _visible_form(user, row) -> Form:
    form = rows.instance(Form, row)
    form.owner = rows.instance(Unit, row, rows.width(Form))
    if not policy.can(user, policy.Action.VIEW):
        raise policy.PermissionDenied
    return form


def _unit_to_enter(user, found: list[tuple], start: int) -> Unit:
    unit = rows.instance(Unit, found[0], start)
    start += rows.width(Unit)
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
