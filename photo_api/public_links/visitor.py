"""What an album link lets its visitors do: see the album, sync it, download, and, when the
owner allows it, add files ("collect") on the owner's behalf and quota."""

from __future__ import annotations

import hashlib
import hmac
import string
from typing import Any

from sqlalchemy.orm import Session

from photo_api.auth import repo as auth_repo
from photo_api.clock import MICROS_PER_SECOND, now_us
from photo_api.collections import repo as collections_repo
from photo_api.collections.schemas import collection_out
from photo_api.collections.service import DIFF_LIMIT
from photo_api.config import Settings
from photo_api.errors import (
    ApiError,
    MiddlewareError,
    bad_request,
    forbidden,
    not_found,
    unauthorized,
)
from photo_api.filedata import service as filedata
from photo_api.files import quota, uploads
from photo_api.files import service as files_service
from photo_api.files.schemas import CreateFileRequest, MultipartUploadUrlRequest, file_entry
from photo_api.models import Collection, PublicCollectionLink
from photo_api.pagination import page
from photo_api.public_links import credentials, repo
from photo_api.public_links.access import LinkAccess
from photo_api.public_links.schemas import visitor_url_out
from photo_api.storage.registry import Stores

# Nobody who opens a link is the owner of what they see: the owner's private data stays out.
NO_VIEWER = 0
HIDDEN_ACTIONS = ("REMOVE", "DELETE_SUGGESTED")
REFERRAL_CODE_LENGTH = 6
REFERRAL_ALPHABET = string.ascii_uppercase + string.digits
# museum: each guest-upload URL route, per album.
COLLECT_URLS_PER_MINUTE = 250


def referral_code(settings: Settings, *, user_id: int) -> str:
    """The owner's referral code, derived rather than stored: the viewer requires one and
    this server has no referral programme, so it only has to be stable per user."""
    digest = hmac.new(
        settings.keys.raw("hash_key"), f"referral-code:{user_id}".encode(), hashlib.sha256
    ).digest()
    return "".join(
        REFERRAL_ALPHABET[b % len(REFERRAL_ALPHABET)] for b in digest[:REFERRAL_CODE_LENGTH]
    )


def _collection(session: Session, access: LinkAccess) -> Collection:
    collection = collections_repo.get_collection(session, access.collection_id)
    if collection is None or collection.is_deleted:
        raise not_found("collection not found")
    return collection


def _link(session: Session, access: LinkAccess) -> PublicCollectionLink:
    link = session.get(PublicCollectionLink, access.link_id)
    if link is None:
        raise not_found("link not found")
    return link


def info(session: Session, *, settings: Settings, access: LinkAccess) -> dict[str, Any]:
    """The album as a visitor sees it: no sharees, no private metadata, no owner email."""
    collection = album_as_seen(session, _collection(session, access))
    return {
        "collection": collection,
        "referralCode": referral_code(settings, user_id=access.owner_id),
    }


def album_as_seen(session: Session, collection: Collection) -> dict[str, Any]:
    """The album as someone outside it sees it: no sharees, no private metadata, no owner
    email, links without their tokens. Also what a cast device is shown."""
    links = repo.active_links(session, [collection.id])
    out = collection_out(collection, public_urls=[visitor_url_out(link) for link in links])
    out["sharees"] = None
    out.pop("magicMetadata", None)
    return out


def diff(session: Session, *, access: LinkAccess, since: int) -> dict[str, Any]:
    return album_diff(session, collection_id=access.collection_id, since=since)


def album_diff(session: Session, *, collection_id: int, since: int) -> dict[str, Any]:
    """A page of the album's files as an outsider syncs them (links and cast devices)."""
    rows, has_more = page(
        lambda limit: collections_repo.diff_rows(
            session, collection_id=collection_id, since=since, limit=limit
        ),
        lambda at: collections_repo.rows_at(session, collection_id=collection_id, at=at),
        lambda row: row.updation_time or 0,
        limit=DIFF_LIMIT,
    )
    out = []
    for row in rows:
        # file_entry already shows files an album admin took out as deleted to non-owners.
        item = file_entry(row, viewer_id=NO_VIEWER)
        if row.encrypted_metadata == "-":
            # Deleted for good, with a stale membership left behind.
            item["isDeleted"] = True
        out.append(item)
    return {"diff": out, "hasMore": has_more}


def _visible(session: Session, *, access: LinkAccess, file_id: int) -> None:
    require_visible(session, collection_id=access.collection_id, file_id=file_id)


def require_visible(session: Session, *, collection_id: int, file_id: int) -> None:
    """403 unless the file is live in the album and not on its way out (what the diff
    reports as deleted is not downloadable either)."""
    membership = collections_repo.membership(session, collection_id=collection_id, file_id=file_id)
    if membership is None or membership.is_deleted or membership.action in HIDDEN_ACTIONS:
        raise forbidden("file is not in this collection")


def download_url(
    session: Session,
    *,
    settings: Settings,
    stores: Stores,
    access: LinkAccess,
    file_id: int,
    kind: str,
) -> str:
    """A signed URL for a file that is live in the link's album; 403 for any other file."""
    return album_file_url(
        session,
        settings=settings,
        stores=stores,
        collection_id=access.collection_id,
        reader_id=access.owner_id,
        file_id=file_id,
        kind=kind,
    )


def album_file_url(
    session: Session,
    *,
    settings: Settings,
    stores: Stores,
    collection_id: int,
    reader_id: int,
    file_id: int,
    kind: str,
) -> str:
    """A signed URL for a file live in the album, fetched on behalf of `reader_id`, who
    takes part in the album (its owner for a link, the caster for a cast device)."""
    require_visible(session, collection_id=collection_id, file_id=file_id)
    return files_service.download_url(
        session,
        settings=settings,
        stores=stores,
        user_id=reader_id,
        file_id=file_id,
        kind=kind,
    )


def file_data(
    session: Session,
    *,
    stores: Stores,
    access: LinkAccess,
    file_id: int,
    type_: str,
    prefer_no_content: bool,
) -> dict[str, Any] | None:
    """A visible file's data (its video preview's playlist), read as its owner would."""
    _visible(session, access=access, file_id=file_id)
    return filedata.fetch_one(
        session,
        stores=stores,
        user_id=access.owner_id,
        file_id=file_id,
        type_=type_,
        prefer_no_content=prefer_no_content,
    )


def preview_url(
    session: Session,
    *,
    settings: Settings,
    stores: Stores,
    access: LinkAccess,
    file_id: int,
    type_: str,
) -> dict[str, str]:
    _visible(session, access=access, file_id=file_id)
    return filedata.preview_url(
        session,
        settings=settings,
        stores=stores,
        user_id=access.owner_id,
        file_id=file_id,
        type_=type_,
    )


def verify_password(
    session: Session, *, settings: Settings, access: LinkAccess, pass_hash: str
) -> dict[str, str]:
    link = _link(session, access)
    if not link.pw_hash:
        raise bad_request("password is not configured for the link")
    if not credentials.same(pass_hash, link.pw_hash):
        raise unauthorized("incorrect password for link")
    secret = settings.keys.raw("jwt_secret")
    return {"jwtToken": credentials.password_jwt(secret=secret, pass_hash=link.pw_hash)}


# --- guest uploads ----------------------------------------------------------------------------


def _collecting(session: Session, access: LinkAccess) -> Collection:
    collection = _collection(session, access)
    if not _link(session, access).enable_collect:
        raise ApiError(
            405, "PUBLIC_COLLECT_DISABLED", "User has not enabled public collect for this url"
        )
    return collection


def _count_url_request(session: Session, *, access: LinkAccess, route: str) -> None:
    """museum's per-album limit on upload URLs, counted in the request's own transaction
    (it writes anyway): a refused request rolls back and so does not count."""
    window_us = 60 * MICROS_PER_SECOND
    count = auth_repo.hit_counter(
        session,
        key=f"public-collect-{route}:collection:{access.collection_id}",
        window_start=now_us() // window_us * window_us,
    )
    if count > COLLECT_URLS_PER_MINUTE:
        raise MiddlewareError(429, "Rate limit breached, try later")


def upload_urls(
    session: Session, *, settings: Settings, stores: Stores, access: LinkAccess, count: int
) -> dict[str, Any]:
    _collecting(session, access)
    _count_url_request(session, access=access, route="upload-urls")
    quota.check(session, user_id=access.owner_id)
    return {
        "urls": [
            uploads.single(session, settings=settings, stores=stores, owner_id=access.owner_id)
            for _ in range(max(0, min(count, uploads.MAX_URLS)))
        ]
    }


def upload_url(
    session: Session,
    *,
    settings: Settings,
    stores: Stores,
    access: LinkAccess,
    content_length: int,
    content_md5: str,
) -> dict[str, str]:
    _collecting(session, access)
    _count_url_request(session, access=access, route="upload-url")
    md5 = uploads.normalize_md5(content_md5)
    quota.check(session, user_id=access.owner_id, size=content_length)
    return uploads.single(
        session,
        settings=settings,
        stores=stores,
        owner_id=access.owner_id,
        content_length=content_length,
        content_md5=md5,
    )


def multipart_upload_urls(
    session: Session, *, settings: Settings, stores: Stores, access: LinkAccess, count: int
) -> dict[str, Any]:
    _collecting(session, access)
    _count_url_request(session, access=access, route="multipart-upload-urls")
    if not 1 <= count <= uploads.MAX_PARTS:
        raise bad_request(f"count must be 1..{uploads.MAX_PARTS}")
    quota.check(session, user_id=access.owner_id)
    return {
        "urls": uploads.multipart(
            session, settings=settings, stores=stores, owner_id=access.owner_id, part_count=count
        )
    }


def multipart_upload_url(
    session: Session,
    *,
    settings: Settings,
    stores: Stores,
    access: LinkAccess,
    request: MultipartUploadUrlRequest,
) -> dict[str, Any]:
    _collecting(session, access)
    _count_url_request(session, access=access, route="multipart-upload-url")
    md5s = [uploads.normalize_md5(m) for m in request.partMd5s]
    lengths = uploads.part_lengths(
        content_length=request.contentLength, part_length=request.partLength, md5_count=len(md5s)
    )
    quota.check(session, user_id=access.owner_id)
    return uploads.multipart(
        session,
        settings=settings,
        stores=stores,
        owner_id=access.owner_id,
        part_count=len(md5s),
        lengths=lengths,
        md5s=md5s,
    )


def create_file(
    session: Session, *, stores: Stores, access: LinkAccess, request: CreateFileRequest
) -> dict[str, Any]:
    """Commit a guest's upload as a file of the album's owner, charged to the owner."""
    if request.collectionID != access.collection_id:
        raise bad_request("can only update to associated collection")
    collection = _collecting(session, access)
    # A link never updates an existing file, whatever id the body carries.
    request = request.model_copy(update={"id": 0})
    return files_service.create(
        session, stores=stores, user_id=access.owner_id, app=collection.app, request=request
    )
