"""Upload URLs: object keys under the user's prefix, signed by the hot backend, recorded;
and the completion of multipart uploads through the API."""

from __future__ import annotations

import base64
import binascii
import math
import uuid
from typing import Any

from sqlalchemy.orm import Session

from photo_api.clock import MICROS_PER_SECOND, now_us
from photo_api.config import Settings
from photo_api.db.session import Database
from photo_api.errors import ApiError, bad_request
from photo_api.files import repo
from photo_api.models import StoredObject
from photo_api.storage.base import (
    InvalidPart,
    ObjectNotFound,
    ObjectStore,
    StorageError,
    bare_etag,
    multipart_etag,
)
from photo_api.storage.registry import Stores

MAX_URLS = 50
MAX_PARTS = 10_000
MIN_PART = 5 * 1024 * 1024


def normalize_md5(value: str) -> str:
    """Base64 of a 16-byte MD5, given as base64 or hex."""
    digest: bytes | None = None
    try:
        digest = (
            bytes.fromhex(value) if len(value) == 32 else base64.b64decode(value, validate=True)
        )
    except (ValueError, binascii.Error):
        digest = None
    if digest is None or len(digest) != 16:
        raise bad_request("contentMD5 must be the base64 or hex of a 16-byte MD5")
    return base64.b64encode(digest).decode()


def own_pending_object(session: Session, *, key: str, owner_id: int) -> StoredObject:
    """The object issued to `owner_id` for an upload and not yet used by a file."""
    if not key.startswith(f"{owner_id}/"):
        raise bad_request("object keys must start with the uploader's id")
    obj = repo.get_object(session, key)
    if obj is None or obj.owner_id != owner_id or obj.state != "pending":
        raise bad_request(f"object {key} was not issued for an upload, or is already used")
    return obj


def new_key(owner_id: int) -> str:
    """museum's object keys: "<userID>/<uuid>"."""
    return f"{owner_id}/{uuid.uuid4()}"


def _record(
    session: Session,
    *,
    settings: Settings,
    stores: Stores,
    key: str,
    owner_id: int,
    upload_id: str | None,
) -> str:
    now = now_us()
    # Abandoned once every URL for it has expired, with as much again to spare.
    expires_at = now + settings.storage.abandoned_upload_seconds * MICROS_PER_SECOND
    repo.add_object(
        session,
        StoredObject(
            key=key,
            owner_id=owner_id,
            state="pending",
            backend=stores.hot_name,
            upload_id=upload_id,
            created_at=now,
            expires_at=expires_at,
        ),
    )
    return key


def single(
    session: Session,
    *,
    settings: Settings,
    stores: Stores,
    owner_id: int,
    content_length: int | None = None,
    content_md5: str | None = None,
    key: str | None = None,
) -> dict[str, str]:
    """A signed PUT URL for a new object, recorded as pending; `key` when the caller names
    its objects itself (contact attachments), else a fresh one under the owner's prefix."""
    key = _record(
        session,
        settings=settings,
        stores=stores,
        key=key or new_key(owner_id),
        owner_id=owner_id,
        upload_id=None,
    )
    url = stores.hot.presign_put(
        key,
        ttl=settings.storage.url_ttl_seconds,
        content_length=content_length,
        content_md5=content_md5,
    )
    return {"objectKey": key, "url": url}


def part_lengths(*, content_length: int, part_length: int, md5_count: int) -> list[int]:
    if content_length > part_length and part_length < MIN_PART:
        raise bad_request("parts must be at least 5 MiB")
    count = math.ceil(content_length / part_length)
    if count > MAX_PARTS or count != md5_count:
        raise bad_request(f"{count} parts need {count} MD5s (at most {MAX_PARTS})")
    return [part_length] * (count - 1) + [content_length - part_length * (count - 1)]


def multipart(
    session: Session,
    *,
    settings: Settings,
    stores: Stores,
    owner_id: int,
    part_count: int,
    lengths: list[int] | None = None,
    md5s: list[str] | None = None,
) -> dict[str, Any]:
    ttl = settings.storage.url_ttl_seconds
    key = new_key(owner_id)
    upload_id = stores.hot.create_multipart(key)
    _record(
        session, settings=settings, stores=stores, key=key, owner_id=owner_id, upload_id=upload_id
    )
    part_urls = [
        stores.hot.presign_part(
            key,
            upload_id,
            number,
            ttl=ttl,
            content_length=lengths[number - 1] if lengths else None,
            content_md5=md5s[number - 1] if md5s else None,
        )
        for number in range(1, part_count + 1)
    ]
    return {
        "objectKey": key,
        "partURLs": part_urls,
        "completeURL": stores.hot.presign_complete(key, upload_id, ttl=ttl),
    }


def complete_multipart(
    db: Database, *, stores: Stores, owner_id: int, key: str, parts: list[tuple[int, str]]
) -> dict[str, str]:
    """What POSTing the completion document to the upload's completeURL does, for clients
    that cannot: the listed parts become the object, still pending until POST /files.

    The object's row is read in a transaction of its own that ends before the backend puts
    the parts together: that takes as long as copying the object, and must hold no
    database slot or lock. A retry of a completion that succeeded answers it again.
    """
    with db.side_read() as session:
        obj = own_pending_object(session, key=key, owner_id=owner_id)
    if obj.upload_id is None:
        raise bad_request(f"object {key} is not a multipart upload")
    store = stores.get(obj.backend)
    if store is None:
        raise ApiError(503, "STORAGE_UNAVAILABLE", f"storage backend {obj.backend} is gone")
    try:
        etag = store.complete_multipart(key, obj.upload_id, parts)
    except InvalidPart as exc:
        raise ApiError(400, "INVALID_PART", str(exc)) from exc
    except ObjectNotFound as exc:
        done = _completed_before(store, key, parts)
        if done is None:
            raise ApiError(404, "NO_SUCH_UPLOAD", f"no multipart upload of {key}") from exc
        etag = done
    except StorageError as exc:
        raise ApiError(503, "STORAGE_UNAVAILABLE", str(exc)) from exc
    return {"objectKey": key, "etag": etag}


def _completed_before(store: ObjectStore, key: str, parts: list[tuple[int, str]]) -> str | None:
    """The object's ETag if it is what completing these parts made (S3 and the local store
    compute it alike), else None."""
    try:
        expected = multipart_etag([bytes.fromhex(bare_etag(etag)) for _, etag in parts])
        info = store.head(key)
    except (ValueError, StorageError):
        return None
    return expected if info is not None and info.etag == expected else None
