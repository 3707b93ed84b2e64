"""The interface every object-storage backend implements.

Clients move object bytes directly to and from storage through signed URLs; the server only
signs, checks (HEAD) and, for replication and cleanup, copies and deletes.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import BinaryIO, Protocol


class StorageError(Exception):
    """A backend could not do what was asked (unreachable, refused, corrupt)."""


class ObjectNotFound(StorageError):
    """The object (or multipart upload) does not exist; open() and copy() raise it."""


class InvalidPart(StorageError):
    """A completion that lists a missing part, a wrong ETag, or parts out of order."""


def bare_etag(etag: str) -> str:
    # Clients send ETags verbatim with their quotes; S3 also accepts them bare.
    return etag.strip().strip('"').lower()


def multipart_etag(part_digests: Sequence[bytes]) -> str:
    """S3's ETag for a multipart object: MD5 of the parts' MD5s, dash, part count."""
    combined = hashlib.md5(b"".join(part_digests), usedforsecurity=False).hexdigest()
    return f'"{combined}-{len(part_digests)}"'


@dataclass(frozen=True, slots=True)
class ObjectInfo:
    size: int
    etag: str | None = None


class ObjectStore(Protocol):
    name: str

    def presign_put(
        self,
        key: str,
        *,
        ttl: int,
        content_length: int | None = None,
        content_md5: str | None = None,
    ) -> str:
        """URL for one PUT of the whole object; length and base64 MD5 are bound when given."""

    def create_multipart(self, key: str) -> str:
        """Start a multipart upload; returns its upload id."""

    def presign_part(
        self,
        key: str,
        upload_id: str,
        part_number: int,
        *,
        ttl: int,
        content_length: int | None = None,
        content_md5: str | None = None,
    ) -> str: ...

    def presign_complete(self, key: str, upload_id: str, *, ttl: int) -> str:
        """URL the client POSTs the <CompleteMultipartUpload> XML to."""

    def complete_multipart(self, key: str, upload_id: str, parts: Sequence[tuple[int, str]]) -> str:
        """What POSTing to the completion URL does, from the server: the listed (number, ETag)
        parts become the object. Returns its ETag; raises InvalidPart, or ObjectNotFound
        for an upload not (or no longer) in progress."""

    def abort_multipart(self, key: str, upload_id: str) -> None:
        """Drop an unfinished upload and its parts; a missing upload is not an error."""

    def presign_get(self, key: str, *, ttl: int) -> str:
        """URL for GET of the object, answered as an attachment of type octet-stream."""

    def head(self, key: str) -> ObjectInfo | None:
        """Size of a stored object, or None when it does not exist."""

    def open(self, key: str) -> BinaryIO:
        """A readable stream of the object's bytes (for replication and verification).

        The caller closes it. Raises ObjectNotFound.
        """

    def put(self, key: str, stream: BinaryIO, size: int) -> None:
        """Store exactly `size` bytes read from `stream`; atomic: all or nothing."""

    def copy(self, src_key: str, dst_key: str) -> None:
        """Server-side copy within this backend; raises ObjectNotFound."""

    def delete(self, key: str) -> None:
        """Remove an object; removing a missing object is not an error."""

    def keys(self, prefix: str = "") -> Iterator[str]: ...

    def check(self) -> None:
        """Raise StorageError when the backend cannot be reached."""
