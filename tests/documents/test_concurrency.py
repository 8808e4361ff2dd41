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
    """Where the threads' connections go: the test database itself, or its copy in a file.

    Inside, the main thread's connection goes to the copy too once it is closed (``_race``
    closes every connection to read what the threads wrote). With the name pointing at a
    file, Django closes an in-memory connection for real, which would drop the in-memory
    database with its tables: the worker's later threads (the analytics refresh, say)
    then opened a new empty one, "no such table", while the main thread went on in the
    copy. A second connection keeps the database alive, and on the way out the main
    thread's connection is closed and reopened on it.
    """
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
    keeper = sqlite3.connect(memory, uri=True)
    config["NAME"] = str(copy)
    try:
        yield
    finally:
        connection.close()  # for real: the name is the copy's
        config["NAME"] = memory
        connection.ensure_connection()
        keeper.close()


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


@pytest.mark.django_db(transaction=True)
def test_the_threads_find_the_test_database_after_a_race(btghu, tmp_path):
    """A connection closed inside the copy's window (``_race`` closes them all) leaves the
    test database whole: threads started later find its tables and rows, and the main
    thread is back on it rather than on the copy."""
    services.register_draft(
        **SIGNED, acting_user=SYSTEM, issuer=btghu, type="BC", date=dt.date(2021, 5, 1), summary="1"
    )
    with _threads_database(tmp_path):
        connections.close_all()
        assert Document.objects.count() == 1
    services.register_draft(
        **SIGNED, acting_user=SYSTEM, issuer=btghu, type="BC", date=dt.date(2021, 5, 2), summary="2"
    )
    assert _in_threads([Document.objects.count]) == [2]
