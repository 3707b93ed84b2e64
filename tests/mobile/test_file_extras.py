"""museum's smaller file and account routes: meta files, large thumbnails, the file counter,
the deletion summary, removing a remote-store key."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from photo_api.db.base import FIRST_ID
from tests.client import crypto
from tests.fixtures.app_server import RunningServer, start_server
from tests.fixtures.databases import DATABASES, database_url
from tests.fixtures.ente import Account, signup
from tests.fixtures.library import Album, collection_diff, create_album, download, upload
from tests.fixtures.smtp import SmtpServer
from tests.mobile.conftest import LOCKER_PACKAGE, login_with_code


def meta_body(album: Album, **extra: Any) -> dict[str, Any]:
    """What the Locker app posts for a note: a key and encrypted metadata, no objects."""
    file_key = crypto.new_key()
    box = crypto.secretbox_encrypt(file_key, album.key)
    return {
        "collectionID": album.id,
        "encryptedKey": box.encrypted_data,
        "keyDecryptionNonce": box.nonce,
        "metadata": crypto.encrypt_metadata({"title": "passport number"}, file_key),
        **extra,
    }


@pytest.fixture
def locker(server: RunningServer, smtp_server: SmtpServer, account: Account) -> Account:
    """The same account, signed in to the Locker app."""
    return replace(
        account, client=login_with_code(server, smtp_server, account, package=LOCKER_PACKAGE)
    )


def test_locker_meta_file(server: RunningServer, account: Account, locker: Account) -> None:
    folder = create_album(locker, name="Documents", type_="folder")
    body = meta_body(folder)
    response = locker.client.post("/files/meta", json=body)
    assert response.status_code == 200, response.text
    created = response.json()
    # What the Locker app reads back.
    assert created["ownerID"] == account.client.user_id and created["id"] > 0
    assert created["updationTime"] > 0 and created["collectionID"] == folder.id
    assert created["metadata"]["encryptedData"] == body["metadata"]["encryptedData"]
    assert created["isDeleted"] is False and "info" not in created

    rows = collection_diff(locker.client, folder.id)
    assert [row["id"] for row in rows] == [created["id"]]
    assert rows[0]["encryptedKey"] == body["encryptedKey"]
    # It has no object to download, and photos never see it.
    assert download(locker.client, created["id"]).status_code == 404
    photos_count = account.client.get("/users/deletion-summary").json()
    assert photos_count == {
        "photosAndVideosCount": 0,
        "authenticatorCodesCount": 0,
        "lockerRecordsCount": 1,
    }


def test_meta_files_are_for_locker_only(
    server: RunningServer, smtp_server: SmtpServer, account: Account, locker: Account
) -> None:
    album = create_album(account)
    folder = create_album(locker, type_="folder")
    # museum answers these two with a 500.
    for client, collection in ((account.client, folder), (locker.client, album)):
        refused = client.post("/files/meta", json=meta_body(collection))
        assert refused.status_code == 400, refused.text
        assert "Locker" in refused.json()["message"]

    assert locker.client.post("/files/meta", json=meta_body(folder, id=5)).status_code == 400
    missing = locker.client.post("/files/meta", json={**meta_body(folder), "collectionID": 1})
    assert missing.status_code == 404
    other = signup(server.url, smtp_server.mailbox, package=LOCKER_PACKAGE)
    theirs = other.client.post("/files/meta", json=meta_body(folder))
    assert theirs.status_code == 403
    no_header = meta_body(folder)
    no_header["metadata"]["decryptionHeader"] = ""
    assert locker.client.post("/files/meta", json=no_header).status_code == 400
    deleted = locker.client.delete(
        f"/collections/v3/{folder.id}", params={"collectionID": folder.id, "keepFiles": "false"}
    )
    assert deleted.status_code == 200, deleted.text
    gone = locker.client.post("/files/meta", json=meta_body(folder))
    assert (gone.status_code, gone.json()["code"]) == (404, "COLLECTION_DELETED")


def test_large_thumbnails(server: RunningServer, account: Account) -> None:
    album = create_album(account)
    small = upload(account, album, b"s")
    big = upload(account, album, b"b" * 64)
    threshold = big.body["thumbnail"]["size"]
    assert small.body["thumbnail"]["size"] < threshold

    def large(**params: Any) -> Any:
        response = account.client.get("/files/large-thumbnails", params=params)
        assert response.status_code == 200, response.text
        return response.json()

    assert large(threshold=threshold) == {"largeThumbnailFiles": [big.id]}
    assert large() == {"largeThumbnailFiles": [small.id, big.id]}
    assert large(threshold=threshold + 1) == {"largeThumbnailFiles": []}
    # Trashed files count until they are deleted for good.
    trashed = account.client.post(
        "/files/trash", json={"items": [{"fileID": big.id, "collectionID": album.id}]}
    )
    assert trashed.status_code == 200, trashed.text
    assert large(threshold=threshold) == {"largeThumbnailFiles": [big.id]}
    assert account.client.post("/trash/delete", json={"fileIDs": [big.id]}).status_code == 200
    assert large(threshold=threshold) == {"largeThumbnailFiles": []}
    bad = account.client.get("/files/large-thumbnails", params={"threshold": "big"})
    assert bad.status_code == 400


def test_deletion_summary_counts_files_in_own_albums(
    server: RunningServer, smtp_server: SmtpServer, account: Account
) -> None:
    album = create_album(account)
    upload(account, album, b"one")
    upload(account, create_album(account, name="Other"), b"two")
    gone = upload(account, album, b"three")
    trashed = account.client.post(
        "/files/trash", json={"items": [{"fileID": gone.id, "collectionID": album.id}]}
    )
    assert trashed.status_code == 200, trashed.text
    summary = account.client.get("/users/deletion-summary")
    assert summary.status_code == 200, summary.text
    assert summary.json() == {
        "photosAndVideosCount": 2,
        "authenticatorCodesCount": 0,
        "lockerRecordsCount": 0,
    }


def test_remove_remote_store_key(account: Account) -> None:
    client = account.client
    assert (
        client.post(
            "/remote-store/update", json={"key": "customDomain", "value": "photos.example.org"}
        ).status_code
        == 200
    )
    assert client.get("/remote-store/feature-flags").json()["customDomain"] == "photos.example.org"
    removed = client.delete("/remote-store/customDomain")
    assert (removed.status_code, removed.content) == (200, b"")
    assert "customDomain" not in client.get("/remote-store/feature-flags").json()
    # Removing what is not there is not an error.
    assert client.delete("/remote-store/customDomain").status_code == 200

    flag = client.delete("/remote-store/mapEnabled")
    assert (flag.status_code, flag.json()) == (
        400,
        {"code": "BAD_REQUEST", "message": "key mapEnabled is not removable"},
    )
    unknown = client.delete("/remote-store/colour")
    assert (unknown.status_code, unknown.json()) == (
        400,
        {"code": "BAD_REQUEST", "message": "key colour is not allowed"},
    )


@pytest.mark.parametrize("db", DATABASES)
def test_file_counter_on_a_new_server(
    db: str, request: pytest.FixtureRequest, tmp_path: Path, smtp_server: SmtpServer
) -> None:
    fresh = start_server(
        database_url=database_url(db, request, tmp_path),
        data_dir=tmp_path,
        s3=None,
        smtp=smtp_server,
    )
    try:
        # Public, and 0 where museum answers a 500 for want of any file.
        assert fresh.client.get("/files/count").json() == {"count": 0}
        owner = signup(fresh.url, smtp_server.mailbox)
        album = create_album(owner)
        first = upload(owner, album, b"first")
        assert first.id == FIRST_ID
        upload(owner, album, b"second")
        assert fresh.client.get("/files/count").json() == {"count": 2}
    finally:
        fresh.stop()
