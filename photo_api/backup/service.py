"""Backups of a running server, and their restore into an empty data directory.

A backup is a directory: the database (see photo_api.backup.repo), the server secrets,
the objects of every local backend, and a manifest listing every object of every backend
with its size and SHA-256. It is written under a temporary name and renamed when complete,
so a directory with the backup's name is always a whole backup.

Objects are immutable once uploaded (each upload gets a new key; rewrites replace a file
atomically), and the database snapshot is taken first: every object it refers to is still
there when the objects are read, however long that takes. Objects uploaded meanwhile are
copied too, and are simply unknown to the restored database.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine

from photo_api import __version__
from photo_api.backup import repo
from photo_api.config import SECRETS_FILE, LocalBackend, Secrets, Settings
from photo_api.db import migrate
from photo_api.db.engine import create_private, make_engine
from photo_api.ops.startup import sqlite_path
from photo_api.replication.copying import hash_object
from photo_api.storage.base import ObjectNotFound, StorageError
from photo_api.storage.local import LocalStore
from photo_api.storage.registry import Stores

FORMAT = 1
MANIFEST = "manifest.json"
OBJECTS_LIST = "objects.jsonl"
OBJECTS_DIR = "objects"
SQLITE_FILE = "database.sqlite"
EXPORT_FILE = "database.jsonl.gz"
CHUNK_BYTES = 1024 * 1024

Progress = Callable[[int, int], None]
Tell = Callable[[str], None]


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why."""


@dataclass(frozen=True, slots=True)
class ObjectEntry:
    backend: str
    key: str
    size: int
    sha256: str
    copied: bool


@dataclass
class Summary:
    """What a backup or restore did, for its closing lines."""

    revision: str | None = None
    objects: int = 0
    bytes: int = 0
    copied: int = 0
    problems: list[str] = field(default_factory=list)


# --- backup -------------------------------------------------------------------------------


def backup(
    *,
    settings: Settings,
    stores: Stores,
    dest: Path,
    copy_objects: bool,
    progress: Progress,
    tell: Tell,
) -> Summary:
    dest = dest.absolute()
    if dest.exists():
        raise BackupError(f"{dest} exists; a backup goes into a new directory")
    if not dest.parent.is_dir():
        raise BackupError(f"{dest.parent} is not a directory")
    work = dest.with_name(f".{dest.name}.partial")
    if work.exists():
        raise BackupError(f"{work} is left from an interrupted backup; remove it first")
    # The backup holds the server secrets: only its owner may read it.
    work.mkdir(mode=0o700)
    try:
        summary = Summary()
        kind, summary.revision = _snapshot(settings, work)
        _write_private(work / SECRETS_FILE, settings.keys.revealed(), secret=True)
        entries = _read_objects(stores, work, copy_objects, progress, tell, summary)
        with (work / OBJECTS_LIST).open("w") as out:
            out.writelines(json.dumps(asdict(entry)) + "\n" for entry in entries)
        manifest = {
            "format": FORMAT,
            "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "photo_api": __version__,
            "schema_revision": summary.revision,
            "database": kind,
            "objects": summary.objects,
            "bytes": summary.bytes,
            "copied": summary.copied,
            "unreadable": len(summary.problems),
        }
        _write_private(work / MANIFEST, manifest, secret=False)
        os.rename(work, dest)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    return summary


def _snapshot(settings: Settings, work: Path) -> tuple[str, str | None]:
    path = sqlite_path(settings)
    if path is not None:
        return SQLITE_FILE, repo.sqlite_snapshot(path, work / SQLITE_FILE)
    engine = make_engine(settings.resolved_database_url)
    try:
        return EXPORT_FILE, repo.export(engine, work / EXPORT_FILE)
    finally:
        engine.dispose()


def _write_private(path: Path, document: dict[str, Any], *, secret: bool) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600 if secret else 0o644)
    with os.fdopen(fd, "w") as out:
        json.dump(document, out, indent=2)
        out.flush()
        os.fsync(out.fileno())


def _read_objects(
    stores: Stores,
    work: Path,
    copy_objects: bool,
    progress: Progress,
    tell: Tell,
    summary: Summary,
) -> list[ObjectEntry]:
    listed: list[tuple[str, str]] = []
    for name, store in stores:
        try:
            keys = store.keys()
            listed += [(name, key) for key in keys]
        except StorageError as exc:
            summary.problems.append(f"backend {name}: cannot list its objects: {exc}")
            tell(f"unreadable: backend {name}: {exc}")
    entries = []
    for done, (name, key) in enumerate(listed, start=1):
        source = stores.get(name)
        assert source is not None
        copy = copy_objects and isinstance(source, LocalStore)
        try:
            sha256, size = _read(source, key, work / OBJECTS_DIR / name / key if copy else None)
        except ObjectNotFound:
            continue  # removed since it was listed: no longer part of the library
        except StorageError as exc:
            summary.problems.append(f"{key} on {name}: {exc}")
            tell(f"unreadable: {key} on {name}: {exc}")
            continue
        entries.append(ObjectEntry(name, key, size, sha256, copy))
        summary.objects += 1
        summary.bytes += size
        summary.copied += copy
        progress(done, len(listed))
    return entries


def _read(store: Any, key: str, target: Path | None) -> tuple[str, int]:
    """SHA-256 and size of the object, written to `target` on the way when given."""
    if target is None:
        return hash_object(store, key)
    target.parent.mkdir(parents=True, exist_ok=True)
    digest, size = hashlib.sha256(), 0
    with store.open(key) as stream, target.open("wb") as out:
        while chunk := stream.read(CHUNK_BYTES):
            digest.update(chunk)
            out.write(chunk)
            size += len(chunk)
        out.flush()
        os.fsync(out.fileno())
    return digest.hexdigest(), size


# --- restore ------------------------------------------------------------------------------


def read_manifest(src: Path) -> dict[str, Any]:
    try:
        manifest: dict[str, Any] = json.loads((src / MANIFEST).read_text())
    except FileNotFoundError:
        raise BackupError(f"{src} is not a backup: it has no {MANIFEST}") from None
    except (OSError, ValueError) as exc:
        raise BackupError(f"{src / MANIFEST}: {exc}") from None
    if manifest.get("format") != FORMAT:
        raise BackupError(f"{src}: backup format {manifest.get('format')} is not {FORMAT}")
    return manifest


def _empty(path: Path) -> bool:
    return not path.exists() or (path.is_dir() and not any(path.iterdir()))


def check_target(settings: Settings) -> None:
    """The data directory, local backends and database must hold nothing yet."""
    places = [settings.data_dir] + [
        backend.path
        for backend in settings.storage.backends.values()
        if isinstance(backend, LocalBackend) and backend.path is not None
    ]
    for place in places:
        if not _empty(place):
            raise BackupError(f"{place.absolute()} is not empty; restore needs an empty one")
    path = sqlite_path(settings)
    if path is not None:
        if path.exists():
            raise BackupError(f"database {path} exists; restore needs none")
        return
    engine = make_engine(settings.resolved_database_url)
    try:
        if not repo.is_empty(engine):
            raise BackupError("the database has tables; restore needs an empty database")
    finally:
        engine.dispose()


def restore_secrets(settings: Settings, src: Path) -> None:
    """The backup's server keys; configured keys must be the same ones."""
    saved = Secrets.model_validate(json.loads((src / SECRETS_FILE).read_text()))
    if settings.secrets is not None:
        if settings.secrets.revealed() != saved.revealed():
            raise BackupError(
                "the configured secrets differ from the backup's: sessions, links and stored "
                "two-factor secrets would not open; remove them from the settings"
            )
        return
    settings.data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    _write_private(settings.data_dir / SECRETS_FILE, saved.revealed(), secret=True)
    settings.secrets = saved


def restore_database(settings: Settings, src: Path, manifest: dict[str, Any]) -> None:
    kind = manifest["database"]
    path = sqlite_path(settings)
    if kind == SQLITE_FILE and path is not None:
        create_private(path)
        repo.sqlite_restore(src / SQLITE_FILE, path)
        return
    target = make_engine(settings.resolved_database_url)
    source = None
    try:
        migrate.upgrade(target, manifest["schema_revision"] or "base")
        if kind == SQLITE_FILE:
            source = create_engine(f"sqlite:///file:{src / SQLITE_FILE}?mode=ro&uri=true")
            repo.load(target, repo.database_rows(source))
        else:
            repo.load(target, repo.exported_rows(src / EXPORT_FILE))
    finally:
        target.dispose()
        if source is not None:
            source.dispose()


def restore_objects(
    stores: Stores, src: Path, progress: Progress, tell: Tell, summary: Summary
) -> None:
    """Put back the copied objects, then check every object of the manifest."""
    entries = [
        ObjectEntry(**json.loads(line))
        for line in (src / OBJECTS_LIST).read_text().splitlines()
        if line.strip()
    ]
    unknown = sorted({entry.backend for entry in entries} - {name for name, _ in stores})
    for name in unknown:
        tell(f"not checked: backend {name} of the backup is not configured here")
    for done, entry in enumerate(entries, start=1):
        store = stores.get(entry.backend)
        if store is None:
            summary.problems.append(f"{entry.key} on {entry.backend}: backend not configured")
            continue
        if entry.copied:
            try:
                with (src / OBJECTS_DIR / entry.backend / entry.key).open("rb") as stream:
                    store.put(entry.key, stream, entry.size)
                summary.copied += 1
            except (OSError, StorageError) as exc:
                tell(f"not restored: {entry.key} on {entry.backend}: {exc}")
        try:
            sha256, size = hash_object(store, entry.key)
        except ObjectNotFound:
            problem = "missing"
        except StorageError as exc:
            problem = f"unreadable: {exc}"
        else:
            problem = (
                ""
                if (sha256, size) == (entry.sha256, entry.size)
                else (f"sha256 {sha256} ({size} B), the backup has {entry.sha256} ({entry.size} B)")
            )
        if problem:
            summary.problems.append(f"{entry.key} on {entry.backend}: {problem}")
            tell(f"bad: {entry.key} on {entry.backend}: {problem}")
        else:
            summary.objects += 1
            summary.bytes += entry.size
        progress(done, len(entries))
