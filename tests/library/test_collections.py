"""Albums: create, list, add, move, remove, rename, magic metadata, delete, diff pages."""

from __future__ import annotations

import pytest

from tests.client import crypto
from tests.fixtures.app_server import RunningServer
from tests.fixtures.ente import Account
from tests.fixtures.library import Album, collection_diff, create_album, upload

COLLECTION_FIELDS = {
    "id",
    "owner",
    "encryptedKey",
    "keyDecryptionNonce",
    "name",
    "encryptedName",
    "nameDecryptionNonce",
    "type",
    "attributes",
    "sharees",
    "publicURLs",
    "updationTime",
    "app",
}


def items(album: Album, files) -> list[dict]:
    out = []
    for uploaded in files:
        box = crypto.secretbox_encrypt(uploaded.key, album.key)
        out.append(
            {"id": uploaded.id, "encryptedKey": box.encrypted_data, "keyDecryptionNonce": box.nonce}
        )
    return out


def updation_time(owner: Account, collection_id: int) -> int:
    body = owner.client.get(f"/collections/{collection_id}").json()["collection"]
    return int(body["updationTime"])


def live_ids(owner: Account, album: Album) -> set[int]:
    rows = collection_diff(owner.client, album.id)
    latest: dict[int, dict] = {}
    for row in rows:
        latest[row["id"]] = row
    return {i for i, row in latest.items() if not row["isDeleted"]}


def test_create_and_list(owner: Account) -> None:
    album = create_album(owner, name="Summer")
    assert set(album.body) == COLLECTION_FIELDS
    assert album.body["owner"]["id"] == owner.client.user_id and album.body["type"] == "album"
    listed = owner.client.get("/collections/v2").json()["collections"]
    mine = next(c for c in listed if c["id"] == album.id)
    name = crypto.secretbox_decrypt(mine["encryptedName"], mine["nameDecryptionNonce"], album.key)
    assert name == b"Summer"
    later = owner.client.get("/collections/v2", params={"sinceTime": mine["updationTime"]}).json()[
        "collections"
    ]
    assert album.id not in [c["id"] for c in later]
    v3 = owner.client.get("/collections/v3").json()
    assert album.id in [c["id"] for c in v3["owned"]] and v3["shared"] == []


def test_favorites_is_unique(owner: Account) -> None:
    first = create_album(owner, type_="favorites")
    again = create_album(owner, type_="favorites")
    assert first.id == again.id


def test_create_validation(owner: Account) -> None:
    album = create_album(owner)
    bad_key = {
        **{k: album.body[k] for k in ("encryptedKey", "keyDecryptionNonce")},
        "type": "album",
        "encryptedKey": "AAAA",
    }
    assert owner.client.post("/collections", json=bad_key).status_code == 400
    bad_type = {k: album.body[k] for k in ("encryptedKey", "keyDecryptionNonce")} | {"type": "x"}
    assert owner.client.post("/collections", json=bad_type).status_code == 400


def test_add_move_remove_rename_delete(owner: Account) -> None:
    first, second = create_album(owner, name="First"), create_album(owner, name="Second")
    a, b = upload(owner, first, b"a" * 100), upload(owner, first, b"b" * 100)
    before = updation_time(owner, second.id)
    assert (
        owner.client.post(
            "/collections/add-files", json={"collectionID": second.id, "files": items(second, [a])}
        ).status_code
        == 200
    )
    assert updation_time(owner, second.id) > before
    assert live_ids(owner, second) == {a.id}

    before_first = updation_time(owner, first.id)
    assert (
        owner.client.post(
            "/collections/move-files",
            json={
                "fromCollectionID": first.id,
                "toCollectionID": second.id,
                "files": items(second, [b]),
            },
        ).status_code
        == 200
    )
    assert live_ids(owner, first) == {a.id} and live_ids(owner, second) == {a.id, b.id}
    assert updation_time(owner, first.id) > before_first
    removed = [r for r in collection_diff(owner.client, first.id) if r["id"] == b.id]
    assert removed[-1]["isDeleted"] is True

    # Owners move their own files; remove-files is for others' files.
    own_remove = owner.client.post(
        "/collections/v3/remove-files", json={"collectionID": second.id, "fileIDs": [a.id]}
    )
    assert own_remove.status_code == 400

    name = crypto.secretbox_encrypt(b"Renamed", second.key)
    assert (
        owner.client.post(
            "/collections/rename",
            json={
                "collectionID": second.id,
                "encryptedName": name.encrypted_data,
                "nameDecryptionNonce": name.nonce,
            },
        ).status_code
        == 200
    )
    body = owner.client.get(f"/collections/{second.id}").json()["collection"]
    assert (
        crypto.secretbox_decrypt(body["encryptedName"], body["nameDecryptionNonce"], second.key)
        == b"Renamed"
    )

    not_empty = owner.client.delete(
        f"/collections/v3/{second.id}", params={"collectionID": second.id, "keepFiles": "true"}
    )
    assert not_empty.status_code == 409 and not_empty.json()["code"] == "COLLECTION_NOT_EMPTY"
    assert (
        owner.client.delete(
            f"/collections/v3/{second.id}", params={"collectionID": second.id, "keepFiles": "false"}
        ).status_code
        == 200
    )
    gone = owner.client.get(f"/collections/{second.id}").json()["collection"]
    assert gone["isDeleted"] is True
    # "Delete album and photos": its files go to the trash, out of every other album too.
    trash = owner.client.get("/trash/v2/diff").json()["diff"]
    assert {t["file"]["id"] for t in trash} == {a.id, b.id}
    assert live_ids(owner, first) == set()
    assert (
        owner.client.get(
            "/collections/v2/diff", params={"collectionID": second.id, "sinceTime": 0}
        ).status_code
        == 404
    )


def test_uncategorized_cannot_be_deleted(owner: Account) -> None:
    album = create_album(owner, type_="uncategorized")
    response = owner.client.delete(
        f"/collections/v3/{album.id}", params={"collectionID": album.id, "keepFiles": "true"}
    )
    assert response.status_code == 400


def test_delete_needs_keep_files(owner: Account) -> None:
    album = create_album(owner)
    response = owner.client.delete(f"/collections/v3/{album.id}")
    assert response.status_code == 400


def test_magic_metadata(owner: Account) -> None:
    album = create_album(owner)
    box = crypto.encrypt_metadata({"visibility": 2}, album.key)
    for path in ("/collections/magic-metadata", "/collections/public-magic-metadata"):
        response = owner.client.put(
            path,
            json={
                "id": album.id,
                "magicMetadata": {
                    "version": 1,
                    "count": 1,
                    "data": box["encryptedData"],
                    "header": box["decryptionHeader"],
                },
            },
        )
        assert response.status_code == 200, response.text
    body = owner.client.get(f"/collections/{album.id}").json()["collection"]
    assert body["magicMetadata"]["version"] == 2 and body["pubMagicMetadata"]["version"] == 2


def test_file_magic_metadata_versions(owner: Account) -> None:
    album = create_album(owner)
    uploaded = upload(owner, album, b"photo")
    box = crypto.encrypt_metadata({"visibility": 2}, uploaded.key)
    meta = {"count": 1, "data": box["encryptedData"], "header": box["decryptionHeader"]}
    before = updation_time(owner, album.id)
    first = owner.client.put(
        "/files/magic-metadata",
        json={"metadataList": [{"id": uploaded.id, "magicMetadata": {**meta, "version": 1}}]},
    )
    assert first.status_code == 200
    assert updation_time(owner, album.id) > before
    stale = owner.client.put(
        "/files/magic-metadata",
        json={"metadataList": [{"id": uploaded.id, "magicMetadata": {**meta, "version": 1}}]},
    )
    assert stale.status_code == 409
    assert (
        owner.client.put(
            "/files/magic-metadata",
            json={"metadataList": [{"id": uploaded.id, "magicMetadata": {**meta, "version": 2}}]},
        ).status_code
        == 200
    )
    row = collection_diff(owner.client, album.id)[-1]
    assert row["magicMetadata"]["version"] == 3
    pub = owner.client.put(
        "/files/public-magic-metadata",
        json={"metadataList": [{"id": uploaded.id, "magicMetadata": {**meta, "version": 1}}]},
    )
    assert pub.status_code == 200
    assert collection_diff(owner.client, album.id)[-1]["pubMagicMetadata"]["version"] == 2


def test_get_file_in_collection(owner: Account) -> None:
    album = create_album(owner)
    uploaded = upload(owner, album, b"x")
    found = owner.client.get(
        "/collections/file", params={"collectionID": album.id, "fileID": uploaded.id}
    )
    assert found.json()["file"]["id"] == uploaded.id
    other = create_album(owner)
    missing = owner.client.get(
        "/collections/file", params={"collectionID": other.id, "fileID": uploaded.id}
    )
    assert missing.status_code == 404 and missing.json()["code"] == "FILE_NOT_FOUND_IN_ALBUM"


@pytest.mark.parametrize("size", [3])
def test_diff_pages_never_split_a_timestamp(
    owner: Account, stack: RunningServer, monkeypatch: pytest.MonkeyPatch, size: int
) -> None:
    from photo_api.collections import service

    album = create_album(owner)
    files = [upload(owner, album, bytes([i]) * 10) for i in range(5)]
    other = create_album(owner)
    # One add of all five: five memberships sharing one timestamp.
    owner.client.post(
        "/collections/add-files", json={"collectionID": other.id, "files": items(other, files)}
    )
    monkeypatch.setattr(service, "DIFF_LIMIT", size)
    first = owner.client.get(
        "/collections/v2/diff", params={"collectionID": other.id, "sinceTime": 0}
    ).json()
    assert first["hasMore"] is True and len(first["diff"]) == 5
    assert len({row["updationTime"] for row in first["diff"]}) == 1
    assert len(collection_diff(owner.client, other.id)) == 5
    mixed = owner.client.get(
        "/collections/v2/diff", params={"collectionID": album.id, "sinceTime": 0}
    ).json()
    assert len(mixed["diff"]) <= size and mixed["hasMore"] is True
    assert len(collection_diff(owner.client, album.id)) == 5
