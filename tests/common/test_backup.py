"""`trienkhai backup` / `trienkhai restore`: every table and every file comes back as it was."""

import datetime as dt
import hashlib
import io
import json
import tarfile
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings

from tests.documents.conftest import btghu  # noqa: F401  (fixtures)
from tests.documents.test_attachments import word_file
from tests.factories import SIGNED, SYSTEM
from tests.reporting.conftest import audience, form  # noqa: F401  (fixtures)
from trienkhai import cli
from trienkhai.accounts.services import issue_token
from trienkhai.common import backup
from trienkhai.documents import attachments, services
from trienkhai.documents.types import ensure_standard_types
from trienkhai.reporting import services as reporting
from trienkhai.reporting.models import DataValue


def tables() -> dict[str, list[tuple]]:
    """Every row of every table the project's models (and Django's) have, in key order."""
    found = {}
    for model in apps.get_models(include_auto_created=True):
        rows = model._default_manager.order_by("pk").values_list()
        found[model._meta.db_table] = [tuple(map(str, row)) for row in rows]
    return found


def files() -> dict[str, str]:
    root = Path(settings.MEDIA_ROOT)
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in root.rglob("*")
        if p.is_file()
    }


@pytest.fixture
def filled(settings, tmp_path, org, personas, form, btghu):  # noqa: F811
    settings.MEDIA_ROOT = tmp_path / "files"
    # A transactional test before this one may have flushed the types the migrations made.
    ensure_standard_types()
    reporting.save_values(
        acting_user=SYSTEM,
        form=form,
        unit=org.c1,
        period_id="2020S1",
        cells=[reporting.CellInput("lop_da_mo", 3), reporting.CellInput("ghi_chu", "Tốt")],
    )
    issue_token(user=personas.manager)
    document = services.register_draft(
        **SIGNED,
        acting_user=SYSTEM,
        issuer=btghu,
        type="KH",
        date=dt.date(2021, 3, 1),
        summary="Kế hoạch tuyên truyền",
    )
    attachments.attach(
        acting_user=SYSTEM, document=document, name="ke-hoach.docx", data=word_file("Nội dung")
    )
    return document


@pytest.mark.django_db(transaction=True)
def test_a_backup_restores_every_table_and_file(filled, tmp_path, personas):
    before_tables, before_files = tables(), files()
    assert before_files and sum(map(len, before_tables.values())) > 100
    archive = tmp_path / "sao-luu.tar"
    assert cli.main(["backup", str(archive)]) == 0
    # Everything changes afterwards: values, users, files.
    DataValue.objects.all().delete()
    personas.viewer.delete()
    root = Path(settings.MEDIA_ROOT)
    for path in root.rglob("*"):
        if path.is_file():
            path.write_bytes(b"changed")
    (root / "new.txt").write_text("added after the backup")
    assert tables() != before_tables
    assert cli.main(["restore", str(archive)]) == 0
    assert tables() == before_tables
    assert files() == before_files


@pytest.mark.django_db(transaction=True)
def test_it_refuses_a_damaged_or_foreign_archive_and_changes_nothing(filled, tmp_path):
    archive = tmp_path / "sao-luu.tar"
    manifest = backup.backup(archive)
    before = tables()
    foreign = tmp_path / "khac.tar"
    with tarfile.open(foreign, "w") as out:
        data = b'{"format": "something-else"}'
        info = tarfile.TarInfo("manifest.json")
        info.size = len(data)
        out.addfile(info, io.BytesIO(data))
    damaged = tmp_path / "hong.tar"
    with tarfile.open(archive) as source, tarfile.open(damaged, "w") as out:
        for member in source.getmembers():
            content = source.extractfile(member).read()
            if member.name == manifest["database"]["name"]:
                content = content[:-1] + bytes([content[-1] ^ 1])
            member.size = len(content)
            out.addfile(member, io.BytesIO(content))
    escaping = tmp_path / "thoat.tar"
    with tarfile.open(escaping, "w") as out:
        for name, data in (
            ("manifest.json", json.dumps(manifest).encode()),
            ("../../etc/x", b"x"),
        ):
            info = tarfile.TarInfo(name)
            info.size = len(data)
            out.addfile(info, io.BytesIO(data))
    for bad, code in [
        (foreign, "not_a_backup"),
        (damaged, "damaged_backup"),
        (escaping, "unsafe_backup"),
        (tmp_path / "khong-co.tar", "not_found"),
    ]:
        with pytest.raises(backup.BackupError) as refused:
            backup.restore(bad)
        assert refused.value.code == code
    assert tables() == before
    assert cli.main(["restore", str(foreign)]) == 2
