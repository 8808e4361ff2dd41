"""/api/v1/outliers: outliers of a unit's subtree, min-max bounds, explanations. Thin."""

import datetime as dt
from decimal import Decimal

from ninja import Field, Router, Schema, Status

from trienkhai.accounts import policy
from trienkhai.common.errors import BadInput
from trienkhai.reporting import access, outliers, services
from trienkhai.reporting.models import ValueBounds
from trienkhai.reporting.outliers.stats import Method

router = Router(tags=["outliers"])


class OutlierOut(Schema):
    unit: str
    indicator: str
    option: str
    period: str
    value: float
    low: float | None
    high: float | None
    method: str = Field(description="modified_z | z | minmax | siblings")
    score: float = Field(
        description="modified_z, z, siblings: the signed score (|M| > 3.5, |z| > 3); "
        "minmax: how far outside the range, in widths of it (negative: below)"
    )


def _method(text: str) -> Method:
    if text not in (Method.MODIFIED_Z, Method.Z):
        raise BadInput(
            "invalid_method", f"Phương pháp không hợp lệ / invalid method: {text!r} (modified_z, z)"
        )
    return Method(text)


@router.get("/outliers", response=list[OutlierOut])
def list_outliers(request, form: str, unit: str, period: str, method: str = "modified_z"):
    """Every outlier of ``form`` in ``period`` in the subtree of ``unit``: against each
    unit's own submitted and approved history (``method``: modified_z or z), its min-max
    bounds, and its siblings' submitted and approved values."""
    found = access.get_form(request.auth, form)
    root = access.get_unit(request.auth, unit)
    return outliers.judge_subtree(found, root, found.period(period), method=_method(method))


class GenerateIn(Schema):
    form: str
    unit: str
    period: str = Field(description="The last period of the history used.")
    method: str = "modified_z"
    periods: int = outliers.HISTORY_PERIODS
    replace_edited: bool = False


class GeneratedOut(Schema):
    units: int
    created: int
    updated: int
    kept: int


@router.post("/outliers/bounds/generate", response=GeneratedOut)
def generate_bounds(request, payload: GenerateIn):
    """A manager (re)generates the min-max bounds of a subtree from its history."""
    form = access.get_form(request.auth, payload.form)
    root = access.get_unit(request.auth, payload.unit, policy.Action.APPROVE)
    result = services.generate_bounds(
        acting_user=request.auth,
        form=form,
        root=root,
        period_id=payload.period,
        method=_method(payload.method),
        periods=payload.periods,
        replace_edited=payload.replace_edited,
    )
    return result.__dict__


class BoundsIn(Schema):
    unit: str
    indicator: str
    option: str = ""
    low: Decimal | str | None = None
    high: Decimal | str | None = None


class BoundsOut(Schema):
    unit: str
    indicator: str
    option: str
    low: float | None
    high: float | None
    is_generated: bool
    basis: str
    modified: dt.datetime
    modified_by: str | None


def bounds_out(bound: ValueBounds, unit_code: str, indicator_code: str) -> dict:
    return {
        "unit": unit_code,
        "indicator": indicator_code,
        "option": bound.option,
        "low": bound.low,
        "high": bound.high,
        "is_generated": bound.is_generated,
        "basis": bound.basis,
        "modified": bound.modified,
        "modified_by": bound.modified_by.username if bound.modified_by else None,
    }


@router.get("/outliers/bounds", response=list[BoundsOut])
def list_bounds(request, unit: str):
    """The min-max bounds of one unit."""
    target = access.get_unit(request.auth, unit)
    found = ValueBounds.objects.filter(unit=target).select_related("indicator", "modified_by")
    return [
        bounds_out(b, target.code, b.indicator.code)
        for b in found.order_by("indicator__code", "option")
    ]


@router.post("/outliers/bounds", response=BoundsOut)
def set_bounds(request, payload: BoundsIn):
    """A manager sets one cell's bounds by hand (both empty: removes them)."""
    target = access.get_unit(request.auth, payload.unit, policy.Action.APPROVE)
    indicator = access.get_indicators([payload.indicator])[0]
    bound = services.set_bounds(
        acting_user=request.auth,
        unit=target,
        indicator=indicator,
        option=payload.option,
        low=None if payload.low is None else str(payload.low),
        high=None if payload.high is None else str(payload.high),
    )
    return bounds_out(bound, target.code, indicator.code)


class ExplainIn(Schema):
    form: str
    unit: str
    period: str
    indicator: str
    option: str = ""
    value: str | float | int | None = Field(
        None, description="The value explained, as typed; default: the value stored."
    )
    comment: str


class ExplainOut(Schema):
    unit: str
    indicator: str
    option: str
    period: str
    value: float
    comment: str
    by: str | None
    at: dt.datetime


@router.post("/outliers/comments", response={201: ExplainOut})
def explain(request, payload: ExplainIn):
    """Keep an outlier, saying why: stored with the value explained, who and when."""
    form, unit = access.get_form_and_unit_to_enter(request.auth, payload.form, payload.unit)
    comment = services.explain_outlier(
        acting_user=request.auth,
        form=form,
        unit=unit,
        period_id=payload.period,
        indicator_code=payload.indicator,
        option=payload.option,
        value=payload.value,
        text=payload.comment,
    )
    return Status(201, explained_out(comment, unit.code, payload.indicator))


def explained_out(comment, unit_code: str, indicator_code: str) -> dict:
    return {
        "unit": unit_code,
        "indicator": indicator_code,
        "option": comment.option,
        "period": comment.period,
        "value": comment.value,
        "comment": comment.text,
        "by": comment.created_by.username if comment.created_by else None,
        "at": comment.created,
    }
