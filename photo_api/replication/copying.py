"""Moving one object's bytes between backends, hashing them on the way; no database here."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import BinaryIO

from photo_api.storage.base import ObjectNotFound, ObjectStore, StorageError

CHUNK_BYTES = 1024 * 1024


class SourceError(StorageError):
    """Reading the source failed: the copy may be retried from another source."""


class TargetError(StorageError):
    """Writing or reading back the target failed."""


class NoSource(StorageError):
    """No source could provide bytes matching the reference."""

    def __init__(self, message: str, *, corrupt: Sequence[str] = ()) -> None:
        super().__init__(message)
        self.corrupt = list(corrupt)


@dataclass
class Copied:
    sha256: str
    source: str
    # Sources whose bytes did not match the reference.
    corrupt: list[str] = field(default_factory=list)


class HashingReader:
    """A read-only stream that hashes what passes through and tags its own failures."""

    def __init__(self, stream: BinaryIO) -> None:
        self._stream = stream
        self._sha = hashlib.sha256()
        self.size = 0

    def read(self, amount: int = -1) -> bytes:
        try:
            data = self._stream.read(amount) if amount >= 0 else self._stream.read()
        except Exception as exc:  # any failure of the source's transport
            raise SourceError(f"reading source: {exc}") from exc
        self._sha.update(data)
        self.size += len(data)
        return data

    def hexdigest(self) -> str:
        return self._sha.hexdigest()


def hash_object(store: ObjectStore, key: str) -> tuple[str, int]:
    """SHA-256 and size of an object as stored; raises ObjectNotFound or StorageError."""
    stream = store.open(key)
    try:
        reader = HashingReader(stream)
        while reader.read(CHUNK_BYTES):
            pass
    except SourceError as exc:
        raise StorageError(str(exc)) from exc
    finally:
        stream.close()
    return reader.hexdigest(), reader.size


def _write(key: str, size: int, source: ObjectStore, target: ObjectStore) -> str:
    """Stream source → target; the SHA-256 of the bytes read. Raises SourceError, TargetError."""
    try:
        stream = source.open(key)
    except StorageError as exc:
        raise SourceError(f"{source.name}: {exc}") from exc
    reader = HashingReader(stream)
    try:
        target.put(key, reader, size)  # type: ignore[arg-type]
    except SourceError:
        raise
    except StorageError as exc:
        raise TargetError(f"{target.name}: {exc}") from exc
    finally:
        stream.close()
    return reader.hexdigest()


def copy_object(
    *,
    key: str,
    size: int,
    reference: str | None,
    target: ObjectStore,
    sources: Sequence[ObjectStore],
) -> Copied:
    """Copy from the first source that yields the reference bytes, then read the copy back.

    `put` is atomic, so a failed or corrupt attempt never leaves a partial object that could
    be taken for good: the copy is good only once its read-back hash matches.
    """
    errors: list[str] = []
    corrupt: list[str] = []
    for source in sources:
        try:
            digest = _write(key, size, source, target)
        except SourceError as exc:
            errors.append(str(exc))
            continue
        if reference is not None and digest != reference:
            corrupt.append(source.name)
            errors.append(f"{source.name}: sha256 {digest} is not the reference {reference}")
            continue
        try:
            readback, stored = hash_object(target, key)
        except ObjectNotFound as exc:
            raise TargetError(f"{target.name}: copy vanished: {exc}") from exc
        except StorageError as exc:
            raise TargetError(f"{target.name}: reading back: {exc}") from exc
        if readback != digest or stored != size:
            raise TargetError(f"{target.name}: read back {readback} ({stored} B), wrote {digest}")
        return Copied(sha256=digest, source=source.name, corrupt=corrupt)
    raise NoSource("; ".join(errors) or "no copy to read from", corrupt=corrupt)
