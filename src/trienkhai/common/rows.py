"""Model rows read and written with hand-written SQL, for the few hot paths that need it.

Django builds and compiles each queryset afresh: 0.3–1 ms of CPU, several times what
the database takes to answer a lookup by key. Saving one value through the API asked
about ten such questions, so its statements are written by hand with these helpers:
the quoted table and column list of a model, statements built once per process,
model instances made from the rows with the conversions the ORM applies (aware
datetimes, decimals, UUIDs, booleans on SQLite), and parameters prepared as the ORM
prepares them. The statements are plain SQL that
SQLite and PostgreSQL both run (``FOR UPDATE`` only where the database has it); the
test suite runs on both.
"""

from collections.abc import Callable, Sequence
from functools import cache
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import Model, signals
from django.db.models.base import ModelState

# The connection is taken from ``connections`` once per call: ``django.db.connection``
# is a proxy that looks the connection up again on each attribute.


def _db():
    return connections[DEFAULT_DB_ALIAS]


def statement(build: Callable[..., str]) -> Callable[..., str]:
    """Decorate a function that builds a statement (with ``table``, ``columns``...): the
    statement is built once per database vendor and arguments, then reused."""
    built: dict[tuple, str] = {}

    def get(*args) -> str:
        key = (_db().vendor, *args)
        sql = built.get(key)
        if sql is None:
            sql = built[key] = build(*args)
        return sql

    return get


def table(model: type[Model]) -> str:
    return _db().ops.quote_name(model._meta.db_table)


def column(model: type[Model], name: str) -> str:
    """The quoted column of field ``name`` (e.g. "unit" gives "unit_id")."""
    return _db().ops.quote_name(model._meta.get_field(name).column)  # type: ignore[union-attr]


def columns(model: type[Model], alias: str) -> str:
    """``alias."col", ...``: every concrete field of ``model``, in the order ``instance`` reads."""
    quote = _db().ops.quote_name
    return ", ".join(f"{alias}.{quote(f.column)}" for f in model._meta.concrete_fields)


def width(model: type[Model]) -> int:
    """How many columns ``columns`` lists."""
    return len(model._meta.concrete_fields)


def for_update() -> str:
    """`` FOR UPDATE`` where the database locks rows (SQLite locks the whole database for
    the transaction: IMMEDIATE, see settings)."""
    return " FOR UPDATE" if _db().features.has_select_for_update else ""


@cache
def _reading(model: type[Model], vendor: str) -> tuple[list[str], list[tuple[int, list, Any]]]:
    """The attnames of ``model``'s columns, and the converters the ORM applies to them."""
    db = _db()
    converters = []
    for i, field in enumerate(model._meta.concrete_fields):
        col = field.get_col(model._meta.db_table)
        convs = db.ops.get_db_converters(col) + col.get_db_converters(db)
        if convs:
            converters.append((i, convs, col))
    return [f.attname for f in model._meta.concrete_fields], converters


def instance(model: type[Model], row: Sequence, start: int = 0):
    """The instance of ``model`` that the ORM would make of ``row[start:start + width]``
    (read with ``columns``)."""
    db = _db()
    names, converters = _reading(model, db.vendor)
    values = list(row[start : start + len(names)])
    for i, convs, col in converters:
        value = values[i]
        for convert in convs:
            value = convert(value, col, db)
        values[i] = value
    if not _plain(model):
        return model.from_db(db.alias, names, values)
    # What ``from_db`` gives, made without ``Model.__init__``: its loop of setattr over
    # the fields and its two signal sends (nobody listens: ``_plain``) were a third of
    # the CPU of reading a row (a save of one value reads eight).
    made = model.__new__(model)
    made.__dict__.update(zip(names, values, strict=True))
    state = made._state = ModelState()
    state.adding, state.db = False, db.alias
    return made


def _plain(model: type[Model]) -> bool:
    """Whether ``model`` is made by ``Model.__init__`` and ``from_db`` as Django writes
    them, with no receiver of its ``pre_init``/``post_init`` (asked each time: receivers
    may connect later, as ImageField's do when its model is ready)."""
    return (
        model.__init__ is Model.__init__
        and model.from_db.__func__ is Model.from_db.__func__  # type: ignore[attr-defined]
        and not signals.pre_init.has_listeners(model)
        and not signals.post_init.has_listeners(model)
    )


def prepared(instance: Model, name: str) -> Any:
    """The value of ``instance``'s field ``name`` as the ORM hands it to the database driver
    (a foreign key: its id)."""
    field = instance._meta.get_field(name)
    return field.get_db_prep_save(getattr(instance, field.attname), _db())  # type: ignore[union-attr]


def fetch(sql: str, params: Sequence) -> list[tuple]:
    """Every row of ``sql`` run with ``params``."""
    with _db().cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


@statement
def _update_sql(model: type[Model], names: tuple[str, ...]) -> str:
    sets = ", ".join(f"{column(model, name)} = %s" for name in names)
    return f"UPDATE {table(model)} SET {sets} WHERE {column(model, 'id')} = %s"


@cache
def _fields(model: type[Model], names: tuple[str, ...]) -> tuple:
    return tuple(model._meta.get_field(name) for name in names)


def update(instance: Model, names: Sequence[str]) -> None:
    """``instance.save(update_fields=names)`` as one UPDATE written by hand. Like
    ``bulk_update`` it sends no model signals."""
    db, key = _db(), tuple(names)
    params = [
        f.get_db_prep_save(getattr(instance, f.attname), db) for f in _fields(type(instance), key)
    ]
    with db.cursor() as cursor:
        cursor.execute(_update_sql(type(instance), key), [*params, instance.pk])


def _written(model: type[Model]) -> list:
    return [f for f in model._meta.concrete_fields if not f.primary_key]


@statement
def _insert_sql(model: type[Model], count: int) -> str:
    fields = _written(model)
    marks = "(" + ", ".join(["%s"] * len(fields)) + ")"
    quote = _db().ops.quote_name
    return (
        f"INSERT INTO {table(model)} ({', '.join(quote(f.column) for f in fields)})"
        f" VALUES {', '.join([marks] * count)}"
    )


def insert(instances: Sequence[Model]) -> None:
    """``bulk_create(instances)`` without reading back the new ids: multi-row INSERTs
    written by hand, as many rows to a statement as the database takes parameters."""
    if not instances:
        return
    db = _db()
    model = type(instances[0])
    fields = _written(model)
    most = db.features.max_query_params
    size = max(1, most // len(fields)) if most else 500
    for start in range(0, len(instances), size):
        chunk = instances[start : start + size]
        params = [f.get_db_prep_save(f.pre_save(obj, True), db) for obj in chunk for f in fields]
        with db.cursor() as cursor:
            cursor.execute(_insert_sql(model, len(chunk)), params)
