"""SQLite: an FTS5 table over ``SearchEntry.text``, kept in step by triggers (private)."""

import json
from collections.abc import Iterable

from django.db import connection
from django.db.models import BooleanField
from django.db.models.expressions import RawSQL

FTS = "documents_search_fts"
COUNT_WITH_PAGE = True
"""Count the matches in the page's query (a window), not in a second pass over them."""
ENTRY = "documents_searchentry"

SETUP = [
    # External content: the words are stored once, in SearchEntry; FTS5 keeps the index.
    f"CREATE VIRTUAL TABLE {FTS} USING fts5("
    f"text, content='{ENTRY}', content_rowid='document_id', tokenize='unicode61')",
    f"CREATE TRIGGER {ENTRY}_ai AFTER INSERT ON {ENTRY} BEGIN "
    f"INSERT INTO {FTS}(rowid, text) VALUES (new.document_id, new.text); END",
    f"CREATE TRIGGER {ENTRY}_ad AFTER DELETE ON {ENTRY} BEGIN "
    f"INSERT INTO {FTS}({FTS}, rowid, text) VALUES ('delete', old.document_id, old.text); END",
    f"CREATE TRIGGER {ENTRY}_au AFTER UPDATE ON {ENTRY} BEGIN "
    f"INSERT INTO {FTS}({FTS}, rowid, text) VALUES ('delete', old.document_id, old.text); "
    f"INSERT INTO {FTS}(rowid, text) VALUES (new.document_id, new.text); END",
    f"INSERT INTO {FTS}({FTS}) VALUES ('rebuild')",
    # Each FTS5 match is looked up here for its unit (permission) and date (order): one
    # narrow b-tree instead of the entry's row, which holds the whole text.
    f"CREATE INDEX {ENTRY}_cover ON {ENTRY} (document_id, unit_id, date)",
]
TEARDOWN = [
    f"DROP INDEX IF EXISTS {ENTRY}_cover",
    f"DROP TRIGGER IF EXISTS {ENTRY}_ai",
    f"DROP TRIGGER IF EXISTS {ENTRY}_ad",
    f"DROP TRIGGER IF EXISTS {ENTRY}_au",
    f"DROP TABLE IF EXISTS {FTS}",
]


def match_expression(terms: list[list[str]]) -> str:
    """FTS5 syntax: each term a quoted phrase, all required ("dang" "12 qd ubnd")."""
    # Terms hold only letters and digits (search.query_terms), so quoting is safe.
    return " ".join('"' + " ".join(term) + '"' for term in terms)


def matching(terms: list[list[str]]) -> RawSQL:
    """The ids of the documents holding the words, as a subquery."""
    return RawSQL(f"SELECT rowid FROM {FTS} WHERE {FTS} MATCH %s", (match_expression(terms),))


def entry_condition(terms: list[list[str]]) -> RawSQL:
    """A condition on the entries: their document among the FTS5 matches."""
    return RawSQL(
        f'"{ENTRY}".document_id IN (SELECT rowid FROM {FTS} WHERE {FTS} MATCH %s)',
        (match_expression(terms),),
        output_field=BooleanField(),
    )


def id_list(ids: Iterable[int]) -> RawSQL:
    """The ids as one parameter (a JSON array), however many: no limit on SQL variables."""
    return RawSQL("SELECT value FROM json_each(%s)", (json.dumps(sorted(ids)),))


def optimize() -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {FTS}({FTS}) VALUES ('optimize')")
        cursor.execute(f"ANALYZE {ENTRY}")


def count(terms: list[list[str]]) -> int:
    """How many documents hold the words: FTS5 counts its matches without a lookup each."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT count(*) FROM {FTS} WHERE {FTS} MATCH %s", [match_expression(terms)]
        )
        return int(cursor.fetchone()[0])
