"""Files other apps make from a register entry (drafting: a report's .docx and .pdf).

``documents`` imports no app above it (DESIGN.md: apps depend downward), so the page and
the API ask this registry where a document's PDF stands; drafting registers its answer
when it starts (``drafting.apps``). States: ``"ready"`` (the PDF can be downloaded),
``"pending"`` (the number is taken; the PDF is being prepared or will be retried), or no
entry (no file made by the system: an ordinary register entry).
"""

from collections.abc import Callable, Iterable

Provider = Callable[[list[int]], dict[int, tuple[str, str]]]
"""Document ids → (state, URL of the file) for those that have one; one query a call."""
PdfSource = Callable[[int], bytes | None]
"""A document id → the bytes of the PDF it issued, or None (none, or not made yet)."""

_providers: list[Provider] = []
_sources: list[PdfSource] = []


def register(provider: Provider) -> None:
    if provider not in _providers:
        _providers.append(provider)


def pdf_states(document_ids: Iterable[int]) -> dict[int, tuple[str, str]]:
    """The PDF state and file URL of each of ``document_ids`` that has one."""
    ids = list(document_ids)
    found: dict[int, tuple[str, str]] = {}
    for provider in _providers:
        if ids:
            found.update(provider(ids))
    return found


def register_pdf_source(source: PdfSource) -> None:
    """``source`` answers ``issued_pdf`` for the documents whose PDF its app makes."""
    if source not in _sources:
        _sources.append(source)


def issued_pdf(document_id: int) -> bytes | None:
    """The PDF as the issuing app made it (before any signature), or None."""
    for source in _sources:
        found = source(document_id)
        if found is not None:
            return found
    return None
