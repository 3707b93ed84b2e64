"""Bad requests to memory links get clear 4xx answers, never a 500; so do bad visitors."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from photo_api.config import Settings
from photo_api.memory_share import service as memory_links
from photo_api.memory_share.schemas import MAX_FILES_PER_LINK
from tests.fixtures.app_server import RunningServer
from tests.fixtures.ente import Account
from tests.fixtures.library import create_album, upload
from tests.memory_share.memories import MemoryVisitor, create_body, share_memory


def changed(body: dict[str, Any], **changes: Any) -> dict[str, Any]:
    out = copy.deepcopy(body)
    out.update(changes)
    return out


def with_item(body: dict[str, Any], index: int, **changes: Any) -> dict[str, Any]:
    out = copy.deepcopy(body)
    out["files"][index].update(changes)
    return out


def test_bad_create_bodies_are_400(alice: Account) -> None:
    album = create_album(alice)
    a, b = upload(alice, album, b"a"), upload(alice, album, b"b")
    body, _ = create_body(alice, [a, b])
    missing_key = copy.deepcopy(body)
    del missing_key["encryptedKey"]
    bodies: list[Any] = [
        changed(body, files=[]),
        changed(body, files=None),
        changed(body, type="album"),
        changed(body, encryptedKey=""),
        changed(body, keyDecryptionNonce="not base64!"),
        changed(body, metadataNonce=""),
        changed(body, memoryHash="x" * 1000),
        changed(body, files=[body["files"][0]] * (MAX_FILES_PER_LINK + 1)),
        missing_key,
        with_item(body, 1, fileID=a.id),
        with_item(body, 1, position=0),
        with_item(body, 0, position=-1),
        with_item(body, 0, position=2**63),
        with_item(body, 0, fileID=0),
        with_item(body, 0, fileID="one"),
        with_item(body, 0, fileID=2**64),
        with_item(body, 0, encryptedKey=""),
        with_item(body, 0, keyDecryptionNonce=None),
        with_item(body, 0, fileID=10**15),
        [body],
    ]
    for sent in bodies:
        response = alice.client.post("/memory-share", json=sent)
        assert response.status_code == 400, (sent, response.text)
        assert response.json()["code"] == "BAD_REQUEST"
    response = alice.client.post("/memory-share", content=b"{")
    assert response.status_code == 400
    assert alice.client.get("/memory-share").json() == {"memoryShares": []}

    for path in ("/memory-share/one", f"/memory-share/{2**64}"):
        assert alice.client.get(path).status_code == 400
        assert alice.client.delete(path).status_code == 400


def test_bad_visitors_are_refused(alice: Account, server: RunningServer) -> None:
    photo = upload(alice, create_album(alice), b"a photo")
    visitor = MemoryVisitor(server.url, share_memory(alice, [photo]).url)
    anonymous = MemoryVisitor(server.url, "https://memories.example/ABSENT#x")

    anonymous.token = ""
    response = anonymous.get("/public-memory/info")
    assert response.status_code == 401
    assert response.json() == {"error": "missing accessToken", "context": "memory_share"}
    for token in ("NOPE234567", visitor.token.lower(), visitor.token + "A", "x" * 5000):
        anonymous.token = token
        response = anonymous.get("/public-memory/files")
        assert (response.status_code, response.json()) == (401, {"error": "invalid token"})

    for path, params in (
        ("/public-memory/file-data", {"fileID": photo.id, "type": "mldata"}),
        ("/public-memory/file-data", {"type": "vid_preview"}),
        ("/public-memory/file-data", {"fileID": 0, "type": "vid_preview"}),
        (
            "/public-memory/file-data",
            {"fileID": photo.id, "type": "vid_preview", "preferNoContent": "maybe"},
        ),
        ("/public-memory/files/data/preview", {"fileID": photo.id, "type": "thumbnail"}),
        ("/public-memory/files/data/preview", {"fileID": 2**64, "type": "vid_preview"}),
        ("/public-memory/files/preview/one", {}),
        (f"/public-memory/files/download/{2**64}", {}),
    ):
        response = visitor.get(path, params=params)
        assert response.status_code == 400, (path, params, response.text)
    assert visitor.get("/public-memory/files/download/12345").status_code == 404


def test_live_links_per_account_are_bounded(
    alice: Account, monkeypatch: pytest.MonkeyPatch
) -> None:
    photo = upload(alice, create_album(alice), b"a photo")
    monkeypatch.setattr(memory_links, "MAX_LIVE_LINKS", 2)
    first = share_memory(alice, [photo])
    share_memory(alice, [photo])
    body, _ = create_body(alice, [photo])
    response = alice.client.post("/memory-share", json=body)
    assert response.status_code == 429 and response.json()["code"] == "TOO_MANY_REQUESTS"
    # A deleted link makes room again.
    assert alice.client.delete(f"/memory-share/{first.id}").status_code == 200
    assert alice.client.post("/memory-share", json=body).status_code == 200


def test_memories_origin_must_be_a_bare_origin() -> None:
    assert Settings().memories_origin == "https://memories.ente.com"
    assert Settings(memories_origin="http://localhost:3010/").memories_origin == (
        "http://localhost:3010"
    )
    for bad in ("http://photos.example/memories", "photos.example", "ftp://photos.example"):
        with pytest.raises(ValueError):
            Settings(memories_origin=bad)
