"""The seed's own routes beside museum's: completing a multipart upload through the API,
restoring from the trash, deleting for good."""

from __future__ import annotations

from typing import Any

from tests.fixtures.app_server import RunningServer
from tests.fixtures.ente import Account
from tests.fixtures.library import (
    PART_SIZE,
    create_album,
    decrypt_download,
    md5_b64,
    put_object,
    upload,
)
from tests.fixtures.net import http
from tests.library.test_collections import items, live_ids
from tests.library.test_trash import trash, trash_diff, usage

# Two parts: S3 wants 5 MiB in every part but the last.
BIG = bytes(range(256)) * (PART_SIZE // 256) + b"the last part"


def start_multipart(client: Any, data: bytes) -> tuple[str, list[dict[str, Any]]]:
    """A multipart upload with every part PUT, not completed: its key and its part list."""
    parts = [data[:PART_SIZE], data[PART_SIZE:]]
    response = client.post(
        "/files/multipart-upload-url",
        json={
            "contentLength": len(data),
            "partLength": PART_SIZE,
            "partMd5s": [md5_b64(part) for part in parts],
        },
    )
    assert response.status_code == 200, response.text
    target = response.json()
    listed = []
    for number, (url, part) in enumerate(zip(target["partURLs"], parts, strict=True), start=1):
        put = http.put(url, content=part, headers={"Content-MD5": md5_b64(part)})
        assert put.status_code == 200, put.text
        listed.append({"partNumber": number, "etag": put.headers["etag"]})
    return target["objectKey"], listed


def complete(client: Any, key: str, parts: list[dict[str, Any]]) -> Any:
    return client.post("/files/multipart-complete", json={"objectKey": key, "parts": parts})


def test_a_file_uploaded_in_parts_completed_through_the_api(
    owner: Account, stack: RunningServer
) -> None:
    album = create_album(owner)
    photo = upload(owner, album, BIG, multipart=True, through_api=True)
    assert decrypt_download(owner.client, photo) == BIG

    key, parts = start_multipart(owner.client, BIG)
    done = complete(owner.client, key, parts)
    assert done.status_code == 200, done.text
    assert done.json()["objectKey"] == key
    stored = stack.app.state.stores.hot.head(key)
    assert stored is not None and stored.size == len(BIG)
    assert done.json()["etag"] == stored.etag and stored.etag.endswith('-2"')
    # A retry, its answer lost: the same answer, nothing changed.
    assert complete(owner.client, key, parts).json() == done.json()


def test_completion_refusals_leave_the_upload_completable(
    owner: Account, stranger: Account, stack: RunningServer
) -> None:
    key, parts = start_multipart(owner.client, BIG)
    wrong_etag = [parts[0], {**parts[1], "etag": '"' + "0" * 32 + '"'}]
    never_uploaded = [*parts, {**parts[1], "partNumber": 3}]
    other_key = f"{owner.client.user_id}/nothing"
    refusals: list[tuple[Account, dict[str, Any], int, str]] = [
        (owner, {"objectKey": key, "parts": wrong_etag}, 400, "INVALID_PART"),
        (owner, {"objectKey": key, "parts": parts[::-1]}, 400, "INVALID_PART"),
        (owner, {"objectKey": key, "parts": never_uploaded}, 400, "INVALID_PART"),
        (stranger, {"objectKey": key, "parts": parts}, 400, "BAD_REQUEST"),
        (owner, {"objectKey": key, "parts": []}, 400, "BAD_REQUEST"),
        (owner, {"objectKey": key, "parts": [{**parts[0], "partNumber": 0}]}, 400, "BAD_REQUEST"),
        (owner, {"objectKey": key}, 400, "BAD_REQUEST"),
        (owner, {"objectKey": other_key, "parts": parts}, 400, "BAD_REQUEST"),
    ]
    for who, body, status, code in refusals:
        response = who.client.post("/files/multipart-complete", json=body)
        assert response.status_code == status, (body, response.text)
        assert response.json()["code"] == code, (body, response.text)
    assert complete(owner.client, key, parts).status_code == 200

    single = put_object(owner.client, b"one PUT")
    refused = complete(owner.client, single, parts)
    assert refused.status_code == 400 and "not a multipart upload" in refused.json()["message"]
    # Once a file uses the object, it is no longer an upload to complete.
    used = upload(owner, create_album(owner), BIG, multipart=True, through_api=True)
    used_key = used.body["file"]["objectKey"]
    assert complete(owner.client, used_key, parts).status_code == 400


def restore_body(album: Any, files: list[Any]) -> dict[str, Any]:
    return {"collectionID": album.id, "files": items(album, files)}


def test_restore_and_delete_for_good(
    owner: Account, stranger: Account, stack: RunningServer
) -> None:
    album, elsewhere = create_album(owner), create_album(owner)
    kept, gone, live = (upload(owner, album, bytes([i]) * 1000) for i in range(3))
    trash(owner, album, [kept, gone])
    full = usage(owner)
    since = max(item["updatedAt"] for item in trash_diff(owner))

    # Only one's own trashed files, into one's own album.
    for who, body in (
        (owner, restore_body(elsewhere, [live])),
        (stranger, restore_body(elsewhere, [kept])),
        (stranger, restore_body(create_album(stranger), [kept])),
    ):
        response = who.client.post("/files/restore", json=body)
        assert 400 <= response.status_code < 500, response.text
    restored = owner.client.post("/files/restore", json=restore_body(elsewhere, [kept]))
    assert restored.status_code == 200, restored.text
    assert restored.json() == {"restored": 1}
    assert live_ids(owner, elsewhere) == {kept.id}
    assert [(t["file"]["id"], t["isRestored"]) for t in trash_diff(owner, since)] == [
        (kept.id, True)
    ]
    assert decrypt_download(owner.client, kept) == bytes([0]) * 1000

    # Deleting for good takes only what is in the caller's own trash.
    assert stranger.client.post("/files/delete", json={"fileIDs": [gone.id]}).json() == {
        "deleted": 0
    }
    deleted = owner.client.post("/files/delete", json={"fileIDs": [gone.id, live.id, kept.id]})
    assert deleted.status_code == 200, deleted.text
    assert deleted.json() == {"deleted": 1}
    assert usage(owner) == full - gone.body["file"]["size"] - gone.body["thumbnail"]["size"]
    assert [t["isDeleted"] for t in trash_diff(owner) if t["file"]["id"] == gone.id] == [True]
    assert live_ids(owner, album) == {live.id}
    assert owner.client.post("/files/delete", json={"fileIDs": [gone.id]}).json() == {"deleted": 0}

    for body, status in (
        ({"fileIDs": list(range(1, 2502))}, 413),
        ({"fileIDs": "all"}, 400),
        ({}, 400),
    ):
        assert owner.client.post("/files/delete", json=body).status_code == status, body
    assert owner.client.post("/files/restore", json={"collectionID": album.id}).status_code == 400
