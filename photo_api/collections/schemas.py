"""Wire shapes of collections: request bodies and museum's Collection object."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from photo_api.files.schemas import MagicMetadata, magic_out
from photo_api.models import Collection
from photo_api.wire import B64, WireModel


class CollectionAttributes(WireModel):
    encryptedPath: str | None = None
    pathDecryptionNonce: str | None = None
    version: int = 0


class CreateCollectionRequest(WireModel):
    encryptedKey: B64
    keyDecryptionNonce: B64
    encryptedName: B64 | None = None
    nameDecryptionNonce: B64 | None = None
    name: str = Field(default="", max_length=1024)
    type: str
    attributes: CollectionAttributes | None = None
    magicMetadata: MagicMetadata | None = None
    pubMagicMetadata: MagicMetadata | None = None


class CollectionFileItem(WireModel):
    id: int
    encryptedKey: B64
    keyDecryptionNonce: B64


class AddFilesRequest(WireModel):
    collectionID: int
    files: list[CollectionFileItem] = Field(min_length=1)


class MoveFilesRequest(WireModel):
    fromCollectionID: int
    toCollectionID: int
    files: list[CollectionFileItem] = Field(min_length=1)


class RemoveFilesRequest(WireModel):
    collectionID: int
    fileIDs: list[int] = Field(min_length=1)


class RenameRequest(WireModel):
    collectionID: int
    encryptedName: B64
    nameDecryptionNonce: B64


class CollectionMagicMetadataRequest(WireModel):
    id: int
    magicMetadata: MagicMetadata


def collection_out(
    collection: Collection,
    *,
    sharees: list[dict[str, Any]] | None = None,
    public_urls: list[dict[str, Any]] | None = None,
    owner_email: str = "",
) -> dict[str, Any]:
    """museum's Collection as its owner sees it."""
    out: dict[str, Any] = {
        "id": collection.id,
        "owner": {"id": collection.owner_id, "email": owner_email, "name": "", "role": ""},
        "encryptedKey": collection.encrypted_key,
        "keyDecryptionNonce": collection.key_decryption_nonce,
        "name": collection.name,
        "encryptedName": collection.encrypted_name or "",
        "nameDecryptionNonce": collection.name_decryption_nonce or "",
        "type": collection.type,
        "attributes": collection.attributes or {"version": 0},
        "sharees": sharees if sharees is not None else [],
        "publicURLs": public_urls if public_urls is not None else [],
        "updationTime": collection.updation_time,
        "app": collection.app,
    }
    if collection.is_deleted:
        out["isDeleted"] = True
    if magic := magic_out(collection.magic_metadata):
        out["magicMetadata"] = magic
    if pub := magic_out(collection.pub_magic_metadata):
        out["pubMagicMetadata"] = pub
    return out
