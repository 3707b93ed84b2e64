"""Collection actions: the owner's queue of admin removals and of delete suggestions."""

from __future__ import annotations

import httpx

from tests.fixtures.app_server import RunningServer
from tests.fixtures.ente import Account
from tests.fixtures.library import collection_diff, create_album, upload
from tests.library.test_collections import items, live_ids
from tests.public_links.test_album_links import updation_time
from tests.sharing.test_sharing import share

ACTION_FIELDS = {
    "id",
    "userID",
    "actorUserID",
    "collectionID",
    "fileID",
    "action",
    "isPending",
    "createdAt",
    "updatedAt",
}
EMPTY = {"actions": [], "hasMore": False}


def actions(account: Account, queue: str, since: int | None = None) -> list[dict]:
    params = {} if since is None else {"sinceTime": since}
    response = account.client.get(f"/collection-actions/{queue}", params=params)
    assert response.status_code == 200, response.text
    body = response.json()
    assert set(body) == {"actions", "hasMore"} and body["hasMore"] is False
    return list(body["actions"])


def test_a_new_user_has_no_actions(alice: Account) -> None:
    """What the web calls after every sync, without sinceTime."""
    for queue in ("pending-remove", "delete-suggestions"):
        assert alice.client.get(f"/collection-actions/{queue}").json() == EMPTY
        assert alice.client.get(f"/collection-actions/{queue}?sinceTime=0").json() == EMPTY
        for bad in ("abc", str(2**64)):
            response = alice.client.get(f"/collection-actions/{queue}", params={"sinceTime": bad})
            assert response.status_code == 400 and response.json()["code"] == "BAD_REQUEST"


def test_reject_delete_suggestions_is_validated(alice: Account) -> None:
    client = alice.client
    for body in ({}, {"fileIDs": None}, {"fileIDs": []}, [], {"fileIDs": ["x"]}):
        response = client.post("/collection-actions/reject-delete-suggestions", json=body)
        assert response.status_code == 400, body
        assert response.json()["code"] == "BAD_REQUEST"
    too_many = {"fileIDs": list(range(1, 2002))}
    assert (
        client.post("/collection-actions/reject-delete-suggestions", json=too_many).status_code
        == 400
    )
    # Nothing pending: nothing updated, and no error.
    response = client.post(
        "/collection-actions/reject-delete-suggestions",
        content=b'{"fileIDs":[123]}',
        headers={"Content-Type": "text/plain;charset=UTF-8"},
    )
    assert response.status_code == 200 and response.json() == {"updated": 0}


def test_an_admin_removal_is_pending_until_the_owner_moves_the_file(
    alice: Account, bob: Account
) -> None:
    album, elsewhere = create_album(alice), create_album(alice, name="Elsewhere")
    photo, other = upload(alice, album, b"removed by admin"), upload(alice, album, b"stays")
    assert share(alice, album, bob, "ADMIN").status_code == 200
    removed = bob.client.post(
        "/collections/v3/remove-files", json={"collectionID": album.id, "fileIDs": [photo.id]}
    )
    assert removed.status_code == 200, removed.text

    (action,) = actions(alice, "pending-remove")
    assert set(action) == ACTION_FIELDS
    assert action["userID"] == alice.client.user_id
    assert action["actorUserID"] == bob.client.user_id
    assert (action["collectionID"], action["fileID"]) == (album.id, photo.id)
    assert action["action"] == "REMOVE" and action["isPending"] is True
    assert isinstance(action["id"], str) and action["id"]
    assert action["createdAt"] == action["updatedAt"] > 0
    assert actions(alice, "pending-remove", action["updatedAt"]) == []
    assert actions(alice, "delete-suggestions") == []
    # The queue is the file owner's, not the admin's.
    assert actions(bob, "pending-remove") == []

    # The web moves such files out of the album; that ends the action.
    moved = alice.client.post(
        "/collections/move-files",
        json={
            "fromCollectionID": album.id,
            "toCollectionID": elsewhere.id,
            "files": items(elsewhere, [photo]),
        },
    )
    assert moved.status_code == 200, moved.text
    assert actions(alice, "pending-remove") == []
    assert live_ids(alice, album) == {other.id}


def suggest_delete(actor: Account, album_id: int, *file_ids: int) -> httpx.Response:
    return actor.client.post(
        "/collections/suggest-delete", json={"collectionID": album_id, "fileIDs": list(file_ids)}
    )


def test_delete_suggestions_list_and_reject(
    alice: Account, bob: Account, server: RunningServer
) -> None:
    album = create_album(alice)
    keep, trashed = upload(alice, album, b"suggested"), upload(alice, album, b"agreed")
    assert share(alice, album, bob, "ADMIN").status_code == 200
    before = updation_time(alice, album.id)
    assert suggest_delete(bob, album.id, keep.id, trashed.id).status_code == 200
    assert updation_time(alice, album.id) > before
    # Others see suggested files as gone; the owner still has them.
    assert live_ids(bob, album) == set()
    assert live_ids(alice, album) == {keep.id, trashed.id}

    listed = actions(alice, "delete-suggestions")
    assert [(a["fileID"], a["action"]) for a in listed] == [
        (keep.id, "DELETE_SUGGESTED"),
        (trashed.id, "DELETE_SUGGESTED"),
    ]
    assert all(a["actorUserID"] == bob.client.user_id for a in listed)
    assert actions(alice, "pending-remove") == []
    assert actions(bob, "delete-suggestions") == []

    # Trashing a file is acting on its suggestion.
    assert (
        alice.client.post(
            "/files/trash", json={"items": [{"fileID": trashed.id, "collectionID": album.id}]}
        ).status_code
        == 200
    )
    assert [a["fileID"] for a in actions(alice, "delete-suggestions")] == [keep.id]

    # Bob cannot reject Alice's suggestions; Alice can, and the file comes back for others.
    reject = "/collection-actions/reject-delete-suggestions"
    assert bob.client.post(reject, json={"fileIDs": [keep.id]}).json() == {"updated": 0}
    seen = max(row["updationTime"] for row in collection_diff(bob.client, album.id))
    assert alice.client.post(reject, json={"fileIDs": [keep.id]}).json() == {"updated": 1}
    assert actions(alice, "delete-suggestions") == []
    assert [(r["id"], r["isDeleted"]) for r in collection_diff(bob.client, album.id, seen)] == [
        (keep.id, False)
    ]
    assert alice.client.post(reject, json={"fileIDs": [keep.id]}).json() == {"updated": 0}


def test_who_may_suggest_deletions(alice: Account, bob: Account, carol: Account) -> None:
    album = create_album(alice)
    own = upload(alice, album, b"alice's")
    assert share(alice, album, bob, "COLLABORATOR").status_code == 200
    assert share(alice, album, carol, "VIEWER").status_code == 200
    added = upload(bob, create_album(bob), b"bob's")
    add = bob.client.post(
        "/collections/add-files",
        json={"collectionID": album.id, "files": items(album, [added])},
    )
    assert add.status_code == 200, add.text
    # Viewers and collaborators may not; nobody suggests deleting their own file.
    assert suggest_delete(carol, album.id, own.id).status_code == 403
    assert suggest_delete(bob, album.id, own.id).status_code == 403
    assert suggest_delete(alice, album.id, own.id).status_code == 400
    assert suggest_delete(alice, album.id, 2**40).status_code == 400
    assert suggest_delete(alice, album.id).status_code == 400
    assert suggest_delete(alice, 2**40, added.id).status_code == 404
    assert suggest_delete(alice, album.id, *range(1, 1002)).status_code == 413
    # The owner may suggest a collaborator's file; the collaborator is asked.
    assert suggest_delete(alice, album.id, added.id).status_code == 200
    assert [a["fileID"] for a in actions(bob, "delete-suggestions")] == [added.id]
    assert live_ids(carol, album) == {own.id}
