"""Writing many rows fast: COPY on PostgreSQL, one executemany on SQLite; and asking
about many keys at once (``among``).

Several times faster than ``bulk_create``, whose per-value preparation dominated the
divisions import and the bulk value import. Both branches run in the test suite, which
runs on both databases.
"""

import contextlib
import gc
import json
from collections.abc import Iterable, Iterator
from typing import Any

from django.db import connection


def insert_rows(
    model, names: tuple[str, ...], rows: list[tuple], *, prepared: bool = False
) -> None:
    """INSERT ``rows`` (tuples of the fields ``names``, by attname) into ``model``'s table.

    COPY on PostgreSQL, one ``executemany`` of a plain INSERT elsewhere, inside the
    import's transaction. Tuples rather than dicts and no per-value adaptation: the
    callers pass values the driver takes as they are, and a datetime adapted once. A
    field the rows leave out gets its model default, so a field added later with a
    default keeps working.

    ``prepared``: the rows are written as they are, with no copy of each row, when
    every value is of its column's Python type exactly (int for integer and bigint
    columns, Decimal or int for numeric, str for text, None for NULL) and dates and datetimes
    are already adapted (``adapt_datetime``). When the rows also give every field but
    the primary key, PostgreSQL's COPY goes in binary format: psycopg's C dumpers
    write a row in about half the time of the text format and the server parses no
    text (decision 0015).
    """
    if not rows:
        return
    postgres = connection.vendor == "postgresql"
    ops = connection.ops
    meta = model._meta
    fields = [meta.get_field(name) for name in names]
    rest = [f for f in meta.concrete_fields if f.attname not in names and not f.primary_key]
    fixed = tuple(_adapt(f, f.get_default()) for f in rest)
    kinds = [f.get_internal_type() for f in fields]
    # Dates and datetimes are adapted once per distinct value (an import has one "now").
    adapted = [i for i, kind in enumerate(kinds) if kind in ("DateTimeField", "DateField")]
    if adapted and not prepared:
        cache: dict[tuple[int, Any], Any] = {}

        def adapt(row: tuple) -> tuple:
            out = list(row)
            for i in adapted:
                key = (i, out[i])
                if key not in cache:
                    cache[key] = _adapt(fields[i], out[i])
                out[i] = cache[key]
            return tuple(out)

        rows = [adapt(row) for row in rows]
    if fixed:
        rows = [row + fixed for row in rows]
    table = ops.quote_name(meta.db_table)
    names_sql = ", ".join(ops.quote_name(f.column) for f in [*fields, *rest])
    with connection.cursor() as cursor:
        if postgres:
            # The column types given once: psycopg then picks each column's dumper once
            # instead of per value.
            types = [f.db_type(connection).split("(")[0] for f in [*fields, *rest]]
            options = " (FORMAT BINARY)" if prepared and not rest else ""
            # The raw cursor's COPY, with Django's error classes (IntegrityError …).
            with (
                connection.wrap_database_errors,
                cursor.cursor.copy(f"COPY {table} ({names_sql}) FROM STDIN{options}") as copy,
            ):
                copy.set_types(types)
                for row in rows:
                    copy.write_row(row)
        else:
            marks = ", ".join(["%s"] * (len(fields) + len(rest)))
            cursor.executemany(f"INSERT INTO {table} ({names_sql}) VALUES ({marks})", rows)


def among(values: Iterable[int | str]) -> tuple[str, str | list]:
    """A condition "is one of ``values``" to put after a column, and its one parameter:
    ``= ANY(%s)`` with an array on PostgreSQL, ``IN (SELECT value FROM json_each(%s))``
    with a JSON array on SQLite.

    However many the values, one statement with one parameter: no chunks within
    SQLite's limit on parameters, no 10,000 placeholders for the driver to split in
    Python (psycopg) or for the ORM to prepare one by one. Both databases use the
    column's index for each value. ``values`` are ints or strs, all of one kind.
    """
    values = list(values)
    if connection.vendor == "postgresql":
        kind = "bigint" if all(type(v) is int for v in values) else "text"
        return f"= ANY(%s::{kind}[])", values
    return "IN (SELECT value FROM json_each(%s))", json.dumps(values, ensure_ascii=False)


@contextlib.contextmanager
def no_cycle_collection() -> Iterator[None]:
    """Python's cycle collector paused while an import holds hundreds of thousands of
    small tuples: it would walk them all again and again (1,365 collections, 0.34 s of
    an import of 200,000 values, about a tenth). Those rows hold no cycles: reference
    counting frees them as before. The collector runs again afterwards, also after an
    error; nested or concurrent uses leave it as the outermost found it.
    """
    paused = gc.isenabled()
    if paused:
        gc.disable()
    try:
        yield
    finally:
        if paused:
            gc.enable()


def adapt_datetime(value: Any) -> Any:
    """A datetime as ``insert_rows(..., prepared=True)`` takes it on this database."""
    return connection.ops.adapt_datetimefield_value(value)


def _adapt(field, value: Any) -> Any:
    if value is None:
        return None
    kind = field.get_internal_type()
    if kind == "DateTimeField":
        return connection.ops.adapt_datetimefield_value(value)
    if kind == "DateField":
        return connection.ops.adapt_datefield_value(value)
    return value
