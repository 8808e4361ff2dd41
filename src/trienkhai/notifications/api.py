"""``GET /api/v1/me/notifications`` and ``POST /api/v1/me/notifications/{id}/read``."""

import datetime as dt

from ninja import Field, Query, Router, Schema

from trienkhai.notifications import access, services

router = Router(tags=["notifications"])


class NotificationOut(Schema):
    id: int
    kind: str
    title: str
    body: str
    url: str
    created: dt.datetime
    read: dt.datetime | None


class PageOut(Schema):
    count: int
    """How many match (all pages)."""
    unread: int
    results: list[NotificationOut]


class PageIn(Schema):
    unread: bool = False
    limit: int = Field(50, ge=1, le=200)
    offset: int = Field(0, ge=0, le=2**31 - 1)


@router.get("/me/notifications", response=PageOut)
def my_notifications(request, page: Query[PageIn]):
    """The caller's notifications, newest first, one page (``unread=true``: unread only)."""
    found = access.mine(request.auth)
    if page.unread:
        found = found.filter(read__isnull=True)
    return {
        "count": found.count(),
        "unread": access.mine(request.auth).filter(read__isnull=True).count(),
        "results": [n.to_dict() for n in found[page.offset : page.offset + page.limit]],
    }


@router.post("/me/notifications/{notification_id}/read", response=NotificationOut)
def read_notification(request, notification_id: int):
    """Mark one of the caller's notifications read (another user's: 404)."""
    found = access.get_mine(request.auth, notification_id)
    return services.mark_read(acting_user=request.auth, notification=found).to_dict()
