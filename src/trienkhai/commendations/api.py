"""/api/v1/commendations: kinds, nominations with their dossier, their review, the
awards of a subtree and erasing a person (issue 17, decision 0054).

Thin: parse, access, service. Errors are bilingual ``{"error": {"code", "message"}}``.
"""

import datetime as dt

from ninja import Field, File, Form, Router, Schema, Status
from ninja.files import UploadedFile

from trienkhai.accounts import policy
from trienkhai.commendations import access, services
from trienkhai.commendations.models import Kind, Nomination
from trienkhai.common.errors import BadInput
from trienkhai.orgs import access as org_access
from trienkhai.orgs.access import read_upload

router = Router(tags=["commendations"])

YEAR = Field(ge=services.FIRST_YEAR, le=9999)


class KindOut(Schema):
    code: str
    name: str
    name_en: str
    level: str
    category: str = Field(description="form (hình thức khen thưởng) or title (danh hiệu)")
    recipients: str = Field(description="both, collective or individual")
    giver_profile: str = Field(
        description="who gives it: party (a Party body), state (a State one) or '' (either)"
    )


@router.get("/commendations/kinds", response=list[KindOut])
def list_kinds(request):
    """The kinds of commendation and the level that gives each."""
    org_access.require_some(request.auth, policy.Action.VIEW)
    return list(Kind.objects.all())


class NominationIn(Schema):
    kind: str = Field(max_length=50, description="a kind's code (GET /commendations/kinds)")
    giver: str = Field(max_length=50, description="the code of the unit that gives it")
    year: int = YEAR
    achievement: str = Field(max_length=services.MAX_ACHIEVEMENT)
    recipient_unit: str | None = Field(
        None, max_length=50, description="the collective, or the individual's unit"
    )
    recipient_name: str | None = Field(
        None, max_length=services.MAX_NAME, description="an individual; empty: the collective"
    )


class NominationCreatedOut(Schema):
    id: int
    status: str


@router.post("/commendations/nominations", response={201: NominationCreatedOut})
def nominate(request, payload: NominationIn):
    """Nominate a collective (``recipient_unit``) or an individual (``recipient_name`` of
    ``recipient_unit``); 409 if the same achievement of that year is already nominated
    for that recipient (decision 0054)."""
    if not payload.recipient_unit:
        raise BadInput(
            "invalid_recipient",
            "Cần đơn vị được đề nghị (recipient_unit) / recipient_unit is required",
        )
    recipient_unit = org_access.get_unit(request.auth, payload.recipient_unit, policy.Action.CHANGE)
    nomination = services.nominate(
        acting_user=request.auth,
        kind=access.get_kind(payload.kind),
        giver=access.get_giver(payload.giver),
        year=payload.year,
        achievement=payload.achievement,
        recipient_unit=recipient_unit,
        recipient_name=payload.recipient_name or "",
    )
    return Status(201, {"id": nomination.pk, "status": nomination.status})


class FileOut(Schema):
    id: int
    role: str
    name: str
    sha256: str


class AwardOut(Schema):
    decision_number: str
    decided_on: dt.date


class NominationOut(Schema):
    id: int
    kind: str
    kind_name: str
    giver: str
    year: int
    achievement: str
    recipient_unit: str
    individual: int | None = Field(
        None, description="the person's id, to whoever may see their name"
    )
    recipient_name: str | None = Field(
        None, description="an individual's name, to whoever may change their unit only"
    )
    is_individual: bool
    status: str
    reason: str
    files: list[FileOut] | None = None
    award: AwardOut | None = None


def _shown(user, nomination: Nomination, *, files: bool = False, named: bool | None = None) -> dict:
    shown = {
        "id": nomination.pk,
        "kind": nomination.kind.code,
        "kind_name": nomination.kind.name,
        "giver": nomination.giver.code,
        "year": nomination.year,
        "achievement": nomination.achievement,
        "recipient_unit": nomination.recipient_unit.code,
        "is_individual": nomination.is_individual,
        "status": nomination.status,
        "reason": nomination.reason,
    }
    if named is None:
        named = access.may_see_name(user, nomination)
    if named:
        assert nomination.individual is not None
        shown |= {
            "individual": nomination.individual.pk,
            "recipient_name": nomination.individual.name,
        }
    if files:
        shown["files"] = [
            {"id": f.pk, "role": f.role, "name": f.name, "sha256": f.sha256}
            for f in access.files_shown(user, nomination)
        ]
    award = getattr(nomination, "award", None) if nomination.status == "awarded" else None
    if award is not None:
        shown["award"] = {"decision_number": award.decision_number, "decided_on": award.decided_on}
    return shown


@router.get("/commendations", response=list[NominationOut], exclude_none=True)
def list_awards(request, unit: str, year: int | None = None):
    """What was awarded to the collectives and people of ``unit``'s subtree (VIEW on it),
    in ``year`` (the achievement's) if given. Names only to whoever may change the
    person's unit."""
    found = org_access.get_unit(request.auth, unit, policy.Action.VIEW)
    if year is not None and not services.FIRST_YEAR <= year <= 9999:
        raise BadInput(
            "invalid_year",
            f"Năm phải từ {services.FIRST_YEAR} / the year must be from {services.FIRST_YEAR}",
        )
    return _listed(
        request.auth, [a.nomination for a in access.awards_in(request.auth, found, year)]
    )


@router.get("/commendations/nominations", response=list[NominationOut], exclude_none=True)
def list_nominations(request, giver: str, status: str | None = None, year: int | None = None):
    """The giver's review queue: the nominations for its commendations (CHANGE on the
    giver), of a ``status`` and a ``year`` if given, oldest first."""
    unit = org_access.get_unit(request.auth, giver, policy.Action.CHANGE)
    if status is not None and status not in Nomination.Status.values:
        raise BadInput(
            "invalid_status",
            f"Trạng thái phải là một trong {', '.join(Nomination.Status.values)} / the "
            f"status must be one of {', '.join(Nomination.Status.values)}",
        )
    return _listed(request.auth, list(access.nominations_of(unit, status, year)))


def _listed(user, nominations: list[Nomination]) -> list[dict]:
    """Rows of a list: whose names the user reads is asked once for all of them."""
    named = access.named(user, nominations)
    return [_shown(user, n, named=n.pk in named) for n in nominations]


@router.get(
    "/commendations/nominations/{int:nomination_id}", response=NominationOut, exclude_none=True
)
def read_nomination(request, nomination_id: int):
    """A nomination with its dossier and status: to the recipient's unit (VIEW) and the
    giver's managers."""
    nomination = access.get_nomination(request.auth, nomination_id)
    return _shown(request.auth, nomination, files=True)


@router.post("/commendations/nominations/{int:nomination_id}/files", response={201: FileOut})
def add_file(request, nomination_id: int, file: File[UploadedFile], role: Form[str]):
    """Add a file to the dossier (``role``: to_trinh, bao_cao_thanh_tich,
    bien_ban_hoi_dong or khac): .docx, .pdf or a scan; 409 for the same file twice."""
    nomination = access.get_nomination(request.auth, nomination_id)
    policy.require(request.auth, policy.Action.CHANGE, nomination.recipient_unit)
    if "\x00" in role:  # multipart fields pass no body parser
        raise BadInput(
            "invalid_character",
            "Ký tự NUL (\\u0000) không hợp lệ / a NUL character (\\u0000) is not allowed",
        )
    added = services.add_file(
        acting_user=request.auth,
        nomination=nomination,
        role=role,
        file_name=file.name or "",
        data=read_upload(file),
    )
    return Status(
        201, {"id": added.pk, "role": added.role, "name": added.name, "sha256": added.sha256}
    )


class ReasonIn(Schema):
    reason: str = Field(max_length=services.MAX_ACHIEVEMENT)


class StatusOut(Schema):
    id: int
    status: str


def _status(nomination: Nomination) -> dict:
    return {"id": nomination.pk, "status": nomination.status}


@router.post("/commendations/nominations/{int:nomination_id}/return", response=StatusOut)
def return_nomination(request, nomination_id: int, payload: ReasonIn):
    """The giver's manager returns it for correction, saying why."""
    nomination = access.get_nomination(request.auth, nomination_id)
    return _status(
        services.return_for_correction(
            acting_user=request.auth, nomination=nomination, reason=payload.reason
        )
    )


class ResubmitIn(Schema):
    achievement: str | None = Field(None, max_length=services.MAX_ACHIEVEMENT)


@router.post("/commendations/nominations/{int:nomination_id}/resubmit", response=StatusOut)
def resubmit_nomination(request, nomination_id: int, payload: ResubmitIn):
    """The nominating side sends a returned nomination again, its achievement corrected."""
    nomination = access.get_nomination(request.auth, nomination_id)
    return _status(
        services.resubmit(
            acting_user=request.auth, nomination=nomination, achievement=payload.achievement
        )
    )


@router.post("/commendations/nominations/{int:nomination_id}/accept", response=StatusOut)
def accept_nomination(request, nomination_id: int):
    """The giver's manager accepts it."""
    nomination = access.get_nomination(request.auth, nomination_id)
    return _status(services.accept(acting_user=request.auth, nomination=nomination))


@router.post("/commendations/nominations/{int:nomination_id}/refuse", response=StatusOut)
def refuse_nomination(request, nomination_id: int, payload: ReasonIn):
    """The giver's manager refuses it, saying why; the achievement is free again."""
    nomination = access.get_nomination(request.auth, nomination_id)
    return _status(
        services.refuse(acting_user=request.auth, nomination=nomination, reason=payload.reason)
    )


class AwardIn(Schema):
    decided_on: dt.date
    decision_number: str = Field("", max_length=50, description="e.g. 123-QĐ/TU")


@router.post("/commendations/nominations/{int:nomination_id}/award", response=StatusOut)
def award_nomination(request, nomination_id: int, payload: AwardIn):
    """Record the commendation of an accepted nomination (the decision's number and day)."""
    nomination = access.get_nomination(request.auth, nomination_id)
    services.award(
        acting_user=request.auth,
        nomination=nomination,
        decided_on=payload.decided_on,
        decision_number=payload.decision_number,
    )
    nomination.refresh_from_db()
    return _status(nomination)


class DecisionIn(Schema):
    giver: str = Field(max_length=50)
    nominations: list[int] = Field(min_length=1, max_length=1000)
    date: dt.date
    signer: str = Field(max_length=200)
    signer_authority: str = Field(max_length=10, description="tm, kt, tl, th or q")
    recipients: str = Field(max_length=2000, description="Nơi nhận")
    summary: str = Field("", max_length=1000)
    signer_position: str = Field("", max_length=100, description="e.g. PHÓ BÍ THƯ")
    signer_on_behalf: str = Field(
        "", max_length=100, description="whom the authority signs for: BAN THƯỜNG VỤ"
    )


class DecisionOut(Schema):
    document: int
    symbol: str
    awards: int


@router.post("/commendations/decisions", response={201: DecisionOut})
def issue_decision(request, payload: DecisionIn):
    """Issue the giver's decision (QĐ) from its register and award the accepted
    nominations it names; 409 if one is not accepted, nothing issued. Its .docx,
    naming the collectives and individuals by kind, is attached to the register entry."""
    giver = org_access.get_unit(request.auth, payload.giver, policy.Action.CHANGE)
    found = {
        n.pk: n
        for n in Nomination.objects.filter(pk__in=[i for i in payload.nominations if i < 2**63])
    }
    missing = [i for i in payload.nominations if i not in found]
    if missing:
        raise BadInput(
            "invalid_nominations",
            f"Không có đề nghị số {missing[0]} / no nomination {missing[0]}",
        )
    document = services.issue_decision(
        acting_user=request.auth,
        giver=giver,
        nominations=[found[i] for i in payload.nominations],
        date=payload.date,
        signer=payload.signer,
        signer_authority=payload.signer_authority,
        recipients=payload.recipients,
        summary=payload.summary,
        signer_position=payload.signer_position,
        signer_on_behalf=payload.signer_on_behalf,
    )
    return Status(201, {"document": document.pk, "symbol": document.symbol, "awards": len(found)})


class ErasedOut(Schema):
    id: int
    erased: dt.datetime


@router.post("/commendations/people/{int:individual_id}/erase", response=ErasedOut)
def erase_individual(request, individual_id: int):
    """Erase a person's name (decision 0040): the awards and counts stay."""
    individual = access.get_individual(request.auth, individual_id)
    erased = services.erase_individual(acting_user=request.auth, individual=individual)
    assert erased.erased is not None
    return {"id": erased.pk, "erased": erased.erased}
