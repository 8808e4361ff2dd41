"""The flush between transactional tests on PostgreSQL: a DELETE from each table with rows.

After each transactional test (every browser test) Django empties the database with one
TRUNCATE of its ~150 tables. On PostgreSQL 15 a TRUNCATE gives every table and index
new files, each index built empty with an fsync of its own (``DataFileImmediateSync``),
and unlinks the old files at the commit: 0,5 s on a quiet machine, 6–11 s a test on a
loaded one (tests/browser/test_checkin.py, 07/12/2026), minutes of the suite.

Most tables are still empty at the end of a test. The others are emptied with a DELETE
each, with triggers and foreign-key checks off for the flush's transaction
(``session_replication_role = replica``): every table ends empty, so no reference is
left dangling, and the checks would otherwise run row by row at the commit (a DELETE
with them was slower than the TRUNCATE after the tests that load the demo). A flush
that resets sequences keeps Django's TRUNCATE … RESTART IDENTITY.
"""

from django.db.backends.postgresql.operations import DatabaseOperations

_truncate = DatabaseOperations.sql_flush


def _delete_the_rows(self, style, tables, *, reset_sequences=False, allow_cascade=False):
    if reset_sequences or not tables:
        return _truncate(
            self, style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade
        )
    quoted = [self.quote_name(table) for table in tables]
    with self.connection.cursor() as cursor:
        cursor.execute(
            " UNION ALL ".join(
                f"SELECT {i} WHERE EXISTS (SELECT FROM {name})" for i, name in enumerate(quoted)
            )
        )
        full = [quoted[i] for (i,) in cursor.fetchall()]
    if not full:
        return []
    return [
        "SET LOCAL session_replication_role = replica",
        *(f"{style.SQL_KEYWORD('DELETE FROM')} {name}" for name in full),
    ]


def install() -> None:
    DatabaseOperations.sql_flush = _delete_the_rows  # type: ignore[method-assign]
