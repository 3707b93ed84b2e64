"""Objects leave storage only when no file needs them: after the delay, or when abandoned."""

from __future__ import annotations

from photo_api.clock import now_us
from photo_api.jobs import object_cleanup
from tests.fixtures.app_server import RunningServer
from tests.fixtures.ente import Account
from tests.fixtures.library import create_album, put_object, upload


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
    object_cleanup.run(db, stores, now=now_us() + 2 * ttl + 1)
    assert not stored(stack, key)
