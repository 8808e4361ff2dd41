"""/api/v1/indicators, forms, datavalues, submissions, completeness. Thin: parse, access, service."""

import datetime as dt
from decimal import Decimal

from ninja import Field, Router, Schema, Status

from trienkhai.accounts import policy
from trienkhai.orgs.models import UnitKind
from trienkhai.reporting import access, services
from trienkhai.reporting.models import Form, Indicator, Submission
from trienkhai.reporting.review import may_decide
from trienkhai.reporting.review import review as review_of

router = Router(tags=["reporting"])


class IndicatorIn(Schema):
    code: str
    name: str
    value_type: str = "integer"
    aggregation: str = "sum"
    disaggregation: str | None = None
    formula: str = ""
    name_en: str = ""
    unit_of_measure: str = ""
    min_value: Decimal | None = None
    max_value: Decimal | None = None
    parent_figure: str = Field("add", description="add | replace: see Indicator.ParentFigure")
    allow_negative: bool = Field(
        False, description="integer and decimal values may be below zero (default: refused)"
    )


class IndicatorOut(Schema):
    code: str
    name: str
    name_en: str
    value_type: str
    aggregation: str
    disaggregation: str | None
    options: list[str]
    formula: str
    parent_figure: str
    allow_negative: bool
    source: str = Field("", description="the figure source that counts it live (decision 0039)")


def indicator_out(indicator: Indicator) -> dict:
    disaggregation = indicator.disaggregation
    return {
        "code": indicator.code,
        "name": indicator.name,
        "name_en": indicator.name_en,
        "value_type": indicator.value_type,
        "aggregation": indicator.aggregation,
        "disaggregation": disaggregation.code if disaggregation else None,
        "options": [o.code for o in disaggregation.options.all()] if disaggregation else [],
        "formula": indicator.formula,
        "parent_figure": indicator.parent_figure,
        "allow_negative": indicator.allow_negative,
        "source": indicator.source,
    }


@router.get("/indicators", response=list[IndicatorOut])
def list_indicators(request):
    policy.require(request.auth, policy.Action.VIEW)
    return [
        indicator_out(i)
        for i in Indicator.objects.select_related("disaggregation").prefetch_related(
            "disaggregation__options"
        )
    ]


@router.post("/indicators", response={201: IndicatorOut})
def create_indicator(request, payload: IndicatorIn):
    indicator = services.create_indicator(
        acting_user=request.auth,
        **payload.dict(exclude={"disaggregation"}),
        disaggregation=access.get_disaggregation(payload.disaggregation),
    )
    return Status(201, indicator_out(indicator))


class FormIn(Schema):
    code: str
    name: str
    period_type: str
    indicators: list[str]
    units: list[str] = []
    owner: str | None = Field(None, description="Default: the parent of the first unit.")
    kind: str | None = None
    level: int | None = None
    deadline_days: int = Field(10, ge=0, le=366)
    calendar: str = "gregorian"
    valid_from: dt.date = dt.date(2000, 1, 1)
    compulsory: list[str] = Field(
        [], description="Indicator codes whose every cell (every option) must be filled."
    )
    complete_only_if_valid: bool = Field(
        True,
        description="Failed validation rules refuse a submission; false: the submitter "
        "confirms them with a comment.",
    )


class FormOut(Schema):
    code: str
    name: str
    owner: str
    period_type: str
    calendar: str
    deadline_days: int
    indicators: list[str]
    units: list[str]
    compulsory: list[str]
    complete_only_if_valid: bool


def form_out(form: Form, units: list[str] | None = None) -> dict:
    """The form as the API shows it; ``units``: the named units to list (default all)."""
    items = services.current_items(form)
    return {
        "code": form.code,
        "name": form.name,
        "owner": form.owner.code,
        "period_type": form.period_type,
        "calendar": form.calendar,
        "deadline_days": form.deadline_days,
        "indicators": [item.indicator.code for item in items],
        "units": units
        if units is not None
        else sorted({a.unit.code for a in form.assignments.select_related("unit") if a.unit}),
        "compulsory": [item.indicator.code for item in items if item.is_compulsory],
        "complete_only_if_valid": form.complete_only_if_valid,
    }


class FormChangeIn(Schema):
    """Only what is sent changes."""

    name: str | None = None
    name_en: str | None = None
    period_type: str | None = Field(
        None, description="Only while nothing was entered for the form (else 409)."
    )
    calendar: str | None = Field(None, description="Only while nothing was entered (else 409).")
    deadline_days: int | None = Field(None, description="0 to 366; counts for every period.")


@router.patch("/forms/{code}", response=FormOut)
def change_form(request, code: str, payload: FormChangeIn):
    """Change a form's name, period type, calendar or deadline: a manager of its owner.
    The period type and calendar → 409 ``form_has_data`` once a value was entered."""
    form = access.get_form_to_change(request.auth, code)
    changed = services.change_form(
        acting_user=request.auth, form=form, **payload.dict(exclude_unset=True)
    )
    return form_out(changed)


@router.get("/forms", response=list[FormOut])
def list_forms(request):
    """The forms whose owner or named units the caller may view, and only those units."""
    return [form_out(form, units) for form, units in access.forms_seen_by(request.auth)]


@router.post("/forms", response={201: FormOut})
def create_form(request, payload: FormIn):
    from trienkhai.common.errors import BadInput
    from trienkhai.orgs.access import get_kind

    units = [access.get_unit(request.auth, code) for code in payload.units]
    if payload.owner:
        owner = access.get_unit(request.auth, payload.owner, policy.Action.CHANGE)
    elif units:
        version = units[0].version_on(units[0].reference_date())
        if version is None or version.parent is None:
            raise BadInput("owner_required", "Cần đơn vị ban hành biểu / give the form's owner")
        owner = version.parent
    else:
        raise BadInput(
            "owner_required",
            "Cần đơn vị ban hành biểu hoặc danh sách đơn vị / give an owner or units",
        )
    kind: UnitKind | None = get_kind(payload.kind) if payload.kind else None
    form = services.create_form(
        acting_user=request.auth,
        code=payload.code,
        name=payload.name,
        owner=owner,
        period_type=payload.period_type,
        indicators=access.get_indicators(payload.indicators),
        units=units,
        kind=kind,
        level=payload.level,
        deadline_days=payload.deadline_days,
        calendar=payload.calendar,
        valid_from=payload.valid_from,
        compulsory=access.get_indicators(payload.compulsory),
        complete_only_if_valid=payload.complete_only_if_valid,
    )
    return Status(201, form_out(form))


class CellIn(Schema):
    indicator: str
    option: str = ""
    value: str | float | int | bool | None = None
    comment: str | None = None
    version: int | None = None


class ValuesIn(Schema):
    form: str
    unit: str
    period: str
    values: list[CellIn]


class SavedOut(Schema):
    saved: int
    versions: list[dict]
    warnings: list[dict]


@router.post("/datavalues", response=SavedOut)
def save_values(request, payload: ValuesIn):
    """Save values of a form for a unit and period: all or none; a stale ``version`` is refused (409)."""
    form, unit = access.get_form_and_unit_to_enter(request.auth, payload.form, payload.unit)
    cells = [services.CellInput(**cell.model_dump()) for cell in payload.values]
    result = services.save_values(
        acting_user=request.auth, form=form, unit=unit, period_id=payload.period, cells=cells
    )
    return {
        "saved": result.saved,
        "versions": [
            {"indicator": i, "option": o, "version": v} for (i, o), v in result.versions.items()
        ],
        "warnings": result.warnings,
    }


@router.get("/datavalues")
def get_values(request, form: str, unit: str, period: str):
    """The values of a form for a unit and period, with the submission's status."""
    found = access.get_form(request.auth, form)
    target = access.get_unit(request.auth, unit)
    values = services.form_values(found, target, period)
    submission = Submission.objects.filter(form=found, unit=target, period=period).first()
    return {
        "status": submission.status if submission else Submission.Status.DRAFT,
        "values": [
            {
                "indicator": code,
                "option": option,
                "value": _plain(v),
                "comment": v.comment,
                "version": v.version,
            }
            for (code, option), v in sorted(values.items())
        ],
    }


def _plain(value) -> str | float | None:
    if value.value_number is not None:
        number = value.value_number
        return int(number) if number == number.to_integral_value() else float(number)
    return value.value_text or None


class SubmitIn(Schema):
    form: str
    unit: str
    period: str
    comment: str = Field(
        "",
        description="The submitter's explanation of failed validation rules (forms that "
        "are not complete_only_if_valid); the approver reads it.",
    )
    keep_marked: str = Field(
        "",
        description="Sending a returned report again with cells marked to fix neither "
        "changed nor annotated since the return: why they stay as they are (without it, "
        "400 marks_untouched); the approver reads it.",
    )


class SubmissionOut(Schema):
    id: int
    form: str
    unit: str
    period: str
    status: str
    first_submitted: dt.datetime | None
    comment: str
    submit_comment: str


def submission_out(submission: Submission) -> dict:
    return {
        "id": submission.pk,
        "form": submission.form.code,
        "unit": submission.unit.code,
        "period": submission.period,
        "status": submission.status,
        "first_submitted": submission.first_submitted,
        "comment": submission.comment,
        "submit_comment": submission.submit_comment,
    }


@router.post("/submissions", response=SubmissionOut)
def submit(request, payload: SubmitIn):
    form = access.get_form(request.auth, payload.form)
    unit = access.get_unit(request.auth, payload.unit, policy.Action.ENTER_DATA)
    return submission_out(
        services.submit(
            acting_user=request.auth,
            form=form,
            unit=unit,
            period_id=payload.period,
            comment=payload.comment,
            keep_marked=payload.keep_marked,
        )
    )


class CommentIn(Schema):
    comment: str = ""


class MarkIn(Schema):
    indicator: str
    option: str = ""
    note: str = Field("", max_length=2000)


class ReturnIn(CommentIn):
    cells: list[MarkIn] = Field([], description="Cells to fix, each with an optional note.")


class FollowUpIn(Schema):
    cells: list[MarkIn]


def _approver_submission(user, submission_id: int) -> Submission:
    """A submission whose review ``user`` may read: an approver above its unit."""
    submission = access.get_submission(user, submission_id)
    if not may_decide(user, submission.unit):
        raise policy.PermissionDenied(
            "Chỉ quản lý đơn vị cấp trên được xem xét / only a manager above the unit reviews"
        )
    return submission


@router.get("/submissions/{submission_id}/review")
def review(request, submission_id: int):
    """What the approver reads before deciding: changes since the last return (old → new,
    who, when), empty cells (compulsory flagged), invalid values, failed rules with the
    submitter's comment, the marked cells, and the outliers."""
    submission = _approver_submission(request.auth, submission_id)
    return {"submission": submission_out(submission), **review_of(submission).to_dict()}


@router.post("/submissions/{submission_id}/follow-up", response={201: list[dict]})
def follow_up(request, submission_id: int, payload: FollowUpIn):
    """Mark values of a submitted or approved report for follow-up, each with a note."""
    submission = access.get_submission(request.auth, submission_id)
    marks = services.mark_for_follow_up(
        acting_user=request.auth,
        submission=submission,
        cells=[services.MarkInput(**c.model_dump()) for c in payload.cells],
    )
    return Status(
        201,
        [
            {"id": m.pk, "indicator": m.indicator.code, "option": m.option, "note": m.note}
            for m in marks
        ],
    )


@router.post("/submissions/{submission_id}/approve", response=SubmissionOut)
def approve(request, submission_id: int):
    submission = access.get_submission(request.auth, submission_id)
    return submission_out(services.approve(acting_user=request.auth, submission=submission))


@router.post("/submissions/{submission_id}/return", response=SubmissionOut)
def return_submission(request, submission_id: int, payload: ReturnIn):
    submission = access.get_submission(request.auth, submission_id)
    return submission_out(
        services.return_submission(
            acting_user=request.auth,
            submission=submission,
            comment=payload.comment,
            cells=[services.MarkInput(**c.model_dump()) for c in payload.cells],
        )
    )


@router.post("/submissions/{submission_id}/unlock", response=SubmissionOut)
def unlock(request, submission_id: int, payload: CommentIn):
    submission = access.get_submission(request.auth, submission_id)
    return submission_out(
        services.unlock(acting_user=request.auth, submission=submission, comment=payload.comment)
    )


class CompletenessOut(Schema):
    form: str
    period: str
    unit: str
    deadline: dt.date
    expected: int
    submitted: int
    on_time: int
    late: int
    missing: list[str]
    returned: list[str]


@router.get("/completeness", response=CompletenessOut)
def completeness(request, form: str, period: str, unit: str):
    found = access.get_form(request.auth, form)
    parent = access.get_unit(request.auth, unit)
    return services.completeness(found, period, parent).__dict__
