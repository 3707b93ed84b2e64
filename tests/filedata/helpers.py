"""The web client's file-data calls (ML data, video previews) for these tests."""

from __future__ import annotations

import json
from typing import Any

from tests.client import crypto
from tests.fixtures.app_server import RunningServer
from tests.fixtures.ente import EnteClient
from tests.fixtures.library import Uploaded
from tests.fixtures.net import http

STATUS_FIELDS = {
    "fileID",
    "userID",
    "type",
    "isDeleted",
    "objectID",
    "objectNonce",
    "size",
    "updatedAt",
}
DATA_FIELDS = {"fileID", "type", "encryptedData", "decryptionHeader", "updatedAt"}


def ml_body(file: Uploaded, data: dict[str, Any], last_updated_at: int | None = 0) -> dict:
    """web putFileData: the JSON encrypted as a blob with the file's key."""
    blob = crypto.encrypt_blob(json.dumps(data).encode(), file.key)
    body: dict[str, Any] = {"fileID": file.id, "type": "mldata", **blob}
    if last_updated_at is not None:
        body["lastUpdatedAt"] = last_updated_at
    return body


def status_diff(client: EnteClient, since: int = 0) -> list[dict[str, Any]] | None:
    response = client.post("/files/data/status-diff", json={"lastUpdatedAt": since})
    assert response.status_code == 200, response.text
    assert set(response.json()) == {"diff"}
    diff: list[dict[str, Any]] | None = response.json()["diff"]
    return diff


def fetch_one(client: EnteClient, file_id: int, type_: str = "mldata", **params: Any):
    return client.get("/files/data/fetch", params={"fileID": file_id, "type": type_, **params})


def decrypt(file: Uploaded, data: dict[str, Any]) -> Any:
    return json.loads(
        crypto.decrypt_blob(data["encryptedData"], data["decryptionHeader"], file.key)
    )


def upload_preview(client: EnteClient, file: Uploaded, stream: bytes) -> str:
    """GET /files/data/preview-upload-url, then PUT the encrypted stream; returns objectID."""
    response = client.get(
        "/files/data/preview-upload-url", params={"fileID": file.id, "type": "vid_preview"}
    )
    assert response.status_code == 200, response.text
    target = response.json()
    assert set(target) == {"objectID", "url"}
    put = http.put(target["url"], content=stream, timeout=60)
    assert put.status_code == 200, put.text
    return str(target["objectID"])


def video_body(file: Uploaded, object_id: str, size: int, playlist: bytes) -> dict[str, Any]:
    blob = crypto.encrypt_blob(playlist, file.key)
    return {
        "fileID": file.id,
        "objectID": object_id,
        "objectSize": size,
        "playlist": blob["encryptedData"],
        "playlistHeader": blob["decryptionHeader"],
    }


def stored(stack: RunningServer, key: str) -> bool:
    return any(store.head(key) is not None for _, store in stack.app.state.stores)


def read_object(stack: RunningServer, key: str) -> bytes:
    with stack.app.state.stores.hot.open(key) as stream:
        return bytes(stream.read())
