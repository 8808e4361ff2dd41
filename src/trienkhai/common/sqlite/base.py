"""Django's SQLite backend whose write transactions queue on a lock file.

SQLite lets one writer at a time hold the database. With several server processes, a
``BEGIN IMMEDIATE`` that finds the lock taken is retried by SQLite's busy handler, which
sleeps 1, 2, 5, 10, 15, 20, 25, ... 100 ms between tries: a writer freed after 3 ms may
sleep 10 more, and under load the same unlucky request can lose round after round (the
save bench's p95 was 619 ms, its p99 seconds, at 279 saves/s). Here each transaction first
takes an exclusive ``flock`` on ``<database>-writer.lock``: the kernel wakes the next
waiter the moment the lock is released, without polling, so writers take turns as fast
as they commit. Readers never touch the lock file (WAL: they go on during a write).

The lock is taken where Django begins a transaction (``atomic``'s outermost block,
``BEGIN IMMEDIATE``) and released when it commits, rolls back or the connection
closes; the kernel releases it if the process dies. A write outside any transaction (one
statement in autocommit) does not queue here: SQLite's busy timeout still covers it.
Like a row lock in PostgreSQL (whose ``lock_timeout`` is off by default), the wait has
no limit: transactions are short by rule (no file parsing, no network inside one).
In-memory databases (the tests') have one connection and no file: no lock.
"""

import fcntl
import os

from django.db.backends.sqlite3 import base


# django-stubs leave out the backend's private methods overridden here: type: ignore[misc].
class DatabaseWrapper(base.DatabaseWrapper):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._writer_file: int | None = None
        self._writer_holds = False

    def get_new_connection(self, conn_params):
        connection = super().get_new_connection(conn_params)
        if not self.is_in_memory_db() and self._writer_file is None:
            self._writer_file = os.open(
                f"{self.settings_dict['NAME']}-writer.lock", os.O_RDWR | os.O_CREAT | os.O_CLOEXEC
            )
        return connection

    def _start_transaction_under_autocommit(self):
        if self._writer_file is not None and not self._writer_holds:
            # Blocks without the GIL: the process's other threads go on meanwhile.
            fcntl.flock(self._writer_file, fcntl.LOCK_EX)
            self._writer_holds = True
        try:
            super()._start_transaction_under_autocommit()  # type: ignore[misc]
        except BaseException:
            self._release_writer()
            raise

    def _release_writer(self) -> None:
        if self._writer_holds and self._writer_file is not None:
            self._writer_holds = False
            fcntl.flock(self._writer_file, fcntl.LOCK_UN)

    def _commit(self):
        try:
            return super()._commit()  # type: ignore[misc]
        finally:
            self._release_writer()

    def _rollback(self):
        try:
            return super()._rollback()  # type: ignore[misc]
        finally:
            self._release_writer()

    def _close(self):
        try:
            return super()._close()  # type: ignore[misc]
        finally:
            self._release_writer()
            if self._writer_file is not None:
                os.close(self._writer_file)
                self._writer_file = None
