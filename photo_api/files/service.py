"""Rules for files: committing uploads, replacing them, metadata, sizes, downloads, copies."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import structlog
from sqlalchemy.orm import Session

from photo_api.clock import now_us
from photo_api.collections import access
from photo_api.collections import repo as collections_repo
from photo_api.config import Settings
from photo_api.errors import ApiError, bad_request, conflict, forbidden, not_found, too_large
from photo_api.files import quota, repo
from photo_api.files.schemas import (
    MAX_BATCH,
    CopyFilesRequest,
    CreateFileRequest,
    FileAttributesIn,
    MagicMetadataItem,
    UpdateFileRequest,
    file_out,
)
from photo_api.files.uploads import new_key, own_pending_object
from photo_api.models import File, StoredObject
from photo_api.storage.base import ObjectStore, StorageError
from photo_api.storage.registry import Stores
from photo_api.users import repo as users_repo

log = structlog.get_logger(__name__)
MAX_COPY = 100
# Magic metadata may lose at most this many keys in one update (museum's guard).
MAX_MAGIC_KEYS_DROPPED = 2


def stored_size(stores: Stores, obj: StoredObject, *, claimed: int) -> int:
    store = stores.get(obj.backend)
    if store is None:
        raise ApiError(503, "OBJECT_SIZE_FETCH_FAILED", f"backend {obj.backend} is gone")
    try:
        info = store.head(obj.key)
    except StorageError as exc:
        raise ApiError(503, "OBJECT_SIZE_FETCH_FAILED", str(exc)) from exc
    if info is None:
        raise bad_request(f"object {obj.key} has not been uploaded")
    if claimed and claimed != info.size:
        raise bad_request(f"object {obj.key} has {info.size} bytes, not {claimed}")
    return info.size


def _commit_objects(
    session: Session,
    *,
    stores: Stores,
    file_id: int,
    owner_id: int,
    parts: dict[str, FileAttributesIn],
) -> dict[str, StoredObject]:
    """Check and size the uploaded objects, then bind them to the file."""
    if parts["file"].objectKey == parts["thumbnail"].objectKey:
        raise bad_request("file and thumbnail need different objects")
    objects = {
        kind: own_pending_object(session, key=attrs.objectKey, owner_id=owner_id)
        for kind, attrs in parts.items()
    }
    for kind, obj in objects.items():
        obj.size = stored_size(stores, obj, claimed=parts[kind].size)
    quota.check_file_size(objects["file"].size)
    for kind, obj in objects.items():
        obj.state, obj.kind, obj.file_id, obj.expires_at = "committed", kind, file_id, None
    return objects


def _same_upload(file: File, objects: dict[str, StoredObject], request: CreateFileRequest) -> bool:
    return (
        objects.get("file") is not None
        and objects.get("thumbnail") is not None
        and objects["thumbnail"].key == request.thumbnail.objectKey
        and file.file_decryption_header == request.file.decryptionHeader
        and file.thumbnail_decryption_header == request.thumbnail.decryptionHeader
        and file.encrypted_metadata == request.metadata.encryptedData
        and file.metadata_decryption_header == request.metadata.decryptionHeader
    )


def create(
    session: Session, *, stores: Stores, user_id: int, app: str, request: CreateFileRequest
) -> dict[str, Any]:
    collection = access.owned(session, collection_id=request.collectionID, user_id=user_id, app=app)
    previous = repo.get_object(session, request.file.objectKey)
    if previous is not None and previous.state == "committed" and previous.owner_id == user_id:
        # A retry of a commit that succeeded: answer it again, change nothing.
        file = repo.get_file(session, previous.file_id or 0)
        objects = repo.objects_of_file(session, file.id) if file else {}
        if file is None or not _same_upload(file, objects, request):
            raise bad_request("object key already belongs to another file")
        membership = collections_repo.membership(
            session, collection_id=collection.id, file_id=file.id
        )
        return file_out(
            file, membership=membership, viewer_id=user_id, objects=objects, in_collection=False
        )
    now = now_us()
    file = repo.add_file(
        session,
        File(
            owner_id=user_id,
            encrypted_metadata=request.metadata.encryptedData,
            metadata_decryption_header=request.metadata.decryptionHeader,
            file_decryption_header=request.file.decryptionHeader,
            thumbnail_decryption_header=request.thumbnail.decryptionHeader,
            magic_metadata=request.magicMetadata.model_dump() if request.magicMetadata else None,
            pub_magic_metadata=(
                request.pubMagicMetadata.model_dump() if request.pubMagicMetadata else None
            ),
            created_at=now,
            updation_time=now,
        ),
    )
    objects = _commit_objects(
        session,
        stores=stores,
        file_id=file.id,
        owner_id=user_id,
        parts={"file": request.file, "thumbnail": request.thumbnail},
    )
    file.file_size, file.thumb_size = objects["file"].size, objects["thumbnail"].size
    quota.check(session, user_id=user_id, size=file.file_size + file.thumb_size)
    collections_repo.upsert_membership(
        session,
        collection=collection,
        file_id=file.id,
        file_owner_id=user_id,
        encrypted_key=request.encryptedKey,
        key_decryption_nonce=request.keyDecryptionNonce,
        now=now,
    )
    collections_repo.bump_collections(session, collection_ids=[collection.id], now=now)
    users_repo.add_usage(session, user_id=user_id, delta=file.file_size + file.thumb_size)
    membership = collections_repo.membership(session, collection_id=collection.id, file_id=file.id)
    return file_out(
        file, membership=membership, viewer_id=user_id, objects=objects, in_collection=False
    )


def _owned_file(session: Session, *, user_id: int, file_id: int) -> File:
    file = repo.get_file(session, file_id)
    if file is None:
        raise not_found("file not found")
    if file.owner_id != user_id:
        raise forbidden("not the owner of this file")
    return file


def _retire(session: Session, *, settings: Settings, objects: list[StoredObject]) -> None:
    """Objects no file needs any more; their bytes go after the deletion delay."""
    delay = settings.object_deletion_delay_us
    repo.mark_objects_deleted(session, keys=[o.key for o in objects], delete_after=now_us() + delay)


def update(
    session: Session,
    *,
    settings: Settings,
    stores: Stores,
    user_id: int,
    request: UpdateFileRequest,
) -> dict[str, int]:
    """Replace a file's contents (mobile edits): new objects, headers and metadata."""
    file = _owned_file(session, user_id=user_id, file_id=request.id)
    old = repo.objects_of_file(session, file.id)
    if old.get("file") and old["file"].key == request.file.objectKey:
        return {"id": file.id, "updationTime": file.updation_time}
    new = _commit_objects(
        session,
        stores=stores,
        file_id=file.id,
        owner_id=user_id,
        parts={"file": request.file, "thumbnail": request.thumbnail},
    )
    delta = sum(o.size for o in new.values()) - sum(o.size for o in old.values())
    if delta > 0:
        quota.check(session, user_id=user_id, size=delta)
    _retire(session, settings=settings, objects=list(old.values()))
    now = now_us()
    file.file_size, file.thumb_size = new["file"].size, new["thumbnail"].size
    file.file_decryption_header = request.file.decryptionHeader
    file.thumbnail_decryption_header = request.thumbnail.decryptionHeader
    file.encrypted_metadata = request.metadata.encryptedData
    file.metadata_decryption_header = request.metadata.decryptionHeader
    file.updation_time = now
    users_repo.add_usage(session, user_id=user_id, delta=delta)
    collections_repo.touch_files(session, file_ids=[file.id], now=now)
    return {"id": file.id, "updationTime": now}


def update_thumbnail(
    session: Session,
    *,
    settings: Settings,
    stores: Stores,
    user_id: int,
    file_id: int,
    thumbnail: FileAttributesIn,
) -> None:
    file = _owned_file(session, user_id=user_id, file_id=file_id)
    old = repo.objects_of_file(session, file.id).get("thumbnail")
    obj = own_pending_object(session, key=thumbnail.objectKey, owner_id=user_id)
    obj.size = stored_size(stores, obj, claimed=thumbnail.size)
    delta = obj.size - (old.size if old else 0)
    if delta > 0:
        quota.check(session, user_id=user_id, size=delta)
    obj.state, obj.kind, obj.file_id, obj.expires_at = "committed", "thumbnail", file.id, None
    if old is not None:
        _retire(session, settings=settings, objects=[old])
    now = now_us()
    file.thumbnail_decryption_header = thumbnail.decryptionHeader
    file.thumb_size = obj.size
    file.updation_time = now
    users_repo.add_usage(session, user_id=user_id, delta=delta)
    collections_repo.touch_files(session, file_ids=[file.id], now=now)


def update_magic_metadata(
    session: Session,
    *,
    user_id: int,
    items: list[MagicMetadataItem],
    public: bool,
    skip_version: bool,
) -> None:
    """Version-checked update: a client that did not see the latest version gets 409."""
    if not public and len(items) > MAX_BATCH:
        raise too_large(f"at most {MAX_BATCH} files per request")
    files = {f.id: f for f in repo.files_by_ids(session, [i.id for i in items])}
    now = now_us()
    for item in items:
        file = files.get(item.id)
        if file is None:
            raise not_found(f"file {item.id} not found")
        if file.owner_id != user_id:
            raise forbidden(f"not the owner of file {item.id}")
        current = file.pub_magic_metadata if public else file.magic_metadata
        if current and (
            item.magicMetadata.version != current.get("version")
            or current.get("count", 0) - item.magicMetadata.count > MAX_MAGIC_KEYS_DROPPED
        ):
            raise conflict(
                f"file {item.id}: magic metadata version is "
                f"{current.get('version')}, not {item.magicMetadata.version}"
            )
        stored = item.magicMetadata.model_dump()
        stored["version"] += 1
        if public:
            file.pub_magic_metadata = stored
        else:
            file.magic_metadata = stored
        file.updation_time = now
    if not skip_version:
        collections_repo.touch_files(session, file_ids=list(files), now=now)
    session.flush()


def files_info(session: Session, *, user_id: int, file_ids: list[int]) -> dict[str, Any]:
    files = {f.id: f for f in repo.files_by_ids(session, file_ids)}
    if len(files) != len(set(file_ids)):
        raise bad_request("unknown file ids")
    if any(f.owner_id != user_id for f in files.values()):
        raise forbidden("not the owner of every file")
    return {
        "filesInfo": [
            {
                "id": fid,
                "fileInfo": {"fileSize": files[fid].file_size, "thumbSize": files[fid].thumb_size},
            }
            for fid in file_ids
        ]
    }


def total_size(session: Session, *, user_id: int, file_ids: list[int]) -> dict[str, int]:
    files = repo.files_by_ids(session, file_ids)
    return {"size": sum(f.file_size for f in files if f.owner_id == user_id)}


def duplicates(session: Session, *, user_id: int) -> dict[str, Any]:
    by_size: dict[int, list[int]] = defaultdict(list)
    for file_id, size in repo.live_file_sizes(session, owner_id=user_id):
        by_size[size].append(file_id)
    return {
        "duplicates": [
            {"fileIDs": ids, "size": size} for size, ids in sorted(by_size.items()) if len(ids) > 1
        ]
    }


def download_url(
    session: Session,
    *,
    settings: Settings,
    stores: Stores,
    user_id: int,
    file_id: int,
    kind: str,
) -> str:
    """A short-lived URL for a file's object (or thumbnail), for whoever may see the file."""
    file = repo.get_file(session, file_id)
    if file is None:
        raise not_found("file not found")
    if not access.can_read_file(session, user_id=user_id, file=file):
        raise forbidden("no access to this file")
    obj = repo.objects_of_file(session, file.id).get(kind)
    if obj is None:
        raise not_found("object not found")
    return signed_url(session, settings=settings, stores=stores, obj=obj)


def signed_url(session: Session, *, settings: Settings, stores: Stores, obj: StoredObject) -> str:
    """A short-lived download URL for a committed object, from a verified replica when the
    uploaded copy is missing or its backend is down."""
    ttl = settings.storage.url_ttl_seconds
    store = stores.get(obj.backend)
    replicas = repo.good_copy_backends(session, key=obj.key, exclude=obj.backend)
    # Storage is only asked (a HEAD per download) when a verified replica could stand in.
    if store is not None and (not replicas or _present(store, obj.key)):
        return store.presign_get(obj.key, ttl=ttl)
    # The uploaded copy is gone or its backend is down: serve a verified replica instead.
    for name in replicas:
        replica = stores.get(name)
        if replica is not None and _present(replica, obj.key):
            log.warning("serving a replica", key=obj.key, backend=obj.backend, replica=name)
            return replica.presign_get(obj.key, ttl=ttl)
    if store is None:
        raise not_found("object not found")
    return store.presign_get(obj.key, ttl=ttl)


def _present(store: ObjectStore, key: str) -> bool:
    try:
        return store.head(key) is not None
    except StorageError:
        return False


def copy(
    session: Session, *, stores: Stores, user_id: int, app: str, request: CopyFilesRequest
) -> dict[str, Any]:
    """Copy others' files from an album one takes part in into one's own album."""
    if len(request.files) > MAX_COPY:
        raise bad_request(f"more than {MAX_COPY} items")
    access.participant(session, collection_id=request.srcCollectionID, user_id=user_id, app=app)
    destination = access.owned(
        session, collection_id=request.dstCollectionID, user_id=user_id, app=app
    )
    members = collections_repo.memberships(
        session, collection_id=request.srcCollectionID, file_ids=[f.id for f in request.files]
    )
    sources = {f.id: f for f in repo.files_by_ids(session, [f.id for f in request.files])}
    for item in request.files:
        member, source = members.get(item.id), sources.get(item.id)
        if member is None or member.is_deleted or source is None:
            raise bad_request(f"file {item.id} is not in the source collection")
        if source.owner_id == user_id:
            raise bad_request(f"file {item.id} is already yours")
    total = sum(sources[i.id].file_size + sources[i.id].thumb_size for i in request.files)
    quota.check(session, user_id=user_id, size=total)
    now = now_us()
    mapping: dict[str, int] = {}
    for item in request.files:
        source = sources[item.id]
        copy_row = repo.add_file(
            session,
            File(
                owner_id=user_id,
                encrypted_metadata=source.encrypted_metadata,
                metadata_decryption_header=source.metadata_decryption_header,
                file_decryption_header=source.file_decryption_header,
                thumbnail_decryption_header=source.thumbnail_decryption_header,
                pub_magic_metadata=source.pub_magic_metadata,
                file_size=source.file_size,
                thumb_size=source.thumb_size,
                created_at=now,
                updation_time=now,
            ),
        )
        for kind, obj in repo.objects_of_file(session, source.id).items():
            key = new_key(user_id)
            _copy_object(stores, obj, key)
            repo.add_object(
                session,
                StoredObject(
                    key=key,
                    owner_id=user_id,
                    state="committed",
                    kind=kind,
                    file_id=copy_row.id,
                    size=obj.size,
                    backend=stores.hot_name,
                    created_at=now,
                ),
            )
        collections_repo.upsert_membership(
            session,
            collection=destination,
            file_id=copy_row.id,
            file_owner_id=user_id,
            encrypted_key=item.encryptedKey,
            key_decryption_nonce=item.keyDecryptionNonce,
            now=now,
        )
        mapping[str(item.id)] = copy_row.id
    collections_repo.bump_collections(session, collection_ids=[destination.id], now=now)
    users_repo.add_usage(session, user_id=user_id, delta=total)
    return {"oldToNewFileIDMap": mapping}


def _copy_object(stores: Stores, obj: StoredObject, key: str) -> None:
    """Copy an object to a new key on the hot backend, wherever the original is."""
    if obj.backend == stores.hot_name:
        stores.hot.copy(obj.key, key)
        return
    source = stores.get(obj.backend)
    if source is None:
        raise not_found(f"object {obj.key} is on a backend that is gone")
    with source.open(obj.key) as stream:
        stores.hot.put(key, stream, obj.size)
