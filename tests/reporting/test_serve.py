"""`trienkhai serve --workers N`: several server processes answer (decision 0009)."""

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest

from tests import template_db


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _children(pid: int) -> list[str]:
    found = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True, check=False)
    return found.stdout.split()


@pytest.mark.skipif(os.name != "posix", reason="gunicorn runs on Unix")
def test_it_serves_the_api_from_several_processes(tmp_path):
    port = _free_port()
    # The suite's migrated template (tests/template_db.py): serve's own migrate then
    # finds nothing to do, instead of a minute of migrating a new database.
    template_db.copy_sqlite_template(tmp_path / "serve.sqlite3")
    env = {
        # Its own SQLite file: a replica of the suite's PostgreSQL (make test-postgres)
        # is no replica of it, and settings refuse the pair.
        **{k: v for k, v in os.environ.items() if k != "TRIENKHAI_REPLICA_URL"},
        "TRIENKHAI_DATABASE_URL": f"sqlite:///{tmp_path / 'serve.sqlite3'}",
        "TRIENKHAI_DATA_DIR": str(tmp_path),
        "TRIENKHAI_DEBUG": "1",
    }
    server = subprocess.Popen(
        [sys.executable, "-m", "trienkhai.cli", "serve", "--port", str(port), "--workers", "2"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        answer = None
        deadline = time.monotonic() + 300  # starting two workers; slow on a busy machine
        while answer is None and time.monotonic() < deadline:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1/forms", timeout=5)
            except urllib.error.HTTPError as exc:
                answer = exc.code
            except OSError:
                assert server.poll() is None, server.stderr.read().decode()[-2000:]
                time.sleep(0.3)
        assert answer == 401  # the API answered: anonymous callers must authenticate
        # gunicorn's arbiter forks its workers one by one, with a random pause of up to
        # 0.1 s between them: the first may answer before the second exists.
        workers = _children(server.pid)
        while len(workers) < 2 and time.monotonic() < deadline:
            time.sleep(0.1)
            workers = _children(server.pid)
        assert len(workers) == 2
    finally:
        server.terminate()
        server.wait(timeout=30)
