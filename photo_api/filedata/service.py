"""Rules for file data: who may read and write it, versions, previews, and deletion.

ML data and previews are not counted against the owner's storage quota (as museum).
"""

from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import structlog
from sqlalchemy.orm import Session

from photo_api.clock import now_us
from photo_api.collections import access
from photo_api.config import Settings
from photo_api.errors import ApiError, bad_request, forbidden, not_found
from photo_api.filedata import objects, repo
from photo_api.filedata.schemas import (
    MAX_FETCH_IDS,
    MAX_PREVIEW_PARTS,
    PutFileDataRequest,
    VideoDataRequest,
    data_out,
    status_out,
)
from photo_api.files import repo as files_repo
from photo_api.models import File, FileData
from photo_api.pagination import page
from photo_api.storage.base import ObjectNotFound, StorageError
from photo_api.storage.registry import Stores

log = structlog.get_logger(__name__)
STATUS_DIFF_LIMIT = 5000
# Documents of a fetch are read from storage concurrently, this many at a time.
FETCH_WORKERS = 16


def _storage_error(exc: StorageError) -> ApiError:
    return ApiError(503, "STORAGE_UNAVAILABLE", str(exc))


def _invalid_version(message: str) -> ApiError:
    return ApiError(409, "INVALID_VERSION", message)


def _next_time(row: FileData | None) -> int:
    # Status diffs hand out rows changed after a client's last seen time: move forward.
    return max(now_us(), row.updated_at + 1) if row else now_us()


def _readable_file(session: Session, *, user_id: int, file_id: int) -> File:
    file = files_repo.get_file(session, file_id)
    if file is None:
        raise not_found("file not found")
    if not access.can_read_file(session, user_id=user_id, file=file):
        raise forbidden("no access to this file")
    return file


def _writable_file(session: Session, *, user_id: int, file_id: int, lock: bool = True) -> File:
    """The caller's own file, not deleted for good; locked so its data changes one at a time."""
    file = repo.lock_file(session, file_id) if lock else files_repo.get_file(session, file_id)
    if file is None or repo.deleted_for_good(session, file_id):
        raise not_found("file not found")
    if file.owner_id != user_id:
        raise forbidden("only the owner of a file can change its data")
    return file


def _previewable_file(session: Session, *, user_id: int, file_id: int, lock: bool) -> File:
    file = _writable_file(session, user_id=user_id, file_id=file_id, lock=lock)
    # As museum: previews only for files in an album (not trashed ones).
    if not repo.in_some_collection(session, file_id):
        raise not_found("file is in no collection")
    return file


def _upsert(
    session: Session,
    *,
    row: FileData | None,
    file: File,
    type_: str,
    object_key: str,
    size: int,
    object_id: str | None = None,
) -> None:
    if row is None:
        repo.add(
            session,
            FileData(
                file_id=file.id,
                type=type_,
                user_id=file.owner_id,
                object_key=object_key,
                object_id=object_id,
                object_nonce=None,
                size=size,
                is_deleted=False,
                updated_at=now_us(),
            ),
        )
        return
    row.object_key, row.object_id, row.size = object_key, object_id, size
    row.updated_at = _next_time(row)
    session.flush()


def _store(stores: Stores, key: str, document: bytes) -> None:
    try:
        objects.put_document(stores, key, document)
    except StorageError as exc:
        raise _storage_error(exc) from exc


def put_ml_data(
    session: Session, *, stores: Stores, user_id: int, client: str, request: PutFileDataRequest
) -> None:
    """Store a file's ML data (one JSON object); a stale `lastUpdatedAt` is refused with 409."""
    file = _writable_file(session, user_id=user_id, file_id=request.fileID)
    row = repo.get(session, file_id=file.id, type_="mldata")
    if row is not None and row.is_deleted:
        raise _invalid_version("data deleted")
    if request.lastUpdatedAt is not None:
        if row is None and request.lastUpdatedAt != 0:
            raise _invalid_version("non zero version empty data")
        if row is not None and row.updated_at != request.lastUpdatedAt:
            raise _invalid_version(
                f"version mismatch expected {row.updated_at}, found {request.lastUpdatedAt}"
            )
    key = objects.ml_key(owner_id=file.owner_id, file_id=file.id)
    document = objects.metadata_document(
        version=request.version,
        encrypted_data=request.encryptedData,
        header=request.decryptionHeader,
        client=client,
    )
    _upsert(session, row=row, file=file, type_="mldata", object_key=key, size=len(document))
    # Written last: any failure before it leaves storage untouched. The key is fixed, so the
    # new document replaces the old one in place.
    _store(stores, key, document)


def put_video_data(
    session: Session,
    *,
    settings: Settings,
    stores: Stores,
    user_id: int,
    client: str,
    request: VideoDataRequest,
) -> None:
    """Commit an uploaded preview stream with its playlist; a replaced preview's objects are
    scheduled for removal."""
    if not objects.OBJECT_ID.fullmatch(request.objectID) or request.objectID[:3] != "pv_":
        raise bad_request("objectID was not issued for a video preview")
    file = _previewable_file(session, user_id=user_id, file_id=request.fileID, lock=True)
    owner, file_id = file.owner_id, file.id
    stream = objects.preview_key(
        owner_id=owner, file_id=file_id, type_="vid_preview", object_id=request.objectID
    )
    try:
        info = stores.hot.head(stream)
    except StorageError as exc:
        raise _storage_error(exc) from exc
    if info is None:
        raise bad_request("the preview stream has not been uploaded")
    if info.size != request.objectSize:
        raise bad_request(f"the preview stream has {info.size} bytes, not {request.objectSize}")
    row = repo.get(session, file_id=file_id, type_="vid_preview")
    if row is not None and row.is_deleted:
        raise not_found("file data deleted")
    if row is not None and row.object_id and row.object_id != request.objectID:
        # The stream's key is a prefix of its playlist's: one row removes both.
        replaced = objects.preview_key(
            owner_id=owner, file_id=file_id, type_="vid_preview", object_id=row.object_id
        )
        now = now_us()
        files_repo.schedule_prefix_removal(
            session,
            prefixes=[(replaced, owner)],
            now=now,
            delete_after=now + settings.object_deletion_delay_us,
        )
    key = objects.playlist_key(owner_id=owner, file_id=file_id, object_id=request.objectID)
    document = objects.metadata_document(
        version=request.version,
        encrypted_data=request.playlist,
        header=request.playlistHeader,
        client=client,
    )
    _upsert(
        session,
        row=row,
        file=file,
        type_="vid_preview",
        object_key=key,
        size=len(document) + request.objectSize,
        object_id=request.objectID,
    )
    _store(stores, key, document)


def status_diff(
    session: Session, *, user_id: int, last_updated_at: int | None
) -> dict[str, list[dict[str, Any]] | None]:
    """The caller's file data rows changed after a time, oldest first; clients loop until empty."""
    if last_updated_at is None or last_updated_at < 0:
        raise bad_request("lastUpdated is required and should be greater than or equal to 0")
    rows, _ = page(
        lambda n: repo.diff_rows(session, user_id=user_id, since=last_updated_at, limit=n),
        lambda at: repo.rows_at(session, user_id=user_id, at=at),
        lambda row: row.updated_at,
        limit=STATUS_DIFF_LIMIT,
    )
    # museum answers null rather than [] when nothing changed; clients expect either.
    return {"diff": [status_out(row) for row in rows] or None}


def _read(stores: Stores, row: FileData) -> dict[str, Any] | StorageError:
    try:
        return objects.read_document(stores, row.object_key)
    except StorageError as exc:
        log.warning("file data unreadable", key=row.object_key, error=str(exc))
        return exc


def fetch_many(
    session: Session, *, stores: Stores, user_id: int, file_ids: Sequence[int], type_: str
) -> dict[str, list[Any]]:
    """Data of up to 200 readable files; files without any are `pendingIndexFileIDs`."""
    if not file_ids:
        raise bad_request("fileIDs are required")
    if len(file_ids) > MAX_FETCH_IDS:
        raise bad_request(f"fileIDs should be less than or equal to {MAX_FETCH_IDS}")
    if len(set(file_ids)) != len(file_ids):
        raise bad_request("duplicate fileIDs")
    for file in files_repo.files_by_ids(session, file_ids):
        if not access.can_read_file(session, user_id=user_id, file=file):
            raise forbidden(f"no access to file {file.id}")
    rows = repo.rows_for(session, file_ids=file_ids, type_=type_)
    known = {row.file_id for row in rows}
    live = [row for row in rows if not row.is_deleted]
    documents: list[dict[str, Any] | StorageError] = []
    if live:
        with ThreadPoolExecutor(max_workers=min(FETCH_WORKERS, len(live))) as pool:
            documents = list(pool.map(lambda row: _read(stores, row), live))
    data, errors = [], []
    for row, document in zip(live, documents, strict=True):
        if isinstance(document, StorageError):
            errors.append(row.file_id)
        else:
            data.append(data_out(row, document))
    return {
        "data": data,
        "pendingIndexFileIDs": [file_id for file_id in file_ids if file_id not in known],
        "errFileIDs": errors,
    }


def fetch_one(
    session: Session,
    *,
    stores: Stores,
    user_id: int,
    file_id: int,
    type_: str,
    prefer_no_content: bool,
) -> dict[str, Any] | None:
    """The data of one readable file. When it has none: None if the client prefers a 204
    (the web does, for every video it shows), else 404."""
    _readable_file(session, user_id=user_id, file_id=file_id)
    row = repo.get(session, file_id=file_id, type_=type_)
    document: dict[str, Any] | None = None
    if row is not None and not row.is_deleted:
        try:
            document = objects.read_document(stores, row.object_key)
        except ObjectNotFound:
            log.warning("file data object missing", key=row.object_key)
        except StorageError as exc:
            raise _storage_error(exc) from exc
    if row is not None and document is not None:
        return data_out(row, document)
    if prefer_no_content:
        return None
    raise not_found("no file data")


def preview_upload_url(
    session: Session,
    *,
    settings: Settings,
    stores: Stores,
    user_id: int,
    file_id: int,
    type_: str,
    multipart: bool,
    count: int | None,
) -> dict[str, Any]:
    """A new object id and URL(s) to upload a preview to; PUT /files/video-data commits it."""
    if multipart and count is None:
        raise bad_request("count is required for multipart upload")
    if multipart and not 1 <= (count or 0) <= MAX_PREVIEW_PARTS:
        raise bad_request(f"invalid count, should be between 1 and {MAX_PREVIEW_PARTS}")
    file = _previewable_file(session, user_id=user_id, file_id=file_id, lock=False)
    object_id = objects.new_object_id(type_)
    key = objects.preview_key(
        owner_id=file.owner_id, file_id=file.id, type_=type_, object_id=object_id
    )
    ttl = settings.storage.url_ttl_seconds
    store = stores.hot
    if not multipart:
        return {"objectID": object_id, "url": store.presign_put(key, ttl=ttl)}
    try:
        upload_id = store.create_multipart(key)
    except StorageError as exc:
        raise _storage_error(exc) from exc
    return {
        "objectID": object_id,
        "partURLs": [
            store.presign_part(key, upload_id, number, ttl=ttl)
            for number in range(1, (count or 0) + 1)
        ],
        "completeURL": store.presign_complete(key, upload_id, ttl=ttl),
    }


def preview_url(
    session: Session,
    *,
    settings: Settings,
    stores: Stores,
    user_id: int,
    file_id: int,
    type_: str,
) -> dict[str, str]:
    """A signed URL to download a readable file's committed preview."""
    _readable_file(session, user_id=user_id, file_id=file_id)
    row = repo.get(session, file_id=file_id, type_=type_)
    if row is None or row.is_deleted or not row.object_id:
        raise not_found("no preview for this file")
    key = objects.preview_key(
        owner_id=row.user_id, file_id=file_id, type_=type_, object_id=row.object_id
    )
    return {"url": stores.hot.presign_get(key, ttl=settings.storage.url_ttl_seconds)}


def delete_for_files(session: Session, *, file_ids: Sequence[int], delete_after: int) -> None:
    """Mark the data of files deleted for good and schedule its objects' removal.

    Status diffs show the rows as isDeleted from now on. Everything under each file's
    "<owner>/file-data/<fileID>/" prefix (previews uploaded but never committed too) leaves
    every backend once delete_after has passed, by the object cleanup job.
    """
    if not file_ids:
        return
    now = now_us()
    repo.mark_deleted(session, file_ids=file_ids, now=now)
    prefixes = [
        (objects.base_prefix(owner_id=owner_id, file_id=file_id), owner_id)
        for file_id, owner_id in repo.owners_with_data(session, file_ids)
    ]
    files_repo.schedule_prefix_removal(
        session, prefixes=prefixes, now=now, delete_after=delete_after
    )
