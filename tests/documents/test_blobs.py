"""The shared blob store loses what no row references (documents/blobs.py): the removal
after an erasure, safe against an upload of the same bytes, and ``trienkhai sweep-blobs``.
Real files on disk under a temporary MEDIA_ROOT."""

import hashlib
import os
import time

import pytest

from tests.documents import test_attachments
from tests.documents.test_attachments import png_file
from tests.factories import SYSTEM
from trienkhai import cli
from trienkhai.documents import attachments, blobs

LONG_AGO = time.time() - 2 * blobs.FRESH.total_seconds()
# test_attachments' fixtures: a draft of BTGHU; a temporary MEDIA_ROOT (autouse there).
document, _media = test_attachments.document, test_attachments._media


@pytest.fixture
def media(settings, _media):
    """test_attachments' temporary MEDIA_ROOT (its autouse fixture), by name."""
    return settings.MEDIA_ROOT


def stored(media, data: bytes, *, old: bool = True) -> str:
    """``data`` written to the store as an upload writes it; its relative path, the file
    made older than FRESH unless ``old`` is False (an upload of a while ago)."""
    relative = attachments._store(data, hashlib.sha256(data).hexdigest())
    if old:
        os.utime(media / relative, (LONG_AGO, LONG_AGO))
    return relative


def test_it_removes_an_old_unreferenced_blob_and_keeps_a_referenced_one(media, document):
    orphan = stored(media, png_file(1))
    kept = attachments.attach(acting_user=SYSTEM, document=document, name="a.png", data=png_file(2))
    os.utime(media / kept.path, (LONG_AGO, LONG_AGO))
    assert blobs.remove_unreferenced([orphan, kept.path, "../etc/passwd"]) == [orphan]
    assert not (media / orphan).exists()
    assert (media / kept.path).read_bytes() == png_file(2)
    assert not list((media / orphan).parent.glob(".sweep-*"))  # nothing left aside


def test_an_upload_that_touched_the_blob_before_the_check_keeps_it(media, document):
    """GIVEN an old unreferenced blob WHEN an upload of the same bytes finds it (the
    store's first step, before its row) and the removal runs THEN the blob stays, and
    the row the upload then records points at a file."""
    relative = stored(media, png_file(3))
    assert attachments._store(png_file(3), relative.rsplit("/", 1)[1]) == relative
    assert blobs.remove_unreferenced([relative]) == []
    made = attachments.attach(acting_user=SYSTEM, document=document, name="b.png", data=png_file(3))
    assert attachments.file_path(made).read_bytes() == png_file(3)


def test_an_upload_storing_after_the_blob_was_set_aside_writes_its_own(media, document):
    """GIVEN an old unreferenced blob set aside by a removal (step 2) WHEN an upload of
    the same bytes stores them then (finding nothing: its own copy) and the removal
    settles before the upload's row THEN the old copy goes and the upload's stays."""
    relative = stored(media, png_file(4))
    aside = blobs.set_aside(relative)
    assert aside is not None and not (media / relative).exists()
    attachments._store(png_file(4), relative.rsplit("/", 1)[1])
    assert blobs.settle(relative, aside) is True
    assert not aside.exists()
    made = attachments.attach(acting_user=SYSTEM, document=document, name="c.png", data=png_file(4))
    assert attachments.file_path(made).read_bytes() == png_file(4)


def test_a_row_committed_between_the_check_and_the_unlink_puts_the_blob_back(media, document):
    """GIVEN an old blob judged unreferenced and set aside WHEN a row referencing those
    bytes commits before the removal settles (its upload touched the file long ago)
    THEN the second check sees the row and the blob is put back, not unlinked."""
    relative = stored(media, png_file(5))
    aside = blobs.set_aside(relative)
    assert aside is not None
    made = attachments.attach(acting_user=SYSTEM, document=document, name="d.png", data=png_file(5))
    os.replace(media / made.path, aside)  # as if the upload had found the blob before step 2
    os.utime(aside, (LONG_AGO, LONG_AGO))
    assert blobs.settle(relative, aside) is False
    assert attachments.file_path(made).read_bytes() == png_file(5)
    assert not aside.exists()


def test_a_blob_stored_lately_stays_until_a_later_sweep(media):
    relative = stored(media, png_file(6), old=False)
    assert blobs.remove_unreferenced([relative]) == []
    assert (media / relative).is_file()
    later = time.time() + blobs.FRESH.total_seconds() + 1
    assert blobs.sweep(now=later).paths == [relative]
    assert not (media / relative).exists()


def test_the_sweep_lists_in_a_dry_run_and_removes_nothing(media, document, capsys):
    """GIVEN an old orphan, a fresh orphan, a referenced blob, a crashed upload's
    temporary file and a referenced blob a crashed removal left aside WHEN the sweep runs
    dry THEN it lists the orphan and the temporary file and touches nothing; run for
    real it removes those two and puts the set-aside blob back."""
    orphan = stored(media, png_file(7))
    fresh = stored(media, png_file(8), old=False)
    kept = attachments.attach(acting_user=SYSTEM, document=document, name="e.png", data=png_file(9))
    left = attachments.attach(
        acting_user=SYSTEM, document=document, name="f.png", data=png_file(10)
    )
    aside = blobs.set_aside(left.path)
    assert aside is not None
    os.utime(aside, (LONG_AGO, LONG_AGO))
    temporary = media / orphan.rsplit("/", 1)[0] / ".upload-crashed"
    temporary.write_bytes(b"half")
    os.utime(temporary, (LONG_AGO, LONG_AGO))
    before = sorted(p.relative_to(media).as_posix() for p in media.rglob("*") if p.is_file())

    assert cli.main(["sweep-blobs", "--dry-run"]) == 0
    out = capsys.readouterr().out
    listed = out.splitlines()[:-1]
    assert sorted(listed) == sorted([orphan, temporary.relative_to(media).as_posix()])
    assert out.splitlines()[-1].startswith("Sẽ xóa / would remove: 2 tệp / files")
    after = sorted(p.relative_to(media).as_posix() for p in media.rglob("*") if p.is_file())
    assert after == before

    assert cli.main(["sweep-blobs"]) == 0
    assert "Đã xóa / removed: 2 tệp / files" in capsys.readouterr().out
    assert not (media / orphan).exists() and not temporary.exists()
    assert (media / fresh).is_file() and attachments.file_path(kept).is_file()
    assert attachments.file_path(left).read_bytes() == png_file(10) and not aside.exists()


def test_an_erasure_takes_a_fresh_blob_its_owner_touched_last(media):
    """GIVEN a blob stored just now WHEN the removal is told when its erased owner's row
    was recorded THEN it goes if nobody touched it after that time, and stays if an
    upload touched it later (in flight: its row is not recorded yet)."""
    relative = stored(media, png_file(7), old=False)
    touched = (media / relative).stat().st_mtime
    assert blobs.remove_unreferenced([relative], recorded={relative: touched - 1}) == []
    assert (media / relative).is_file()
    assert blobs.remove_unreferenced([relative], recorded={relative: touched}) == [relative]
    assert not (media / relative).exists()
