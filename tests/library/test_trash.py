"""Trash: trashing, the trash diff, restore, delete for good, empty, automatic deletion."""

from __future__ import annotations

from tests.fixtures.app_server import RunningServer
from tests.fixtures.ente import Account
from tests.fixtures.library import collection_diff, create_album, download, upload
from tests.library.test_collections import items, live_ids

TRASH_ITEM_FIELDS = {"file", "isDeleted", "isRestored", "deleteBy", "createdAt", "updatedAt"}


def trash(owner: Account, album, files) -> None:
    response = owner.client.post(
        "/files/trash", json={"items": [{"fileID": f.id, "collectionID": album.id} for f in files]}
    )
    assert response.status_code == 200, response.text


def trash_diff(owner: Account, since: int = 0) -> list[dict]:
    body = owner.client.get("/trash/v2/diff", params={"sinceTime": since}).json()
    return list(body["diff"])


def usage(owner: Account) -> int:
    return int(owner.client.get("/users/details/v2").json()["usage"])


def test_trash_restore_delete_empty(owner: Account, stack: RunningServer) -> None:
    album, other = create_album(owner), create_album(owner)
    a, b, c = (upload(owner, album, bytes([i]) * 1000) for i in range(3))
    owner.client.post(
        "/collections/add-files", json={"collectionID": other.id, "files": items(other, [a])}
    )
    full = usage(owner)
    trash(owner, album, [a, b, c])
    # Out of every album, into the trash; usage unchanged; still viewable by the owner.
    assert live_ids(owner, album) == set() and live_ids(owner, other) == set()
    assert usage(owner) == full
    assert download(owner.client, a.id).status_code == 200
    diff = trash_diff(owner)
    assert {t["file"]["id"] for t in diff} == {a.id, b.id, c.id}
    item = diff[0]
    assert set(item) == TRASH_ITEM_FIELDS
    assert item["file"]["collectionID"] == album.id and item["file"]["collectionOwnerID"] is None
    assert item["deleteBy"] - item["createdAt"] == 30 * 86_400 * 1_000_000
    for part in ("file", "thumbnail", "metadata"):
        assert isinstance(item["file"][part]["decryptionHeader"], str)

    # Trashed files cannot be added anywhere.
    blocked = owner.client.post(
        "/collections/add-files", json={"collectionID": other.id, "files": items(other, [b])}
    )
    assert blocked.status_code == 409 and blocked.json()["code"] == "FILE_IN_TRASH"

    since = max(t["updatedAt"] for t in diff)
    assert (
        owner.client.post(
            "/collections/restore-files",
            json={"collectionID": other.id, "files": items(other, [a])},
        ).status_code
        == 200
    )
    restored = trash_diff(owner, since)
    assert [(t["file"]["id"], t["isRestored"]) for t in restored] == [(a.id, True)]
    assert live_ids(owner, other) == {a.id}

    assert owner.client.post("/trash/delete", json={"fileIDs": [b.id]}).status_code == 200
    deleted = trash_diff(owner, max(t["updatedAt"] for t in restored))
    assert [(t["file"]["id"], t["isDeleted"]) for t in deleted] == [(b.id, True)]
    assert usage(owner) == full - b.body["file"]["size"] - b.body["thumbnail"]["size"]
    assert download(owner.client, b.id).status_code == 404

    last = max(t["updatedAt"] for t in trash_diff(owner))
    assert owner.client.post("/trash/empty", json={"lastUpdatedAt": last}).status_code == 200
    assert usage(owner) == a.body["file"]["size"] + a.body["thumbnail"]["size"]
    assert owner.client.post("/trash/empty", json={"lastUpdatedAt": 0}).status_code == 400
    # Restoring something not in the trash is refused.
    assert (
        owner.client.post(
            "/collections/restore-files",
            json={"collectionID": other.id, "files": items(other, [c])},
        ).status_code
        == 400
    )


def test_trash_validation(owner: Account, stranger: Account) -> None:
    album = create_album(owner)
    f = upload(owner, album, b"x")
    dup = owner.client.post(
        "/files/trash", json={"items": [{"fileID": f.id, "collectionID": album.id}] * 2}
    )
    assert dup.status_code == 400
    too_many = owner.client.post(
        "/files/trash",
        json={"items": [{"fileID": i, "collectionID": album.id} for i in range(1001)]},
    )
    assert too_many.status_code == 413
    foreign = stranger.client.post(
        "/files/trash", json={"items": [{"fileID": f.id, "collectionID": album.id}]}
    )
    assert foreign.status_code == 403
    assert len(collection_diff(owner.client, album.id)) == 1


def test_expired_trash_is_deleted_by_the_job(owner: Account, stack: RunningServer) -> None:
    from photo_api.jobs import trash_expiry

    album = create_album(owner)
    f = upload(owner, album, b"old photo")
    trash(owner, album, [f])
    before = usage(owner)
    delete_by = trash_diff(owner)[-1]["deleteBy"]
    # The server is shared: other tests' older trash may go in these runs too.
    trash_expiry.run(stack.app.state.db, stack.settings, now=delete_by - 1)
    assert trash_diff(owner)[-1]["isDeleted"] is False
    assert trash_expiry.run(stack.app.state.db, stack.settings, now=delete_by + 1) >= 1
    assert trash_diff(owner)[-1]["isDeleted"] is True
    assert usage(owner) < before
