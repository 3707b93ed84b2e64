"""Where file data lives in object storage, and how it is written and read.

Keys follow museum: everything of a file under "<ownerID>/file-data/<fileID>/"; "mldata" is
one JSON object; a video preview is the encrypted stream "vid_preview/<objectID>" (uploaded by
the client) plus its JSON playlist object "vid_preview/<objectID>_playlist" (written here).
"""

from __future__ import annotations

import io
import json
import re
import secrets
import string
from typing import Any

from photo_api.storage.base import ObjectNotFound, StorageError
from photo_api.storage.registry import Stores

OBJECT_ID_PREFIX = {"vid_preview": "pv", "img_preview": "pi"}
_ID_ALPHABET = string.digits + string.ascii_uppercase + string.ascii_lowercase
# What clients may name as the objectID of an uploaded preview: only ids minted here.
OBJECT_ID = re.compile(r"^p[vi]_[0-9A-Za-z]{22}$")


def base_prefix(*, owner_id: int, file_id: int) -> str:
    return f"{owner_id}/file-data/{file_id}/"


def ml_key(*, owner_id: int, file_id: int) -> str:
    return f"{base_prefix(owner_id=owner_id, file_id=file_id)}mldata"


def preview_key(*, owner_id: int, file_id: int, type_: str, object_id: str) -> str:
    return f"{base_prefix(owner_id=owner_id, file_id=file_id)}{type_}/{object_id}"


def playlist_key(*, owner_id: int, file_id: int, object_id: str) -> str:
    stream = preview_key(
        owner_id=owner_id, file_id=file_id, type_="vid_preview", object_id=object_id
    )
    return f"{stream}_playlist"


def new_object_id(type_: str) -> str:
    return f"{OBJECT_ID_PREFIX[type_]}_" + "".join(secrets.choice(_ID_ALPHABET) for _ in range(22))


def metadata_document(*, version: int, encrypted_data: str, header: str, client: str) -> bytes:
    """museum's S3FileMetadata: the JSON object stored for mldata and playlists."""
    document = {"v": version, "encryptedData": encrypted_data, "header": header, "client": client}
    return json.dumps(document, separators=(",", ":")).encode()


def put_document(stores: Stores, key: str, data: bytes) -> None:
    stores.hot.put(key, io.BytesIO(data), len(data))


def read_document(stores: Stores, key: str) -> dict[str, Any]:
    """The JSON object at `key`, from the hot store or, after a change of hot store, another.

    Raises ObjectNotFound when no store has it, StorageError when one cannot be read.
    """
    ordered = [stores.hot, *(store for _, store in stores.replicas())]
    for store in ordered:
        try:
            with store.open(key) as stream:
                raw = stream.read()
        except ObjectNotFound:
            continue
        try:
            document = json.loads(raw)
        except ValueError as exc:
            raise StorageError(f"{key} is not JSON") from exc
        if not isinstance(document, dict):
            raise StorageError(f"{key} is not a JSON object")
        return document
    raise ObjectNotFound(key)
