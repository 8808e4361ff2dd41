"""The demo, loaded once for the whole package (it takes tens of seconds): twice, so that
the tests can check the second load changed nothing. Committed, so that the live server of
the package's browser test (test_demo_browser.py, run last) sees it too: the suite loads
the demo once per database, not twice. Each test runs in a transaction rolled back, as
everywhere; the database is emptied after the package."""

import pytest
from django.core.management import call_command
from django.db import connections

from tests.browser.conftest import browser, page, shot  # noqa: F401 (fixtures)
from trienkhai.accounts.models import User
from trienkhai.activities.models import Attendance, Event, Person
from trienkhai.demo import load_demo
from trienkhai.documents.models import Assignment, Document
from trienkhai.orgs.models import LineageLink, Unit
from trienkhai.reporting.models import DataValue, Form, Submission


def counts() -> dict[str, int]:
    models = {
        "units": Unit,
        "lineage": LineageLink,
        "users": User,
        "forms": Form,
        "values": DataValue,
        "submissions": Submission,
        "documents": Document,
        "assignments": Assignment,
        "events": Event,
        "attendances": Attendance,
        "people": Person,
    }
    return {name: model.objects.count() for name, model in models.items()}


@pytest.fixture(scope="package")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        logins = load_demo()
        first = counts()
        again = load_demo()
    yield {"logins": logins, "again": again, "counts": first}
    with django_db_blocker.unblock():
        # As after a transactional test (tests/flush.py on PostgreSQL).
        call_command("flush", interactive=False, verbosity=0)
        # Closed here: once Playwright runs, this code sees a connection of its own (its
        # greenlet's context), which the drop of the test database would find still open.
        connections.close_all()
