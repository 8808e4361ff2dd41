"""SQLite's durability: every new connection waits for the disk at each commit (FULL)
unless the operator chose NORMAL (docs/decisions/0017-sqlite-durability.md)."""

import os

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import connection, connections
from django.db.utils import ConnectionHandler

from trienkhai import settings as project_settings

FULL, NORMAL = 2, 1
"""What ``PRAGMA synchronous`` answers."""


def _pragmas(config: dict, django_db_blocker) -> tuple[int, str]:
    """(synchronous, journal_mode) of a new connection opened with ``config``."""
    handler = ConnectionHandler({"default": config})
    with django_db_blocker.unblock():
        with handler["default"].cursor() as cursor:
            cursor.execute("PRAGMA synchronous")
            synchronous = cursor.fetchone()[0]
            cursor.execute("PRAGMA journal_mode")
            journal = cursor.fetchone()[0]
        handler.close_all()
    return synchronous, journal


@pytest.fixture
def sqlite_file(tmp_path, monkeypatch):
    monkeypatch.setenv("TRIENKHAI_DATABASE_URL", f"sqlite:///{tmp_path / 'db.sqlite3'}")
    monkeypatch.delenv("TRIENKHAI_SQLITE_SYNCHRONOUS", raising=False)


def test_a_new_connection_waits_for_the_disk_at_each_commit_by_default(
    sqlite_file, django_db_blocker
):
    assert _pragmas(project_settings._database(), django_db_blocker) == (FULL, "wal")


@pytest.mark.parametrize(("chosen", "expected"), [("normal", NORMAL), (" Full ", FULL), ("", FULL)])
def test_the_operator_chooses_with_an_environment_variable(
    sqlite_file, monkeypatch, django_db_blocker, chosen, expected
):
    monkeypatch.setenv("TRIENKHAI_SQLITE_SYNCHRONOUS", chosen)
    assert _pragmas(project_settings._database(), django_db_blocker) == (expected, "wal")


@pytest.mark.parametrize("chosen", ["off", "extra", "0"])
def test_any_other_value_stops_the_start(sqlite_file, monkeypatch, chosen):
    monkeypatch.setenv("TRIENKHAI_SQLITE_SYNCHRONOUS", chosen)
    with pytest.raises(ImproperlyConfigured, match="full or normal"):
        project_settings._database()


def test_the_running_settings_apply_it_to_every_new_connection():
    if connection.vendor != "sqlite":
        pytest.skip("SQLite only (PostgreSQL's durability is its server's setting)")
    chosen = (os.environ.get("TRIENKHAI_SQLITE_SYNCHRONOUS") or "full").strip().lower()
    fresh = connections.create_connection("default")
    try:
        with fresh.cursor() as cursor:
            cursor.execute("PRAGMA synchronous")
            assert cursor.fetchone()[0] == {"full": FULL, "normal": NORMAL}[chosen]
    finally:
        fresh.close()
