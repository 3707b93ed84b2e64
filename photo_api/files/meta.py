"""Metadata-only files: what the Locker app stores for notes and records, without objects."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from photo_api.clock import now_us
from photo_api.collections import repo as collections_repo
from photo_api.errors import ApiError, bad_request, forbidden, not_found
from photo_api.files import quota, repo
from photo_api.files.schemas import CreateMetaFileRequest, file_out
from photo_api.models import File

LOCKER = "locker"


def create(
    session: Session, *, user_id: int, app: str, request: CreateMetaFileRequest
) -> dict[str, Any]:
    """Checks in museum's order; where museum answers a photos client with a 500, a 400."""
    if request.id:
        raise bad_request("a new meta file has no id")
    collection = collections_repo.get_collection(session, request.collectionID)
    if collection is None:
        raise not_found("collection not found")
    if collection.owner_id != user_id:
        raise forbidden("not the owner of this collection")
    if collection.is_deleted:
        raise ApiError(404, "COLLECTION_DELETED", "collection is deleted")
    if app != LOCKER or collection.app != LOCKER:
        raise bad_request("meta files are for the Locker app and its collections only")
    quota.check(session, user_id=user_id)
    now = now_us()
    file = repo.add_file(
        session,
        File(
            owner_id=user_id,
            encrypted_metadata=request.metadata.encryptedData,
            metadata_decryption_header=request.metadata.decryptionHeader,
            file_decryption_header="",
            thumbnail_decryption_header="",
            magic_metadata=request.magicMetadata.model_dump() if request.magicMetadata else None,
            pub_magic_metadata=(
                request.pubMagicMetadata.model_dump() if request.pubMagicMetadata else None
            ),
            created_at=now,
            updation_time=now,
        ),
    )
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
    membership = collections_repo.membership(session, collection_id=collection.id, file_id=file.id)
    return file_out(file, membership=membership, viewer_id=user_id, in_collection=False)
