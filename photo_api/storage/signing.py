"""URLs the server signs for its own local backend, and their verification.

A URL carries a grant: which method may be applied to which object until when, and (like
S3's signed headers) the exact Content-Length and Content-MD5 its body must have. The grant's
fields travel in the query string; the signature is HMAC-SHA256 over their canonical form.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass

# Query parameter names. uploadId and partNumber are S3's names, which clients never parse
# but which keep the URLs recognisable.
EXPIRES = "expires"
CONTENT_LENGTH = "contentLength"
CONTENT_MD5 = "contentMD5"
UPLOAD_ID = "uploadId"
PART_NUMBER = "partNumber"
SIGNATURE = "signature"
# Versioned so that a future change of the canonical form cannot verify old signatures.
SCHEME = "photo-api-object-v1"


class SignatureInvalid(Exception):
    """Missing, malformed or tampered signature."""


class SignatureExpired(Exception):
    """A well-signed URL whose time is up."""


@dataclass(frozen=True, slots=True)
class Grant:
    """What a signed URL allows."""

    method: str
    backend: str
    key: str
    # Unix seconds; the URL is valid up to and including this second.
    expires: int
    content_length: int | None = None
    # Base64 of the 16-byte MD5, as in the Content-MD5 header.
    content_md5: str | None = None
    upload_id: str | None = None
    part_number: int | None = None

    def canonical(self) -> bytes:
        # JSON rather than joined lines: no field value can be crafted to shift the others.
        return json.dumps(
            [
                SCHEME,
                self.method,
                self.backend,
                self.key,
                self.expires,
                self.content_length,
                self.content_md5,
                self.upload_id,
                self.part_number,
            ],
            separators=(",", ":"),
        ).encode()

    def query(self) -> dict[str, str]:
        """The grant's query parameters, without the signature."""
        optional = {
            CONTENT_LENGTH: self.content_length,
            CONTENT_MD5: self.content_md5,
            UPLOAD_ID: self.upload_id,
            PART_NUMBER: self.part_number,
        }
        present = {name: str(value) for name, value in optional.items() if value is not None}
        return {EXPIRES: str(self.expires), **present}


class UrlSigner:
    def __init__(self, key: bytes, *, clock: Callable[[], float] = time.time) -> None:
        if len(key) < 32:
            raise ValueError("the URL signing key must be at least 32 bytes")
        self._key = key
        self._clock = clock

    def expiry(self, ttl: int) -> int:
        return int(self._clock()) + ttl

    def sign(self, grant: Grant) -> str:
        digest = hmac.new(self._key, grant.canonical(), hashlib.sha256).digest()
        return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()

    def signed_query(self, grant: Grant) -> dict[str, str]:
        return grant.query() | {SIGNATURE: self.sign(grant)}

    def verify(self, *, method: str, backend: str, key: str, params: Mapping[str, str]) -> Grant:
        """The grant a request's URL carries; raises SignatureInvalid or SignatureExpired.

        Parameters outside the grant are ignored, so they cannot widen it; any change to one
        inside it changes the canonical form and fails the comparison.
        """
        try:
            grant = Grant(
                method=method,
                backend=backend,
                key=key,
                expires=int(params[EXPIRES]),
                content_length=_int_or_none(params.get(CONTENT_LENGTH)),
                content_md5=params.get(CONTENT_MD5),
                upload_id=params.get(UPLOAD_ID),
                part_number=_int_or_none(params.get(PART_NUMBER)),
            )
            given = params[SIGNATURE]
        except (KeyError, ValueError) as exc:
            raise SignatureInvalid("missing or malformed signature parameters") from exc
        if not hmac.compare_digest(self.sign(grant).encode(), given.encode()):
            raise SignatureInvalid("signature does not match")
        # Checked after the signature so that an expiry cannot be probed with forged URLs.
        if int(self._clock()) > grant.expires:
            raise SignatureExpired("the URL has expired")
        return grant


def _int_or_none(value: str | None) -> int | None:
    return None if value is None else int(value)
