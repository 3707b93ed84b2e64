"""Rules for collections and their files.

Invariant: every change to a membership moves the collection's updationTime to the same
instant, in the same transaction — clients skip a collection whose time did not move.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from photo_api.cast import repo as cast_repo
from photo_api.clock import now_us
from photo_api.collections import access, repo
from photo_api.collections.schemas import (
    AddFilesRequest,
    CollectionFileItem,
    CreateCollectionRequest,
    MoveFilesRequest,
    collection_out,
)
from photo_api.config import Settings
from photo_api.errors import ApiError, bad_request, forbidden, not_found, too_large
from photo_api.files import repo as files_repo
from photo_api.files.schemas import MAX_BATCH, MagicMetadata, file_entry, file_out
from photo_api.models import Collection
from photo_api.pagination import page
from photo_api.public_links import service as public_links
from photo_api.sharing import repo as sharing_repo
from photo_api.sharing import views
from photo_api.trash import repo as trash_repo
from photo_api.trash import service as trash
from photo_api.users import repo as users_repo
from photo_api.wire import b64decode

DIFF_LIMIT = 2500
MAX_V3_LIMIT = 1000
SPECIAL_TYPES = ("favorites", "uncategorized")
TYPES = ("album", "folder", *SPECIAL_TYPES)


def _check_batch(count: int) -> None:
    if count > MAX_BATCH:
        raise too_large(f"at most {MAX_BATCH} files per request")


def create(
    session: Session, *, user_id: int, app: str, request: CreateCollectionRequest
) -> dict[str, Any]:
    if users_repo.key_attributes(session, user_id) is None:
        raise not_found("set up keys first")
    if (
        len(b64decode(request.encryptedKey)) != 48
        or len(b64decode(request.keyDecryptionNonce)) != 24
    ):
        raise bad_request("encryptedKey must be a 48-byte secretbox, its nonce 24 bytes")
    kind = "album" if request.type == "CollectionType.album" else request.type
    if kind not in TYPES:
        raise bad_request(f"type must be one of {', '.join(TYPES)}")
    if kind in SPECIAL_TYPES:
        existing = repo.special_collection(session, owner_id=user_id, app=app, type_=kind)
        if existing is not None:
            if existing.is_deleted:
                raise ApiError(409, "CONFLICT", f"the {kind} collection was deleted")
            return {"collection": collection_out(existing)}
    now = now_us()
    collection = repo.add_collection(
        session,
        Collection(
            owner_id=user_id,
            encrypted_key=request.encryptedKey,
            key_decryption_nonce=request.keyDecryptionNonce,
            name=request.name,
            encrypted_name=request.encryptedName,
            name_decryption_nonce=request.nameDecryptionNonce,
            type=kind,
            attributes=(
                request.attributes.model_dump(exclude_none=True)
                if request.attributes
                else {"version": 0}
            ),
            magic_metadata=request.magicMetadata.model_dump() if request.magicMetadata else None,
            pub_magic_metadata=(
                request.pubMagicMetadata.model_dump() if request.pubMagicMetadata else None
            ),
            app=app,
            is_deleted=False,
            created_at=now,
            updation_time=now,
        ),
    )
    return {"collection": collection_out(collection)}


def list_since(
    session: Session, *, settings: Settings, user_id: int, app: str, since: int
) -> dict[str, Any]:
    owned = repo.owned_collections(session, owner_id=user_id, app=app, since=since)
    shared = views.shared_with_out(
        session, settings=settings, user_id=user_id, app=app, since=since
    )
    owned_out = views.owned_out(session, settings=settings, collections=owned)
    return {"collections": [*owned_out, *shared]}


def list_v3(
    session: Session,
    *,
    settings: Settings,
    user_id: int,
    app: str,
    since: int,
    shared_since: int,
    limit: int,
) -> dict[str, Any]:
    limit = max(1, min(limit, MAX_V3_LIMIT))
    owned = repo.owned_collections(session, owner_id=user_id, app=app, since=since, limit=limit)
    shared = views.shared_with_out(
        session, settings=settings, user_id=user_id, app=app, since=shared_since
    )
    shared.sort(key=lambda c: c["updationTime"])
    owned_out = views.owned_out(session, settings=settings, collections=owned)
    return {"owned": owned_out, "shared": shared[:limit]}


def get(
    session: Session, *, settings: Settings, user_id: int, collection_id: int
) -> dict[str, Any]:
    collection, role = access.participant(session, collection_id=collection_id, user_id=user_id)
    if role == "OWNER":
        owner = users_repo.get_user(session, collection.owner_id)
        [out] = views.owned_out(session, settings=settings, collections=[collection])
        out["owner"]["email"] = owner.email if owner and owner.email else ""
        return {"collection": out}
    share = sharing_repo.active_share(session, collection_id=collection.id, user_id=user_id)
    owner = users_repo.get_user(session, collection.owner_id)
    assert share is not None and owner is not None
    sharees = views.sharees_of(session, [collection.id])[collection.id]
    links = public_links.public_urls(
        session,
        settings=settings,
        collection_ids=[collection.id],
        owner_view=False,
        roles={collection.id: share.role},
    )
    out = views.shared_out(
        session,
        share=share,
        collection=collection,
        owner=owner,
        sharees=sharees,
        links=links[collection.id],
    )
    # museum still hands a sharee the owner's nonce here; clients decide by owner.id.
    out["keyDecryptionNonce"] = collection.key_decryption_nonce
    return {"collection": out}


def _live_participant(
    session: Session, *, user_id: int, collection_id: int, app: str
) -> Collection:
    collection, _ = access.participant(
        session, collection_id=collection_id, user_id=user_id, app=app
    )
    if collection.is_deleted:
        raise not_found("collection deleted")
    return collection


def diff(
    session: Session, *, user_id: int, app: str, collection_id: int, since: int
) -> dict[str, Any]:
    collection = _live_participant(session, user_id=user_id, collection_id=collection_id, app=app)
    rows, has_more = page(
        lambda limit: repo.diff_rows(
            session, collection_id=collection.id, since=since, limit=limit
        ),
        lambda at: repo.rows_at(session, collection_id=collection.id, at=at),
        lambda row: row.updation_time or 0,
        limit=DIFF_LIMIT,
    )
    return {"diff": [file_entry(row, viewer_id=user_id) for row in rows], "hasMore": has_more}


def file_in_collection(
    session: Session, *, user_id: int, app: str, collection_id: int, file_id: int
) -> dict[str, Any]:
    collection = _live_participant(session, user_id=user_id, collection_id=collection_id, app=app)
    membership = repo.membership(session, collection_id=collection.id, file_id=file_id)
    file = files_repo.get_file(session, file_id)
    if membership is None or membership.is_deleted or file is None:
        raise ApiError(404, "FILE_NOT_FOUND_IN_ALBUM", "file is not in this collection")
    return {"file": file_out(file, membership=membership, viewer_id=user_id)}


def _own_live_files(session: Session, *, user_id: int, items: list[CollectionFileItem]) -> None:
    """Only one's own files that are neither trashed nor deleted can go into a collection."""
    ids = [item.id for item in items]
    if len(set(ids)) != len(ids):
        raise bad_request("duplicate file ids")
    files = {f.id: f for f in files_repo.files_by_ids(session, ids)}
    if len(files) != len(ids):
        raise bad_request("unknown file ids")
    if any(f.owner_id != user_id for f in files.values()):
        raise forbidden("only your own files can be added")
    trashed = trash_repo.items(session, ids)
    if any(not (row.is_restored) or row.is_deleted for row in trashed.values()):
        raise ApiError(409, "FILE_IN_TRASH", "some files are in the trash or deleted")


def _add(
    session: Session,
    *,
    collection: Collection,
    user_id: int,
    items: list[CollectionFileItem],
    now: int,
) -> None:
    for item in items:
        repo.upsert_membership(
            session,
            collection=collection,
            file_id=item.id,
            file_owner_id=user_id,
            encrypted_key=item.encryptedKey,
            key_decryption_nonce=item.keyDecryptionNonce,
            now=now,
        )


def add_files(session: Session, *, user_id: int, app: str, request: AddFilesRequest) -> None:
    _check_batch(len(request.files))
    collection = _live_participant(
        session, user_id=user_id, collection_id=request.collectionID, app=app
    )
    role = access.role_of(session, collection=collection, user_id=user_id)
    if role not in access.CAN_ADD:
        raise forbidden("viewers cannot add files")
    _own_live_files(session, user_id=user_id, items=request.files)
    now = now_us()
    _add(session, collection=collection, user_id=user_id, items=request.files, now=now)
    repo.bump_collections(session, collection_ids=[collection.id], now=now)


def move_files(session: Session, *, user_id: int, app: str, request: MoveFilesRequest) -> None:
    _check_batch(len(request.files))
    if request.fromCollectionID == request.toCollectionID:
        raise bad_request("source and destination are the same")
    source = access.owned(session, collection_id=request.fromCollectionID, user_id=user_id, app=app)
    target = access.owned(session, collection_id=request.toCollectionID, user_id=user_id, app=app)
    _own_live_files(session, user_id=user_id, items=request.files)
    now = now_us()
    _add(session, collection=target, user_id=user_id, items=request.files, now=now)
    repo.remove_memberships(
        session, collection_id=source.id, file_ids=[item.id for item in request.files], now=now
    )
    repo.bump_collections(session, collection_ids=[source.id, target.id], now=now)


def restore_files(session: Session, *, user_id: int, app: str, request: AddFilesRequest) -> int:
    """Put trashed files back into one of the user's collections; returns how many."""
    _check_batch(len(request.files))
    collection = access.owned(session, collection_id=request.collectionID, user_id=user_id, app=app)
    ids = [item.id for item in request.files]
    files = files_repo.files_by_ids(session, ids)
    if len(files) != len(set(ids)) or any(f.owner_id != user_id for f in files):
        raise bad_request("only your own trashed files can be restored")
    trash.restore(session, user_id=user_id, file_ids=ids)
    now = now_us()
    _add(session, collection=collection, user_id=user_id, items=request.files, now=now)
    repo.bump_collections(session, collection_ids=[collection.id], now=now)
    return len(set(ids))


def remove_files(
    session: Session, *, user_id: int, app: str, collection_id: int, file_ids: list[int]
) -> None:
    """Take files out of a collection one does not fully own (others' files, or one's own
    files from someone else's album); an owner moves their own files instead."""
    _check_batch(len(file_ids))
    collection = _live_participant(session, user_id=user_id, collection_id=collection_id, app=app)
    role = access.role_of(session, collection=collection, user_id=user_id)
    members = repo.memberships(session, collection_id=collection.id, file_ids=file_ids)
    if len(members) != len(set(file_ids)):
        raise bad_request("some files were never in this collection")
    live = [m for m in members.values() if not m.is_deleted]
    for member in live:
        own = member.f_owner_id == user_id
        if role == "OWNER" and own:
            raise bad_request("move your own files out of your own collection instead")
        if role in ("VIEWER", "COLLABORATOR") and not own:
            raise forbidden("you can only remove your own files")
    now = now_us()
    # An album admin cannot take the owner's files out of the owner's album: they are only
    # marked removed, so that everyone else stops seeing them.
    marked = [m for m in live if role == "ADMIN" and m.f_owner_id == collection.owner_id]
    for member in marked:
        member.action, member.action_user, member.updation_time = "REMOVE", user_id, now
    removed = [m.file_id for m in live if m not in marked]
    repo.remove_memberships(session, collection_id=collection.id, file_ids=removed, now=now)
    repo.bump_collections(session, collection_ids=[collection.id], now=now)


def suggest_delete(
    session: Session, *, user_id: int, app: str, collection_id: int, file_ids: list[int]
) -> None:
    """An owner or admin asks the owners of files in the album to delete them for good.

    Until each owner answers (delete, or reject through /collection-actions), everyone else
    sees the file as gone from the album; its owner still has it.
    """
    _check_batch(len(file_ids))
    collection = _live_participant(session, user_id=user_id, collection_id=collection_id, app=app)
    if access.role_of(session, collection=collection, user_id=user_id) not in ("OWNER", "ADMIN"):
        raise forbidden("only the owner or an admin can suggest deletions")
    members = repo.memberships(session, collection_id=collection.id, file_ids=file_ids)
    live = [m for m in members.values() if not m.is_deleted]
    if len(live) != len(set(file_ids)):
        raise bad_request("some files are not in this collection")
    if any(m.f_owner_id == user_id for m in live):
        raise bad_request("delete your own files instead")
    now = now_us()
    for member in live:
        member.action, member.action_user, member.updation_time = "DELETE_SUGGESTED", user_id, now
    repo.bump_collections(session, collection_ids=[collection.id], now=now)


def rename(
    session: Session, *, user_id: int, app: str, collection_id: int, encrypted_name: str, nonce: str
) -> None:
    collection = access.owned(session, collection_id=collection_id, user_id=user_id, app=app)
    collection.encrypted_name, collection.name_decryption_nonce = encrypted_name, nonce
    collection.name = ""
    collection.updation_time = now_us()
    session.flush()


def update_magic_metadata(
    session: Session,
    *,
    user_id: int,
    app: str,
    collection_id: int,
    metadata: MagicMetadata,
    public: bool,
) -> None:
    collection = access.owned(session, collection_id=collection_id, user_id=user_id, app=app)
    stored = metadata.model_dump()
    stored["version"] += 1
    if public:
        collection.pub_magic_metadata = stored
    else:
        collection.magic_metadata = stored
    collection.updation_time = now_us()
    session.flush()


def delete(
    session: Session,
    *,
    settings: Settings,
    user_id: int,
    app: str,
    collection_id: int,
    keep_files: bool,
) -> None:
    collection = repo.get_collection(session, collection_id)
    if collection is None or collection.app != app:
        raise not_found("collection not found")
    if collection.owner_id != user_id:
        raise forbidden("not the owner of this collection")
    if collection.is_deleted:
        return
    if collection.type in SPECIAL_TYPES:
        raise bad_request(f"the {collection.type} collection cannot be deleted")
    if keep_files and repo.count_active_files(session, collection_id=collection.id):
        raise ApiError(409, "COLLECTION_NOT_EMPTY", "move the files out first")
    now = now_us()
    own = repo.active_file_ids(session, collection_id=collection.id, owner_id=user_id)
    for start in range(0, len(own), MAX_BATCH):
        trash.trash_files(
            session,
            settings=settings,
            user_id=user_id,
            items=[(file_id, collection.id) for file_id in own[start : start + MAX_BATCH]],
        )
    others = repo.active_file_ids(session, collection_id=collection.id)
    repo.remove_memberships(session, collection_id=collection.id, file_ids=others, now=now)
    sharing_repo.revoke_all(session, collection_id=collection.id, now=now)
    public_links.disable_collection_links(session, collection_ids=[collection.id])
    cast_repo.delete_of_collection(session, collection_id=collection.id)
    collection.is_deleted = True
    collection.updation_time = now_us()
    session.flush()


def file_count(session: Session, *, user_id: int, app: str) -> int:
    return repo.count_user_files(session, owner_id=user_id, app=app)
