"""`trienkhai backup PATH` and `trienkhai restore PATH`: the database and the files, together.

A backup is one .tar archive:

    manifest.json        what is inside: format, database engine, when, the applied
                         migrations, and every file with its size and SHA-256
    database.sqlite3     SQLite: a consistent copy made with SQLite's online backup API
                         (a plain copy of a live WAL database misses the latest writes)
    database.pgdump      PostgreSQL: pg_dump's custom format (pg_restore reads it)
    files/...            everything under MEDIA_ROOT (attachments, issued documents)

Both run while the site serves. Restoring replaces the whole database and the files:
SQLite through the same online backup API (connections see the restored data at once),
PostgreSQL with ``pg_restore --clean --if-exists --single-transaction``. A backup made
from one engine restores only into the same engine (use dumpdata/loaddata to move
between them). docs/OPERATIONS.md says how to schedule and test backups.
"""

import datetime as dt
import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from pathlib import Path

from django.conf import settings
from django.db import connection, connections

from trienkhai.common.errors import BadInput

FORMAT = "trienkhai-backup/1"
SQLITE_NAME = "database.sqlite3"
POSTGRES_NAME = "database.pgdump"


class BackupError(BadInput):
    """A backup or restore that cannot be done; nothing was changed."""


def _engine() -> str:
    vendor = connection.vendor
    if vendor not in {"sqlite", "postgresql"}:
        raise BackupError("unsupported_database", f"database {vendor!r} is not supported")
    return vendor


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _media_files() -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    if not root.is_dir():
        return []
    return sorted(p for p in root.rglob("*") if p.is_file() and not p.is_symlink())


def _migrations() -> list[list[str]]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT app, name FROM django_migrations ORDER BY app, name")
        return [list(row) for row in cursor.fetchall()]


def _pg_env() -> dict[str, str]:
    config = connection.settings_dict
    env = {**os.environ}
    for key, name in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER")):
        if config.get(key):
            env[name] = str(config[key])
    if config.get("PASSWORD"):
        env["PGPASSWORD"] = str(config["PASSWORD"])
    return env


def _run(command: list[str]) -> None:
    done = subprocess.run(command, env=_pg_env(), capture_output=True, text=True)
    if done.returncode != 0:
        raise BackupError(
            "backup_tool_failed",
            f"{command[0]} thất bại / failed ({done.returncode}): {done.stderr.strip()[-2000:]}",
        )


def _dump_database(work: Path) -> str:
    if _engine() == "sqlite":
        target = work / SQLITE_NAME
        connection.ensure_connection()
        with sqlite3.connect(target) as copy:
            connection.connection.backup(copy)
        copy.close()
        return SQLITE_NAME
    target = work / POSTGRES_NAME
    name = connection.settings_dict["NAME"]
    _run(["pg_dump", "--format=custom", "--no-owner", "--file", str(target), name])
    return POSTGRES_NAME


def backup(path: Path | str) -> dict:
    """Write a backup of the database and the files to ``path`` (a .tar); return its manifest."""
    path = Path(path)
    engine = _engine()
    with tempfile.TemporaryDirectory(prefix="trienkhai-backup-") as tmp:
        work = Path(tmp)
        database = _dump_database(work)
        root = Path(settings.MEDIA_ROOT)
        files: list[dict[str, str | int]] = [
            {"path": p.relative_to(root).as_posix(), "size": p.stat().st_size, "sha256": _sha256(p)}
            for p in _media_files()
        ]
        manifest = {
            "format": FORMAT,
            "engine": engine,
            "created": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "database": {"name": database, "sha256": _sha256(work / database)},
            "migrations": _migrations(),
            "files": files,
        }
        partial = path.with_name(path.name + ".partial")
        with tarfile.open(partial, "w") as archive:
            data = json.dumps(manifest, ensure_ascii=False, indent=1).encode()
            info = tarfile.TarInfo("manifest.json")
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
            archive.add(work / database, arcname=database)
            for entry in files:
                name = str(entry["path"])
                archive.add(root / name, arcname=f"files/{name}")
        partial.replace(path)  # a backup interrupted half-way never looks complete
    return manifest


def _read_manifest(archive: tarfile.TarFile) -> dict:
    try:
        member = archive.extractfile("manifest.json")
        manifest = json.loads(member.read()) if member else None
    except (KeyError, ValueError):
        manifest = None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError(
            "not_a_backup", "Không phải bản sao lưu trienkhai / not a trienkhai backup"
        )
    return manifest


def _safe_member(name: str) -> bool:
    parts = Path(name).parts
    return bool(parts) and not Path(name).is_absolute() and ".." not in parts


def restore(path: Path | str) -> dict:
    """Replace the database and the files with the backup at ``path``; return its manifest.

    Everything is read and checked (format, engine, every SHA-256) before anything is
    replaced."""
    path = Path(path)
    if not path.is_file():
        raise BackupError("not_found", f"Không có tệp / no such file: {path}")
    engine = _engine()
    with tempfile.TemporaryDirectory(prefix="trienkhai-restore-") as tmp:
        work = Path(tmp)
        try:
            with tarfile.open(path, "r") as archive:
                manifest = _read_manifest(archive)
                for member in archive.getmembers():
                    if not member.isfile() or not _safe_member(member.name):
                        raise BackupError("unsafe_backup", f"unsafe entry: {member.name!r}")
                archive.extractall(work, filter="data")
        except tarfile.TarError as exc:
            raise BackupError("unreadable_backup", f"Không đọc được / unreadable: {exc}") from None
        if manifest["engine"] != engine:
            raise BackupError(
                "wrong_engine",
                f"Bản sao lưu của {manifest['engine']}, cơ sở dữ liệu là {engine} / "
                f"a {manifest['engine']} backup cannot restore into {engine}",
            )
        database = work / manifest["database"]["name"]
        expected = [(database, manifest["database"]["sha256"])] + [
            (work / "files" / f["path"], f["sha256"]) for f in manifest["files"]
        ]
        for file, digest in expected:
            if not file.is_file() or _sha256(file) != digest:
                raise BackupError("damaged_backup", f"Tệp hỏng / damaged: {file.name}")
        _restore_database(database)
        _restore_files(work / "files", [f["path"] for f in manifest["files"]])
    return manifest


def _restore_database(database: Path) -> None:
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        with sqlite3.connect(database) as source:
            source.backup(connection.connection)
        source.close()
        return
    name = connection.settings_dict["NAME"]
    connections.close_all()  # pg_restore drops the tables: no session of ours may hold them
    _run(
        [
            "pg_restore",
            "--clean",
            "--if-exists",
            "--no-owner",
            "--single-transaction",
            "--dbname",
            name,
            str(database),
        ]
    )


def _restore_files(source: Path, names: list[str]) -> None:
    """MEDIA_ROOT becomes exactly the backup's files (files added since are removed)."""
    root = Path(settings.MEDIA_ROOT)
    root.mkdir(parents=True, exist_ok=True)
    keep = set(names)
    for existing in _media_files():
        if existing.relative_to(root).as_posix() not in keep:
            existing.unlink()
    for name in names:
        target = root / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source / name, target)
