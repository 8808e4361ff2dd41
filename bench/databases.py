"""Fresh databases for a benchmark run: a SQLite file, or a PostgreSQL database."""

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

BENCH_DB = "trienkhai_bench"


@contextlib.contextmanager
def sqlite(root: Path, name: str) -> Iterator[str]:
    """A new SQLite file var/bench/<name>.sqlite3, removed afterwards."""
    folder = root / "var" / "bench"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.sqlite3"

    def remove() -> None:
        for suffix in ("", "-wal", "-shm", "-journal", "-writer.lock"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)

    remove()
    try:
        yield f"sqlite:///{path}"
    finally:
        remove()


def postgres_url() -> str | None:
    return os.environ.get("PG_URL") or None


@contextlib.contextmanager
def postgres(server_url: str) -> Iterator[str]:
    """Database ``<PG_URL's name>_bench`` (``trienkhai_bench`` without one) (re)created on
    the server of ``server_url``, dropped after."""
    import psycopg

    parts = urlsplit(server_url)
    admin = urlunsplit(parts._replace(path="/postgres"))
    # PG_URL's own database name, when it has one, keeps parallel runs apart.
    named = parts.path.strip("/")
    name = f"{named}_bench" if named and named != "postgres" else BENCH_DB
    bench = urlunsplit(parts._replace(path=f"/{name}"))

    def execute(sql: str) -> None:
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(sql)

    execute(f"DROP DATABASE IF EXISTS {name}")
    execute(f"CREATE DATABASE {name}")
    try:
        yield bench
    finally:
        execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def postgres_available(server_url: str) -> str | None:
    """None if the server answers, else why not."""
    import psycopg

    admin = urlunsplit(urlsplit(server_url)._replace(path="/postgres"))
    try:
        with psycopg.connect(admin, connect_timeout=5):
            return None
    except psycopg.Error as exc:
        return str(exc).strip().splitlines()[0]
