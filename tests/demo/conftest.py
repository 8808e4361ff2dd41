"""The demo, loaded once for the whole package (it takes tens of seconds): twice, so that
the tests can check the second load changed nothing, inside one transaction rolled back
after the package."""

import pytest
from django.db import connection, transaction

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
    with django_db_blocker.unblock(), transaction.atomic():
        logins = load_demo()
        first = counts()
        again = load_demo()
        # The foreign keys checked once here, not after each test: Django checks them at
        # every test's end (SET CONSTRAINTS ALL IMMEDIATE on PostgreSQL) inside a savepoint
        # rolled back after, which puts the demo's deferred checks back in the queue: about
        # 2 s per test on PostgreSQL, a few minutes of the suite.
        connection.check_constraints()
        yield {"logins": logins, "again": again, "counts": first}
        transaction.set_rollback(True)
