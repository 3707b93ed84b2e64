"""A TV pairs with an album and reads exactly that album, until the sender stops it; on every
database with each storage backend."""

from __future__ import annotations

import os

import pytest

from tests.cast.tv import Tv, cast
from tests.client import crypto
from tests.fixtures.app_server import RunningServer
from tests.fixtures.ente import Account
from tests.fixtures.library import collection_diff, create_album, upload


def test_tv_reads_exactly_the_cast_album(owner: Account, stack: RunningServer) -> None:
    album = create_album(owner, name="Summer")
    data = os.urandom(150_000)
    photo = upload(owner, album, data, title="beach.jpg")
    second = upload(owner, album, b"second photo")
    elsewhere = upload(owner, create_album(owner, name="Private"), b"not cast")

    tv = Tv(stack.url)
    response = tv.register()
    assert response.status_code == 200, response.text
    code = response.json()["deviceCode"]
    assert len(code) == 6 and code.isupper() and code[0].isalpha() and "0" not in code
    # Nothing to show until someone claims the code.
    assert tv.poll().json() == {"encCastData": None}

    cast(owner, tv, album.id, album.key)
    assert tv.collection_id == album.id and tv.collection_key == album.key

    rows = tv.album()
    assert {row["id"] for row in rows} == {photo.id, second.id}
    assert all("magicMetadata" not in row and "action" not in row for row in rows)
    assert rows == [
        {k: v for k, v in row.items() if k != "magicMetadata"}
        for row in collection_diff(owner.client, album.id)
    ]
    row = next(r for r in rows if r["id"] == photo.id)
    file_key = tv.file_key(row)
    metadata = crypto.decrypt_metadata(
        row["metadata"]["encryptedData"], row["metadata"]["decryptionHeader"], file_key
    )
    assert metadata["title"] == "beach.jpg"
    response = tv.fetch(photo.id)
    assert response.status_code == 200, response.text
    assert crypto.decrypt_file(file_key, photo.header, response.content) == data
    thumbnail = tv.fetch(photo.id, kind="preview")
    assert thumbnail.status_code == 200, thumbnail.text
    assert crypto.decrypt_file(file_key, photo.thumbnail_header, thumbnail.content) == (
        photo.thumbnail
    )

    # The album, as an outsider sees it.
    info = tv.get("/cast/info").json()["collection"]
    assert info["id"] == album.id and info["owner"]["id"] == owner.client.user_id
    assert info["sharees"] is None and "magicMetadata" not in info
    assert info["owner"]["email"] == ""

    # Other albums' files are not the TV's to see, nor are files that left the album.
    assert tv.fetch(elsewhere.id).status_code == 403
    assert tv.fetch(10**15).status_code == 403
    trashed = owner.client.post(
        "/files/trash", json={"items": [{"fileID": second.id, "collectionID": album.id}]}
    )
    assert trashed.status_code == 200
    assert tv.fetch(second.id).status_code == 403
    assert next(r for r in tv.album() if r["id"] == second.id)["isDeleted"] is True

    # Stopping every cast (what the web does when its cast dialog opens) ends the token.
    assert owner.client.delete("/cast/revoke-all-tokens").status_code == 200
    for response in (tv.diff(), tv.fetch(photo.id), tv.fetch(photo.id, "preview")):
        assert response.status_code == 401
        assert response.json() == {"error": "invalid token"}
    assert tv.get("/cast/info").status_code == 401
    # The TV learns it from its poll too, and registers again.
    response = tv.poll()
    assert response.status_code == 404
    assert response.json() == {"code": "NOT_FOUND", "message": "active code not found"}


@pytest.mark.parametrize("size", [3])
def test_diff_pages_as_the_album_diff(
    alice: Account, monkeypatch: pytest.MonkeyPatch, server: RunningServer, size: int
) -> None:
    from photo_api.public_links import visitor

    album = create_album(alice)
    files = [upload(alice, album, bytes([i]) * 10) for i in range(5)]
    together = create_album(alice, name="Together")
    items = []
    for uploaded in files:
        box = crypto.secretbox_encrypt(uploaded.key, together.key)
        items.append(
            {"id": uploaded.id, "encryptedKey": box.encrypted_data, "keyDecryptionNonce": box.nonce}
        )
    # One add of all five: five memberships sharing one timestamp.
    response = alice.client.post(
        "/collections/add-files", json={"collectionID": together.id, "files": items}
    )
    assert response.status_code == 200, response.text
    monkeypatch.setattr(visitor, "DIFF_LIMIT", size)

    tv = Tv(server.url)
    cast(alice, tv, together.id, together.key)
    first = tv.diff().json()
    # A page never splits a timestamp: the whole group comes at once, and more may follow.
    assert first["hasMore"] is True and len(first["diff"]) == 5
    assert len(tv.album()) == 5

    assert alice.client.delete("/cast/revoke-all-tokens").status_code == 200
    tv = Tv(server.url)
    cast(alice, tv, album.id, album.key)
    first = tv.diff().json()
    assert len(first["diff"]) <= size and first["hasMore"] is True
    assert [row["id"] for row in tv.album()] == [f.id for f in files]
