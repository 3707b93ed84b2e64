"""Wire shapes of files: request bodies and museum's File object."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from photo_api.models import CollectionFile, File, StoredObject
from photo_api.wire import B64, WireModel

MAX_FILE_SIZE = 10 * 1024**3
MAX_BATCH = 1000


class MagicMetadata(WireModel):
    version: int = Field(ge=0)
    count: int = Field(ge=0)
    data: B64
    header: B64


class FileAttributesIn(WireModel):
    objectKey: str = Field(default="", max_length=255)
    decryptionHeader: B64
    size: int = Field(default=0, ge=0)


class MetadataIn(WireModel):
    encryptedData: B64
    decryptionHeader: B64


class CreateFileRequest(WireModel):
    id: int = 0
    collectionID: int
    encryptedKey: B64
    keyDecryptionNonce: B64
    file: FileAttributesIn
    thumbnail: FileAttributesIn
    metadata: MetadataIn
    magicMetadata: MagicMetadata | None = None
    pubMagicMetadata: MagicMetadata | None = None


class CreateMetaFileRequest(WireModel):
    """A file that is only metadata (a Locker note or record): no objects, no thumbnail."""

    id: int = 0
    collectionID: int
    encryptedKey: B64
    keyDecryptionNonce: B64
    metadata: MetadataIn
    magicMetadata: MagicMetadata | None = None
    pubMagicMetadata: MagicMetadata | None = None


class UpdateFileRequest(WireModel):
    id: int = Field(gt=0)
    file: FileAttributesIn
    thumbnail: FileAttributesIn
    metadata: MetadataIn


class UpdateThumbnailRequest(WireModel):
    fileID: int
    thumbnail: FileAttributesIn


class UploadUrlRequest(WireModel):
    contentLength: int = Field(gt=0, le=MAX_FILE_SIZE)
    contentMD5: str = Field(min_length=1, max_length=64)


class MultipartUploadUrlRequest(WireModel):
    contentLength: int = Field(gt=0, le=MAX_FILE_SIZE)
    partLength: int = Field(gt=0, le=5 * 1024**3)
    partMd5s: list[str] = Field(min_length=1, max_length=10000)


class CompletedPart(WireModel):
    partNumber: int = Field(ge=1, le=10000)
    etag: str = Field(min_length=1, max_length=128)


class MultipartCompleteRequest(WireModel):
    """The completion document a client would POST to the completeURL, as JSON."""

    objectKey: str = Field(min_length=1, max_length=255)
    parts: list[CompletedPart] = Field(min_length=1, max_length=10000)


class MagicMetadataItem(WireModel):
    id: int
    magicMetadata: MagicMetadata


class UpdateMagicMetadataRequest(WireModel):
    metadataList: list[MagicMetadataItem] = Field(min_length=1)
    skipVersion: bool = False


class FileIdsRequest(WireModel):
    fileIDs: list[int] = Field(max_length=MAX_BATCH * 10)


class CopyItem(WireModel):
    id: int
    encryptedKey: B64
    keyDecryptionNonce: B64


class CopyFilesRequest(WireModel):
    srcCollectionID: int
    dstCollectionID: int
    files: list[CopyItem] = Field(min_length=1)


def magic_out(value: dict[str, Any] | None) -> dict[str, Any] | None:
    """museum omits each zero or empty field of magic metadata."""
    if not value:
        return None
    return {k: v for k, v in value.items() if v not in (0, "", None)}


def _attributes(header: str, obj: StoredObject | None, *, with_objects: bool) -> dict[str, Any]:
    out: dict[str, Any] = {"decryptionHeader": header, "size": 0}
    if with_objects and obj is not None:
        out["objectKey"] = obj.key
        out["size"] = obj.size
    return out


def file_out(
    file: File,
    *,
    membership: CollectionFile | None,
    viewer_id: int,
    objects: dict[str, StoredObject] | None = None,
    in_collection: bool = True,
) -> dict[str, Any]:
    """museum's File: one membership of a file, as the viewer may see it.

    `objects` (object keys and sizes) only in the answer to the uploader's own commit;
    diffs carry sizes in `info` instead.
    """
    with_objects = objects is not None
    objects = objects or {}
    out: dict[str, Any] = {
        "id": file.id,
        "ownerID": file.owner_id,
        "collectionID": membership.collection_id if membership else 0,
        "collectionOwnerID": membership.c_owner_id if membership and in_collection else None,
        "encryptedKey": membership.encrypted_key if membership else "",
        "keyDecryptionNonce": membership.key_decryption_nonce if membership else "",
        "file": _attributes(
            file.file_decryption_header, objects.get("file"), with_objects=with_objects
        ),
        "thumbnail": _attributes(
            file.thumbnail_decryption_header, objects.get("thumbnail"), with_objects=with_objects
        ),
        "metadata": {
            "encryptedData": file.encrypted_metadata,
            "decryptionHeader": file.metadata_decryption_header,
            "size": 0,
        },
        "isDeleted": bool(membership.is_deleted) if membership and in_collection else False,
        "updationTime": membership.updation_time
        if membership and in_collection
        else file.updation_time,
    }
    if membership and in_collection:
        out["collectionAddedAt"] = membership.created_at
    owner_view = file.owner_id == viewer_id
    if owner_view and (magic := magic_out(file.magic_metadata)):
        out["magicMetadata"] = magic
    if pub := magic_out(file.pub_magic_metadata):
        out["pubMagicMetadata"] = pub
    info = {k: v for k, v in (("fileSize", file.file_size), ("thumbSize", file.thumb_size)) if v}
    if info:
        out["info"] = info
    if owner_view and membership and membership.action:
        out["action"] = membership.action
        out["actionUser"] = membership.action_user
    elif membership and membership.action in ("REMOVE", "DELETE_SUGGESTED") and in_collection:
        # Non-owners see files an album admin took out as gone.
        out["isDeleted"] = True
    return out
