"""/api/v1/contests: contests, judges, entries and judge assignment (issue 17).

Thin: parse, access, service. An entry comes as multipart (``file``, ``title``,
``author_name``, ``unit``); the file is read, inspected and hashed before the service's
transaction starts.
"""

import datetime as dt
from decimal import Decimal

from ninja import Field, File, Form, Router, Schema, Status
from ninja.files import UploadedFile

from trienkhai.accounts import policy
from trienkhai.common.errors import BadInput
from trienkhai.contests import access, services
from trienkhai.orgs import access as org_access
from trienkhai.orgs.access import read_upload

router = Router(tags=["contests"])


class RoundIn(Schema):
    name: str = Field(max_length=200)
    judges_per_entry: int = Field(ge=1, le=50)


class CriterionIn(Schema):
    name: str = Field(max_length=200)
    weight: Decimal = Field(gt=0, max_digits=6, decimal_places=2)
    max: Decimal = Field(gt=0, max_digits=6, decimal_places=2)


class ContestIn(Schema):
    unit: str
    title: str = Field(max_length=300)
    opens: dt.date
    closes: dt.date
    rounds: list[RoundIn] = Field(min_length=1, max_length=10)
    criteria: list[CriterionIn] = Field([], max_length=50)


class IdOut(Schema):
    id: int


@router.post("/contests", response={201: IdOut})
def create_contest(request, payload: ContestIn):
    """A contest with its rounds (numbered 1, 2, … in order) and its rubric."""
    unit = org_access.get_unit(request.auth, payload.unit, policy.Action.CHANGE)
    contest = services.create_contest(
        acting_user=request.auth,
        unit=unit,
        title=payload.title,
        opens=payload.opens,
        closes=payload.closes,
        rounds=[services.RoundInput(r.name, r.judges_per_entry) for r in payload.rounds],
        criteria=[services.CriterionInput(c.name, c.weight, c.max) for c in payload.criteria],
    )
    return Status(201, {"id": contest.pk})


class JudgeIn(Schema):
    user: str = Field(description="the judge's username", max_length=150)
    round: int = Field(description="the round's number", ge=1, le=32767)
    cap: int | None = Field(None, ge=1, le=1_000_000)


@router.post("/contests/{int:contest_id}/judges", response={201: IdOut})
def add_judge(request, contest_id: int, payload: JudgeIn):
    """Name a judge of a round; 409 if they already are one."""
    contest = access.get_contest(request.auth, contest_id, policy.Action.CHANGE)
    judge = services.add_judge(
        acting_user=request.auth,
        contest=contest,
        round=access.get_round(contest, payload.round),
        user=access.get_user(payload.user),
        cap=payload.cap,
    )
    return Status(201, {"id": judge.pk})


class EntryOut(Schema):
    id: int
    receipt: str = Field(description="number/year, e.g. 001/2022")
    sha256: str


@router.post("/contests/{int:contest_id}/entries", response={201: EntryOut})
def receive_entry(
    request,
    contest_id: int,
    file: File[UploadedFile],
    title: Form[str],
    author_name: Form[str],
    unit: Form[str],
):
    """Receive an entry (.docx, .pdf or a scan); 409 naming the first receipt when the
    same file was entered already; 400 with the reason for a refused file."""
    contest = access.get_contest(request.auth, contest_id, policy.Action.CHANGE)
    if "\x00" in unit + title + author_name:  # multipart fields pass no body parser
        raise BadInput(
            "invalid_character",
            "Ký tự NUL (\\u0000) không hợp lệ / a NUL character (\\u0000) is not allowed",
        )
    data = read_upload(file)
    from_unit = org_access.get_unit(request.auth, unit, policy.Action.VIEW)
    entry = services.receive_entry(
        acting_user=request.auth,
        contest=contest,
        title=title,
        author_name=author_name,
        unit=from_unit,
        file_name=file.name or "",
        data=data,
    )
    return Status(201, {"id": entry.pk, "receipt": entry.receipt, "sha256": entry.sha256})


class AssignmentOut(Schema):
    entry: int
    judge: int


class AssignOut(Schema):
    assignments: list[AssignmentOut]
    unassigned: list[int] = Field(description="entries that could not get k judges")


@router.post("/contests/{int:contest_id}/rounds/{int:number}/assign", response=AssignOut)
def assign_round(request, contest_id: int, number: int):
    """Assign k judges per entry (min-cost flow, decision 0052), replacing the round's
    earlier assignments."""
    contest = access.get_contest(request.auth, contest_id, policy.Action.CHANGE)
    result = services.assign_round(
        acting_user=request.auth, contest=contest, round=access.get_round(contest, number)
    )
    return {
        "assignments": [{"entry": e, "judge": j} for e, j in result.pairs],
        "unassigned": result.unassigned,
    }
