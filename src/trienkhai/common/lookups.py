"""``field__among=ids``: ``__in`` for long lists of ids, as one parameter.

The country's subtree is some 14.000 unit ids, and the national pages filter by it
(``orgs.access.visible_subtree_ids``). Django's ``__in`` prepares, compiles and binds
each id as a parameter of its own: about 100 ms of Python a query for 14.000 ids, over
a second for the national admin's list of activities, where the database answers each
query in a few milliseconds. ``__among`` sends the list as one value: an array on
PostgreSQL (``= ANY(%s)``), a JSON array on SQLite (``IN (SELECT value FROM
json_each(%s))``). Same rows as ``__in``; integers only.
"""

import json
from collections.abc import Iterable

from django.core.exceptions import EmptyResultSet
from django.db import models
from django.db.models import Lookup


class Among(Lookup):
    lookup_name = "among"
    prepare_rhs = False

    def get_prep_lookup(self) -> list[int]:
        if not isinstance(self.rhs, Iterable) or isinstance(self.rhs, (str, bytes)):
            raise TypeError("__among takes an iterable of integer ids")
        ids = set()
        for value in self.rhs:
            if isinstance(value, bool) or not isinstance(value, int):
                raise TypeError(f"__among takes integer ids, not {value!r}")
            ids.add(value)
        return sorted(ids)

    def as_sql(self, compiler, connection):
        if not self.rhs:
            raise EmptyResultSet
        lhs, lhs_params = self.process_lhs(compiler, connection)
        if connection.vendor == "postgresql":
            return f"{lhs} = ANY(%s)", [*lhs_params, self.rhs]
        if connection.vendor == "sqlite":
            return f"{lhs} IN (SELECT value FROM json_each(%s))", [
                *lhs_params,
                json.dumps(self.rhs),
            ]
        raise NotImplementedError(f"__among on {connection.vendor}")


models.IntegerField.register_lookup(Among)
models.ForeignKey.register_lookup(Among)
