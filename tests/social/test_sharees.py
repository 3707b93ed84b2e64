"""Users sharing an album comment, reply, react and delete; strangers are kept out."""

from __future__ import annotations

from tests.fixtures.ente import Account
from tests.fixtures.library import create_album, upload
from tests.sharing.test_sharing import share
from tests.social.talk import comment, opened, react, social_diff, texts


def test_owner_and_viewer_talk_about_a_photo(alice: Account, bob: Account) -> None:
    album = create_album(alice, name="Trip")
    photo = upload(alice, album, b"a photo")
    assert share(alice, album, bob, "VIEWER").status_code == 200

    # A viewer may comment; ids are museum's.
    first = comment(bob, album.id, album.key, "What a view", fileID=photo.id)
    assert first.status_code == 201, first.text
    bobs = first.json()["id"]
    assert bobs.startswith("cmt_") and len(bobs) == 25
    reply = comment(alice, album.id, album.key, "Thanks!", fileID=photo.id, parentCommentID=bobs)
    assert reply.status_code == 201, reply.text
    alices = reply.json()["id"]

    liked = react(alice, album.id, album.key, "green_heart", fileID=photo.id)
    assert liked.status_code == 200 and liked.json()["id"].startswith("rct_")
    # Reacting again replaces the reaction: one per author and target.
    again = react(alice, album.id, album.key, "red_heart", fileID=photo.id)
    assert again.json()["id"] == liked.json()["id"]
    on_comment = react(bob, album.id, album.key, "green_heart", commentID=alices, fileID=photo.id)
    assert on_comment.status_code == 200, on_comment.text

    diff = social_diff(bob, album.id, fileID=photo.id)
    assert texts(diff["comments"], album.key) == {bobs: "What a view", alices: "Thanks!"}
    assert diff["hasMoreComments"] is False and diff["hasMoreReactions"] is False
    by_id = {row["id"]: row for row in diff["comments"]}
    assert by_id[alices]["parentCommentID"] == bobs
    assert by_id[bobs]["userID"] == bob.client.user_id and "anonUserID" not in by_id[bobs]
    reactions = {row["id"]: row for row in diff["reactions"]}
    assert opened(reactions[liked.json()["id"]], album.key) == "red_heart"
    comment_reaction = reactions[on_comment.json()["id"]]
    assert comment_reaction["commentID"] == alices and "fileID" not in comment_reaction

    # sinceTime: only what changed after.
    latest = max(row["updatedAt"] for row in diff["comments"] + diff["reactions"])
    assert social_diff(alice, album.id, sinceTime=latest) == {
        "comments": [],
        "reactions": [],
        "hasMoreComments": False,
        "hasMoreReactions": False,
    }

    # Editing is the author's alone.
    assert (
        bob.client.put(f"/comments/{alices}", json={"cipher": "AAAA", "nonce": "AAAA"}).status_code
        == 403
    )
    assert bob.client.delete(f"/comments/{alices}").status_code == 403
    assert alice.client.delete(f"/reactions/{on_comment.json()['id']}").status_code == 403

    # Un-reacting leaves a tombstone without ciphertext.
    assert alice.client.delete(f"/reactions/{liked.json()['id']}").status_code == 200
    assert alice.client.delete(f"/reactions/{liked.json()['id']}").status_code == 200
    diff = social_diff(alice, album.id, sinceTime=latest)
    assert [(r["id"], r["isDeleted"], "cipher" in r) for r in diff["reactions"]] == [
        (liked.json()["id"], True, False)
    ]

    # The owner may delete anyone's comment; reactions to it go with it.
    assert alice.client.delete(f"/comments/{alices}").status_code == 200
    assert alice.client.delete(f"/comments/{alices}").status_code == 404
    diff = social_diff(bob, album.id, sinceTime=latest)
    assert {r["id"]: r["isDeleted"] for r in diff["comments"]} == {alices: True}
    assert "cipher" not in diff["comments"][0]
    assert {r["id"] for r in diff["reactions"] if r["isDeleted"]} == {
        liked.json()["id"],
        on_comment.json()["id"],
    }
    assert alice.client.delete(f"/comments/{bobs}").status_code == 200

    # Replies to a deleted comment are refused.
    refused = comment(alice, album.id, album.key, "late", fileID=photo.id, parentCommentID=bobs)
    assert refused.status_code == 400


def test_strangers_and_removed_sharees_are_kept_out(
    alice: Account, bob: Account, carol: Account
) -> None:
    album = create_album(alice)
    photo = upload(alice, album, b"a photo")
    assert share(alice, album, bob, "COLLABORATOR").status_code == 200
    said = comment(bob, album.id, album.key, "mine", fileID=photo.id).json()["id"]
    assert react(bob, album.id, album.key, "green_heart", fileID=photo.id).status_code == 200

    assert comment(carol, album.id, album.key, "hi", fileID=photo.id).status_code == 404
    assert react(carol, album.id, album.key, "green_heart", fileID=photo.id).status_code == 404
    for path in ("/social/diff", "/social/anon-profiles", "/comments/diff", "/reactions/diff"):
        assert carol.client.get(path, params={"collectionID": album.id}).status_code == 404
    assert carol.client.delete(f"/comments/{said}").status_code == 404
    # A file of another album is not a target here.
    other = create_album(carol)
    carols = upload(carol, other, b"carol's")
    assert comment(alice, album.id, album.key, "x", fileID=carols.id).status_code == 404
    assert comment(carol, other.id, other.key, "x", parentCommentID=said).status_code == 400

    counts = alice.client.get("/comments-reactions/counts").json()["counts"]
    assert {"collectionID": album.id, "comments": 1, "reactions": 1} in counts
    updates = bob.client.get("/comments-reactions/updated-at").json()["updates"]
    assert [u["collectionID"] for u in updates] == [album.id]

    # Once Bob is out, what he wrote goes: clients that had it get tombstones.
    seen = social_diff(alice, album.id)
    since = max(r["updatedAt"] for r in seen["comments"] + seen["reactions"])
    response = alice.client.post(
        "/collections/unshare", json={"collectionID": album.id, "email": bob.email}
    )
    assert response.status_code == 200
    diff = social_diff(alice, album.id, sinceTime=since)
    assert [(c["id"], c["isDeleted"], "cipher" in c) for c in diff["comments"]] == [
        (said, True, False)
    ]
    assert [(r["isDeleted"], "cipher" in r) for r in diff["reactions"]] == [(True, False)]
    assert bob.client.get("/social/diff", params={"collectionID": album.id}).status_code == 404

    # A file leaving the album (here: trashed) takes its comments out of the diff.
    mine = comment(alice, album.id, album.key, "soon gone", fileID=photo.id)
    assert mine.status_code == 201
    trashed = alice.client.post(
        "/files/trash", json={"items": [{"fileID": photo.id, "collectionID": album.id}]}
    )
    assert trashed.status_code == 200, trashed.text
    assert social_diff(alice, album.id)["comments"] == []

    # A deleted album serves nothing.
    deleted = alice.client.delete(
        f"/collections/v3/{album.id}", params={"collectionID": album.id, "keepFiles": "false"}
    )
    assert deleted.status_code == 200, deleted.text
    assert alice.client.get("/social/diff", params={"collectionID": album.id}).status_code == 404


def test_diff_pages_follow_update_times(alice: Account) -> None:
    album = create_album(alice)
    photo = upload(alice, album, b"a photo")
    ids = [
        comment(alice, album.id, album.key, f"n{i}", fileID=photo.id).json()["id"] for i in range(5)
    ]
    seen: list[str] = []
    since, more = 0, True
    while more:
        page = social_diff(alice, album.id, sinceTime=since, limit=2)
        assert len(page["comments"]) <= 2 or len({c["updatedAt"] for c in page["comments"]}) == 1
        seen += [c["id"] for c in page["comments"]]
        since = max(c["updatedAt"] for c in page["comments"])
        more = page["hasMoreComments"]
    assert seen == ids
    # Another file's comments are not in a file's diff.
    other = upload(alice, album, b"another photo")
    assert social_diff(alice, album.id, fileID=other.id)["comments"] == []
