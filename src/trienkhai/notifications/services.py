"""Every write of notifications: telling users of an event, reading, choosing.

``tell`` is called inside the transaction of the change it tells of (from a signal's
receiver) or of a reminder run: it writes the notifications, their outbox rows and the
bell's counts there, and sends nothing; e-mails leave after the commit
(``transaction.on_commit``) or in the next sweep (``outbox.flush``).
"""

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core import signing
from django.db import connection, transaction
from django.db.models import Count, F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone, translation

from trienkhai.accounts.models import User
from trienkhai.common import bulk_insert
from trienkhai.common.actors import Actor, user_of
from trienkhai.common.errors import BadInput
from trienkhai.notifications import texts
from trienkhai.notifications.channels import CHANNELS
from trienkhai.notifications.models import Delivery, Kind, Notification, Preference

UNSUBSCRIBE_SALT = "trienkhai.notifications.unsubscribe"
ALL = "*"


@dataclass
class Event:
    """One event to tell ``user``: ``params`` are what the words of its ``kind`` are made
    of (``texts``), said in each reader's language when shown."""

    user: User
    kind: str
    key: str
    url: str
    params: dict[str, Any]


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


MANY = 200
"""From this many notifications at once (a reminder run), rows are written with
``common.bulk_insert`` (COPY, executemany) rather than model objects: 80,000 of them
took the ORM tens of seconds. Fewer (one event) go through ``bulk_create``, which skips
a row another transaction wrote meanwhile."""


def tell(events: Iterable[Event], *, send: bool = True) -> list[Notification]:
    """Write the notifications of ``events`` not told before (the database refuses a
    second one of the same key to one user) and their outbox rows; with ``send``, the
    instant e-mails leave once the transaction commits. Returns the new notifications."""
    made = _tell(events, send=send)
    return list(Notification.objects.filter(pk__in=made).order_by("pk")) if made else []


def tell_many(events: Iterable[Event], *, send: bool = True) -> int:
    """``tell`` for a reminder run: how many notifications it wrote."""
    return len(_tell(events, send=send))


def _tell(events: Iterable[Event], *, send: bool) -> list[int]:
    events = [e for e in events if e.user.is_active]
    if not events:
        return []
    user_ids = {e.user.pk for e in events}
    told = {
        (user_id, key)
        for chunk in _chunks({e.key[:200] for e in events})
        for user_id, key in Notification.objects.filter(key__in=chunk).values_list("user_id", "key")
    }
    choices = choices_by_user(user_ids)
    default = Preference()
    by_language: dict[str, list[Event]] = {}
    seen: set[tuple[int, str]] = set()
    for event in events:
        pair = (event.user.pk, event.key[:200])
        if pair in told or pair in seen:
            continue
        seen.add(pair)
        language = choices.get(event.user.pk, default).language
        by_language.setdefault(language, []).append(event)
    now = timezone.now()
    rows: list[tuple] = []
    fresh: list[Event] = []
    # Title and body: the words as first told, in the language of the user's e-mails (a
    # row keeps them; pages and e-mails say it again from ``params`` in their language).
    for language, group in by_language.items():
        with translation.override(language):  # once per language, not per event
            for event in group:
                title, body = texts.render(event.kind, event.params)
                key, url = event.key[:200], event.url[:500]
                rows.append(
                    (event.user.pk, event.kind, key, event.params, title[:300], body, url, now)
                )
                fresh.append(event)
    ids = _insert(rows, now)
    deliveries: list[tuple] = []
    digest: set[int] = set()
    for event in fresh:
        pk = ids.get((event.user.pk, event.key[:200]))
        if pk is None:
            continue  # told meanwhile by another transaction
        chosen = choices.get(event.user.pk, default)
        for channel in CHANNELS.values():
            if chosen.wants_email(event.kind) and channel.address_of(event.user):
                deliveries.append((pk, channel.name, chosen.is_digest, now, now, now))
                if chosen.is_digest:
                    digest.add(pk)
    names = ("notification_id", "channel", "is_digest", "next_attempt", "created", "modified")
    bulk_insert.insert_rows(Delivery, names, deliveries)
    _count_unread(Counter(user_id for user_id, _key in ids))
    made = sorted(ids.values())
    if send and len(made) > len(digest):
        from trienkhai.notifications import outbox

        instant = [pk for pk in made if pk not in digest]
        transaction.on_commit(lambda: outbox.flush(notifications=instant))
    return made


def _insert(rows: list[tuple], now: dt.datetime) -> dict[tuple[int, str], int]:
    """Insert the notifications ``rows`` and read back {(user id, key): id} of those this
    call wrote (its keys with its ``created``). A few: ``bulk_create`` skipping a row
    another transaction wrote meanwhile (the unique constraint decides, without a
    savepoint that would cost the caller's transaction two statements); many: plain rows
    (a run that races another fails whole, and the next run writes them)."""
    if not rows:
        return {}
    names = ("user_id", "kind", "key", "params", "title", "body", "url", "created")
    if len(rows) >= MANY:
        # The parameters as this database's driver takes JSON; one event's are shared by
        # all the users told of it, and adapted once.
        field, adapted = Notification._meta.get_field("params"), {}
        for row in rows:
            if id(row[3]) not in adapted:
                adapted[id(row[3])] = field.get_db_prep_save(row[3], connection)
        rows = [(*row[:3], adapted[id(row[3])], *row[4:]) for row in rows]
        bulk_insert.insert_rows(Notification, names, rows)
    else:
        Notification.objects.bulk_create(
            [Notification(**dict(zip(names, row, strict=True))) for row in rows],
            ignore_conflicts=True,
        )
    return {
        (user_id, key): pk
        for chunk in _chunks({row[2] for row in rows})
        for pk, user_id, key in Notification.objects.filter(created=now, key__in=chunk).values_list(
            "pk", "user_id", "key"
        )
    }


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


def settle_reminders(form_id: int, unit_id: int, period_id: str) -> int:
    """The reminders about a report that is now in say nothing any more: read, for the
    reporters told it was due or late and the managers it was escalated to. Keys are
    asked as ranges of the once-only index (the overdue ones end with their day)."""
    where = f"{form_id}:{unit_id}:{period_id}"
    return _settle(
        Q(key=f"due_soon:{where}") | Q(key=f"escalated:{where}") | _keys_from(f"overdue:{where}:")
    )


def settle_submitted(submission_id: int) -> int:
    """A report approved or returned waits for nobody: its "chờ duyệt" notifications
    (``submitted:<submission>:<moment>``, one per time it was sent) are read for every
    approver told, whoever of them decided."""
    return _settle(_keys_from(f"submitted:{submission_id}:"))


def _keys_from(prefix: str) -> Q:
    """The keys that start with ``prefix`` (ending in ":"), as a range the once-only index
    serves (a ``LIKE`` is not served by it). U+FFFF sorts after every character in the
    database's C and ICU collations and in SQLite's; a ";" bound (after ":" in C) would
    hold nothing under ICU, which puts ";" before ":"."""
    return Q(key__gt=prefix, key__lt=prefix + "\uffff")


def _settle(about: Q) -> int:
    """Mark read the unread notifications ``about`` selects, for whoever was told, and
    count again the bells of those users: two statements however many they are."""
    moot = Notification.objects.filter(about, read__isnull=True)
    left = (
        Notification.objects.filter(user=OuterRef("pk"), read__isnull=True)
        .exclude(about)
        .order_by()
        .values("user")
        .annotate(n=Count("pk"))
        .values("n")
    )
    User.objects.filter(pk__in=moot.values("user_id")).update(
        unread_notifications=Coalesce(Subquery(left), 0)
    )
    return moot.update(read=timezone.now())


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
