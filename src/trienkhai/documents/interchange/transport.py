"""How edXML messages travel: an interface, and a folder of files as its one implementation.

A connector to a national or provincial axis (trục liên thông) would implement the same
three calls over its own protocol; none ships here (no network in trienkhai's tests).
The folder layout is what a file-exchange gateway or a person with a USB stick sees:

    <folder>/outbox/          packages and statuses to send (written atomically)
    <folder>/inbox/           what arrived, taken in by ``interchange.poll``
    <folder>/inbox/done/      taken in
    <folder>/inbox/rejected/  refused, each with a ``.reason.txt`` beside it
"""

import os
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol


@dataclass(frozen=True)
class Message:
    name: str
    data: bytes


class Transport(Protocol):
    def send(self, name: str, data: bytes) -> None:
        """Hand one message over for delivery."""

    def receive(self) -> Iterator[Message]:
        """The messages waiting, oldest first; each is then ``done`` or ``reject``-ed."""

    def done(self, message: Message) -> None: ...

    def reject(self, message: Message, reason: str) -> None: ...


MAX_NAME = 120


def _safe(name: str) -> str:
    """A plain file name: no folders, nothing but letters, digits, '.', '-', '_'."""
    base = "".join(c if c.isascii() and (c.isalnum() or c in ".-_") else "-" for c in name)
    base = base.lstrip(".")[:MAX_NAME]
    return base or "message.xml"


class FilesTransport:
    """Messages as files in a folder (see the module's docstring)."""

    def __init__(self, folder: str | os.PathLike):
        self.folder = Path(folder)
        self.outbox = self.folder / "outbox"
        self.inbox = self.folder / "inbox"

    def send(self, name: str, data: bytes) -> None:
        self.outbox.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=self.outbox, prefix=".sending-")
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(data)
            os.replace(temporary, self.outbox / _safe(name))
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise

    def receive(self) -> Iterator[Message]:
        if not self.inbox.is_dir():
            return
        paths = sorted(
            (p for p in self.inbox.iterdir() if p.is_file() and not p.name.startswith(".")),
            key=lambda p: (p.stat().st_mtime, p.name),
        )
        for path in paths:
            yield Message(path.name, path.read_bytes())

    def _move(self, message: Message, folder: str) -> Path:
        target = self.inbox / folder
        target.mkdir(exist_ok=True)
        destination = target / _safe(message.name)
        os.replace(self.inbox / message.name, destination)
        return destination

    def done(self, message: Message) -> None:
        self._move(message, "done")

    def reject(self, message: Message, reason: str) -> None:
        moved = self._move(message, "rejected")
        moved.with_name(moved.name + ".reason.txt").write_text(reason + "\n", encoding="utf-8")
