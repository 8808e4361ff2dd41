"""Reads from a PostgreSQL streaming replica; writes, and one's own reads, on the primary.

Configured by TRIENKHAI_REPLICA_URL (settings.py): without it there is no "replica"
database, no router and no middleware, and everything runs on the default database as
before. Decision docs/decisions/0026-read-replica.md explains the rules:

- Writes always go to the primary ("default"); so do migrations.
- Only a GET or HEAD page request from a browser may read from the replica, and only
  until the request writes something (then the rest of it reads the primary). Inside a
  transaction, reads stay on the primary (`select_for_update` goes there anyway).
  Commands, tests, threads and API requests with an Authorization header read the
  primary: the replica is opted into, per request, by `ReplicaMiddleware`.
- Who you are and what you may do (sessions, users, roles, tokens, log-in locks, second
  factors) is always read from the primary: a role taken away takes effect at once.
- Read your own writes: after a request that wrote, the response carries a cookie with
  the primary's WAL position. Until the replica has replayed that position, that
  browser's requests read the primary; once it has, the cookie is dropped.
- A replica that cannot be reached is not used for RETRY_SECONDS (a warning is logged):
  reads go to the primary, the site stays up.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import DatabaseError, connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.http import HttpRequest, HttpResponseBase

DEFAULT = "default"
REPLICA = "replica"
ROUTER = "trienkhai.common.replica.ReplicaRouter"
MIDDLEWARE = "trienkhai.common.replica.ReplicaMiddleware"
COOKIE = "trienkhai_lsn"
# Long enough for any replica that still streams to catch up; the cookie is dropped as
# soon as the replica has replayed the position, so it rarely lives this long.
COOKIE_SECONDS = 3600
RETRY_SECONDS = 30.0
# Identity and permissions: never read from a replica that may be behind.
PRIMARY_ONLY_APPS = frozenset(
    {"sessions", "auth", "accounts", "axes", "otp_totp", "otp_static", "django_otp"}
)
_LSN = re.compile(r"^[0-9A-F]{1,8}/[0-9A-F]{1,8}$")

logger = logging.getLogger(__name__)


@dataclass
class _Request:
    """What one request may read from: decided at its first routed read."""

    may_read_replica: bool
    since: str | None  # the WAL position of this browser's last write (the cookie)
    wrote: bool = False
    alias: str | None = None


_current: ContextVar[_Request | None] = ContextVar("trienkhai_replica_request", default=None)
_down_until = 0.0


def is_active() -> bool:
    """Whether a replica is configured and routed to (settings.py; tests turn it off)."""
    return REPLICA in settings.DATABASES and ROUTER in settings.DATABASE_ROUTERS


def read_alias() -> str:
    """The database the current request reads from now."""
    request = _current.get()
    if (
        request is None
        or not request.may_read_replica
        or request.wrote
        or connections[DEFAULT].in_atomic_block
    ):
        return DEFAULT
    if request.alias is None:
        request.alias = _choose(request.since)
    return request.alias


def _choose(since: str | None) -> str:
    """The replica if it is up and has replayed `since` (the caller's last write)."""
    global _down_until
    if time.monotonic() < _down_until:
        return DEFAULT
    try:
        with connections[REPLICA].cursor() as cursor:
            # NULL when the server is not in recovery (a promoted replica): not used.
            cursor.execute(
                "SELECT pg_last_wal_replay_lsn() IS NOT NULL"
                " AND (%s::pg_lsn IS NULL OR pg_last_wal_replay_lsn() >= %s::pg_lsn)",
                [since, since],
            )
            row = cursor.fetchone()
    except DatabaseError as error:
        _down_until = time.monotonic() + RETRY_SECONDS
        connections[REPLICA].close()
        logger.warning("replica unreachable, reading from the primary: %s", error)
        return DEFAULT
    return REPLICA if row and row[0] else DEFAULT


def reset_after_outage() -> None:
    """Try the replica again at the next request (tests; an operator's shell)."""
    global _down_until
    _down_until = 0.0


class ReplicaRouter:
    """Django's database router for the primary/replica pair."""

    def db_for_read(self, model: Any, **hints: Any) -> str:
        if model._meta.app_label in PRIMARY_ONLY_APPS:
            return DEFAULT
        return read_alias()

    def db_for_write(self, model: Any, **hints: Any) -> str:
        request = _current.get()
        if request is not None:
            request.wrote = True
        return DEFAULT

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool:
        return True  # the same data on both servers

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool:
        return db == DEFAULT


_WRITES = re.compile(r"\b(INSERT|UPDATE|DELETE|MERGE)\b", re.IGNORECASE)


def _is_read(sql: str) -> bool:
    """A plain SELECT, or one behind WITH (the hierarchy's recursive walks): a WITH that
    writes (INSERT, UPDATE, DELETE, MERGE) or any FOR UPDATE is not. Until 07/12/2026 a
    WITH RECURSIVE walk counted as a write, so a GET that asked the policy about a unit
    above the user's kept the read-your-writes cookie and stayed off the replica."""
    text = sql.lstrip()
    head = text[:6].upper()
    if head == "SELECT":
        return "FOR UPDATE" not in text.upper()
    if head[:4] == "WITH":
        return not _WRITES.search(text)
    return False


class ReplicaMiddleware:
    """Opens the replica to a browser's GET or HEAD, and remembers where its writes are.

    Outermost in MIDDLEWARE, so that a session saved by SessionMiddleware counts as a
    write. Every statement on the primary that is not a plain SELECT marks the request
    as having written (ORM or hand-written SQL alike)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if not is_active():
            return self.get_response(request)
        cookie = request.COOKIES.get(COOKIE)
        since = cookie if cookie and _LSN.match(cookie) else None
        browser = "HTTP_AUTHORIZATION" not in request.META
        state = _Request(
            may_read_replica=(
                browser
                and request.method in ("GET", "HEAD")
                and not (cookie and since is None)  # a garbled cookie: the primary, to be safe
            ),
            since=since,
        )

        def watch(execute, sql, params, many, context):  # type: ignore[no-untyped-def]
            if not state.wrote and not _is_read(sql):
                state.wrote = True
            return execute(sql, params, many, context)

        token = _current.set(state)
        try:
            with connections[DEFAULT].execute_wrapper(watch):
                response = self.get_response(request)
        finally:
            _current.reset(token)
        if state.wrote and browser:
            _remember_position(response)
        elif cookie and state.alias == REPLICA:
            response.delete_cookie(COOKIE)  # the replica has replayed this browser's writes
        return response


def _remember_position(response: HttpResponseBase) -> None:
    """The cookie of the primary's WAL position after this request's writes.

    The insert position is at or past the end of every record this request's commits
    wrote, whatever synchronous_commit says: once the replica has replayed it, it has
    these writes. (API clients with a token read the primary: no cookie for them.)"""
    with connections[DEFAULT].cursor() as cursor:
        cursor.execute("SELECT pg_current_wal_insert_lsn()::text")
        row = cursor.fetchone()
    if row is None:
        return
    response.set_cookie(
        COOKIE,
        row[0],
        max_age=COOKIE_SECONDS,
        httponly=True,
        samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
    )


def read_connection() -> BaseDatabaseWrapper:
    """The connection for a hand-written read of data (values, totals, the tree) that the
    router would send to the replica. Not for identity or permissions, nor for reads a
    write depends on: inside a transaction or after a write it is the primary anyway."""
    return connections[read_alias()]
