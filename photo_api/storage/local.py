"""LocalStore: objects as files under one directory, uploaded through URLs the server signs.

Every write lands in a temp file beside its target and is renamed over it only once complete,
verified and fsynced, so readers see either the old object, the new one, or nothing. Files and
directories whose names start with "." (temp files, the multipart staging area) are never
objects: keys may not contain such segments (photo_api.storage.atomic writes and sweeps them).
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import re
import secrets
import shutil
import stat
import tempfile
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import BinaryIO
from urllib.parse import quote, urlencode

from photo_api.storage.atomic import (
    TEMP_PREFIX,
    AtomicWriter,
    fsync_dir,
    get_etag,
    remove_stale_temp_files,
)
from photo_api.storage.base import (
    InvalidPart,
    ObjectInfo,
    ObjectNotFound,
    StorageError,
    bare_etag,
    multipart_etag,
)
from photo_api.storage.signing import Grant, UrlSigner

CHUNK_BYTES = 1024 * 1024
STAGING_DIR = ".multipart"
MAX_PART_NUMBER = 10_000
_UPLOAD_ID = re.compile(r"[0-9a-f]{32}")


class InvalidKey(StorageError):
    """A key that could name something outside the store or inside its hidden areas."""


def quoted_md5(digest: bytes) -> str:
    return f'"{digest.hex()}"'


def validate_key(key: str) -> str:
    """The key itself, if it is a relative path of visible, printable segments."""
    segments = key.split("/")
    if (
        not key
        or len(key) > 1024
        or "\\" in key
        or any(not s or s.startswith(".") or not s.isprintable() for s in segments)
    ):
        raise InvalidKey(f"invalid object key {key!r}")
    return key


class LocalStore:
    def __init__(self, name: str, root: Path, *, signer: UrlSigner, base_url: str) -> None:
        self.name = name
        self.root = root.resolve()
        self.signer = signer
        self.base_url = base_url.rstrip("/")
        try:
            self.root.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StorageError(
                f"backend {name!r}: cannot create {self.root}: {exc.strerror or exc}"
            ) from exc

    # --- signed URLs -------------------------------------------------------------------

    def url(self, grant: Grant) -> str:
        path = f"/objects/{quote(self.name, safe='')}/{quote(grant.key, safe='/')}"
        return f"{self.base_url}{path}?{urlencode(self.signer.signed_query(grant))}"

    def _grant(
        self,
        method: str,
        key: str,
        ttl: int,
        *,
        content_length: int | None = None,
        content_md5: str | None = None,
        upload_id: str | None = None,
        part_number: int | None = None,
    ) -> Grant:
        return Grant(
            method=method,
            backend=self.name,
            key=validate_key(key),
            expires=self.signer.expiry(ttl),
            content_length=content_length,
            content_md5=content_md5,
            upload_id=upload_id,
            part_number=part_number,
        )

    def verify(self, *, method: str, key: str, params: Mapping[str, str]) -> Grant:
        return self.signer.verify(method=method, backend=self.name, key=key, params=params)

    def presign_put(
        self,
        key: str,
        *,
        ttl: int,
        content_length: int | None = None,
        content_md5: str | None = None,
    ) -> str:
        return self.url(
            self._grant("PUT", key, ttl, content_length=content_length, content_md5=content_md5)
        )

    def presign_part(
        self,
        key: str,
        upload_id: str,
        part_number: int,
        *,
        ttl: int,
        content_length: int | None = None,
        content_md5: str | None = None,
    ) -> str:
        return self.url(
            self._grant(
                "PUT",
                key,
                ttl,
                upload_id=upload_id,
                part_number=part_number,
                content_length=content_length,
                content_md5=content_md5,
            )
        )

    def presign_complete(self, key: str, upload_id: str, *, ttl: int) -> str:
        return self.url(self._grant("POST", key, ttl, upload_id=upload_id))

    def presign_get(self, key: str, *, ttl: int) -> str:
        return self.url(self._grant("GET", key, ttl))

    # --- objects -----------------------------------------------------------------------

    def path(self, key: str) -> Path:
        return self.root / validate_key(key)

    def writer(self, key: str) -> AtomicWriter:
        return AtomicWriter(self.path(key))

    def head(self, key: str) -> ObjectInfo | None:
        path = self.path(key)
        try:
            status = path.stat()
        except (FileNotFoundError, NotADirectoryError):
            return None
        if not stat.S_ISREG(status.st_mode):
            return None
        return ObjectInfo(size=status.st_size, etag=get_etag(path))

    def open(self, key: str) -> BinaryIO:
        try:
            return self.path(key).open("rb")
        except (FileNotFoundError, NotADirectoryError, IsADirectoryError) as exc:
            raise ObjectNotFound(key) from exc

    def put(self, key: str, stream: BinaryIO, size: int) -> None:
        with self.writer(key) as writer:
            while writer.size < size:
                chunk = stream.read(min(CHUNK_BYTES, size - writer.size))
                if not chunk:
                    raise StorageError(f"stream for {key} ended at {writer.size} of {size} bytes")
                writer.write(chunk)
            if stream.read(1):
                raise StorageError(f"stream for {key} is longer than {size} bytes")
            writer.commit(quoted_md5(writer.md5()))

    def copy(self, src_key: str, dst_key: str) -> None:
        src, dst = self.path(src_key), self.path(dst_key)
        dst.parent.mkdir(parents=True, exist_ok=True)
        # Objects are never modified in place (writes replace the inode), so a hard link is a
        # safe, instant copy; rename puts it in place atomically.
        temp = dst.parent / f"{TEMP_PREFIX}{secrets.token_hex(8)}"
        with self.open(src_key) as stream:
            # The temp name links the object's inode, and so has its (old) mtime: a lock on
            # the inode keeps the cleanup job off it until it is renamed.
            fcntl.flock(stream.fileno(), fcntl.LOCK_SH)
            try:
                os.link(src, temp)
            except OSError:
                # Filesystems without hard links (some network and FUSE mounts): copy the bytes.
                self.put(dst_key, stream, os.fstat(stream.fileno()).st_size)
                return
            os.replace(temp, dst)
        fsync_dir(dst.parent)

    def delete(self, key: str) -> None:
        self.path(key).unlink(missing_ok=True)

    def keys(self, prefix: str = "") -> Iterator[str]:
        for dirpath, dirnames, filenames in os.walk(self.root):
            relative = Path(dirpath).relative_to(self.root).as_posix()
            base = "" if relative == "." else f"{relative}/"
            # Hidden entries are temp files and staging; prune directories the prefix excludes.
            dirnames[:] = sorted(
                d for d in dirnames if not d.startswith(".") and _may_hold(f"{base}{d}/", prefix)
            )
            for name in sorted(filenames):
                if not name.startswith(".") and f"{base}{name}".startswith(prefix):
                    yield f"{base}{name}"

    def remove_stale_temp_files(self, *, written_before: float) -> int:
        """Remove the temp files last written before `written_before` (a time.time()) that
        no writer holds: those of uploads and copies whose process was killed. Returns how
        many went."""
        return remove_stale_temp_files(self.root, written_before=written_before)

    def check(self) -> None:
        if not self.root.is_dir():
            raise StorageError(f"{self.root} is not a directory")
        if not os.access(self.root, os.W_OK | os.X_OK):
            raise StorageError(f"{self.root} is not writable")

    def check_writable(self) -> None:
        """Write and remove a file: permissions are not all (read-only mounts, full disks)."""
        try:
            fd, temp = tempfile.mkstemp(dir=self.root, prefix=TEMP_PREFIX)
            try:
                os.write(fd, b"probe")
                os.fsync(fd)
            finally:
                os.close(fd)
                os.unlink(temp)
        except OSError as exc:
            raise StorageError(f"{self.root} is not writable: {exc.strerror or exc}") from exc

    # --- multipart ---------------------------------------------------------------------

    def create_multipart(self, key: str) -> str:
        validate_key(key)
        upload_id = secrets.token_hex(16)
        staging = self.root / STAGING_DIR / upload_id
        staging.mkdir(parents=True)
        # The key file ties the upload to its object: a part URL for another key is refused.
        (staging / "key").write_text(key)
        return upload_id

    def _staging(self, key: str, upload_id: str) -> Path:
        if _UPLOAD_ID.fullmatch(upload_id):
            staging = self.root / STAGING_DIR / upload_id
            try:
                if (staging / "key").read_text() == key:
                    return staging
            except FileNotFoundError:
                pass
        raise ObjectNotFound(f"no multipart upload {upload_id} for {key}")

    def part_writer(self, key: str, upload_id: str, part_number: int) -> AtomicWriter:
        if not 1 <= part_number <= MAX_PART_NUMBER:
            raise InvalidPart(f"part number {part_number} is not within 1..{MAX_PART_NUMBER}")
        return AtomicWriter(self._staging(validate_key(key), upload_id) / f"{part_number:05d}")

    def complete_multipart(self, key: str, upload_id: str, parts: Sequence[tuple[int, str]]) -> str:
        """Concatenate the listed parts into the object; returns its (multipart) ETag.

        Each part's MD5 is checked against the listed ETag while it is copied, so every byte
        is read once.
        """
        staging = self._staging(validate_key(key), upload_id)
        numbers = [number for number, _ in parts]
        if not numbers or numbers != sorted(set(numbers)):
            raise InvalidPart("parts must be listed once each, in ascending order")
        digests = []
        with AtomicWriter(self.path(key), hashing=False) as writer:
            for number, etag in parts:
                md5 = hashlib.md5(usedforsecurity=False)
                try:
                    with (staging / f"{number:05d}").open("rb") as part:
                        while chunk := part.read(CHUNK_BYTES):
                            writer.write(chunk)
                            md5.update(chunk)
                except FileNotFoundError as exc:
                    raise InvalidPart(f"part {number} was not uploaded") from exc
                if bare_etag(etag) != md5.hexdigest():
                    raise InvalidPart(f"part {number} does not have ETag {etag}")
                digests.append(md5.digest())
            result = multipart_etag(digests)
            writer.commit(result)
        shutil.rmtree(staging, ignore_errors=True)
        return result

    def abort_multipart(self, key: str, upload_id: str) -> None:
        try:
            staging = self._staging(key, upload_id)
        except ObjectNotFound:
            return
        shutil.rmtree(staging, ignore_errors=True)


def _may_hold(directory: str, prefix: str) -> bool:
    """Whether keys under `directory` (ending in "/") can start with `prefix`."""
    return directory.startswith(prefix) or prefix.startswith(directory)
