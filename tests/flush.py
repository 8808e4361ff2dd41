"""The flush between transactional tests: back to the database as migrated, quickly.

After each transactional test (every browser test) Django empties every table, then
sends ``post_migrate``, whose receivers make the content types and permissions again
(some 400 queries), and the next test made the migrations' seed again through the
services (the unit kinds and the country, the document types, the registers'
indicators, the kinds of commendation): together 1–3 s a test on PostgreSQL under load,
and every later test of the worker remade the seed inside its own transaction, rolled
back with it. Now:

- **The content types and permissions are kept** (``KEPT``): the migrations made them
  and no test changes them, so ``post_migrate`` has nothing to make and is not sent.
- **The migrations' other rows come back in the flush's own transaction** (``SEED``,
  read once per worker from its fresh copy of the template, tests/template_db.py): the
  flush ends with the database each test starts from, whatever test comes next.
- **On PostgreSQL only the tables with rows are emptied**, each with a DELETE, triggers
  and foreign-key checks off for the flush's transaction (``session_replication_role =
  replica``). Django's one TRUNCATE of the ~150 tables gives each table and index new
  files, each index built empty with an fsync of its own (``DataFileImmediateSync``):
  0,5 s on a quiet machine, 6–11 s a test on a loaded one (07/12/2026). Every table ends
  empty but for the seed, so no reference is left dangling. Sequences are not
  restarted: the seed keeps its ids, and new rows' ids go on from the last one.
"""

from django.core.management.commands import flush as flush_command
from django.db.backends.postgresql.operations import DatabaseOperations

KEPT = frozenset({"django_content_type", "auth_permission"})
"""Tables a flush leaves as they are: what ``post_migrate`` would make again."""

SEED: list[str] = []
"""One INSERT of literals per row the migrations left in the tables a flush empties
(``remember_the_seed``): some 90 rows in 7 tables."""


def remember_the_seed(connection) -> None:
    """Read the rows of the fresh test database, as the template holds them, as INSERT
    statements of literals: SQLite's ``quote()`` and PostgreSQL's ``quote_nullable()``
    write each value as the database reads it back, whatever its type."""
    quote = connection.ops.quote_name
    literal = "quote_nullable" if connection.vendor == "postgresql" else "quote"
    statements = []
    with connection.cursor() as cursor:
        for table in _flushed_tables(connection):
            cursor.execute(f"SELECT * FROM {quote(table)} WHERE 1 = 0")
            columns = [quote(column[0]) for column in cursor.description]
            values = " || ', ' || ".join(f"{literal}({column})" for column in columns)
            head = f"INSERT INTO {quote(table)} ({', '.join(columns)}) VALUES ("
            cursor.execute(f"SELECT {values} FROM {quote(table)}")
            statements += [f"{head}{row})" for (row,) in cursor.fetchall()]
    SEED[:] = statements


def _flushed_tables(connection) -> list[str]:
    names = connection.introspection.django_table_names(only_existing=True, include_views=False)
    return sorted(set(names) - KEPT)


def _flush_sql(style, connection, reset_sequences=True, allow_cascade=False) -> list[str]:
    """The flush command's statements: every table but ``KEPT`` emptied, then the seed.

    Sequences go on, whatever the flush was asked (the command's default restarts
    them): the seed comes back with its ids, which a restarted sequence would hand out
    again on PostgreSQL."""
    tables = _flushed_tables(connection)
    emptied = connection.ops.sql_flush(
        style, tables, reset_sequences=False, allow_cascade=allow_cascade
    )
    return [*emptied, *SEED]


def _nothing_to_make_again(verbosity, interactive, db, **kwargs) -> None:
    """``post_migrate`` after a flush: its receivers make content types and permissions,
    which the flush kept."""


def _delete_the_rows(self, style, tables, *, reset_sequences=False, allow_cascade=False):
    if not tables:
        return []
    quoted = [self.quote_name(table) for table in tables]
    with self.connection.cursor() as cursor:
        cursor.execute(
            " UNION ALL ".join(
                f"SELECT {i} WHERE EXISTS (SELECT FROM {name})" for i, name in enumerate(quoted)
            )
        )
        full = [quoted[i] for (i,) in cursor.fetchall()]
    return [
        "SET LOCAL session_replication_role = replica",
        *(f"{style.SQL_KEYWORD('DELETE FROM')} {name}" for name in full),
    ]


def install() -> None:
    DatabaseOperations.sql_flush = _delete_the_rows  # type: ignore[method-assign]
    flush_command.sql_flush = _flush_sql  # type: ignore[attr-defined]
    flush_command.emit_post_migrate_signal = _nothing_to_make_again  # type: ignore[attr-defined]
