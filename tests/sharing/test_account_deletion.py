"""Deleting an account really removes its library, including what others could see."""

from __future__ import annotations

from photo_api.clock import now_us
from photo_api.jobs import object_cleanup
from tests.client import crypto
from tests.fixtures.app_server import RunningServer
from tests.fixtures.ente import Account
from tests.fixtures.library import create_album, upload
from tests.library.test_collections import live_ids
from tests.sharing.test_sharing import share


def delete_account(account: Account) -> None:
    challenge = account.client.get("/users/delete-challenge").json()
    keys = account.client.keys
    assert keys is not None
    text = crypto.open_sealed(
        challenge["encryptedChallenge"], keys.public_key, keys.secret_key
    ).decode()
    response = account.client.request("DELETE", "/users/delete", json={"challenge": text})
    assert response.status_code == 200, response.text


def test_deleted_account_leaves_nothing_behind(
    alice: Account, bob: Account, server: RunningServer
) -> None:
    album = create_album(alice)
    photo = upload(alice, album, b"alice's")
    share(alice, album, bob, "COLLABORATOR")
    bobs_album = create_album(bob)
    bobs = upload(bob, bobs_album, b"bob's")
    key = crypto.open_sealed(
        next(
            c
            for c in bob.client.get("/collections/v2").json()["collections"]
            if c["id"] == album.id
        )["encryptedKey"],
        bob.client.keys.public_key,
        bob.client.keys.secret_key,
    )
    box = crypto.secretbox_encrypt(bobs.key, key)
    bob.client.post(
        "/collections/add-files",
        json={
            "collectionID": album.id,
            "files": [
                {"id": bobs.id, "encryptedKey": box.encrypted_data, "keyDecryptionNonce": box.nonce}
            ],
        },
    )
    assert live_ids(alice, album) == {photo.id, bobs.id}

    delete_account(bob)
    # Bob's file is gone from Alice's album; Alice's own data is untouched.
    assert live_ids(alice, album) == {photo.id}
    assert (
        alice.client.get("/collections/sharees", params={"collectionID": album.id}).json()[
            "sharees"
        ]
        == []
    )

    delete_account(alice)
    keys = [photo.body["file"]["objectKey"], photo.body["thumbnail"]["objectKey"]]
    stores = server.app.state.stores
    delay = server.settings.object_deletion_delay_seconds * 1_000_000
    object_cleanup.run(server.app.state.db, stores, now=now_us() + delay + 1)
    assert all(stores.hot.head(k) is None for k in keys)
