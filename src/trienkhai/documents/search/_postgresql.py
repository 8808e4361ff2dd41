"""PostgreSQL: a generated tsvector of ``SearchEntry.text`` ('simple': no stemming,
the words are already folded) with a GIN index (private)."""

from collections.abc import Iterable

from django.db import connection
from django.db.models import BooleanField
from django.db.models.expressions import RawSQL

ENTRY = "documents_searchentry"
COUNT_WITH_PAGE = False
"""With a window count PostgreSQL walks the date index testing every entry's words;
apart, the page walks the date index only to its 50th match and the count combines the
word and unit indexes."""

SETUP = [
    f"ALTER TABLE {ENTRY} ADD COLUMN words tsvector "
    "GENERATED ALWAYS AS (to_tsvector('simple', text)) STORED",
    f"CREATE INDEX {ENTRY}_words ON {ENTRY} USING gin (words)",
]
TEARDOWN = [
    f"DROP INDEX IF EXISTS {ENTRY}_words",
    f"ALTER TABLE {ENTRY} DROP COLUMN IF EXISTS words",
]


def tsquery(terms: list[list[str]]) -> str:
    """to_tsquery syntax: each term a phrase of quoted pieces, all required ('12' <-> 'qd' & 'dang')."""
    # Terms hold only letters and digits (search.query_terms), so quoting is safe.
    return " & ".join(" <-> ".join(f"'{piece}'" for piece in term) for term in terms)


def matching(terms: list[list[str]]) -> RawSQL:
    """The ids of the documents holding the words, as a subquery."""
    return RawSQL(
        f"SELECT document_id FROM {ENTRY} WHERE words @@ to_tsquery('simple', %s)",
        (tsquery(terms),),
    )


def entry_condition(terms: list[list[str]]) -> RawSQL:
    """A condition on the entries themselves: the GIN index, no self-join."""
    return RawSQL(
        f"\"{ENTRY}\".words @@ to_tsquery('simple', %s)",
        (tsquery(terms),),
        output_field=BooleanField(),
    )


def id_list(ids: Iterable[int]) -> list[int]:
    """The ids as they are: PostgreSQL plans ``IN (...)`` as ``= ANY(array)``, which it
    estimates well (``IN (SELECT unnest(...))`` led it to scan every document)."""
    return sorted(ids)


def optimize() -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {ENTRY}")


def count(terms: list[list[str]]) -> int:
    """How many documents hold the words (each has one entry)."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT count(*) FROM {ENTRY} WHERE words @@ to_tsquery('simple', %s)",
            [tsquery(terms)],
        )
        return int(cursor.fetchone()[0])
