"""Albums shared between users: roles, sync and decryption by sharees, unsharing."""

from __future__ import annotations

from tests.client import crypto
from tests.fixtures.app_server import RunningServer
from tests.fixtures.ente import Account, signup
from tests.fixtures.library import Album, collection_diff, create_album, download, upload
from tests.fixtures.smtp import SmtpServer
from tests.library.test_collections import items, live_ids


def share(owner: Account, album: Album, to: Account, role: str):
    public_key = owner.client.get("/users/public-key", params={"email": to.email}).json()
    sealed = crypto.seal(album.key, crypto.unb64(public_key["publicKey"]))
    return owner.client.post(
        "/collections/share",
        json={"collectionID": album.id, "email": to.email, "encryptedKey": sealed, "role": role},
    )


def shared_album_key(sharee: Account, album_id: int) -> tuple[bytes, dict]:
    collections = sharee.client.get("/collections/v2").json()["collections"]
    entry = next(c for c in collections if c["id"] == album_id)
    keys = sharee.client.keys
    assert keys is not None
    return crypto.open_sealed(entry["encryptedKey"], keys.public_key, keys.secret_key), entry


def test_viewer_then_collaborator_then_unshare(alice: Account, bob: Account) -> None:
    album = create_album(alice, name="Trip")
    photo = upload(alice, album, b"alice's photo bytes")
    response = share(alice, album, bob, "VIEWER")
    assert response.status_code == 200, response.text
    assert response.json()["sharees"] == [
        {"id": bob.client.user_id, "email": bob.email, "name": "", "role": "VIEWER"}
    ]

    # Bob syncs: the album with its key sealed to him, himself among the sharees.
    key, entry = shared_album_key(bob, album.id)
    assert key == album.key
    assert entry["owner"] == {
        "id": alice.client.user_id,
        "email": alice.email,
        "name": "",
        "role": "",
    }
    assert {"id": bob.client.user_id, "email": bob.email, "name": "", "role": "VIEWER"} in entry[
        "sharees"
    ]
    assert "keyDecryptionNonce" not in entry and "sharedAt" in entry
    rows = collection_diff(bob.client, album.id)
    assert [r["id"] for r in rows] == [photo.id] and "magicMetadata" not in rows[0]
    file_key = crypto.secretbox_decrypt(rows[0]["encryptedKey"], rows[0]["keyDecryptionNonce"], key)
    assert crypto.decrypt_file(file_key, photo.header, download(bob.client, photo.id).content) == (
        photo.plaintext
    )

    # A viewer cannot add.
    own = create_album(bob, name="Bob's")
    bobs = upload(bob, own, b"bob's photo")
    refused = bob.client.post(
        "/collections/add-files",
        json={"collectionID": album.id, "files": items(Album(album.id, key, {}), [bobs])},
    )
    assert refused.status_code == 403

    # As a collaborator Bob uploads into his own album, then adds to Alice's.
    assert share(alice, album, bob, "COLLABORATOR").status_code == 200
    added = bob.client.post(
        "/collections/add-files",
        json={"collectionID": album.id, "files": items(Album(album.id, key, {}), [bobs])},
    )
    assert added.status_code == 200, added.text
    assert live_ids(alice, album) == {photo.id, bobs.id}
    alice_row = next(r for r in collection_diff(alice.client, album.id) if r["id"] == bobs.id)
    assert alice_row["ownerID"] == bob.client.user_id
    assert download(alice.client, bobs.id).status_code == 200
    # Collaborators cannot remove others' files, only their own.
    assert (
        bob.client.post(
            "/collections/v3/remove-files", json={"collectionID": album.id, "fileIDs": [photo.id]}
        ).status_code
        == 403
    )

    # Unsharing takes Bob's additions out, and Bob out.
    response = alice.client.post(
        "/collections/unshare", json={"collectionID": album.id, "email": bob.email}
    )
    assert response.status_code == 200 and response.json()["sharees"] == []
    assert live_ids(alice, album) == {photo.id}
    _, entry = shared_album_key(bob, album.id)
    assert entry["isDeleted"] is True
    assert (
        bob.client.get("/collections/v2/diff", params={"collectionID": album.id}).status_code == 404
    )
    assert download(bob.client, photo.id).status_code == 403
    assert download(bob.client, bobs.id).status_code == 200  # still his own


def test_share_validation(alice: Account, bob: Account) -> None:
    album = create_album(alice)
    public_key = crypto.unb64(
        alice.client.get("/users/public-key", params={"email": bob.email}).json()["publicKey"]
    )
    sealed = crypto.seal(album.key, public_key)
    base = {"collectionID": album.id, "email": bob.email, "encryptedKey": sealed}
    assert (
        alice.client.post("/collections/share", json={**base, "role": "OWNER"}).status_code == 400
    )
    assert (
        alice.client.post("/collections/share", json={**base, "encryptedKey": "AAAA"}).status_code
        == 400
    )
    assert (
        alice.client.post(
            "/collections/share", json={**base, "email": "nobody-here@example.org"}
        ).status_code
        == 404
    )
    assert (
        alice.client.post("/collections/share", json={**base, "email": alice.email}).status_code
        == 400
    )
    # Bob cannot share Alice's album, nor list its sharees.
    assert bob.client.post("/collections/share", json=base).status_code == 404
    assert (
        bob.client.get("/collections/sharees", params={"collectionID": album.id}).status_code == 404
    )


def test_admin_role_and_leave(
    alice: Account, bob: Account, server: RunningServer, smtp_server: SmtpServer
) -> None:
    carol = signup(server.url, smtp_server.mailbox)
    album = create_album(alice)
    photo = upload(alice, album, b"owner's")
    assert share(alice, album, bob, "ADMIN").status_code == 200
    # An admin may share further...
    assert share(bob, album, carol, "VIEWER").status_code == 200
    sharees = alice.client.get("/collections/sharees", params={"collectionID": album.id}).json()
    assert {s["email"] for s in sharees["sharees"]} == {bob.email, carol.email}
    # ...and "remove" the owner's files, which only hides them from everyone else.
    assert (
        bob.client.post(
            "/collections/v3/remove-files", json={"collectionID": album.id, "fileIDs": [photo.id]}
        ).status_code
        == 200
    )
    assert live_ids(alice, album) == {photo.id}
    assert live_ids(carol, album) == set()
    # Carol leaves; the owner cannot.
    assert carol.client.post(f"/collections/leave/{album.id}").status_code == 200
    assert alice.client.post(f"/collections/leave/{album.id}").status_code == 403
    names = alice.client.get("/collections/sharees", params={"collectionID": album.id}).json()
    assert [s["email"] for s in names["sharees"]] == [bob.email]


def test_sharee_magic_metadata_and_copy(alice: Account, bob: Account) -> None:
    album = create_album(alice)
    photo = upload(alice, album, b"to be copied")
    share(alice, album, bob, "VIEWER")
    key, _ = shared_album_key(bob, album.id)
    meta = crypto.encrypt_metadata({"visibility": 2}, key)
    response = bob.client.put(
        "/collections/sharee-magic-metadata",
        json={
            "id": album.id,
            "magicMetadata": {
                "version": 1,
                "count": 1,
                "data": meta["encryptedData"],
                "header": meta["decryptionHeader"],
            },
        },
    )
    assert response.status_code == 200
    _, entry = shared_album_key(bob, album.id)
    assert entry["sharedMagicMetadata"]["version"] == 1

    own = create_album(bob)
    rows = collection_diff(bob.client, album.id)
    file_key = crypto.secretbox_decrypt(rows[0]["encryptedKey"], rows[0]["keyDecryptionNonce"], key)
    box = crypto.secretbox_encrypt(file_key, own.key)
    copied = bob.client.post(
        "/files/copy",
        json={
            "srcCollectionID": album.id,
            "dstCollectionID": own.id,
            "files": [
                {
                    "id": photo.id,
                    "encryptedKey": box.encrypted_data,
                    "keyDecryptionNonce": box.nonce,
                }
            ],
        },
    )
    assert copied.status_code == 200, copied.text
    new_id = copied.json()["oldToNewFileIDMap"][str(photo.id)]
    content = download(bob.client, new_id).content
    assert crypto.decrypt_file(file_key, photo.header, content) == photo.plaintext
    assert bob.client.get("/users/details/v2").json()["usage"] == (
        photo.body["file"]["size"] + photo.body["thumbnail"]["size"]
    )
