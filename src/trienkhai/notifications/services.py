"""Every write of notifications: telling users of an event, reading, choosing.

``tell`` is called inside the transaction of the change it tells of (from a signal's
receiver) or of a reminder run: it writes the notifications, their outbox rows and the
bell's counts there, and sends nothing; e-mails leave after the commit
(``transaction.on_commit``) or in the next sweep (``outbox.flush``).
"""

import datetime as dt
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.core import signing
from django.db import transaction
from django.db.models import F
from django.utils import timezone, translation

from trienkhai.accounts.models import User
from trienkhai.common.actors import Actor, user_of
from trienkhai.common.errors import BadInput
from trienkhai.notifications.channels import CHANNELS
from trienkhai.notifications.models import Delivery, Kind, Notification, Preference

UNSUBSCRIBE_SALT = "trienkhai.notifications.unsubscribe"
ALL = "*"


@dataclass
class Event:
    """One event to tell ``user``; ``text`` gives (title, body) in the active language."""

    user: User
    kind: str
    key: str
    url: str
    text: Callable[[], tuple[str, str]]


def choices_by_user(user_ids: set[int]) -> dict[int, Preference]:
    """The saved choices of these users, by user id (few users save any: all of them
    when asked for many)."""
    found = Preference.objects.all()
    if len(user_ids) <= 500:
        found = found.filter(user_id__in=user_ids)
    return {p.user_id: p for p in found if p.user_id in user_ids}


def choices_of(user) -> Preference:
    """The user's choices (the defaults, unsaved, until they first save them)."""
    found = Preference.objects.filter(user=user).first()
    return found or Preference(user=user)


def tell(events: Iterable[Event], *, send: bool = True) -> list[Notification]:
    """Write the notifications of ``events`` not told before (the database refuses a
    second one of the same key to one user) and their outbox rows; with ``send``, the
    instant e-mails leave once the transaction commits. Returns the new notifications."""
    events = [e for e in events if e.user.is_active]
    if not events:
        return []
    user_ids = {e.user.pk for e in events}
    told = {
        (user_id, key)
        for chunk in _chunks({e.key for e in events})
        for user_id, key in Notification.objects.filter(key__in=chunk).values_list("user_id", "key")
    }
    choices = choices_by_user(user_ids)
    fresh: list[tuple[Event, Notification]] = []
    seen: set[tuple[int, str]] = set()
    for event in events:
        if (event.user.pk, event.key) in told | seen:
            continue
        seen.add((event.user.pk, event.key))
        chosen = choices.get(event.user.pk) or Preference(user=event.user)
        with translation.override(chosen.language):
            title, body = event.text()
        fresh.append(
            (
                event,
                Notification(
                    user=event.user,
                    kind=event.kind,
                    key=event.key[:200],
                    title=str(title)[:300],
                    body=str(body),
                    url=event.url[:500],
                ),
            )
        )
    made = _insert([n for _, n in fresh])
    now = timezone.now()
    deliveries = []
    for event, notification in fresh:
        if notification.pk is None:
            continue
        chosen = choices.get(event.user.pk) or Preference(user=event.user)
        for channel in CHANNELS.values():
            if chosen.wants_email(event.kind) and channel.address_of(event.user):
                deliveries.append(
                    Delivery(
                        notification=notification,
                        channel=channel.name,
                        is_digest=chosen.is_digest,
                        next_attempt=now,
                    )
                )
    Delivery.objects.bulk_create(deliveries, batch_size=500)
    _count_unread(Counter(n.user_id for n in made))
    instant = [d.pk for d in deliveries if not d.is_digest]
    if send and instant:
        from trienkhai.notifications import outbox

        transaction.on_commit(lambda: outbox.flush(ids=instant))
    return made


def _insert(notifications: list[Notification]) -> list[Notification]:
    """Insert those not told meanwhile by another transaction (the unique constraint
    decides, without a savepoint that would cost the caller's transaction two statements),
    and read back the rows this call made: their keys with this call's ``created``."""
    if not notifications:
        return []
    now = timezone.now()
    for notification in notifications:
        notification.created = now
    Notification.objects.bulk_create(notifications, batch_size=500, ignore_conflicts=True)
    made = {
        (user_id, key): pk
        for chunk in _chunks({n.key for n in notifications})
        for pk, user_id, key in Notification.objects.filter(created=now, key__in=chunk).values_list(
            "pk", "user_id", "key"
        )
    }
    for notification in notifications:
        notification.pk = made.get((notification.user_id, notification.key))
    return [n for n in notifications if n.pk is not None]


def _chunks(values: set[str], size: int = 500) -> list[list[str]]:
    """``values`` in lists short enough for one ``IN (...)`` (SQLite's variable limit;
    a reminder run tells tens of thousands of events at once)."""
    ordered = sorted(values)
    return [ordered[i : i + size] for i in range(0, len(ordered), size)]


def _count_unread(added: Counter) -> None:
    by_amount: dict[int, list[int]] = {}
    for user_id, n in added.items():
        by_amount.setdefault(n, []).append(user_id)
    for n, user_ids in by_amount.items():
        for start in range(0, len(user_ids), 500):
            User.objects.filter(pk__in=user_ids[start : start + 500]).update(
                unread_notifications=F("unread_notifications") + n
            )


def _recount(user) -> None:
    unread = Notification.objects.filter(user=user, read__isnull=True).count()
    User.objects.filter(pk=user.pk).update(unread_notifications=unread)
    user.unread_notifications = unread


@transaction.atomic
def mark_read(*, acting_user: Actor, notification: Notification) -> Notification:
    """The user's own notification (the caller found it with ``access``) is read."""
    if notification.read is None:
        notification.read = timezone.now()
        notification.save(update_fields=["read"])
        _recount(notification.user)
    return notification


@transaction.atomic
def mark_all_read(*, acting_user: Actor, kind: str | None = None) -> int:
    """The acting user's unread notifications (of ``kind`` only, if given) are read."""
    user = user_of(acting_user)
    if user is None:
        return 0
    unread = Notification.objects.filter(user=user, read__isnull=True)
    if kind is not None:
        unread = unread.filter(kind=kind)
    count = unread.update(read=timezone.now())
    _recount(user)
    return count


@transaction.atomic
def set_choices(
    *,
    acting_user: Actor,
    muted: list[str],
    is_digest: bool,
    quiet_from: dt.time | None,
    quiet_to: dt.time | None,
    language: str,
) -> Preference:
    """The acting user's own choices."""
    user = user_of(acting_user)
    if user is None:
        raise BadInput("person_required", "Cần đăng nhập / a person must be logged in")
    unknown = [k for k in muted if k != ALL and k not in Kind.values]
    if unknown:
        raise BadInput("invalid_kind", f"Loại thông báo không có / no such kind: {unknown}")
    if (quiet_from is None) != (quiet_to is None):
        raise BadInput(
            "invalid_quiet_hours",
            "Giờ yên lặng cần cả giờ bắt đầu và giờ kết thúc / quiet hours need both ends",
        )
    chosen = choices_of(user)
    chosen.muted = sorted(set(muted))
    chosen.is_digest = is_digest
    chosen.quiet_from, chosen.quiet_to = quiet_from, quiet_to
    chosen.language = "en" if language.startswith("en") else "vi"
    chosen.modified = timezone.now()
    chosen.save()
    return chosen


def unsubscribe_token(user, kind: str = ALL) -> str:
    return signing.dumps({"u": user.pk, "k": kind}, salt=UNSUBSCRIBE_SALT, compress=True)


def read_unsubscribe_token(token: str) -> tuple[User, str]:
    """(the user, the kind or "*") a link is for; BadInput if tampered with."""
    try:
        found = signing.loads(token, salt=UNSUBSCRIBE_SALT)
        user = User.objects.get(pk=int(found["u"]), is_active=True)
        kind = str(found["k"])
    except (signing.BadSignature, KeyError, TypeError, ValueError, User.DoesNotExist):
        raise BadInput(
            "invalid_link", "Liên kết hủy nhận không hợp lệ / invalid unsubscribe link"
        ) from None
    if kind != ALL and kind not in Kind.values:
        raise BadInput("invalid_link", "Liên kết hủy nhận không hợp lệ / invalid unsubscribe link")
    return user, kind


@transaction.atomic
def unsubscribe(*, token: str) -> tuple[User, str]:
    """No more e-mail of one kind (or of any) for the user the signed link names: it
    works without logging in, as e-mail law and habit expect. In-app stays."""
    user, kind = read_unsubscribe_token(token)
    chosen = choices_of(user)
    if kind not in chosen.muted:
        chosen.muted = sorted({*chosen.muted, kind})
        chosen.modified = timezone.now()
        chosen.save()
    return user, kind
