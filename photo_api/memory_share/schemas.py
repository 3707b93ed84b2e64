"""Wire shapes of memory links: the create body, museum's MemoryShare object and the files a
visitor gets."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import Field, StringConstraints

from photo_api.config import Settings
from photo_api.files.schemas import magic_out
from photo_api.models import File, MemoryShare, MemoryShareFile
from photo_api.wire import B64, INT64_MAX, B64OrEmpty, WireModel

# A memory the mobile app curates has at most 30 files; a memory lane (a person's timeline)
# takes four photos a year. A thousand leaves room for both and bounds what one link costs.
MAX_FILES_PER_LINK = 1000
# A key or nonce is tens of characters; this only keeps absurd values out of the database.
MAX_KEY_CHARS = 1024
# A lane's description (gzipped JSON of every frame) is the largest ciphertext stored.
MAX_METADATA_CHARS = 1 << 20
MAX_MEMORY_HASH_CHARS = 256


Key = Annotated[B64, StringConstraints(max_length=MAX_KEY_CHARS)]
# Optional ciphertexts: '' stands for "not sent", as museum stores it.
Ciphertext = Annotated[B64OrEmpty, StringConstraints(max_length=MAX_METADATA_CHARS)]
FileId = Annotated[int, Field(gt=0, le=INT64_MAX)]
Position = Annotated[int, Field(ge=0, le=INT64_MAX)]


class MemoryFileItem(WireModel):
    fileID: FileId
    # Absent: the item's index in the list.
    position: Position | None = None
    encryptedKey: Key
    keyDecryptionNonce: Key


class CreateMemoryShareRequest(WireModel):
    # Absent, null or '' mean "share", as museum reads it.
    type: Literal["share", "lane", ""] | None = None
    memoryHash: str = Field(default="", max_length=MAX_MEMORY_HASH_CHARS)
    metadataCipher: Ciphertext = ""
    metadataNonce: Ciphertext = ""
    encryptedKey: Key
    keyDecryptionNonce: Key
    files: list[MemoryFileItem] = Field(min_length=1, max_length=MAX_FILES_PER_LINK)


def memory_url(settings: Settings, token: str) -> str:
    """The link without its secret: the client appends '#<secret>' itself."""
    return f"{settings.memories_origin}/{token}"


def memory_share_out(share: MemoryShare, *, settings: Settings) -> dict[str, Any]:
    """museum's MemoryShare, with its omissions: empty optional strings and a false
    isDeleted are left out."""
    out: dict[str, Any] = {"id": share.id, "type": share.type}
    for field, value in (
        ("memoryHash", share.memory_hash),
        ("metadataCipher", share.metadata_cipher),
        ("metadataNonce", share.metadata_nonce),
    ):
        if value:
            out[field] = value
    out |= {
        "encryptedKey": share.encrypted_key,
        "keyDecryptionNonce": share.key_decryption_nonce,
        "accessToken": share.access_token,
        "createdAt": share.created_at,
        "updatedAt": share.updated_at,
        "url": memory_url(settings, share.access_token),
    }
    if share.is_deleted:
        out["isDeleted"] = True
    return out


def memory_file_out(item: MemoryShareFile, file: File) -> dict[str, Any]:
    """A file of the link as museum hands it to visitors: only what decrypting and showing it
    needs. The file's own key fields are empty on purpose: the item's re-encrypted key opens
    it, and the web viewer requires the zero-valued fields to be present."""
    remote: dict[str, Any] = {
        "id": file.id,
        "ownerID": file.owner_id,
        "collectionID": 0,
        "collectionOwnerID": None,
        "encryptedKey": "",
        "keyDecryptionNonce": "",
        "file": {"decryptionHeader": file.file_decryption_header, "size": 0},
        "thumbnail": {"decryptionHeader": file.thumbnail_decryption_header, "size": 0},
        "metadata": {
            "encryptedData": file.encrypted_metadata,
            "decryptionHeader": file.metadata_decryption_header,
            "size": 0,
        },
        "isDeleted": False,
        "updationTime": 0,
    }
    if pub := magic_out(file.pub_magic_metadata):
        remote["pubMagicMetadata"] = pub
    info = {k: v for k, v in (("fileSize", file.file_size), ("thumbSize", file.thumb_size)) if v}
    if info:
        remote["info"] = info
    return {
        "file": remote,
        "position": item.position,
        "encryptedKey": item.encrypted_key,
        "keyDecryptionNonce": item.key_decryption_nonce,
    }
