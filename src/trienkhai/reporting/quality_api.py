"""/api/v1/quality: the data-quality page as JSON, and a manager's note on an item. Thin."""

import datetime as dt

from ninja import Field, Query, Router, Schema

from trienkhai.reporting import access, quality, services

router = Router(tags=["quality"])


class ItemOut(Schema):
    kind: str = Field(description="outlier | rule | follow_up | missing | empty")
    unit: str
    unit_name: str
    period: str
    period_label: str
    subject: str = Field(description="What identifies the item within the report")
    indicator: str
    option: str
    name: str = Field(description="The cell's name in the reader's language")
    value: float | None
    low: float | None
    high: float | None
    method: str = Field(description="outliers: modified_z | z | minmax | siblings")
    method_label: str
    score: float | None
    explanation: str = Field(description="outliers: the reporter's explanation, if any")
    explained_by: str
    rule: int | None = Field(description="rule: the validation rule's id")
    rule_text: str
    shown_value: str
    mark: int | None = Field(description="follow_up: the mark's id")
    mark_note: str
    marked_by: str
    marked_at: dt.datetime | None
    state: str = Field(description="gaps: missing | draft | returned (a report), empty (a cell)")
    state_label: str
    deadline: dt.date | None
    note: str
    noted_by: str
    noted_at: dt.datetime | None
    resolved: dt.datetime | None
    resolved_by: str


class Counts(Schema):
    outliers: int
    rules: int
    follow_ups: int
    gaps: int


class QualityOut(Schema):
    form: str
    unit: str
    from_: str = Field(alias="from")
    to: str
    method: str
    state: str
    counts: Counts
    too_little_history: int = Field(
        description="Values of the span the history method could not judge: fewer than 3 "
        "of the 6 periods before them submitted or approved (min-max and siblings still "
        "judge them)."
    )
    outliers: list[ItemOut]
    rules: list[ItemOut]
    follow_ups: list[ItemOut]
    gaps: list[ItemOut]


class QualityQuery(Schema):
    unit: str
    form: str
    from_: str = Field(alias="from", description="The first period, of the form's type")
    to: str = Field(description="The last period (at most about five years after the first)")
    method: str = Field("modified_z", description="History judged by modified_z or z")
    state: str = Field("open", description="open | resolved | all")


@router.get("/quality", response=QualityOut, by_alias=True)
def get_quality(request, params: Query[QualityQuery]):
    """What needs a manager's eye in the subtree of ``unit`` for ``form`` from ``from`` to
    ``to``: outliers by each method (with the reporter's explanation), failed validation
    rules of the reports submitted or approved, values marked for follow-up, and gaps
    (reports past their deadline not submitted; empty compulsory cells of submitted
    ones), each with the manager's note and whether it is resolved. Whoever may view the
    unit may read it."""
    form = access.get_form(request.auth, params.form)
    root = access.get_unit(request.auth, params.unit)
    periods = quality.span_of(form, params.from_, params.to)
    return quality.quality(
        form,
        root,
        periods,
        method=params.method,  # type: ignore[arg-type]
        state=params.state,
    ).to_dict()


class NoteIn(Schema):
    form: str
    unit: str
    period: str
    kind: str = Field(description="outlier | rule | follow_up | missing | empty")
    indicator: str = Field("", description="outlier, empty, follow_up: the indicator's code")
    option: str = ""
    method: str = Field("", description="outlier: modified_z | z | minmax | siblings")
    rule: int | None = Field(None, description="rule: the validation rule's id")
    mark: int | None = Field(None, description="follow_up: the mark's id")
    note: str | None = Field(None, description="Replaces the item's note; history keeps all")
    resolve: bool | None = Field(None, description="true: resolve; false: open again")


class NoteOut(Schema):
    form: str
    unit: str
    period: str
    kind: str
    subject: str
    note: str
    resolved: dt.datetime | None
    resolved_by: str | None
    modified: dt.datetime
    modified_by: str | None


@router.post("/quality/notes", response=NoteOut)
def note_item(request, payload: NoteIn):
    """Comment on one item and/or resolve it (or open it again): the unit's approver
    only (a manager of its parent, who approves its reports); others get 403."""
    form = access.get_form(request.auth, payload.form)
    unit = access.get_unit(request.auth, payload.unit)
    found = services.note_quality_item(
        acting_user=request.auth,
        item=services.ItemRef(
            kind=payload.kind,
            form=form,
            unit=unit,
            period=payload.period,
            indicator=payload.indicator,
            option=payload.option,
            method=payload.method,
            rule=payload.rule,
            mark=payload.mark,
        ),
        note=payload.note,
        resolve=payload.resolve,
    )
    return {
        "form": form.code,
        "unit": unit.code,
        "period": found.period,
        "kind": found.kind,
        "subject": found.subject,
        "note": found.note,
        "resolved": found.resolved,
        "resolved_by": found.resolved_by.username if found.resolved_by else None,
        "modified": found.modified,
        "modified_by": found.modified_by.username if found.modified_by else None,
    }
