"""ML data: PUT with version checks, status diffs, single and batch fetches, access."""

from __future__ import annotations

import json

import pytest

from tests.filedata.helpers import (
    DATA_FIELDS,
    STATUS_FIELDS,
    decrypt,
    fetch_one,
    ml_body,
    read_object,
    status_diff,
)
from tests.fixtures.app_server import RunningServer
from tests.fixtures.ente import Account
from tests.fixtures.library import create_album, upload
from tests.sharing.test_sharing import share


def usage(account: Account) -> int:
    return int(account.client.get("/users/details/v2").json()["usage"])


def test_nothing_yet(owner: Account) -> None:
    """What the web meets on its first sync: a null diff, and 204s for missing data."""
    client = owner.client
    assert status_diff(client) is None
    album = create_album(owner)
    photo = upload(owner, album, b"no ml yet")
    for type_ in ("mldata", "vid_preview"):
        empty = fetch_one(client, photo.id, type_, preferNoContent="true")
        assert empty.status_code == 204 and empty.content == b""
        missing = fetch_one(client, photo.id, type_)
        assert missing.status_code == 404 and missing.json()["code"] == "NOT_FOUND"
    batch = client.post("/files/data/fetch", json={"fileIDs": [photo.id], "type": "mldata"})
    assert batch.json() == {"data": [], "pendingIndexFileIDs": [photo.id], "errFileIDs": []}
    preview = client.get("/files/data/preview", params={"fileID": photo.id, "type": "vid_preview"})
    assert preview.status_code == 404


def test_put_fetch_and_versions(owner: Account, stack: RunningServer) -> None:
    client = owner.client
    album = create_album(owner)
    photo, other = upload(owner, album, b"photo one"), upload(owner, album, b"photo two")
    before = usage(owner)

    put = client.put("/files/data", json=ml_body(photo, {"faces": [1, 2]}))
    assert put.status_code == 200, put.text
    assert put.json() == {}
    # The object museum writes: {"v", "encryptedData", "header", "client"} under the owner.
    key = f"{client.user_id}/file-data/{photo.id}/mldata"
    document = json.loads(read_object(stack, key))
    assert set(document) == {"v", "encryptedData", "header", "client"}
    assert document["v"] == 1 and document["client"] == "io.ente.photos.web"

    (row,) = status_diff(client) or []
    assert set(row) == STATUS_FIELDS
    assert row["fileID"] == photo.id and row["userID"] == client.user_id
    assert row["type"] == "mldata" and row["isDeleted"] is False
    assert row["objectID"] is None and row["objectNonce"] is None
    assert row["size"] == len(read_object(stack, key))
    assert status_diff(client, row["updatedAt"]) is None

    single = fetch_one(client, photo.id, preferNoContent="true")
    assert single.status_code == 200
    assert set(single.json()) == {"data"}
    data = single.json()["data"]
    assert set(data) == DATA_FIELDS
    assert data["fileID"] == photo.id and data["type"] == "mldata"
    assert data["updatedAt"] == row["updatedAt"]
    assert decrypt(photo, data) == {"faces": [1, 2]}

    batch = client.post(
        "/files/data/fetch", json={"fileIDs": [photo.id, other.id], "type": "mldata"}
    ).json()
    assert batch == {"data": [data], "pendingIndexFileIDs": [other.id], "errFileIDs": []}

    # A client that has not seen the latest version is refused; one that has is not.
    for stale in (0, row["updatedAt"] - 1):
        refused = client.put("/files/data", json=ml_body(photo, {"faces": []}, stale))
        assert refused.status_code == 409, stale
        assert refused.json()["code"] == "INVALID_VERSION"
    fresh = client.put("/files/data", json=ml_body(photo, {"faces": [3]}, row["updatedAt"]))
    assert fresh.status_code == 200
    (changed,) = status_diff(client, row["updatedAt"]) or []
    assert changed["updatedAt"] > row["updatedAt"]
    assert decrypt(photo, fetch_one(client, photo.id).json()["data"]) == {"faces": [3]}
    # Without lastUpdatedAt there is no check (older clients).
    assert client.put("/files/data", json=ml_body(photo, {"v": 4}, None)).status_code == 200
    # New data for a file must say 0 (or nothing), not a time.
    first = client.put("/files/data", json=ml_body(other, {"v": 1}, 12345))
    assert first.status_code == 409 and first.json()["code"] == "INVALID_VERSION"
    # ML data is not counted in the owner's storage.
    assert usage(owner) == before


def test_access(owner: Account, stranger: Account, stack: RunningServer) -> None:
    album = create_album(owner)
    photo = upload(owner, album, b"private")
    assert owner.client.put("/files/data", json=ml_body(photo, {"n": 1})).status_code == 200
    body = ml_body(photo, {"n": 2}, None)

    # A stranger can neither read nor write it; an absent file is 404.
    assert stranger.client.put("/files/data", json=body).status_code == 403
    assert fetch_one(stranger.client, photo.id).status_code == 403
    batch = {"fileIDs": [photo.id], "type": "mldata"}
    assert stranger.client.post("/files/data/fetch", json=batch).status_code == 403
    assert fetch_one(stranger.client, 2**62).status_code == 404
    assert stranger.client.put("/files/data", json={**body, "fileID": 2**62}).status_code == 404

    # A sharee reads it, but only the owner writes.
    assert share(owner, album, stranger, "COLLABORATOR").status_code == 200
    shared = fetch_one(stranger.client, photo.id)
    assert shared.status_code == 200
    assert decrypt(photo, shared.json()["data"]) == {"n": 1}
    assert stranger.client.post("/files/data/fetch", json=batch).json()["data"][0]["fileID"] == (
        photo.id
    )
    assert stranger.client.put("/files/data", json=body).status_code == 403
    # The sharee's own status diff holds only their own files' data.
    assert status_diff(stranger.client) is None


@pytest.mark.parametrize(
    "body",
    [
        [],
        "mldata",
        {},
        {"fileID": 1, "type": "mldata", "encryptedData": "AAAA"},
        {"fileID": 1, "type": "vid_preview", "encryptedData": "AAAA", "decryptionHeader": "AA=="},
        {"fileID": 1, "type": "mldata", "encryptedData": "***", "decryptionHeader": "AA=="},
        {"fileID": 2**64, "type": "mldata", "encryptedData": "AAAA", "decryptionHeader": "AA=="},
        {"fileID": 0, "type": "mldata", "encryptedData": "AAAA", "decryptionHeader": "AA=="},
        {
            "fileID": 1,
            "type": "mldata",
            "encryptedData": "AAAA",
            "decryptionHeader": "AA==",
            "lastUpdatedAt": -1,
        },
    ],
)
def test_malformed_puts(owner: Account, body: object) -> None:
    response = owner.client.put("/files/data", json=body)
    assert response.status_code == 400, response.text
    assert response.json()["code"] == "BAD_REQUEST"


def test_malformed_reads(owner: Account) -> None:
    client = owner.client
    for body in ({}, {"lastUpdatedAt": -1}, {"lastUpdatedAt": "x"}, [], {"lastUpdatedAt": 2**64}):
        response = client.post("/files/data/status-diff", json=body)
        assert response.status_code == 400, body
        assert response.json()["code"] == "BAD_REQUEST"
    for body in (
        {"fileIDs": [], "type": "mldata"},
        {"fileIDs": [1, 1], "type": "mldata"},
        {"fileIDs": list(range(1, 202)), "type": "mldata"},
        {"fileIDs": [1], "type": "img_preview"},
        {"fileIDs": None, "type": "mldata"},
        {"type": "mldata"},
        {"fileIDs": ["a"], "type": "mldata"},
    ):
        response = client.post("/files/data/fetch", json=body)
        assert response.status_code == 400, body
        assert response.json()["code"] == "BAD_REQUEST"
    for params in (
        {"type": "mldata"},
        {"fileID": 1},
        {"fileID": 1, "type": "img_preview"},
        {"fileID": "x", "type": "mldata"},
        {"fileID": 2**64, "type": "mldata"},
        {"fileID": 1, "type": "mldata", "preferNoContent": "maybe"},
    ):
        response = client.get("/files/data/fetch", params=params)
        assert response.status_code == 400, params
        assert response.json()["code"] == "BAD_REQUEST"
