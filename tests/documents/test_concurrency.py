"""Twenty issues of one type by one issuer at the same moment get 20 consecutive numbers.

On PostgreSQL the threads race for the series row (``select_for_update``). On SQLite
the test database lives in memory, where threads cannot each hold a connection of
their own the way a server's workers do; so the test copies it to a file in WAL mode
and points the threads' new connections there: each then opens an IMMEDIATE
transaction, and SQLite queues the writers (busy_timeout) instead of failing them. The
numbers must come out the same on both.
"""

import contextlib
import datetime as dt
import sqlite3
import threading

import pytest
from django.db import connection, connections

from tests.factories import SIGNED, SYSTEM
from trienkhai.documents import services
from trienkhai.documents.models import Document


@contextlib.contextmanager
def _threads_database(tmp_path):
    """Where the threads' connections go: the test database itself, or its copy in a file."""
    if connection.vendor != "sqlite" or not connection.is_in_memory_db():
        yield
        return
    copy = tmp_path / "race.sqlite3"
    connection.ensure_connection()
    target = sqlite3.connect(copy)
    connection.connection.backup(target)
    target.execute("PRAGMA journal_mode=WAL")
    target.close()
    config = connections.settings["default"]
    memory = config["NAME"]
    config["NAME"] = str(copy)
    try:
        yield
    finally:
        config["NAME"] = memory


def _in_threads(functions):
    """Run each function in its own thread (its own connection), all released at once."""
    start = threading.Barrier(len(functions))
    errors: list[BaseException] = []
    results: list = [None] * len(functions)

    def run(i, function):
        try:
            start.wait()
            results[i] = function()
        except BaseException as exc:  # reported below, not lost in the thread
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, f)) for i, f in enumerate(functions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    return results


@pytest.mark.django_db(transaction=True)
def test_parallel_issues_get_distinct_consecutive_numbers(btghu, tmp_path):
    drafts = [
        services.register_draft(
            **SIGNED,
            acting_user=SYSTEM,
            issuer=btghu,
            type="BC",
            date=dt.date(2021, 5, 1),
            summary=f"{i}",
        )
        for i in range(20)
    ]
    with _threads_database(tmp_path):
        issued = _in_threads(
            [lambda d=d: services.issue(acting_user=SYSTEM, document=d).number for d in drafts]
        )
        (numbers,) = _in_threads(
            [lambda: sorted(Document.objects.values_list("number", flat=True))]
        )
    assert sorted(issued) == list(range(1, len(drafts) + 1))
    assert numbers == list(range(1, len(drafts) + 1))
