"""A bulk import racing the first save of the same report: a 409 or a clean wait, never a 500.

The first save of a report creates its draft Submission (unique per form, unit and
period). On PostgreSQL an import that read "no report yet" before that save committed
then hit the unique constraint when it created the report itself: IntegrityError, a
500. The threads below hold one side's transaction open and let the other run into it;
on PostgreSQL the test waits until the second really waits on the first's lock
(pg_locks), so the interleaving is the racing one every time. On SQLite a write
transaction takes the database's write lock when it begins (IMMEDIATE), so the second
simply waits for the first: the same test checks that nothing fails there either.
"""

import threading

import pytest
from django.db import connection, connections, transaction

from tests.documents.test_concurrency import _threads_database
from tests.reporting.test_bulk import PERIOD, csv_bytes, value
from trienkhai.common.errors import Conflict
from trienkhai.reporting import bulk, services
from trienkhai.reporting.models import DataValue, Submission
from trienkhai.reporting.services import CellInput

ROWS = [
    ["HK", "C1", PERIOD, "lop_ke_hoach", "", "12", ""],
    ["HK", "C1", PERIOD, "luot_nguoi", "", "300", ""],
    ["HK", "C2", PERIOD, "luot_nguoi", "", "400", ""],
]


def _someone_waits_on_a_lock() -> bool:
    """Whether another connection of this database waits for a lock (PostgreSQL)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
            " AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()"
        )
        (count,) = cursor.fetchone()
    return count > 0


def _race(first, second, *, waits_on_postgresql=True):
    """Run ``first`` in a transaction held open until ``second`` (in another thread)
    waits for it (PostgreSQL) or has started (SQLite); the exception each raised. With
    ``waits_on_postgresql`` false, on PostgreSQL ``second`` must end while ``first`` is
    still held (it refuses rather than waits)."""
    held, release = threading.Event(), threading.Event()
    errors: dict[str, BaseException | None] = {"first": None, "second": None}

    def hold():
        try:
            with transaction.atomic():
                first()
                held.set()
                assert release.wait(timeout=120)
        except BaseException as exc:
            errors["first"] = exc
        finally:
            held.set()
            connections.close_all()

    def run():
        try:
            second()
        except BaseException as exc:
            errors["second"] = exc
        finally:
            connections.close_all()

    holder = threading.Thread(target=hold)
    holder.start()
    assert held.wait(timeout=120)
    runner = threading.Thread(target=run)
    runner.start()
    if connection.vendor == "postgresql" and not waits_on_postgresql:
        runner.join()
    elif connection.vendor == "postgresql":
        waiting = threading.Event()
        while not waiting.is_set() and runner.is_alive():
            if _someone_waits_on_a_lock():
                waiting.set()
            else:
                waiting.wait(0.05)
        assert waiting.is_set(), errors  # the second reached the first's lock
    release.set()
    holder.join()
    runner.join()
    connections.close_all()
    assert errors["first"] is None
    return errors["second"]


@pytest.mark.django_db(transaction=True)
def test_an_import_racing_a_first_save_is_a_409_and_changes_nothing(form, org, personas, tmp_path):
    """GIVEN C1's report has no draft yet WHEN a first save is under way (not committed)
    and an import of C1 and C2 starts THEN the import is a 409 (PostgreSQL: it read "no
    report" before the save committed) or waits and applies whole (SQLite: the save
    held the write lock), and the saved value is kept either way."""

    def first_save():
        services.save_values(
            acting_user=personas.manager,
            form=form,
            unit=org.c1,
            period_id=PERIOD,
            cells=[CellInput("lop_da_mo", 5)],
        )

    def import_file():
        bulk.import_values(acting_user=personas.manager, name="v.csv", data=csv_bytes(ROWS))

    with _threads_database(tmp_path):
        error = _race(first_save, import_file)
        if connection.vendor == "postgresql":
            assert isinstance(error, Conflict), error
            assert error.status == 409 and "gửi lại" in error.message
            assert value(org.c1, "lop_ke_hoach") is None
            assert value(org.c2, "luot_nguoi") is None  # nothing of the file, C2 included
            assert not Submission.objects.filter(unit=org.c2).exists()
        else:
            assert error is None
            assert value(org.c1, "luot_nguoi") == 300 and value(org.c2, "luot_nguoi") == 400
        assert value(org.c1, "lop_da_mo") == 5
        assert Submission.objects.filter(form=form, unit=org.c1, period=PERIOD).count() == 1
        # Sent again, the import goes through.
        import_file()
        assert value(org.c1, "luot_nguoi") == 300 and value(org.c2, "luot_nguoi") == 400
        assert value(org.c1, "lop_da_mo") == 5


@pytest.mark.django_db(transaction=True)
def test_a_first_save_racing_an_import_waits_and_saves(form, org, personas, tmp_path):
    """GIVEN an import that created C1's draft and is not committed WHEN a first save of
    C1 starts THEN it waits for the import and saves over its values, never a 500."""

    def import_file():
        bulk.import_values(acting_user=personas.manager, name="v.csv", data=csv_bytes(ROWS))

    def save():
        services.save_values(
            acting_user=personas.manager,
            form=form,
            unit=org.c1,
            period_id=PERIOD,
            cells=[CellInput("luot_nguoi", 7)],
        )

    with _threads_database(tmp_path):
        assert _race(import_file, save) is None
        assert value(org.c1, "luot_nguoi") == 7
        assert value(org.c1, "lop_ke_hoach") == 12
        assert DataValue.objects.filter(unit=org.c1, indicator__code="luot_nguoi").count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_imports_creating_the_same_report_give_one_409(form, org, personas, tmp_path):
    """GIVEN two imports of the same new reports WHEN the second runs into the first
    THEN it is a 409 on PostgreSQL (applied after the first on SQLite), never a 500."""

    def import_file():
        bulk.import_values(acting_user=personas.manager, name="v.csv", data=csv_bytes(ROWS))

    with _threads_database(tmp_path):
        error = _race(import_file, import_file)
        if connection.vendor == "postgresql":
            assert isinstance(error, Conflict), error
        else:
            assert error is None
        assert Submission.objects.filter(form=form, period=PERIOD).count() == 2
        assert value(org.c2, "luot_nguoi") == 400
