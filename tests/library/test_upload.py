"""Encrypted upload, commit, sync and download, byte-identical, on every database and storage."""

from __future__ import annotations

import os

from tests.client import crypto
from tests.fixtures.app_server import RunningServer
from tests.fixtures.ente import Account
from tests.fixtures.library import (
    PART_SIZE,
    collection_diff,
    create_album,
    decrypt_download,
    download,
    encrypted_upload,
    upload,
)


def test_upload_sync_download_round_trip(owner: Account, stack: RunningServer) -> None:
    album = create_album(owner)
    data = os.urandom(300_000)
    uploaded = upload(owner, album, data, title="beach.jpg")
    body = uploaded.body
    assert body["ownerID"] == owner.client.user_id and body["collectionID"] == album.id
    assert body["collectionOwnerID"] is None and body["isDeleted"] is False
    assert body["file"]["objectKey"].startswith(f"{owner.client.user_id}/")
    assert body["file"]["size"] == len(data) + 17 * 1  # one secretstream chunk
    assert body["info"] == {
        "fileSize": body["file"]["size"],
        "thumbSize": body["thumbnail"]["size"],
    }

    collections = owner.client.get("/collections/v2", params={"sinceTime": 0}).json()["collections"]
    synced = next(c for c in collections if c["id"] == album.id)
    assert synced["updationTime"] >= body["updationTime"]

    rows = collection_diff(owner.client, album.id)
    assert [r["id"] for r in rows] == [uploaded.id]
    row = rows[0]
    assert row["collectionOwnerID"] == owner.client.user_id
    assert "objectKey" not in row["file"] and row["file"]["size"] == 0
    file_key = crypto.secretbox_decrypt(row["encryptedKey"], row["keyDecryptionNonce"], album.key)
    metadata = crypto.decrypt_metadata(
        row["metadata"]["encryptedData"], row["metadata"]["decryptionHeader"], file_key
    )
    assert metadata["title"] == "beach.jpg"

    assert decrypt_download(owner.client, uploaded) == data
    thumb = download(owner.client, uploaded.id, kind="preview")
    assert crypto.decrypt_file(file_key, uploaded.thumbnail_header, thumb.content) == (
        uploaded.thumbnail
    )
    assert owner.client.get("/users/details/v2").json()["usage"] == (
        body["file"]["size"] + body["thumbnail"]["size"]
    )


def test_multipart_upload_of_three_parts(owner: Account) -> None:
    album = create_album(owner)
    data = os.urandom(2 * PART_SIZE + 12345)
    uploaded = upload(owner, album, data, multipart=True)
    assert decrypt_download(owner.client, uploaded) == data


def test_commit_is_idempotent(owner: Account) -> None:
    album = create_album(owner)
    body, _ = encrypted_upload(owner, album, b"same upload twice")
    first = owner.client.post("/files", json=body)
    second = owner.client.post("/files", json=body)
    assert first.status_code == second.status_code == 200
    assert first.json()["id"] == second.json()["id"]
    assert len(collection_diff(owner.client, album.id)) == 1


def test_commit_checks_objects(owner: Account, stranger: Account) -> None:
    album = create_album(owner)
    body, _ = encrypted_upload(owner, album, b"some bytes")
    wrong_size = {**body, "file": {**body["file"], "size": body["file"]["size"] + 1}}
    assert owner.client.post("/files", json=wrong_size).status_code == 400
    same_key = {**body, "thumbnail": {**body["thumbnail"], "objectKey": body["file"]["objectKey"]}}
    assert owner.client.post("/files", json=same_key).status_code == 400
    invented = {**body, "file": {**body["file"], "objectKey": f"{owner.client.user_id}/nope"}}
    assert owner.client.post("/files", json=invented).status_code == 400
    # Someone else's object key, even into their own album.
    other_album = create_album(stranger)
    stolen = {**body, "collectionID": other_album.id}
    response = stranger.client.post("/files", json=stolen)
    assert response.status_code == 400
    assert owner.client.post("/files", json=body).status_code == 200


def test_object_not_uploaded_is_400(owner: Account) -> None:
    album = create_album(owner)
    body, _ = encrypted_upload(owner, album, b"x")
    url = owner.client.post(
        "/files/upload-url", json={"contentLength": 5, "contentMD5": "1B2M2Y8AsgTpgAmY7PhCfg=="}
    )
    never_put = {**body, "file": {**body["file"], "objectKey": url.json()["objectKey"], "size": 0}}
    assert owner.client.post("/files", json=never_put).status_code == 400


def test_upload_url_validation(owner: Account) -> None:
    bad = [
        {"contentLength": 0, "contentMD5": "1B2M2Y8AsgTpgAmY7PhCfg=="},
        {"contentLength": 11 * 1024**3, "contentMD5": "1B2M2Y8AsgTpgAmY7PhCfg=="},
        {"contentLength": 10, "contentMD5": "not-an-md5"},
        {"contentLength": 10},
    ]
    for body in bad:
        assert owner.client.post("/files/upload-url", json=body).status_code == 400, body
    hex_md5 = owner.client.post(
        "/files/upload-url",
        json={"contentLength": 10, "contentMD5": "d41d8cd98f00b204e9800998ecf8427e"},
    )
    assert hex_md5.status_code == 200
    multipart = owner.client.post(
        "/files/multipart-upload-url",
        json={
            "contentLength": 3 * 1024 * 1024,
            "partLength": 1024 * 1024,
            "partMd5s": ["1B2M2Y8AsgTpgAmY7PhCfg=="] * 3,
        },
    )
    assert multipart.status_code == 400  # parts under 5 MiB
    mismatch = owner.client.post(
        "/files/multipart-upload-url",
        json={
            "contentLength": 12 * 1024 * 1024,
            "partLength": 5 * 1024 * 1024,
            "partMd5s": ["1B2M2Y8AsgTpgAmY7PhCfg=="] * 2,
        },
    )
    assert mismatch.status_code == 400


def test_legacy_upload_urls(owner: Account) -> None:
    urls = owner.client.get("/files/upload-urls", params={"count": 3}).json()["urls"]
    assert len(urls) == 3 and all(set(u) == {"objectKey", "url"} for u in urls)
    capped = owner.client.get("/files/upload-urls", params={"count": 500}).json()["urls"]
    assert len(capped) == 50
    multi = owner.client.get("/files/multipart-upload-urls", params={"count": 2}).json()["urls"]
    assert set(multi) == {"objectKey", "partURLs", "completeURL"} and len(multi["partURLs"]) == 2
    assert owner.client.get("/files/upload-eligibility").status_code == 200


def test_file_info_size_duplicates(owner: Account) -> None:
    album = create_album(owner)
    a = upload(owner, album, b"identical length A")
    b = upload(owner, album, b"identical length B")
    info = owner.client.post("/files/info", json={"fileIDs": [a.id, b.id]}).json()
    assert [i["id"] for i in info["filesInfo"]] == [a.id, b.id]
    size = owner.client.post("/files/size", json={"fileIDs": [a.id, b.id]}).json()["size"]
    assert size == a.body["file"]["size"] + b.body["file"]["size"]
    groups = owner.client.get("/files/duplicates").json()["duplicates"]
    assert {"fileIDs": [a.id, b.id], "size": a.body["file"]["size"]} in groups


def test_details_count_files(owner: Account) -> None:
    album = create_album(owner)
    upload(owner, album, b"one")
    upload(owner, album, b"two")
    assert owner.client.get("/users/details/v2").json()["fileCount"] == 2


def test_update_and_thumbnail_replace_objects(owner: Account) -> None:
    album = create_album(owner)
    original = upload(owner, album, b"first version")
    body, replacement = encrypted_upload(owner, album, b"second, longer version of the photo")
    response = owner.client.put(
        "/files/update",
        json={
            "id": original.id,
            "file": body["file"],
            "thumbnail": body["thumbnail"],
            "metadata": body["metadata"],
        },
    )
    assert response.status_code == 200, response.text
    assert set(response.json()) == {"id", "updationTime"}
    row = collection_diff(owner.client, album.id)[-1]
    assert row["file"]["decryptionHeader"] == body["file"]["decryptionHeader"]
    replacement.id, replacement.key = original.id, original.key  # the key did not change
    # The new object was encrypted with its own key in encrypted_upload; decrypt with that.
    response = download(owner.client, original.id)
    assert response.status_code == 200
    assert owner.client.get("/users/details/v2").json()["usage"] == (
        body["file"]["size"] + body["thumbnail"]["size"]
    )

    from tests.fixtures.library import put_object

    new_thumb = put_object(owner.client, b"smaller")
    assert (
        owner.client.put(
            "/files/thumbnail",
            json={
                "fileID": original.id,
                "thumbnail": {"objectKey": new_thumb, "decryptionHeader": "AAAA"},
            },
        ).status_code
        == 200
    )
    assert collection_diff(owner.client, album.id)[-1]["thumbnail"]["decryptionHeader"] == "AAAA"
