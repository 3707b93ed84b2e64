"""Objects leave storage only when no file needs them: after the delay, or when abandoned."""

from __future__ import annotations

from photo_api.clock import now_us
from photo_api.jobs import object_cleanup
from tests.fixtures.app_server import RunningServer
from tests.fixtures.ente import Account
from tests.fixtures.library import PART_SIZE, create_album, md5_b64, put_object, upload
from tests.fixtures.net import http
from tests.fixtures.s3_server import S3Server


def stored(stack: RunningServer, key: str) -> bool:
    return stack.app.state.stores.hot.head(key) is not None


def test_deleted_files_objects_go_after_the_delay(owner: Account, stack: RunningServer) -> None:
    album = create_album(owner)
    keep, drop = upload(owner, album, b"keep me"), upload(owner, album, b"drop me")
    keys = [drop.body["file"]["objectKey"], drop.body["thumbnail"]["objectKey"]]
    owner.client.post(
        "/files/trash", json={"items": [{"fileID": drop.id, "collectionID": album.id}]}
    )
    db, stores = stack.app.state.db, stack.app.state.stores
    # Trashed: nothing is removed, however late it is.
    object_cleanup.run(db, stores, now=now_us() + 10**15)
    assert all(stored(stack, k) for k in keys)
    owner.client.post("/trash/delete", json={"fileIDs": [drop.id]})
    object_cleanup.run(db, stores)  # before the delay
    assert all(stored(stack, k) for k in keys)
    delay = stack.settings.object_deletion_delay_seconds * 1_000_000
    object_cleanup.run(db, stores, now=now_us() + delay + 1)
    assert not any(stored(stack, k) for k in keys)
    assert stored(stack, keep.body["file"]["objectKey"])


def test_abandoned_uploads_are_removed(owner: Account, stack: RunningServer) -> None:
    key = put_object(owner.client, b"never committed")
    db, stores = stack.app.state.db, stack.app.state.stores
    object_cleanup.run(db, stores)
    assert stored(stack, key)
    ttl = stack.settings.storage.url_ttl_seconds * 1_000_000
    object_cleanup.run(db, stores, now=now_us() + ttl + 1)
    assert stored(stack, key)
    age = stack.settings.storage.abandoned_upload_seconds * 1_000_000
    object_cleanup.run(db, stores, now=now_us() + age + 1)
    assert not stored(stack, key)


def test_abandoned_multipart_uploads_are_aborted(
    owner: Account, stack: RunningServer, s3_server: S3Server
) -> None:
    """Parts of an upload never completed take space until the upload is aborted."""
    parts = [b"1" * PART_SIZE, b"2" * 10]
    response = owner.client.post(
        "/files/multipart-upload-url",
        json={
            "contentLength": sum(map(len, parts)),
            "partLength": len(parts[0]),
            "partMd5s": [md5_b64(p) for p in parts],
        },
    )
    assert response.status_code == 200, response.text
    target = response.json()
    first = http.put(
        target["partURLs"][0],
        content=parts[0],
        headers={"Content-MD5": md5_b64(parts[0])},
        timeout=60,
    )
    assert first.status_code == 200, first.text

    def open_uploads() -> list[str]:
        bucket = stack.settings.storage.backends["s3"].bucket
        uploads = s3_server.client().list_multipart_uploads(Bucket=bucket).get("Uploads", [])
        return [u["Key"] for u in uploads if u["Key"] == target["objectKey"]]

    if stack.hot == "s3":
        assert open_uploads() == [target["objectKey"]]
    age = stack.settings.storage.abandoned_upload_seconds * 1_000_000
    object_cleanup.run(stack.app.state.db, stack.app.state.stores, now=now_us() + age + 1)
    # The upload is gone: no part can be added any more.
    if stack.hot == "s3":
        assert open_uploads() == []
    else:
        second = http.put(
            target["partURLs"][1], content=parts[1], headers={"Content-MD5": md5_b64(parts[1])}
        )
        assert second.status_code == 404, second.text
    assert not stored(stack, target["objectKey"])
