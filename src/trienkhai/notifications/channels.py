"""Channels a notification travels through, behind one interface.

A channel takes a ``Message`` and sends it, or raises ``ChannelError`` (the outbox then
tries again later). E-mail is the one built; Zalo Official Account and web push would
be further classes with the same ``send`` (decision 0038).
"""

from dataclasses import dataclass, field
from typing import Protocol

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection

from trienkhai.common import turns


@dataclass(frozen=True)
class Message:
    to: str
    """The address on the channel: an e-mail address (a Zalo user id, a push endpoint)."""
    subject: str
    text: str
    html: str = ""
    headers: dict[str, str] = field(default_factory=dict)


class ChannelError(Exception):
    """The message was not sent; ``str()`` says why (kept as the delivery's last error)."""


class Channel(Protocol):
    name: str

    def address_of(self, user) -> str:
        """Where ``user`` is reached on this channel; "" if nowhere (nothing is queued)."""
        ...

    def send(self, message: Message) -> None:
        """Send, or raise ChannelError."""
        ...


class EmailChannel:
    """E-mail through Django's mail API (TRIENKHAI_EMAIL_URL chooses the backend)."""

    name = "email"

    def address_of(self, user) -> str:
        return (user.email or "").strip()

    def send(self, message: Message) -> None:
        mail = EmailMultiAlternatives(
            subject=message.subject,
            body=message.text,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[message.to],
            headers=message.headers,
        )
        if message.html:
            mail.attach_alternative(message.html, "text/html")
        try:
            with turns.waiting():  # the mail server's answer: other requests go on
                get_connection(fail_silently=False).send_messages([mail])
        except Exception as exc:  # SMTP, socket, file: every failure is a failed send
            raise ChannelError(f"{type(exc).__name__}: {exc}"[:1000]) from exc


CHANNELS: dict[str, Channel] = {"email": EmailChannel()}
"""The channels in use, by name (a Delivery's ``channel``)."""
