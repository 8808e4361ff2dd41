"""The outbox: sending the deliveries that are due, once each.

A delivery is claimed before it is sent (an UPDATE from pending/failed to sending that
only one process wins), sent outside any transaction, then marked sent or failed. A
sent one is never sent again; a failed one waits ``backoff(attempts)`` and is tried
again by a later sweep, up to ``MAX_ATTEMPTS``. A delivery left "sending" by a process
that died is tried again after ``STALE`` (at worst it goes twice: an outbox promises at
least once, and never twice when nothing crashes). Quiet hours hold an e-mail until
they end; a digest user's e-mails wait for the daily run (``flush(digests=True)``,
called by ``trienkhai remind``), which sends them as one.
"""

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone, translation

from trienkhai.notifications import services, texts
from trienkhai.notifications.channels import CHANNELS, ChannelError, Message
from trienkhai.notifications.models import Delivery, Notification, Preference

MAX_ATTEMPTS = 8
STALE = dt.timedelta(hours=1)


def backoff(attempts: int) -> dt.timedelta:
    """5 minutes after the first failure, doubling, at most a day."""
    return min(dt.timedelta(minutes=5) * 2 ** max(attempts - 1, 0), dt.timedelta(days=1))


@dataclass
class Flushed:
    sent: int = 0
    failed: int = 0
    held: int = 0


def quiet_until(chosen: Preference, now: dt.datetime) -> dt.datetime | None:
    """The end of the user's quiet hours if ``now`` falls in them (local time), else None."""
    start, end = chosen.quiet_from, chosen.quiet_to
    if start is None or end is None or start == end:
        return None
    local = timezone.localtime(now)
    t = local.time()
    inside = start <= t < end if start < end else (t >= start or t < end)
    if not inside:
        return None
    day = local.date() if t < end else local.date() + dt.timedelta(days=1)
    return timezone.make_aware(dt.datetime.combine(day, end), local.tzinfo)


def _due(now: dt.datetime):
    waiting = Q(state__in=[Delivery.State.PENDING, Delivery.State.FAILED], next_attempt__lte=now)
    stuck = Q(state=Delivery.State.SENDING, modified__lt=now - STALE)
    return Delivery.objects.filter(waiting | stuck).select_related(
        "notification", "notification__user"
    )


def _claim(delivery: Delivery, now: dt.datetime) -> bool:
    won = Delivery.objects.filter(pk=delivery.pk, state=delivery.state)
    if delivery.state == Delivery.State.SENDING:  # left by a process that died
        won = won.filter(modified__lt=now - STALE)
    return won.update(state=Delivery.State.SENDING, modified=now) == 1


def _absolute(path: str) -> str:
    """A site path as a link from an e-mail; "" for none."""
    return settings.SITE_URL.rstrip("/") + path if path.startswith("/") else path


def _links(user, kind: str | None) -> dict:
    from django.urls import reverse

    def unsubscribe(which: str) -> str:
        token = services.unsubscribe_token(user, which)
        return _absolute(reverse("notifications:unsubscribe", args=[token]))

    return {
        "unsubscribe_kind": unsubscribe(kind) if kind else "",
        "unsubscribe_all": unsubscribe(services.ALL),
        "choices_url": _absolute(reverse("notifications:choices")),
        "site_url": settings.SITE_URL,
    }


def message_for(notifications: list[Notification], chosen: Preference, to: str) -> Message:
    """One notification's e-mail, or a digest of several, in the user's language."""
    user = notifications[0].user
    single = len(notifications) == 1
    kind = notifications[0].kind if single else None
    with translation.override(chosen.language):
        items = []
        for n in notifications:
            title, body = texts.words(n)  # in the e-mail's language, as it is sent
            items.append({"title": title, "body": body, "link": _absolute(n.url)})
        page = {"items": items, "user": user, **_links(user, kind)}
        name = "notification" if single else "digest"
        text = render_to_string(f"notifications/email/{name}.txt", page)
        html = render_to_string(f"notifications/email/{name}.html", page)
        subject = (
            items[0]["title"]
            if single
            else translation.gettext("[trienkhai] %(n)s thông báo mới") % {"n": len(notifications)}
        )
    return Message(
        to=to,
        subject=subject,
        text=text,
        html=html,
        headers={"List-Unsubscribe": f"<{page['unsubscribe_kind'] or page['unsubscribe_all']}>"},
    )


def _finish(rows: list[Delivery], now: dt.datetime, error: str | None) -> None:
    for row in rows:
        row.attempts += 1
        row.modified = now
        if error is None:
            row.state, row.sent, row.last_error = Delivery.State.SENT, now, ""
        else:
            row.state, row.last_error = Delivery.State.FAILED, error
            row.next_attempt = now + backoff(row.attempts) if row.attempts < MAX_ATTEMPTS else None
    Delivery.objects.bulk_update(
        rows, ["attempts", "modified", "state", "sent", "last_error", "next_attempt"]
    )


def _send(rows: list[Delivery], chosen: Preference, now: dt.datetime, done: Flushed) -> None:
    channel = CHANNELS[rows[0].channel]
    user = rows[0].notification.user
    to = channel.address_of(user)
    try:
        if not to:
            raise ChannelError("no address")
        channel.send(message_for([r.notification for r in rows], chosen, to))
    except ChannelError as exc:
        _finish(rows, timezone.now(), str(exc))
        done.failed += len(rows)
        return
    _finish(rows, timezone.now(), None)
    done.sent += len(rows)


def flush(
    *,
    notifications: list[int] | None = None,
    digests: bool = False,
    now: dt.datetime | None = None,
) -> Flushed:
    """Send what is due at ``now``: the deliveries of ``notifications`` only (right after
    the commit that made them), or every due one; with ``digests``, each digest user's
    waiting e-mails as one (once a day)."""
    now = now or timezone.now()
    done = Flushed()
    due = _due(now)
    if notifications is not None:
        due = due.filter(notification_id__in=notifications)
    if not digests:
        due = due.filter(is_digest=False)
    rows = list(due.order_by("pk"))
    users = {r.notification.user_id for r in rows}
    choices = services.choices_by_user(users)
    today = timezone.localdate(now)
    grouped: dict[tuple[int, str], list[Delivery]] = {}
    for row in rows:
        user = row.notification.user
        chosen = choices.get(user.pk) or Preference(user=user)
        until = quiet_until(chosen, now)
        if until is None and row.is_digest and chosen.last_digest == today:
            until = timezone.make_aware(
                dt.datetime.combine(today + dt.timedelta(days=1), dt.time(0, 0))
            )
        if until is not None:
            Delivery.objects.filter(pk=row.pk, state=row.state).update(next_attempt=until)
            done.held += 1
            continue
        if not _claim(row, now):
            continue  # another process has it
        row.state = Delivery.State.SENDING
        if row.is_digest:
            grouped.setdefault((user.pk, row.channel), []).append(row)
        else:
            _send([row], chosen, now, done)
    for (user_id, _channel), batch in grouped.items():
        chosen = choices.get(user_id) or Preference(user=batch[0].notification.user)
        _send(batch, chosen, now, done)
        if chosen.pk is None:
            chosen.save()
        Preference.objects.filter(pk=chosen.pk).update(last_digest=today)
    return done
