"""One migrated database per version of the code, copied for every test database.

Migrating a new database takes a minute or more on a loaded 2-core machine, nearly all of
it Django rendering model states, not SQL. A run of the suite used to migrate four: one
per xdist worker, one for `trienkhai serve` (tests/reporting/test_serve.py), and again on
the other database. Now the first worker to need it migrates a template once, in a
subprocess, under a lock, and every test database starts as a copy of it:

- SQLite: ``var/test-templates/sqlite-<key>.sqlite3``, copied into the in-memory test
  database with SQLite's online backup.
- PostgreSQL: a database ``trienkhai_tpl_<key>``, the test database created from it
  (``CREATE DATABASE … TEMPLATE``, Django's TEST["TEMPLATE"]). Built under an advisory
  lock of the server, so two copies of the suite on one machine build it once.

The key hashes every Python file of the package (the migrations, and what their data
migrations import) and Django's version: a change to either makes a new template. The
test database's own ``migrate`` still runs, and finds nothing to apply.
"""

import fcntl
import hashlib
import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import django

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "src" / "trienkhai"
DIRECTORY = ROOT / "var" / "test-templates"
PREFIX = "trienkhai_tpl_"
STALE_AFTER = 6 * 3600
"""Seconds after which another key's PostgreSQL template is dropped."""


def key() -> str:
    digest = hashlib.sha256(django.get_version().encode())
    for path in sorted(PACKAGE.rglob("*.py")):
        digest.update(str(path.relative_to(PACKAGE)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def _migrate(url: str) -> None:
    env = {k: v for k, v in os.environ.items() if k != "TRIENKHAI_REPLICA_URL"}
    env.update(TRIENKHAI_DATABASE_URL=url, TRIENKHAI_INSECURE_DEV_KEY="1")
    subprocess.run(
        [sys.executable, "-m", "trienkhai.cli", "manage", "migrate", "-v0"],
        env=env,
        check=True,
        cwd=ROOT,
    )


def sqlite_template() -> Path:
    """The migrated SQLite file of this code, made if missing."""
    DIRECTORY.mkdir(parents=True, exist_ok=True)
    target = DIRECTORY / f"sqlite-{key()}.sqlite3"
    with open(DIRECTORY / "sqlite.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not target.exists():
            partial = target.with_suffix(f".{os.getpid()}.partial")
            partial.unlink(missing_ok=True)
            _migrate(f"sqlite:///{partial}")
            os.replace(partial, target)
            for left in DIRECTORY.glob(f"{partial.name}*"):  # the writer's lock file
                left.unlink(missing_ok=True)
            for old in DIRECTORY.glob("sqlite-*.sqlite3"):
                if old != target:
                    old.unlink(missing_ok=True)
    return target


def copy_sqlite_template(destination: Path) -> None:
    """A migrated database at ``destination`` (a file), as `trienkhai serve` would make."""
    target = sqlite3.connect(destination)
    try:
        _restore(target)
    finally:
        target.close()


def _restore(target: sqlite3.Connection) -> None:
    source = sqlite3.connect(sqlite_template())
    try:
        source.backup(target)
    finally:
        source.close()


def postgres_template(settings_dict: dict) -> str:
    """The name of the migrated PostgreSQL database of this code, made if missing."""
    import psycopg

    name = PREFIX + key()
    params = {
        "host": settings_dict["HOST"] or None,
        "port": settings_dict["PORT"] or None,
        "user": settings_dict["USER"],
        "password": settings_dict["PASSWORD"],
        "dbname": "postgres",
        "autocommit": True,
    }
    with psycopg.connect(**params) as server:
        server.execute("SELECT pg_advisory_lock(hashtext('trienkhai test template'))")
        names = [row[0] for row in server.execute("SELECT datname FROM pg_database")]
        if name not in names:
            partial = f"{name}_partial"
            server.execute(f'DROP DATABASE IF EXISTS "{partial}"')
            server.execute(f'CREATE DATABASE "{partial}"')
            d = settings_dict
            _migrate(f"postgres://{d['USER']}:{d['PASSWORD']}@{d['HOST']}:{d['PORT']}/{partial}")
            server.execute(f'ALTER DATABASE "{partial}" RENAME TO "{name}"')
            server.execute(f"COMMENT ON DATABASE \"{name}\" IS 'built {int(time.time())}'")
        _drop_stale(server, keep=name, names=names)
        server.execute("SELECT pg_advisory_unlock(hashtext('trienkhai test template'))")
    return name


def _drop_stale(server, *, keep: str, names: list[str]) -> None:
    """Other keys' templates, once no run can still be starting from them."""
    for other in names:
        if not other.startswith(PREFIX) or other == keep or other.endswith("_partial"):
            continue
        comment = server.execute(
            "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s",
            [other],
        ).fetchone()
        built = int((comment[0] or "built 0").split()[-1]) if comment else 0
        if time.time() - built > STALE_AFTER:
            server.execute(f'DROP DATABASE IF EXISTS "{other}"')


def install() -> None:
    """Make the test databases of this process start as copies of the template."""
    from django.db import connections
    from django.db.backends.sqlite3.creation import DatabaseCreation

    default = connections["default"]
    if default.vendor == "postgresql":
        default.settings_dict["TEST"]["TEMPLATE"] = postgres_template(default.settings_dict)
    elif default.vendor == "sqlite":
        create = DatabaseCreation._create_test_db

        def create_from_template(self, verbosity, autoclobber, keepdb=False):
            name = create(self, verbosity, autoclobber, keepdb)
            if self.is_in_memory_db(name) and not keepdb:
                # Held open for the whole run: a shared in-memory database lives as long
                # as one connection to it.
                _keepers.append(sqlite3.connect(name, uri=True, check_same_thread=False))
                _restore(_keepers[-1])
            return name

        DatabaseCreation._create_test_db = create_from_template


_keepers: list[sqlite3.Connection] = []
