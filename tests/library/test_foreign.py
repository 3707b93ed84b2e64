"""Another user's file or collection ids get museum's 4xx on every library endpoint."""

from __future__ import annotations

from typing import Any

from tests.client import crypto
from tests.fixtures.ente import Account
from tests.fixtures.library import collection_diff, create_album, download, upload


def test_foreign_ids_are_refused_everywhere(owner: Account, stranger: Account) -> None:
    album = create_album(owner)
    photo = upload(owner, album, b"private photo")
    mine = create_album(stranger)
    box = crypto.secretbox_encrypt(photo.key, mine.key)
    item = {"id": photo.id, "encryptedKey": box.encrypted_data, "keyDecryptionNonce": box.nonce}
    meta = crypto.encrypt_metadata({"x": 1}, photo.key)
    magic = {
        "version": 1,
        "count": 1,
        "data": meta["encryptedData"],
        "header": meta["decryptionHeader"],
    }
    client = stranger.client
    attempts: list[tuple[str, str, dict[str, Any], set[int]]] = [
        ("GET", f"/collections/{album.id}", {}, {404}),
        ("GET", "/collections/v2/diff", {"params": {"collectionID": album.id}}, {404}),
        (
            "GET",
            "/collections/file",
            {"params": {"collectionID": album.id, "fileID": photo.id}},
            {404},
        ),
        (
            "POST",
            "/collections/add-files",
            {"json": {"collectionID": album.id, "files": [item]}},
            {404},
        ),
        (
            "POST",
            "/collections/add-files",
            {"json": {"collectionID": mine.id, "files": [item]}},
            {403},
        ),
        (
            "POST",
            "/collections/move-files",
            {"json": {"fromCollectionID": album.id, "toCollectionID": mine.id, "files": [item]}},
            {403},
        ),
        (
            "POST",
            "/collections/restore-files",
            {"json": {"collectionID": mine.id, "files": [item]}},
            {400},
        ),
        (
            "POST",
            "/collections/v3/remove-files",
            {"json": {"collectionID": album.id, "fileIDs": [photo.id]}},
            {404},
        ),
        (
            "POST",
            "/collections/rename",
            {
                "json": {
                    "collectionID": album.id,
                    "encryptedName": "AAAA",
                    "nameDecryptionNonce": "AAAA",
                }
            },
            {403},
        ),
        (
            "PUT",
            "/collections/magic-metadata",
            {"json": {"id": album.id, "magicMetadata": magic}},
            {403},
        ),
        (
            "PUT",
            "/collections/public-magic-metadata",
            {"json": {"id": album.id, "magicMetadata": magic}},
            {403},
        ),
        (
            "DELETE",
            f"/collections/v3/{album.id}",
            {"params": {"collectionID": album.id, "keepFiles": "false"}},
            {403},
        ),
        (
            "PUT",
            "/files/magic-metadata",
            {"json": {"metadataList": [{"id": photo.id, "magicMetadata": magic}]}},
            {403},
        ),
        (
            "PUT",
            "/files/public-magic-metadata",
            {"json": {"metadataList": [{"id": photo.id, "magicMetadata": magic}]}},
            {403},
        ),
        (
            "PUT",
            "/files/thumbnail",
            {
                "json": {
                    "fileID": photo.id,
                    "thumbnail": {
                        "objectKey": photo.body["thumbnail"]["objectKey"],
                        "decryptionHeader": "AAAA",
                    },
                }
            },
            {403},
        ),
        (
            "PUT",
            "/files/update",
            {
                "json": {
                    "id": photo.id,
                    "file": photo.body["file"],
                    "thumbnail": photo.body["thumbnail"],
                    "metadata": meta,
                }
            },
            {403},
        ),
        ("POST", "/files/info", {"json": {"fileIDs": [photo.id]}}, {403}),
        (
            "POST",
            "/files/copy",
            {"json": {"srcCollectionID": album.id, "dstCollectionID": mine.id, "files": [item]}},
            {404},
        ),
        (
            "POST",
            "/files/trash",
            {"json": {"items": [{"fileID": photo.id, "collectionID": album.id}]}},
            {403},
        ),
        ("GET", f"/files/download/{photo.id}", {}, {403}),
        ("GET", f"/files/preview/{photo.id}", {}, {403}),
    ]
    for method, path, kwargs, expected in attempts:
        response = client.request(method, path, **kwargs)
        assert response.status_code in expected, (method, path, response.status_code, response.text)
        assert response.json(), (method, path)
    # Deleting or emptying someone else's trash does nothing to theirs.
    assert client.post("/trash/delete", json={"fileIDs": [photo.id]}).status_code == 200
    assert client.post("/files/size", json={"fileIDs": [photo.id]}).json() == {"size": 0}
    # And the owner's library is untouched.
    assert [r["id"] for r in collection_diff(owner.client, album.id)] == [photo.id]
    assert download(owner.client, photo.id).status_code == 200


def test_unknown_ids_are_404(owner: Account) -> None:
    assert owner.client.get("/collections/999999999").status_code == 404
    assert (
        owner.client.get(
            "/files/download/999999999", params={"token": owner.client.token}
        ).status_code
        == 404
    )
    assert (
        owner.client.get("/collections/v2/diff", params={"collectionID": "abc"}).status_code == 400
    )


def test_token_in_query_for_downloads(owner: Account) -> None:
    album = create_album(owner)
    photo = upload(owner, album, b"x")
    response = owner.client.http.get(
        f"/files/download/{photo.id}", params={"token": owner.client.token}
    )
    assert response.status_code == 307
    assert "cache-control" not in response.headers
