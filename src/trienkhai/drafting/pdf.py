"""A .docx turned into a .pdf by LibreOffice Writer, headless.

LibreOffice lays the .docx out as Word would and embeds (subsets of) the fonts it used,
so the Vietnamese glyphs travel with the PDF (decision 0007).

Each conversion runs ``soffice`` with a user profile of its own: two conversions sharing
a profile collide (the second one exits at once, or waits on the first one's lock). The
profiles are kept between calls in a small pool under the temporary directory, each
claimed with an exclusive ``flock`` while in use, because LibreOffice needs about two
seconds to create a fresh profile and well under one to reuse a warm one.
"""

from __future__ import annotations

import contextlib
import fcntl
import io
import os
import shutil
import signal
import subprocess
import tempfile
import zipfile
from collections.abc import Iterator
from pathlib import Path

from trienkhai.common import turns

POOL_SIZE = 8  # parallel conversions before a new profile is created for each call


class ConversionError(RuntimeError):
    """LibreOffice failed or took too long. The message is bilingual.

    The web pages and the API answer it with a 503 and ``code`` (never a 500): the
    request was right, the server could not make the PDF now."""

    code = "conversion_failed"
    status = 503

    @property
    def message(self) -> str:
        return str(self)


class ConverterUnavailable(ConversionError):
    """No LibreOffice on this server (``settings.SOFFICE``, else soffice on the PATH)."""

    code = "converter_unavailable"


def soffice_path() -> str:
    """The LibreOffice executable; ConverterUnavailable if none is installed.

    ``settings.SOFFICE`` (TRIENKHAI_SOFFICE) names it, a path or a name on the PATH;
    unset, ``soffice`` then ``libreoffice`` on the PATH."""
    from django.conf import settings

    configured = getattr(settings, "SOFFICE", "")
    if configured:
        found = shutil.which(configured)
    else:
        found = shutil.which("soffice") or shutil.which("libreoffice")
    if found is None:
        raise ConverterUnavailable(
            "Máy chủ chưa cài LibreOffice (soffice) nên chưa tạo được PDF; tệp .docx vẫn tải "
            "được. Báo quản trị hệ thống / LibreOffice (soffice) is not installed on the "
            "server, so no PDF can be made; the .docx still downloads. Ask the administrator "
            "to run scripts/system-deps.sh (apt-get install libreoffice-writer-nogui)"
        )
    return found


def is_available() -> bool:
    """Whether a converter is installed (not whether it will succeed)."""
    try:
        soffice_path()
    except ConverterUnavailable:
        return False
    return True


def docx_to_pdf(data: bytes, *, timeout: float = 60.0) -> bytes:
    """The PDF bytes of the .docx ``data``; ConversionError on any failure."""
    if not zipfile.is_zipfile(io.BytesIO(data)):
        # LibreOffice would read anything else as plain text and make a PDF of it.
        raise ConversionError("Dữ liệu không phải tệp .docx / the data is not a .docx file")
    soffice = soffice_path()
    with _profile() as profile, tempfile.TemporaryDirectory(prefix="trienkhai-pdf-") as work:
        source = Path(work) / "document.docx"
        source.write_bytes(data)
        command = [
            soffice,
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--invisible",
            "--norestore",
            "--nologo",
            "--nodefault",
            "--nolockcheck",
            "--convert-to",
            "pdf:writer_pdf_Export",
            "--outdir",
            work,
            str(source),
        ]
        # Its own process group: soffice is a script that starts soffice.bin, and a
        # timeout must stop both.
        process = subprocess.Popen(
            command,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            start_new_session=True,
        )
        try:
            with turns.waiting():  # the process's other requests go on meanwhile
                out, err = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.communicate()
            raise ConversionError(
                f"LibreOffice quá {timeout:g} giây khi tạo PDF / LibreOffice took more than "
                f"{timeout:g} s to convert to PDF"
            ) from None
        result = Path(work) / "document.pdf"
        if process.returncode != 0 or not result.is_file():
            said = (err or out).decode("utf-8", "replace").strip()[-500:]
            raise ConversionError(
                f"LibreOffice không tạo được PDF (mã {process.returncode}) / LibreOffice "
                f"failed to convert to PDF (exit {process.returncode}): {said}"
            )
        made = result.read_bytes()
        if not made.startswith(b"%PDF-"):  # never store a broken file as the PDF
            raise ConversionError(
                "LibreOffice không trả về tệp PDF / LibreOffice did not return a PDF file"
            )
        return made


@contextlib.contextmanager
def _profile() -> Iterator[Path]:
    """A LibreOffice user profile directory nobody else uses until the block ends."""
    base = Path(tempfile.gettempdir()) / f"trienkhai-soffice-{os.getuid()}"
    base.mkdir(mode=0o700, exist_ok=True)
    for slot in range(POOL_SIZE):
        lock = open(base / f"{slot}.lock", "a")  # noqa: SIM115 - held until the block ends
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            lock.close()
            continue
        try:
            yield base / str(slot)
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)
            lock.close()
        return
    # Every slot busy: a throw-away profile (slower, never colliding).
    with tempfile.TemporaryDirectory(prefix="trienkhai-soffice-") as spare:
        yield Path(spare)
