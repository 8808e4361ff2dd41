"""Removing the blobs of the documents' store that no row references any more.

The store (``attachments._store``, ``MEDIA_ROOT``/documents/ab/abcdef…, decision 0030)
is shared: documents' attachments, signed PDFs and electronic copies, commendations'
dossier files and contests' entries all keep their bytes there, named by SHA-256, and
the same bytes once. A blob may go only when no row of any of them (``REFERENCES``,
live rows; history tables do not keep a file) points at it: an erased person's dossier
(decision 0057) is removed after the erasing transaction commits, and ``sweep`` (the
command ``trienkhai sweep-blobs``) removes what a crash left.

An upload writes its blob *before* the short transaction that records its row, and
finds the blob already there when the same bytes were stored before. So a blob checked
"unreferenced" may be in the middle of being reused. Removal therefore:

1. reads which of the candidates a row references (committed rows: called outside any
   transaction);
2. renames each unreferenced blob aside (``.sweep-<digest>-<token>``, atomic): from
   then on an upload finds no file and writes its own copy;
3. reads the references again and the set-aside file's modification time: if a row now
   points at it, or an upload touched it within ``FRESH`` (``_store`` touches a blob it
   reuses), it is put back; otherwise it is unlinked.

An upload that touched the blob before step 2 is kept by its time, one that commits
before step 3 by its row, one that stores after step 2 writes its own file. A file put
back is missing from its path for the few milliseconds between 2 and 3 only when
someone stored those very bytes meanwhile. The cost: a blob whose bytes were uploaded
again within ``FRESH`` stays until the next sweep.

An erasure knows more than the sweep: the rows it deleted were the blob's owner's, and
when each was recorded (``recorded``). A modification time no later than the owner's
last row is the owner's own upload (``_store`` touches or writes before the row is
made), not one in flight, so the blob goes whatever its age; a touch after it is
another upload of the same bytes and keeps the blob as above. What this cannot tell
apart: an upload of the same bytes that touched the blob *before* the owner's row was
recorded and is still uncommitted when the removal settles (decision 0057).
"""

import datetime as dt
import logging
import os
import re
import secrets
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from django.apps import apps
from django.conf import settings

from trienkhai.documents.attachments import FOLDER

log = logging.getLogger(__name__)

FRESH = dt.timedelta(minutes=15)
"""A blob an upload wrote or touched this recently may be about to be recorded (the
upload's store → commit takes well under this, waits for locks included); kept."""
REFERENCES = (
    "documents.Attachment",
    "documents.SignedPdf",
    "documents.ElectronicCopy",
    "commendations.DossierFile",
    "contests.Entry",
)
"""Every model whose ``path`` points into the store."""
BATCH = 500
ASIDE = ".sweep-"
UPLOADING = ".upload-"  # attachments._store's temporary files
BLOB = re.compile(r"[0-9a-f]{64}")
SET_ASIDE = re.compile(rf"{re.escape(ASIDE)}([0-9a-f]{{64}})-[0-9a-f]+")


def _root() -> Path:
    return Path(settings.MEDIA_ROOT)


def relative_of(digest: str) -> str:
    return f"{FOLDER}/{digest[:2]}/{digest}"


def referenced(paths: Iterable[str]) -> set[str]:
    """Those of ``paths`` (relative to ``MEDIA_ROOT``) a row references."""
    paths = sorted(set(paths))
    found: set[str] = set()
    for label in REFERENCES:
        model = apps.get_model(label)
        for start in range(0, len(paths), BATCH):
            chunk = paths[start : start + BATCH]
            found.update(model.objects.filter(path__in=chunk).values_list("path", flat=True))
    return found


def _is_blob(relative: str) -> bool:
    parts = relative.split("/")
    return (
        len(parts) == 3
        and parts[0] == FOLDER
        and BLOB.fullmatch(parts[2]) is not None
        and parts[1] == parts[2][:2]
    )


def set_aside(relative: str) -> Path | None:
    """Step 2: rename the blob aside (atomic); None if it is not there."""
    target = _root() / relative
    aside = target.with_name(f"{ASIDE}{target.name}-{secrets.token_hex(4)}")
    try:
        os.rename(target, aside)
    except FileNotFoundError:
        return None
    return aside


def settle(
    relative: str, aside: Path, *, now: float | None = None, recorded: float | None = None
) -> bool:
    """Step 3: unlink the set-aside blob, or put it back at ``relative`` when a row
    references it now or an upload touched it within ``FRESH`` (after ``recorded``, the
    time the erased owner's last row of it was made, if given); whether it was removed."""
    now = time.time() if now is None else now
    touched = aside.stat().st_mtime
    fresh = now - touched < FRESH.total_seconds()
    if recorded is not None and touched <= recorded:
        fresh = False  # the owner's own upload touched it last, no other since
    if fresh or referenced([relative]):
        # Over a copy an upload wrote meanwhile, if any: the same bytes.
        os.replace(aside, _root() / relative)
        return False
    aside.unlink()
    return True


def remove_unreferenced(
    paths: Iterable[str], *, now: float | None = None, recorded: Mapping[str, float] | None = None
) -> list[str]:
    """Remove the blobs at ``paths`` that no row references and no upload touched within
    ``FRESH``; the ones removed. ``recorded``: for an erasure, when the deleted owner's
    last row of each path was made (epoch seconds): a blob nobody touched since goes
    whatever its age. Call it outside any transaction (``on_commit``): it reads
    committed rows. A file that cannot be removed is logged and left to the sweep."""
    candidates = [p for p in set(paths) if _is_blob(p)]
    recorded = recorded or {}
    removed: list[str] = []
    for relative in sorted(set(candidates) - referenced(candidates)):
        try:
            aside = set_aside(relative)
            if aside is not None and settle(
                relative, aside, now=now, recorded=recorded.get(relative)
            ):
                removed.append(relative)
        except OSError:
            log.warning("blob %s not removed; the next sweep will try again", relative)
    return removed


@dataclass
class Sweep:
    """What a sweep found (``dry_run``) or removed: blobs no row references, set-aside
    blobs and half-written uploads a crash left; ``size`` in bytes."""

    paths: list[str] = field(default_factory=list)
    size: int = 0


def sweep(*, dry_run: bool = False, now: float | None = None) -> Sweep:
    """Remove (or, ``dry_run``, only list) every unreferenced blob of the store older
    than ``FRESH``, and what a crash left: a set-aside blob (put back if referenced) and
    an upload's temporary file older than ``FRESH``."""
    now = time.time() if now is None else now
    root = _root()
    store = root / FOLDER
    done = Sweep()
    if not store.is_dir():
        return done
    blobs: list[str] = []
    for folder in sorted(store.iterdir()):
        if not folder.is_dir():
            continue
        for path in sorted(folder.iterdir()):
            relative = path.relative_to(root).as_posix()
            if _is_blob(relative):
                blobs.append(relative)
            elif (match := SET_ASIDE.fullmatch(path.name)) is not None:
                _leftover_aside(path, relative_of(match.group(1)), dry_run, now, done)
            elif path.name.startswith(UPLOADING) and _old(path, now):
                _count(done, path, relative)
                if not dry_run:
                    path.unlink(missing_ok=True)
    orphans = sorted(set(blobs) - referenced(blobs))
    for relative in orphans:
        path = root / relative
        if dry_run:
            if path.is_file() and _old(path, now):
                _count(done, path, relative)
            continue
        size = path.stat().st_size if path.is_file() else 0
        if relative in remove_unreferenced([relative], now=now):
            done.paths.append(relative)
            done.size += size
    return done


def _leftover_aside(path: Path, relative: str, dry_run: bool, now: float, done: Sweep) -> None:
    """A blob a crashed removal left aside: back if referenced, else removed (or listed)."""
    if dry_run:
        if relative not in referenced([relative]) and _old(path, now):
            _count(done, path, path.relative_to(_root()).as_posix())
        return
    try:
        size = path.stat().st_size
        if settle(relative, path, now=now):
            done.paths.append(path.relative_to(_root()).as_posix())
            done.size += size
    except FileNotFoundError:
        pass  # a removal running now settled it


def _old(path: Path, now: float) -> bool:
    return now - path.stat().st_mtime >= FRESH.total_seconds()


def _count(done: Sweep, path: Path, relative: str) -> None:
    done.paths.append(relative)
    done.size += path.stat().st_size
