"""What a link stops showing: files its creator trashed, deleted or can no longer see, every
link of a deleted account, and links older than seven days."""

from __future__ import annotations

from sqlalchemy import update

from photo_api.clock import MICROS_PER_DAY, now_us
from photo_api.jobs import expiry
from photo_api.memory_share import access
from photo_api.memory_share import service as memory_links
from photo_api.models import MemoryShare
from tests.fixtures.app_server import RunningServer
from tests.fixtures.ente import Account
from tests.fixtures.library import Album, create_album, upload
from tests.library.test_collections import items
from tests.library.test_trash import trash
from tests.memory_share.memories import (
    MemoryVisitor,
    create_body,
    file_rows,
    listed,
    share_memory,
)
from tests.sharing.test_account_deletion import delete_account
from tests.sharing.test_sharing import share, shared_album_key


def visible(visitor: MemoryVisitor) -> list[int]:
    return [item["file"]["id"] for item in visitor.files()]


def test_a_trashed_file_leaves_the_link_until_restored(
    alice: Account, server: RunningServer
) -> None:
    album = create_album(alice)
    kept, trashed, deleted = (upload(alice, album, b"file %d" % i) for i in range(3))
    visitor = MemoryVisitor(server.url, share_memory(alice, [kept, trashed, deleted]).url)
    assert visible(visitor) == [kept.id, trashed.id, deleted.id]

    trash(alice, album, [trashed, deleted])
    assert visible(visitor) == [kept.id]
    for kind in ("download", "preview"):
        assert visitor.fetch(trashed.id, kind).status_code == 404
    restore = {"collectionID": album.id, "files": items(album, [trashed])}
    response = alice.client.post("/collections/restore-files", json=restore)
    assert response.status_code == 200, response.text
    assert visible(visitor) == [kept.id, trashed.id]

    response = alice.client.post("/trash/delete", json={"fileIDs": [deleted.id]})
    assert response.status_code == 200, response.text
    assert visible(visitor) == [kept.id, trashed.id]
    assert visitor.fetch(deleted.id).status_code == 404
    # Nor can a new link take a file from the trash.
    body, _ = create_body(alice, [deleted])
    assert alice.client.post("/memory-share", json=body).status_code == 400


def test_files_of_an_album_shared_with_the_creator_last_as_long_as_the_share(
    alice: Account, bob: Account, server: RunningServer
) -> None:
    """museum keeps showing them after the album is unshared; here they go with the share."""
    bobs_album = create_album(bob)
    bobs = upload(bob, bobs_album, b"bob's photo")
    private = upload(bob, create_album(bob), b"bob's private photo")
    assert share(bob, bobs_album, alice, "VIEWER").status_code == 200
    key, _ = shared_album_key(alice, bobs_album.id)
    assert key == bobs_album.key
    alices = upload(alice, create_album(alice), b"alice's photo")

    # Someone else's file that is not shared with the creator: 403, as museum.
    body, _ = create_body(alice, [alices, private])
    assert alice.client.post("/memory-share", json=body).status_code == 403
    visitor = MemoryVisitor(server.url, share_memory(alice, [alices, bobs]).url)
    assert visible(visitor) == [alices.id, bobs.id]
    assert visitor.fetch(bobs.id).status_code == 200

    response = bob.client.post(
        "/collections/unshare", json={"collectionID": bobs_album.id, "email": alice.email}
    )
    assert response.status_code == 200, response.text
    assert visible(visitor) == [alices.id]
    assert visitor.fetch(bobs.id).status_code == 404

    # Shared again, and Alice's own file moved into Bob's album: both visible through it.
    assert share(bob, bobs_album, alice, "COLLABORATOR").status_code == 200
    assert visible(visitor) == [alices.id, bobs.id]
    shared = Album(bobs_album.id, key, {})
    added = alice.client.post(
        "/collections/add-files", json={"collectionID": shared.id, "files": items(shared, [alices])}
    )
    assert added.status_code == 200, added.text
    assert visible(visitor) == [alices.id, bobs.id]


def test_a_deleted_accounts_links_are_gone(
    alice: Account, bob: Account, server: RunningServer
) -> None:
    photo = upload(alice, create_album(alice), b"alice's")
    link = share_memory(alice, [photo])
    visitor = MemoryVisitor(server.url, link.url)
    bobs = upload(bob, create_album(bob), b"bob's")
    others = MemoryVisitor(server.url, share_memory(bob, [bobs]).url)
    delete_account(alice)
    response = visitor.get("/public-memory/info")
    assert response.status_code == 410
    assert response.json() == {"error": "memory share is deleted"}
    assert others.get("/public-memory/info").status_code == 200
    assert file_rows(server, link.id) == 0


def _age(server: RunningServer, share_id: int, by: int) -> None:
    with server.app.state.db.session() as session:
        session.execute(
            update(MemoryShare)
            .where(MemoryShare.id == share_id)
            .values(created_at=MemoryShare.created_at - by)
        )
        session.commit()


def test_links_expire_after_seven_days_and_are_purged_later(
    alice: Account, server: RunningServer
) -> None:
    now = now_us()
    assert not access.expired(now - access.TTL_US + 1, now=now)
    assert access.expired(now - access.TTL_US, now=now)

    photo = upload(alice, create_album(alice), b"an old memory")
    old, fresh = share_memory(alice, [photo]), share_memory(alice, [photo])
    visitor = MemoryVisitor(server.url, old.url)
    _age(server, old.id, access.TTL_US + 1)
    response = visitor.get("/public-memory/files")
    assert (response.status_code, response.json()) == (410, {"error": "expired token"})
    assert [s["id"] for s in listed(alice)] == [fresh.id]
    assert alice.client.get(f"/memory-share/{old.id}").status_code == 404

    # The clean-up forgets an expired link's file keys at once, and the link a while later:
    # meanwhile its token still says "expired"; then it is unknown like any other.
    expiry.run(server.app.state.db)
    assert file_rows(server, old.id) == 0 and file_rows(server, fresh.id) == 1
    assert visitor.get("/public-memory/info").status_code == 410
    _age(server, old.id, memory_links.TOMBSTONE_US)
    assert expiry.run(server.app.state.db)["memory_shares"] >= 1
    response = visitor.get("/public-memory/info")
    assert (response.status_code, response.json()) == (401, {"error": "invalid token"})
    assert MemoryVisitor(server.url, fresh.url).get("/public-memory/info").status_code == 200
    # An expired link can still be deleted, as museum allows.
    expired = share_memory(alice, [photo])
    _age(server, expired.id, 8 * MICROS_PER_DAY)
    assert alice.client.delete(f"/memory-share/{expired.id}").status_code == 200
