"""An erased person's dossier files leave the disk after the commit (decision 0057), those
another dossier or a document holds stay. Real files under a temporary MEDIA_ROOT."""

import datetime as dt
import os
import time

from django.utils import timezone

from tests import factories as f
from tests.commendations.conftest import nominate
from tests.documents.test_attachments import png_file
from tests.documents.test_blobs import LONG_AGO
from tests.factories import SIGNED, SYSTEM
from trienkhai.commendations import services
from trienkhai.commendations.models import DossierFile
from trienkhai.documents import attachments, blobs
from trienkhai.documents import services as documents


def add(nomination, shade: int, role: str = "bao_cao_thanh_tich") -> DossierFile:
    return services.add_file(
        acting_user=SYSTEM,
        nomination=nomination,
        role=role,
        file_name=f"hs-{shade}.png",
        data=png_file(shade),
    )


def aged(media, *files) -> None:
    """Uploaded long ago, as an erasure's files are (one stored lately may be reused)."""
    for file in files:
        os.utime(media / file.path, (LONG_AGO, LONG_AGO))


def test_an_erased_persons_dossier_files_leave_the_disk_after_the_commit(
    org, media, django_capture_on_commit_callbacks
):
    person = nominate(org.c1, org.p1, name="Nguyễn Văn An")
    files = [add(person, 11, "to_trinh"), add(person, 12)]
    aged(media, *files)
    with django_capture_on_commit_callbacks(execute=True):
        services.erase_individual(acting_user=SYSTEM, individual=person.individual)
        assert not DossierFile.objects.filter(nomination=person).exists()
        # Inside the transaction nothing is removed yet: no file I/O there.
        assert all((media / file.path).is_file() for file in files)
    assert not any((media / file.path).exists() for file in files)
    assert list(media.rglob("*.png")) == [] and not list(media.rglob(".sweep-*"))


def test_a_file_another_dossier_or_a_document_holds_stays(
    org, media, django_capture_on_commit_callbacks
):
    """GIVEN a person's dossier with three files: one also in their unit's own dossier,
    one also attached to a document, one theirs alone WHEN the person is erased THEN
    only the third leaves the disk."""
    person = nominate(org.c1, org.p1, name="Trần Thị Bình")
    collective = nominate(org.c1, org.p1, achievement="Dẫn đầu phong trào thi đua")
    shared, attached, own = add(person, 21), add(person, 22), add(person, 23)
    add(collective, 21)
    board = f.make_unit("BTG", kind_code="board", parent=org.d1, valid_from=dt.date(2008, 8, 1))
    document = documents.register_draft(
        **SIGNED,
        acting_user=SYSTEM,
        issuer=board,
        type="KH",
        date=dt.date(2023, 3, 1),
        summary="Kế hoạch khen thưởng",
    )
    attachments.attach(acting_user=SYSTEM, document=document, name="x.png", data=png_file(22))
    aged(media, shared, attached, own)
    with django_capture_on_commit_callbacks(execute=True):
        services.erase_individual(acting_user=SYSTEM, individual=person.individual)
    assert (media / shared.path).read_bytes() == png_file(21)
    assert (media / attached.path).read_bytes() == png_file(22)
    assert not (media / own.path).exists()


def test_the_expired_peoples_files_go_too(org, media, django_capture_on_commit_callbacks):
    person = nominate(org.c1, org.p1, name="Lê Văn Cường", year=2010)
    file = add(person, 31)
    aged(media, file)
    with django_capture_on_commit_callbacks(execute=True):
        erased = services.erase_expired(acting_user=SYSTEM, today=dt.date(2026, 1, 1), years=10)
    assert erased == 1
    assert not (media / file.path).exists()


def test_a_file_uploaded_a_minute_before_the_erasure_leaves_at_once(
    org, media, django_capture_on_commit_callbacks
):
    """GIVEN a person's dossier file uploaded just now (younger than blobs.FRESH) WHEN
    the person is erased THEN it leaves the disk after the commit, not at the next
    daily sweep: the erasure knows the file was theirs."""
    person = nominate(org.c1, org.p1, name="Phạm Thị Dung")
    file = add(person, 41)
    assert time.time() - (media / file.path).stat().st_mtime < blobs.FRESH.total_seconds()
    with django_capture_on_commit_callbacks(execute=True):
        services.erase_individual(acting_user=SYSTEM, individual=person.individual)
    assert not (media / file.path).exists()
    assert not list(media.rglob(".sweep-*"))


def test_the_same_bytes_uploaded_after_the_persons_own_stay_for_that_upload(
    org, media, django_capture_on_commit_callbacks
):
    """GIVEN a person's file recorded five minutes ago, and another unit's upload of the
    very same bytes that stored them a minute ago (touching the blob) and has not yet
    recorded its row WHEN the person is erased THEN the blob stays, and the row the
    upload then records points at the file; only the later sweep, once nothing
    references it and it is old, may take it."""
    person = nominate(org.c1, org.p1, name="Hoàng Văn Em")
    file = add(person, 42)
    five_minutes_ago = time.time() - 300
    os.utime(media / file.path, (five_minutes_ago, five_minutes_ago))
    DossierFile.objects.filter(pk=file.pk).update(created=timezone.now() - dt.timedelta(minutes=5))
    collective = nominate(org.c1, org.p1, achievement="Dẫn đầu khối thi đua năm 2023")
    in_flight = services._store("bao_cao_thanh_tich", "bc.png", png_file(42))  # no row yet
    with django_capture_on_commit_callbacks(execute=True):
        services.erase_individual(acting_user=SYSTEM, individual=person.individual)
    assert (media / file.path).read_bytes() == png_file(42)
    recorded = services._record(collective, in_flight, SYSTEM)
    assert (media / recorded.path).read_bytes() == png_file(42)
    later = time.time() + 2 * blobs.FRESH.total_seconds()
    assert blobs.sweep(now=later).paths == []  # referenced now


def test_an_upload_storing_while_the_erasure_removes_writes_its_own_copy(
    org, media, django_capture_on_commit_callbacks, monkeypatch
):
    """GIVEN a person's fresh file WHEN, between the erasure's set-aside and its settling,
    another upload stores the same bytes (finding no file: it writes its own) and
    records its row THEN the settling sees the row and puts the blob back; the row
    points at the file."""
    person = nominate(org.c1, org.p1, name="Vũ Thị Giang")
    file = add(person, 43)
    collective = nominate(org.c1, org.p1, achievement="Tập thể lao động xuất sắc 2023")
    settle = blobs.settle
    rows = []

    def meanwhile(relative, aside, **kwargs):
        assert not (media / relative).exists()  # set aside
        stored = services._store("to_trinh", "tt.png", png_file(43))
        rows.append(services._record(collective, stored, SYSTEM))
        return settle(relative, aside, **kwargs)

    monkeypatch.setattr(blobs, "settle", meanwhile)
    with django_capture_on_commit_callbacks(execute=True):
        services.erase_individual(acting_user=SYSTEM, individual=person.individual)
    assert len(rows) == 1
    assert (media / rows[0].path).read_bytes() == png_file(43)
    assert (media / file.path).is_file() and not list(media.rglob(".sweep-*"))
