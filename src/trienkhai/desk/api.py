"""``GET /api/v1/me/desk``: the desk as JSON (issue 15's contract)."""

from typing import Any

from django.utils import timezone
from ninja import Router

from trienkhai.desk import context
from trienkhai.desk.work import desk_of

router = Router(tags=["desk"])


@router.get("/me/desk", response=dict[str, Any])
def my_desk(request):
    """The caller's reports to enter, approvals waiting, directive tasks and documents,
    each with its link, due date and state; for managers and viewers, the latest due
    period of each form under their units; and the caller's role units that have ended,
    with the units that carry them."""
    found = desk_of(request.auth, timezone.localdate())
    context.remember(request.auth, found.total)
    return {
        "reports_to_enter": [i.to_dict() for i in found.reports_to_enter],
        "approvals": [i.to_dict() for i in found.approvals],
        "tasks": [i.to_dict() for i in found.tasks],
        "documents": [i.to_dict() for i in found.documents],
        "commendations": [i.to_dict() for i in found.commendations],
        "judging": [i.to_dict() for i in found.judging],
        "subtree": [vars(p) for p in found.subtree],
        "counts": found.counts,
        "carried": [
            {
                "unit": c.unit,
                "unit_name": c.unit_name,
                "last_day": c.last_day,
                "successors": [{"name": name, "url": url} for name, url in c.successors],
            }
            for c in found.carried
        ],
    }
