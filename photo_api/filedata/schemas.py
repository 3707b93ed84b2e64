"""Wire shapes of file data: request bodies, FDStatus and the fetched Entity."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import Field, StringConstraints

from photo_api.models import FileData
from photo_api.wire import B64, INT64_MAX, WireModel

MAX_FETCH_IDS = 200
MAX_PREVIEW_PARTS = 10_000
# Embeddings of a photo with many faces run to hundreds of KiB; the body limit bounds the rest.
MAX_BLOB_CHARS = 64 * 1024 * 1024


FileId = Annotated[int, Field(gt=0, le=INT64_MAX)]
Blob = Annotated[B64, StringConstraints(max_length=MAX_BLOB_CHARS)]
FetchType = Literal["mldata", "vid_preview"]
PreviewType = Literal["vid_preview", "img_preview"]


class PutFileDataRequest(WireModel):
    fileID: FileId
    type: Literal["mldata"]
    encryptedData: Blob
    decryptionHeader: B64
    version: int = Field(default=1, ge=0, le=2**31 - 1)
    # The updatedAt the client last saw (0: none yet); a stale one is refused.
    lastUpdatedAt: int | None = Field(default=None, ge=0, le=INT64_MAX)


class VideoDataRequest(WireModel):
    fileID: FileId
    objectID: str = Field(min_length=1, max_length=64)
    objectSize: int = Field(gt=0, le=INT64_MAX)
    playlist: Blob
    playlistHeader: B64
    version: int = Field(default=1, ge=0, le=2**31 - 1)


class StatusDiffRequest(WireModel):
    lastUpdatedAt: int | None = Field(default=None, le=INT64_MAX)


class FetchFilesDataRequest(WireModel):
    fileIDs: list[FileId]
    type: FetchType


def status_out(row: FileData) -> dict[str, Any]:
    """museum's FDStatus."""
    return {
        "fileID": row.file_id,
        "userID": row.user_id,
        "type": row.type,
        "isDeleted": row.is_deleted,
        "objectID": row.object_id,
        "objectNonce": row.object_nonce,
        "size": row.size,
        "updatedAt": row.updated_at,
    }


def data_out(row: FileData, document: dict[str, Any]) -> dict[str, Any]:
    """museum's file data Entity: the row's times with the stored document's ciphertext."""
    return {
        "fileID": row.file_id,
        "type": row.type,
        "encryptedData": document.get("encryptedData", ""),
        "decryptionHeader": document.get("header", ""),
        "updatedAt": row.updated_at,
    }
