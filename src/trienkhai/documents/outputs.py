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

_providers: list[Provider] = []


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
