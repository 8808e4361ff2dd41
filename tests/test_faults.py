"""kill -9 of the real server in the middle of a bulk import, and of an issue: after a
restart nothing is half-applied.

The server is ``trienkhai serve --workers 1`` (waitress, one process) in a subprocess
on a database of its own (``tests.faults_world``), killed with SIGKILL: no handler,
no rollback of its own; what survives is what the database committed. Knowing that
the import is under way is a condition, not a sleep:

- SQLite (WAL): the import's transaction writes 30,000 values; once they overflow the
  page cache the uncommitted pages spill into the -wal file. The kill comes when the
  -wal file has grown by 64 KB since the request was sent and before any answer.
- PostgreSQL: a backend of the server's database has a transaction id
  (``pg_stat_activity.backend_xid``), i.e. has written, and the answer has not come.
  For an issue (a few statements in a millisecond) the test holds the number series'
  row lock, waits until the server's backend waits on it (inside its transaction,
  the document row locked), kills the server, then lets go.

Each database's tests run when the suite runs on it (``make test`` runs both).
An issue on SQLite is left out: its transaction takes the write lock when it begins
and lasts milliseconds, so no condition outside it can see it half-way.
"""

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

import pytest
from django.db import connection

from tests import faults_world

ROOT = Path(__file__).resolve().parent.parent
BOUNDARY = "trienkhai-faults"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """``trienkhai serve`` on ``url``'s database, in its own process group."""

    def __init__(self, url: str, data_dir: Path):
        self.env = {
            # Its own database, no replica: the suite's replica mirrors the suite's.
            **{k: v for k, v in os.environ.items() if k != "TRIENKHAI_REPLICA_URL"},
            "TRIENKHAI_DATABASE_URL": url,
            "TRIENKHAI_DATA_DIR": str(data_dir),
            "TRIENKHAI_DEBUG": "1",
            "PYTHONPATH": str(ROOT),
        }
        self.process: subprocess.Popen | None = None
        self.port = 0

    def prepare(self) -> dict:
        done = subprocess.run(
            [sys.executable, "-m", "tests.faults_world"],
            env=self.env,
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=False,
        )
        assert done.returncode == 0, done.stderr[-3000:]
        return json.loads(done.stdout.strip().splitlines()[-1])

    def start(self) -> None:
        self.port = _free_port()
        command = [sys.executable, "-m", "trienkhai.cli", "serve", "--port", str(self.port)]
        self.process = subprocess.Popen(
            [*command, "--workers", "1"],
            env=self.env,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            start_new_session=True,
        )
        deadline = time.monotonic() + 300  # migrations checked on a loaded machine
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{self.port}/api/v1/me", timeout=5)
            except urllib.error.HTTPError:
                return  # 401: it answers
            except OSError:
                assert self.process.poll() is None, self.process.stderr.read().decode()[-3000:]
                time.sleep(0.2)
        raise AssertionError("the server did not answer")

    def kill(self) -> None:
        assert self.process is not None
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=60)
        self.process.stderr.close()
        self.process = None

    def stop(self) -> None:
        if self.process is not None:
            self.kill()

    def request(self, method: str, path: str, token: str, body: bytes = b"", kind: str = ""):
        headers = {"Authorization": f"Bearer {token}"}
        if kind:
            headers["Content-Type"] = kind
        sent = urllib.request.Request(
            f"http://127.0.0.1:{self.port}{path}", data=body or None, headers=headers
        )
        sent.method = method
        try:
            with urllib.request.urlopen(sent, timeout=600) as answer:
                return answer.status, json.loads(answer.read() or b"null")
        except urllib.error.HTTPError as exc:
            return exc.code, json.loads(exc.read() or b"null")

    def import_values(self, token: str, data: bytes):
        body = (
            (
                f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="v.csv"\r\n'
                "Content-Type: text/csv\r\n\r\n"
            ).encode()
            + data
            + f"\r\n--{BOUNDARY}--\r\n".encode()
        )
        return self.request(
            "POST",
            "/api/v1/datavalues/import",
            token,
            body,
            f"multipart/form-data; boundary={BOUNDARY}",
        )


class InBackground:
    """A request in a thread: its answer, or the error a killed server gives."""

    def __init__(self, call):
        self.answer: object = None
        self.thread = threading.Thread(target=self._run, args=(call,))
        self.thread.start()

    def _run(self, call):
        try:
            self.answer = call()
        except Exception as exc:  # the connection a killed server drops
            self.answer = exc

    @property
    def answered(self) -> bool:
        return not self.thread.is_alive()


def _until(condition, request: InBackground) -> None:
    """Poll ``condition`` until it holds while ``request`` is unanswered; fail if the
    answer comes first (the import was not caught under way)."""
    waiting = threading.Event()
    while not condition():
        assert not request.answered, f"answered before the condition: {request.answer}"
        waiting.wait(0.005)


@pytest.fixture(scope="module")
def sqlite_world(django_db_setup, django_db_blocker, tmp_path_factory):
    """The prepared SQLite database, made once: each test copies it. It starts as a copy
    of the suite's test database, already migrated (between tests: no test's rows), so
    that the world is not migrated a second time; ``faults_world`` checks the migrations."""
    import sqlite3

    if connection.vendor != "sqlite":
        pytest.skip("runs when the suite runs on SQLite (the same test, on a file of its own)")
    folder = tmp_path_factory.mktemp("faults")
    path = folder / "db.sqlite3"
    with django_db_blocker.unblock():
        connection.ensure_connection()
        with contextlib.closing(sqlite3.connect(path)) as target:
            connection.connection.backup(target)
    server = Server(f"sqlite:///{path}", folder)
    return path, server.prepare()


def _sqlite_counts(path: Path) -> dict[str, int]:
    import sqlite3

    with sqlite3.connect(path) as db:
        return {
            table: db.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            for table in (
                "reporting_datavalue",
                "reporting_datavaluechange",
                "reporting_submission",
                "analytics_total",
            )
        }


@pytest.mark.skipif(os.name != "posix", reason="SIGKILL and process groups")
def test_kill_9_mid_import_on_sqlite_leaves_nothing_half_applied(sqlite_world, tmp_path):
    """GIVEN a 29,999-value import under way (its uncommitted pages in the -wal file)
    WHEN the server is killed with SIGKILL THEN after a restart the database holds what
    it held before, whole; and the same file sent again is imported whole."""
    import shutil

    base, made = sqlite_world
    path = tmp_path / "db.sqlite3"
    shutil.copy(base, path)
    before = _sqlite_counts(path)
    server = Server(f"sqlite:///{path}", tmp_path)
    wal = Path(f"{path}-wal")
    data = faults_world.csv_rows()
    try:
        server.start()
        start = wal.stat().st_size if wal.exists() else 0
        running = InBackground(lambda: server.import_values(made["token"], data))
        _until(lambda: wal.exists() and wal.stat().st_size > start + 65_536, running)
        server.kill()
        running.thread.join()
        assert isinstance(running.answer, Exception), running.answer  # no answer came

        server.start()  # opens the database again: SQLite recovers from its -wal file
        assert _sqlite_counts(path) == before  # nothing of the import
        status, body = server.import_values(made["token"], data)
        assert (status, body) == (200, {"saved": len(data.splitlines()) - 1})
    finally:
        server.stop()
    after = _sqlite_counts(path)
    assert after["reporting_datavalue"] == before["reporting_datavalue"] + 29_999
    assert after["reporting_submission"] == faults_world.COMMUNES * len(faults_world.MONTHS)


# PostgreSQL ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def pg_database(django_db_setup, django_db_blocker, tmp_path_factory):
    """A database of its own on the tests' PostgreSQL server, prepared once for the
    module's tests (each starts its own server), dropped after. It is made from the
    suite's test database as a template (migrated; between tests it holds no test's
    rows), so that the world is not migrated a second time: a template may have no
    session open on it, so this process's connection to it is closed first."""
    if connection.vendor != "postgresql":
        pytest.skip("runs when the suite runs on PostgreSQL")
    import psycopg

    config = connection.settings_dict
    name = f"trienkhai_faults_{uuid.uuid4().hex[:8]}"
    admin = {
        "host": config["HOST"] or "127.0.0.1",
        "port": config["PORT"] or 5432,
        "user": config["USER"],
        "password": config["PASSWORD"],
    }
    with django_db_blocker.unblock():
        template = config["NAME"]
        connection.close()
    with psycopg.connect(**admin, dbname="postgres", autocommit=True) as db:
        # An idle session left on the test database is this worker's, from another of
        # its threads: a live server's request thread (browser tests) still blocked on
        # a kept-alive socket keeps its connection. Ended here; CREATE DATABASE waits
        # for them to go. A session inside a transaction would make it fail, loudly.
        db.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
            " WHERE datname = %s AND state = 'idle'",
            [template],
        )
        db.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
    url = "postgres://{user}:{password}@{host}:{port}/".format(**admin) + name
    try:
        made = Server(url, tmp_path_factory.mktemp("faults-pg")).prepare()
        yield url, made, {**admin, "dbname": name}
    finally:
        with psycopg.connect(**admin, dbname="postgres", autocommit=True) as db:
            db.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def pg_world(pg_database, tmp_path):
    """(a server not yet started, what faults_world made, a watching connection)."""
    import psycopg

    url, made, where = pg_database
    server = Server(url, tmp_path)
    try:
        with psycopg.connect(**where, autocommit=True) as watcher:
            yield server, made, watcher
    finally:
        server.stop()


def _others(watcher, where: str = "true") -> int:
    """Backends of this database, other than the watcher's, matching ``where``."""
    return watcher.execute(
        "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
        f" AND pid <> pg_backend_pid() AND ({where})"
    ).fetchone()[0]


def _pg_counts(watcher) -> dict[str, int]:
    return {
        table: watcher.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
        for table in (
            "reporting_datavalue",
            "reporting_datavaluechange",
            "reporting_submission",
            "analytics_total",
        )
    }


def _gone(watcher) -> None:
    """Wait until the killed server's backends have ended (rolled back)."""
    pause = threading.Event()
    while _others(watcher, "backend_type = 'client backend'"):
        pause.wait(0.05)


def test_kill_9_mid_import_on_postgresql_leaves_nothing_half_applied(pg_world):
    server, made, watcher = pg_world
    before = _pg_counts(watcher)
    data = faults_world.csv_rows()
    server.start()
    running = InBackground(lambda: server.import_values(made["token"], data))
    _until(lambda: _others(watcher, "backend_xid IS NOT NULL") > 0, running)
    server.kill()
    running.thread.join()
    assert isinstance(running.answer, Exception), running.answer
    _gone(watcher)
    assert _pg_counts(watcher) == before
    server.start()
    assert server.import_values(made["token"], data) == (200, {"saved": 29_999})


def test_kill_9_mid_issue_on_postgresql_takes_no_number(pg_world):
    """GIVEN the issue of draft "Hai" waiting, inside its transaction, for the number
    series' row WHEN the server is killed and the row let go THEN the draft is still a
    draft, the series still at 1; after a restart the draft gets number 2, none skipped."""
    server, made, watcher = pg_world
    server.start()
    holder = watcher.cursor()
    watcher.autocommit = False
    holder.execute(
        "SELECT id FROM documents_numberseries WHERE id = %s FOR UPDATE", [made["series"]]
    )
    path = f"/api/v1/documents/{made['draft']}/issue"
    running = InBackground(lambda: server.request("POST", path, made["token"]))
    _until(lambda: _others_in(watcher, "wait_event_type = 'Lock'") > 0, running)
    server.kill()
    watcher.commit()  # let go: the dead server's transaction goes on, then finds no client
    watcher.autocommit = True
    running.thread.join()
    assert isinstance(running.answer, Exception), running.answer
    _gone(watcher)
    status, number = watcher.execute(
        "SELECT status, number FROM documents_document WHERE id = %s", [made["draft"]]
    ).fetchone()
    assert (status, number) == ("draft", None)
    last = watcher.execute(
        "SELECT last_number FROM documents_numberseries WHERE id = %s", [made["series"]]
    ).fetchone()[0]
    assert last == 1
    server.start()
    status, body = server.request("POST", path, made["token"])
    assert status == 200 and body["number"] == 2, body


def _others_in(watcher, where: str) -> int:
    """``_others`` from inside the watcher's open transaction (pg_stat_activity is a
    snapshot per transaction: clear it to see the present)."""
    watcher.execute("SELECT pg_stat_clear_snapshot()")
    return _others(watcher, where)
