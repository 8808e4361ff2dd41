"""SQLite's writers queue on a lock file (trienkhai.common.sqlite): a write transaction
holds it from BEGIN to COMMIT or ROLLBACK, other processes wait for it, readers do not."""

import subprocess
import sys

import pytest
from django.db.utils import ConnectionHandler

from trienkhai import settings as project_settings

PROBE = """
import fcntl, os, sys
fd = os.open(sys.argv[1], os.O_RDWR | os.O_CREAT)
try:
    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
except BlockingIOError:
    print("held")
else:
    print("free")
"""


def _held_elsewhere(path) -> bool:
    """Whether another process finds the writers' lock taken."""
    done = subprocess.run(
        [sys.executable, "-c", PROBE, f"{path}-writer.lock"],
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout.strip() == "held"


@pytest.fixture
def two_connections(tmp_path, monkeypatch, django_db_blocker):
    """(path, writer, reader): two connections to a new SQLite file, configured as the
    project's settings configure one."""
    path = tmp_path / "db.sqlite3"
    monkeypatch.setenv("TRIENKHAI_DATABASE_URL", f"sqlite:///{path}")
    config = project_settings._database()
    handler = ConnectionHandler({"default": config, "reader": config})
    with django_db_blocker.unblock():
        writer, reader = handler["default"], handler["reader"]
        with writer.cursor() as cursor:
            cursor.execute("CREATE TABLE figure (value integer)")
        yield path, writer, reader
        handler.close_all()


def _begin(connection) -> None:
    """What ``transaction.atomic`` does first on SQLite."""
    connection.set_autocommit(False, force_begin_transaction_with_broken_autocommit=True)


def test_it_holds_the_lock_from_begin_to_commit_against_other_processes(two_connections):
    path, writer, reader = two_connections
    assert not _held_elsewhere(path)
    _begin(writer)
    with writer.cursor() as cursor:
        cursor.execute("INSERT INTO figure VALUES (7)")
    assert _held_elsewhere(path)
    # WAL: a reader goes on during the write, without waiting, and sees the last commit.
    with reader.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM figure")
        assert cursor.fetchone() == (0,)
    writer.commit()
    writer.set_autocommit(True)
    assert not _held_elsewhere(path)
    with reader.cursor() as cursor:
        cursor.execute("SELECT value FROM figure")
        assert cursor.fetchall() == [(7,)]


@pytest.mark.parametrize("end", ["rollback", "close"])
def test_it_lets_go_when_the_transaction_ends_otherwise(two_connections, end):
    path, writer, _reader = two_connections
    _begin(writer)
    assert _held_elsewhere(path)
    if end == "rollback":
        writer.rollback()
        writer.set_autocommit(True)
    else:
        writer.close()
    assert not _held_elsewhere(path)
