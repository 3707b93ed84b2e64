"""Wire shapes of files: request bodies and museum's File object."""

from __future__ import annotations

from typing import Any, NamedTuple

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


class FileView(NamedTuple):
    """What museum's File shows of a file and one membership of it (None: no membership).

    Diff pages select exactly these columns, under these names (FILE_VIEW in the repos), and
    build their JSON from the rows with no ORM object in between.
    """

    id: int
    owner_id: int
    collection_id: int | None
    c_owner_id: int | None
    encrypted_key: str | None
    key_decryption_nonce: str | None
    file_decryption_header: str
    thumbnail_decryption_header: str
    encrypted_metadata: str
    metadata_decryption_header: str
    is_deleted: bool | None
    updation_time: int | None
    added_at: int | None
    action: str | None
    action_user: int | None
    magic_metadata: dict[str, Any] | None
    pub_magic_metadata: dict[str, Any] | None
    file_size: int | None
    thumb_size: int | None
    file_updation_time: int


def view_of(file: File, membership: CollectionFile | None) -> FileView:
    m = membership
    return FileView(
        file.id,
        file.owner_id,
        m.collection_id if m else None,
        m.c_owner_id if m else None,
        m.encrypted_key if m else None,
        m.key_decryption_nonce if m else None,
        file.file_decryption_header,
        file.thumbnail_decryption_header,
        file.encrypted_metadata,
        file.metadata_decryption_header,
        m.is_deleted if m else None,
        m.updation_time if m else None,
        m.created_at if m else None,
        m.action if m else None,
        m.action_user if m else None,
        file.magic_metadata,
        file.pub_magic_metadata,
        file.file_size,
        file.thumb_size,
        file.updation_time,
    )


def file_entry(
    row: FileView,
    *,
    viewer_id: int,
    objects: dict[str, StoredObject] | None = None,
    in_collection: bool = True,
) -> dict[str, Any]:
    """museum's File: one membership of a file, as the viewer may see it.

    `objects` (object keys and sizes) only in the answer to the uploader's own commit;
    diffs carry sizes in `info` instead. Diff pages call this thousands of times, with the
    rows of their query: it unpacks, which is the fastest read of a row.
    """
    (file_id, owner_id, collection_id, c_owner_id, encrypted_key, nonce, file_header,
     thumb_header, metadata, metadata_header, is_deleted, updation_time, added_at, action,
     action_user, magic, pub_magic, file_size, thumb_size, file_updation_time) = row  # fmt: skip
    member = collection_id is not None
    shown = member and in_collection
    out: dict[str, Any] = {
        "id": file_id,
        "ownerID": owner_id,
        "collectionID": collection_id if member else 0,
        "collectionOwnerID": c_owner_id if shown else None,
        "encryptedKey": encrypted_key if member else "",
        "keyDecryptionNonce": nonce if member else "",
        "file": {"decryptionHeader": file_header, "size": 0},
        "thumbnail": {"decryptionHeader": thumb_header, "size": 0},
        "metadata": {"encryptedData": metadata, "decryptionHeader": metadata_header, "size": 0},
        "isDeleted": bool(is_deleted) if shown else False,
        "updationTime": updation_time if shown else file_updation_time,
    }
    if shown:
        out["collectionAddedAt"] = added_at
    if objects is not None:
        for kind in ("file", "thumbnail"):
            if (obj := objects.get(kind)) is not None:
                out[kind]["objectKey"], out[kind]["size"] = obj.key, obj.size
    owner_view = owner_id == viewer_id
    if owner_view and magic and (shown_magic := magic_out(magic)):
        out["magicMetadata"] = shown_magic
    if pub_magic and (shown_pub := magic_out(pub_magic)):
        out["pubMagicMetadata"] = shown_pub
    if file_size or thumb_size:
        info = out["info"] = {}
        if file_size:
            info["fileSize"] = file_size
        if thumb_size:
            info["thumbSize"] = thumb_size
    if owner_view and action:
        out["action"] = action
        out["actionUser"] = action_user
    elif shown and action in ("REMOVE", "DELETE_SUGGESTED"):
        # Non-owners see files an album admin took out as gone.
        out["isDeleted"] = True
    return out


def file_out(
    file: File,
    *,
    membership: CollectionFile | None,
    viewer_id: int,
    objects: dict[str, StoredObject] | None = None,
    in_collection: bool = True,
) -> dict[str, Any]:
    """museum's File from ORM objects (see file_entry)."""
    return file_entry(
        view_of(file, membership), viewer_id=viewer_id, objects=objects, in_collection=in_collection
    )
