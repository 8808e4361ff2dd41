"""Search over the register: the facade (STYLE.md §8). The index behind it is private.

Every document has one ``SearchEntry``: its summary, symbol, signer, outside issuer and
the text of its attachments, folded by ``trienkhai.vn.fold`` (accents, tones and case
removed, đ → d) and split into words. A query is folded and split the same way, so
"dang" finds "Đảng" and "12/QD-UBND" finds "12/QĐ-UBND" (the words 12, qd, ubnd in a
row). Each word typed must be in the document; a word typed as several pieces
("04-BC/BTGHU") must be found as that phrase.

- ``index(document)``: rewrite a document's entry. Every service that changes what is
  indexed (summary, symbol, signer, issuer name, date, attachments) calls it; nothing
  else writes entries.
- ``rebuild()``: every entry again (after a bulk load, or to repair the index).
- ``search(queryset, q=..., issuer=..., ...)``: the queryset narrowed by text and filters.
- ``find(user, q=..., limit=, offset=)``: what ``user`` may see of it, filtered in SQL
  (``accounts.policy.visible_unit_ids``), newest first, one page and the total.

The database indexes the words its own way (decision record "document search index",
docs/decisions): SQLite an FTS5 table kept in step with ``SearchEntry`` by triggers,
PostgreSQL a generated ``tsvector`` column with a GIN index. The entries carry the
document's unit and date, so the permission filter, the order and the count run on the
entries alone; type and status join the documents.
"""

import datetime as dt
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db import connection
from django.db.models import Count, Q, QuerySet, Window

from trienkhai.documents.models import Attachment, Document, DocumentType, SearchEntry
from trienkhai.documents.search import _postgresql, _sqlite
from trienkhai.vn import fold

MAX_INDEXED_CHARS = 200_000
"""Of a document's text, the first this many characters are indexed (about 40,000 words,
a 100-page report). PostgreSQL refuses a tsvector over 1 MB; a longer text is still stored
with its attachment, only not searched past this point."""

MAX_PAGE = 500

_WORD = re.compile(r"[^\W_]+")


def words(text: str) -> str:
    """``text`` as the index stores it: folded, only letters and digits, one space between words."""
    return " ".join(_WORD.findall(fold(text)))


def query_terms(q: str) -> list[list[str]]:
    """The terms of a query: each typed word as the list of its pieces (a phrase)."""
    terms = [_WORD.findall(piece) for piece in fold(q).split()]
    return [term for term in terms if term]


def _backend():
    return _postgresql if connection.vendor == "postgresql" else _sqlite


def document_text(document: Document, attachment_texts: Iterable[str] = ()) -> str:
    parts = [document.summary, document.symbol, document.signer, document.issuer_name]
    return words(" ".join([*parts, *attachment_texts]))[:MAX_INDEXED_CHARS]


def index(document: Document) -> None:
    """Write ``document``'s entry from its fields and its attachments' text.

    Call it whenever a document is created or its summary, symbol, signer, issuer name,
    date or attachments change (the services do).
    """
    texts = document.attachments.values_list("text", flat=True)
    SearchEntry.objects.update_or_create(
        document=document,
        defaults={
            "unit_id": document.unit_id,
            "date": document.date,
            "text": document_text(document, texts),
        },
    )


def remove(document: Document) -> None:
    """Forget ``document``'s words (deleting a document does it too)."""
    SearchEntry.objects.filter(document=document).delete()


def rebuild(batch: int = 2000) -> int:
    """Every document's entry written again; returns how many. Bulk loads call this."""
    SearchEntry.objects.all().delete()
    ids = list(Document.objects.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), batch):
        chunk = ids[start : start + batch]
        texts: dict[int, list[str]] = {}
        attached = Attachment.objects.filter(document_id__in=chunk)
        for document_id, text in attached.values_list("document_id", "text"):
            texts.setdefault(document_id, []).append(text)
        documents = Document.objects.filter(pk__in=chunk).only(
            "unit_id", "date", "summary", "symbol", "signer", "issuer_name"
        )
        SearchEntry.objects.bulk_create(
            SearchEntry(
                document=d,
                unit_id=d.unit_id,
                date=d.date,
                text=document_text(d, texts.get(d.pk, [])),
            )
            for d in documents
        )
    _backend().optimize()
    return len(ids)


@dataclass(frozen=True)
class Filters:
    """What a search asks: the words, the register's unit (code), the type (printed code
    or slug, of either profile), a year or a range of dates (inclusive), a status."""

    q: str = ""
    issuer: str = ""
    type: str = ""
    year: int | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    status: str = ""


def _filtered(queryset: QuerySet, document: str, filters: Filters) -> QuerySet:
    """``queryset`` (of documents, or of entries: ``document`` is then "document__")
    narrowed by the filters other than the words."""
    if filters.issuer:
        queryset = queryset.filter(unit__code=filters.issuer)
    if filters.type:
        types = DocumentType.objects.filter(Q(code=filters.type) | Q(slug=filters.type))
        queryset = queryset.filter(
            **{f"{document}type_id__in": list(types.values_list("pk", flat=True))}
        )
    if filters.year:
        first, last = dt.date(filters.year, 1, 1), dt.date(filters.year, 12, 31)
        queryset = queryset.filter(date__gte=first, date__lte=last)
    if filters.date_from:
        queryset = queryset.filter(date__gte=filters.date_from)
    if filters.date_to:
        queryset = queryset.filter(date__lte=filters.date_to)
    if filters.status:
        queryset = queryset.filter(**{f"{document}status": filters.status})
    return queryset


def search(queryset: QuerySet[Document], **filters) -> QuerySet[Document]:
    """``queryset`` narrowed to the documents holding every word of ``q`` and passing the
    other filters (``Filters``). No permission: see ``find``."""
    wanted = Filters(**filters)
    terms = query_terms(wanted.q)
    if terms:
        queryset = queryset.filter(pk__in=_backend().matching(terms))
    return _filtered(queryset, "", wanted)


@dataclass(frozen=True)
class Found:
    total: int
    documents: list[Document]


def find(user, *, limit: int = 50, offset: int = 0, **filters) -> Found:
    """The documents of ``search(**filters)`` that ``user`` may view: one page, newest first.

    Permission is part of the query (the register's unit among the units the policy lets
    the user view), so the total and the page are right without reading what is hidden.
    With words, the query runs on the entries (the word index, unit and date in one
    table); without, on the documents.
    """
    from trienkhai.accounts import policy

    wanted = Filters(**filters)
    limit = max(0, min(limit, MAX_PAGE))
    offset = max(0, offset)
    visible = policy.visible_unit_ids(user)
    if visible is not None and not visible:
        return Found(0, [])
    terms = query_terms(wanted.q)
    if not terms:
        found = _filtered(Document.objects.all(), "", wanted).order_by("-date", "-id")
        if visible is not None:
            found = found.filter(unit_id__in=_backend().id_list(visible))
        return _page(found, "pk", offset, limit, found.count)
    backend = _backend()
    entries = _filtered(
        SearchEntry.objects.filter(backend.entry_condition(terms)), "document__", wanted
    ).order_by("-date", "-document_id")
    if visible is None and wanted == Filters(q=wanted.q):
        # Words alone: the word index counts its own matches without a lookup each.
        return _page(entries, "document_id", offset, limit, lambda: backend.count(terms))
    if visible is not None:
        entries = entries.filter(unit_id__in=backend.id_list(visible))
    if not backend.COUNT_WITH_PAGE:
        return _page(entries, "document_id", offset, limit, entries.count)
    # Each match is looked up anyway for its unit or filters: count them in the same pass.
    counted = entries.annotate(total=Window(Count("pk")))
    rows = list(counted.values_list("document_id", "total")[offset : offset + limit])
    # No row: none at all, or a page past the end (or of no rows), which needs a count.
    total = rows[0][1] if rows else 0 if offset == 0 and limit > 0 else entries.count()
    return Found(total, _documents([pk for pk, _ in rows]))


def _page(found: QuerySet, key: str, offset: int, limit: int, count: Callable[[], int]) -> Found:
    """One page of ``found`` (ids first: a narrow sort, or none along a date index), and
    the total, counted only when the page does not show it all."""
    ids = list(found.values_list(key, flat=True)[offset : offset + limit])
    total = len(ids) if offset == 0 and len(ids) < limit else count()
    return Found(total, _documents(ids))


def _documents(ids: list[int]) -> list[Document]:
    """The documents of ``ids``, in that order, with what a list shows (one query)."""
    rows = Document.objects.select_related("unit", "issuer", "type").in_bulk(ids)
    return [rows[pk] for pk in ids]
