"""Schemathesis over /api/v1/openapi.json, as an admin of the country and as a reporter.

Every operation of the schema gets requests generated from it, valid and invalid
(half of them on the objects that exist: the units, report, documents and attachment
of the authorization matrix's ``world``), sent to the app in-process (WSGI, in the
test database's transaction), and two checks on each answer: no server error (5xx)
and, for a status the schema documents, a body that matches the documented response
schema. Bounded and repeatable for CI: ``MAX_EXAMPLES`` cases per operation and
persona, derandomized (the same cases every run), no example database (decision 0024).
The SQLite run sends a third as many cases to every operation; the PostgreSQL run
(CI runs both) keeps the full count.

One test per persona walks every operation, so the world is built twice, not 122
times; each operation gets a fresh token (``POST /auth/logout`` ends the one it used).
"""

from collections import Counter

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from django.db import connection
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from tests.drafting.conftest import district, media, templates  # noqa: F401
from tests.reporting.conftest import audience, form  # noqa: F401
from tests.test_authorization_matrix import world  # noqa: F401
from trienkhai.api import api

MAX_EXAMPLES = {"postgresql": 12, "sqlite": 4}
"""Cases per operation and persona, by database: on PostgreSQL 61 operations x 2
personas x 12 ≈ 1,500 requests; on SQLite (the same app over the same schema) 4 each."""

schema = schemathesis.openapi.from_dict(api.get_openapi_schema(path_prefix="/api/v1"))
application = get_wsgi_application()


def _operations():
    return [result.ok() for result in schema.get_all_operations()]


def _known(world) -> dict:  # noqa: F811
    """Path parameters naming objects that exist."""
    return {
        "code": "C1",
        "submission_id": world.submission.pk,
        "document_id": world.directive.pk,
        "attachment_id": world.attachment.pk,
        "role_id": world.role.pk,
        "token_id": world.token.pk,
        "contest_id": world.contest.pk,
        "nomination_id": world.nomination.pk,
        "individual_id": world.nomination.individual_id,
    }


def _strategy(operation, known: dict):
    names = {p.name for p in operation.path_parameters}
    given_ones = {k: v for k, v in known.items() if k in names}
    choices = [operation.as_strategy(), operation.as_strategy(GenerationMode.NEGATIVE)]
    if given_ones:
        choices.append(operation.as_strategy(path_parameters=given_ones))
    return st.one_of(choices)


@pytest.fixture
def kept_connection():
    """As Django's test client does: a request's end must not close the test's database
    connection (CONN_MAX_AGE=0 closes it; on PostgreSQL that ends the test's transaction)."""
    from django.core import signals
    from django.db import close_old_connections

    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.mark.parametrize("persona", ["admin", "reporter"])
def test_it_never_answers_a_server_error_and_keeps_to_its_schema(world, persona, kept_connection):  # noqa: F811
    from trienkhai.accounts.services import issue_token

    user = world.users[persona]
    known = _known(world)
    failures: list[str] = []
    statuses: Counter = Counter()
    for operation in _operations():

        @settings(
            max_examples=MAX_EXAMPLES[connection.vendor],
            derandomize=True,
            database=None,
            deadline=None,
            suppress_health_check=list(HealthCheck),
        )
        @given(case=_strategy(operation, known))
        def check(case, token):
            response = case.call_and_validate(
                app=application,
                headers={"Authorization": f"Bearer {token}"},
                checks=[not_a_server_error, response_schema_conformance],
            )
            statuses[response.status_code // 100] += 1

        try:
            check(token=issue_token(user=user))
        except Exception as exc:
            failures.append(f"{operation.label}: {exc}"[:3000])
    print(persona, dict(statuses))
    assert failures == []
