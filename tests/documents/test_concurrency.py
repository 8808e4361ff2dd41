"""Twenty issues of one type by one issuer at the same moment get 20 consecutive numbers."""

import datetime as dt
import threading

import pytest
from django.db import connection, connections

from trienkhai.documents import services
from trienkhai.documents.models import Document

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite serialises every write transaction, so threads cannot race; "
    "select_for_update is a no-op there. Run with TRIENKHAI_DATABASE_URL=postgres://...",
)


@pytest.mark.django_db(transaction=True)
def test_parallel_issues_get_distinct_consecutive_numbers(btghu):
    drafts = [
        services.register_draft(
            acting_user=None, issuer=btghu, type="BC", date=dt.date(2021, 5, 1), summary=f"{i}"
        )
        for i in range(20)
    ]
    start = threading.Barrier(len(drafts))
    errors: list[BaseException] = []

    def issue(document):
        try:
            start.wait()
            services.issue(acting_user=None, document=document)
        except BaseException as exc:  # reported below, not lost in the thread
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=issue, args=(d,)) for d in drafts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    numbers = sorted(Document.objects.values_list("number", flat=True))
    assert numbers == list(range(1, len(drafts) + 1))
