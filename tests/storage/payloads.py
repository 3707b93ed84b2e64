"""Keys, digests and documents the storage tests send."""

from __future__ import annotations

import base64
import hashlib
import secrets
import uuid

TTL = 3600
MiB = 1024 * 1024


def new_key() -> str:
    """A key shaped like museum's: <userID>/<uuid>."""
    return f"{secrets.randbelow(10**15) + 10**15}/{uuid.uuid4()}"


def md5_b64(data: bytes) -> str:
    return base64.b64encode(hashlib.md5(data).digest()).decode()


def md5_etag(data: bytes) -> str:
    return f'"{hashlib.md5(data).hexdigest()}"'


def completion_xml(etags: list[str]) -> bytes:
    parts = "".join(
        f"<Part><PartNumber>{number}</PartNumber><ETag>{etag}</ETag></Part>"
        for number, etag in enumerate(etags, start=1)
    )
    return f"<CompleteMultipartUpload>{parts}</CompleteMultipartUpload>".encode()
