"""A real SMTP server (aiosmtpd) the tests send to and read back from."""

import email
import email.policy
import socket

import pytest
from aiosmtpd.controller import Controller

from tests import factories as f
from tests.documents.conftest import directive, district  # noqa: F401 (fixtures)
from tests.factories import SYSTEM
from tests.reporting.conftest import audience, cell_reporter, form  # noqa: F401 (fixtures)
from trienkhai.accounts import services as accounts
from trienkhai.documents.types import ensure_standard_types


class Inbox:
    """What the server received, parsed: one ``email.message.EmailMessage`` each."""

    def __init__(self) -> None:
        self.messages: list = []

    async def handle_DATA(self, server, session, envelope):  # aiosmtpd's hook
        parsed = email.message_from_bytes(envelope.content, policy=email.policy.default)
        self.messages.append(parsed)
        return "250 OK"

    def to(self, address: str) -> list:
        return [m for m in self.messages if address in m["To"]]


def subject(message) -> str:
    """The decoded subject (a long encoded one is folded: the parser keeps a space)."""
    return str(message["Subject"]).strip()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def smtp(settings):
    """A running SMTP server on a free port, and the settings that send to it."""
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", controller.port
    settings.EMAIL_TIMEOUT = 5
    settings.SITE_URL = "https://baocao.example.vn"
    inbox.controller = controller
    yield inbox
    controller.stop()


@pytest.fixture
def smtp_down(settings):
    """Settings that send to a port nothing listens on."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", free_port()
    settings.EMAIL_TIMEOUT = 2


def with_email(user, address: str | None = None):
    return accounts.set_email(
        acting_user=SYSTEM, user=user, email=address or f"{user.username}@example.vn"
    )


@pytest.fixture
def people(org, personas, cell_reporter):  # noqa: F811
    """The commune's reporter (C1), the district's manager (approves C1), a reporter of
    the other commune (C2) and the outsider, each with an e-mail address."""
    other = f.make_user("bcv_c2", unit=org.c2, role="reporter")
    for user in (cell_reporter, personas.manager, personas.outsider, other):
        with_email(user)
    return type(
        "People",
        (),
        {
            "reporter": cell_reporter,
            "manager": personas.manager,
            "other": other,
            "outsider": personas.outsider,
        },
    )


@pytest.fixture(autouse=True)
def _standard_types(db):
    ensure_standard_types()
