"""Files written beside their target and renamed over it once complete, and the sweep of
those a killed process left behind.

A temp file is locked (flock) from its creation until it is renamed into place or removed, so
a process that dies mid-write leaves an unlocked one: that, and an old mtime, is how the
cleanup job tells a leftover from an upload that is only slow.
"""

from __future__ import annotations

import errno
import fcntl
import hashlib
import os
import stat
import tempfile
from pathlib import Path
from typing import BinaryIO

TEMP_PREFIX = ".tmp-"
# The ETag lives on the file's inode, so it is replaced atomically with the content.
ETAG_XATTR = "user.photo_api.etag"


def fsync_dir(path: Path) -> None:
    # Makes a rename durable: the directory entry is what changed.
    fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def set_etag(fd: int, etag: str) -> None:
    try:
        os.setxattr(fd, ETAG_XATTR, etag.encode())
    except OSError as exc:
        # Filesystems without user xattrs still store objects; they report no ETag.
        if exc.errno not in (errno.ENOTSUP, errno.EPERM):
            raise


def get_etag(path: Path) -> str | None:
    try:
        return os.getxattr(path, ETAG_XATTR).decode()
    except OSError:
        return None


class AtomicWriter:
    """Bytes written to a temp file beside `target`, which replace it only on commit()."""

    def __init__(self, target: Path, *, hashing: bool = True) -> None:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, temp = tempfile.mkstemp(dir=target.parent, prefix=TEMP_PREFIX)
        # Held until the file is renamed into place or removed (or the process dies).
        fcntl.flock(fd, fcntl.LOCK_EX)
        self.target = target
        self.size = 0
        self._temp = Path(temp)
        self._file: BinaryIO = os.fdopen(fd, "wb")
        self._md5 = hashlib.md5(usedforsecurity=False) if hashing else None
        self._done = False

    def write(self, data: bytes | bytearray) -> None:
        self._file.write(data)
        self.size += len(data)
        if self._md5 is not None:
            self._md5.update(data)

    def md5(self) -> bytes:
        if self._md5 is None:
            raise RuntimeError("writer created without hashing")
        return self._md5.digest()

    def commit(self, etag: str | None) -> None:
        self._file.flush()
        os.fsync(self._file.fileno())
        if etag is not None:
            set_etag(self._file.fileno(), etag)
        # Renamed while open, hence locked: the temp name never exists unlocked.
        os.replace(self._temp, self.target)
        self._done = True
        self._file.close()
        fsync_dir(self.target.parent)

    def discard(self) -> None:
        """Drop the temp file unless committed; safe to call more than once."""
        if self._done:
            return
        self._done = True
        self._temp.unlink(missing_ok=True)
        self._file.close()

    def __enter__(self) -> AtomicWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.discard()


def remove_stale_temp_files(root: Path, *, written_before: float) -> int:
    """Remove the temp files under `root` last written before `written_before` (a
    time.time()) that no writer holds. Returns how many went."""
    removed = 0
    for dirpath, _, filenames in os.walk(root):
        for name in filenames:
            if name.startswith(TEMP_PREFIX):
                removed += _remove_if_stale(Path(dirpath) / name, written_before)
    return removed


def _remove_if_stale(path: Path, written_before: float) -> bool:
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW)
    except OSError:
        # Renamed into place or discarded since it was listed.
        return False
    try:
        status = os.fstat(fd)
        if not stat.S_ISREG(status.st_mode) or status.st_mtime >= written_before:
            return False
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            # A writer holds it: an upload that is slow, not dead.
            return False
        # Unlink only the file we hold, not one that took its name meanwhile.
        if os.stat(path, follow_symlinks=False).st_ino != status.st_ino:
            return False
        path.unlink()
        return True
    except FileNotFoundError:
        return False
    finally:
        os.close(fd)
