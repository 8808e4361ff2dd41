"""Reads that return the object or raise: 404 if unknown, 403 if the policy says no.

A nomination belongs to two units: its recipient's unit (the nominating side: VIEW to
read, CHANGE to nominate, resubmit and add files) and its giver (CHANGE to review and
award). A person's name is shown only to whoever may CHANGE their unit (decision 0040).
"""

from django.db.models import QuerySet

from trienkhai.accounts import policy
from trienkhai.commendations.models import Award, DossierFile, Individual, Kind, Nomination
from trienkhai.common.errors import BadInput
from trienkhai.orgs import access as org_access
from trienkhai.orgs.models import Unit


def get_kind(code: str) -> Kind:
    found = Kind.objects.filter(code=code).first()
    if found is None:
        raise BadInput(
            "invalid_kind",
            f"Không có hình thức khen thưởng {code!r} (xem /api/v1/commendations/kinds) / no "
            f"commendation kind {code!r} (see /api/v1/commendations/kinds)",
        )
    return found


def get_giver(code: str) -> Unit:
    """The unit that gives the commendation, by code: any unit (the nominating side
    rarely holds a role there); 400 if there is none."""
    found = Unit.objects.filter(code=code).first()
    if found is None:
        raise BadInput(
            "invalid_giver",
            f"Không có đơn vị khen thưởng {code!r} / no giving unit {code!r}",
        )
    return found


def get_nomination(user, pk: int) -> Nomination:
    """The nomination if ``user`` may VIEW its recipient's unit or CHANGE its giver."""
    found = (
        Nomination.objects.select_related("kind", "giver", "recipient_unit", "individual")
        .filter(pk=pk)
        .first()
    )
    if found is None:
        raise policy.unknown(user, "đề nghị khen thưởng / nomination", pk)
    if not (
        policy.can(user, policy.Action.VIEW, found.recipient_unit)
        or policy.can(user, policy.Action.CHANGE, found.giver)
    ):
        raise policy.PermissionDenied
    return found


def get_individual(user, pk: int) -> Individual:
    """The person if ``user`` may CHANGE their unit (decision 0040)."""
    found = Individual.objects.select_related("unit").filter(pk=pk).first()
    if found is None:
        raise policy.unknown(user, "cá nhân / individual", pk)
    policy.require(user, policy.Action.CHANGE, found.unit)
    return found


def may_see_name(user, nomination: Nomination) -> bool:
    """Whether ``user`` reads the individual's name: CHANGE on their unit (decision
    0040), or on the giver, whose review needs it (a board's managers review people of
    the committee it serves, outside their own subtree)."""
    return nomination.individual is not None and (
        policy.can(user, policy.Action.CHANGE, nomination.recipient_unit)
        or policy.can(user, policy.Action.CHANGE, nomination.giver)
    )


def named(user, nominations: list[Nomination]) -> set[int]:
    """The ids of the ``nominations`` of individuals whose names ``user`` reads (as
    ``may_see_name``), asked of the policy once for the whole list."""
    people = [n for n in nominations if n.individual is not None]
    if not people:
        return set()
    by_unit = policy.allowed(user, policy.Action.CHANGE, [n.recipient_unit for n in people])
    by_giver = policy.allowed(user, policy.Action.CHANGE, [n.giver for n in people])
    units = {u.pk for u in by_unit} | {u.pk for u in by_giver}
    return {n.pk for n in people if n.recipient_unit_id in units or n.giver_id in units}


def nominations_of(giver: Unit, status: str | None, year: int | None) -> QuerySet[Nomination]:
    """The nominations for ``giver``'s commendations; the caller has checked CHANGE."""
    found = Nomination.objects.select_related(
        "kind", "giver", "recipient_unit", "individual", "award"
    ).filter(giver=giver)
    if status is not None:
        found = found.filter(status=status)
    if year is not None:
        found = found.filter(year=year)
    return found.order_by("created", "id")


def awards_in(user, unit: Unit, year: int | None) -> QuerySet[Award]:
    """The awards to recipients in ``unit``'s subtree (on its reference day) that
    ``user`` may view (``subtree_ids``: not below a predecessor reached alone, decision
    0004), the nomination's year ``year`` if given; the caller has checked VIEW on
    ``unit``."""
    subtree = org_access.visible_subtree_ids(user, unit)
    found = Award.objects.select_related(
        "nomination__kind",
        "nomination__giver",
        "nomination__recipient_unit",
        "nomination__individual",
    ).filter(nomination__recipient_unit_id__among=subtree)
    if year is not None:
        found = found.filter(nomination__year=year)
    return found.order_by("nomination__year", "nomination__kind__code", "id")


LISTED = ("kind", "giver", "recipient_unit", "individual", "award")


def nominations_under(unit_ids: list[int], year: int | None) -> QuerySet[Nomination]:
    """The nominations of the collectives and people of ``unit_ids`` (the caller has
    checked VIEW), newest first, in ``year`` if given."""
    found = Nomination.objects.select_related(*LISTED).filter(recipient_unit_id__among=unit_ids)
    if year is not None:
        found = found.filter(year=year)
    return found.order_by("-modified", "-id")


def get_file(user, pk: int) -> DossierFile:
    """A dossier file, to whoever reads its nomination (``get_nomination``); of a
    person's nomination, only to whoever reads the person's name (``may_see_name``): a
    tờ trình or báo cáo thành tích is about them."""
    found = DossierFile.objects.filter(pk=pk).first()
    if found is None:
        raise policy.unknown(user, "tệp hồ sơ / dossier file", pk)
    nomination = get_nomination(user, found.nomination_id)
    if nomination.individual_id is not None and not may_see_name(user, nomination):
        raise policy.PermissionDenied
    return found


def files_shown(user, nomination: Nomination) -> list[DossierFile]:
    """The dossier files ``user`` may list: all of a collective's; of a person's, only
    to whoever reads the name."""
    if nomination.individual_id is not None and not may_see_name(user, nomination):
        return []
    return list(nomination.files.all())


def history_of_collective(unit: Unit) -> QuerySet[Nomination]:
    """Every nomination of ``unit`` as a collective, with its award; the caller has
    checked VIEW on ``unit``."""
    return (
        Nomination.objects.select_related(*LISTED)
        .filter(recipient_unit=unit, individual__isnull=True)
        .order_by("-year", "-id")
    )


def history_of_individual(individual: Individual) -> QuerySet[Nomination]:
    """Every nomination of a person, with its award; the caller has checked CHANGE on
    their unit (``get_individual``)."""
    return (
        Nomination.objects.select_related(*LISTED)
        .filter(individual=individual)
        .order_by("-year", "-id")
    )


DESK = 50
"""Nominations a desk lists of each kind (the newest; the review tab has them all)."""


def waiting_for(user) -> tuple[list[Nomination], list[Nomination]]:
    """For the desk (decision 0057): the nominations waiting for ``user``'s review
    (submitted or resubmitted, CHANGE on the giver) and those returned to ``user``'s
    units for correction (CHANGE on the recipient's unit), newest first. The policy is
    asked once per list, about the distinct units."""
    waiting = (Nomination.Status.SUBMITTED, Nomination.Status.RESUBMITTED)
    returned = (Nomination.Status.RETURNED,)
    # The distinct units first, the policy asked about them, then the newest of those
    # only: the newest of the whole country filtered afterwards missed some.
    givers = Unit.objects.filter(
        pk__in=Nomination.objects.filter(status__in=waiting).values("giver_id")
    )
    units = Unit.objects.filter(
        pk__in=Nomination.objects.filter(status__in=returned).values("recipient_unit_id")
    )
    reviewing = [u.pk for u in policy.allowed(user, policy.Action.CHANGE, givers)]
    fixing = [u.pk for u in policy.allowed(user, policy.Action.CHANGE, units)]
    listed = Nomination.objects.select_related("kind", "giver", "recipient_unit")
    listed = listed.prefetch_related("recipient_unit__versions").order_by("-modified", "-id")
    return (
        list(listed.filter(status__in=waiting, giver_id__in=reviewing)[:DESK]),
        list(listed.filter(status__in=returned, recipient_unit_id__in=fixing)[:DESK]),
    )
