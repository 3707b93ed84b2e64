"""Quota: museum's 426 when an upload would not fit, 402 without an active plan."""

from __future__ import annotations

import os

import pytest

from tests.client import crypto
from tests.fixtures.app_server import RunningServer
from tests.fixtures.ente import Account, signup
from tests.fixtures.library import create_album, encrypted_upload, md5_b64
from tests.fixtures.net import http
from tests.fixtures.smtp import SmtpServer

MiB = 1024 * 1024


@pytest.fixture
def no_quota_user(server: RunningServer, smtp_server: SmtpServer) -> Account:
    server.settings.default_quota_bytes = 0
    try:
        return signup(server.url, smtp_server.mailbox)
    finally:
        server.settings.default_quota_bytes = 10 * 1024**3


def test_upload_url_beyond_quota_is_426(no_quota_user: Account) -> None:
    client = no_quota_user.client
    fits = client.post(
        "/files/upload-url", json={"contentLength": 50 * MiB, "contentMD5": md5_b64(b"")}
    )
    assert fits.status_code == 200  # museum's 50 MiB of slack
    over = client.post(
        "/files/upload-url", json={"contentLength": 50 * MiB + 1, "contentMD5": md5_b64(b"")}
    )
    assert over.status_code == 426


def test_commit_beyond_quota_is_426_and_stores_nothing(no_quota_user: Account) -> None:
    client = no_quota_user.client
    album = create_album(no_quota_user)
    data = os.urandom(51 * MiB)
    file_key, header, ciphertext = crypto.encrypt_file(data)
    # The legacy URLs carry no size, so the commit is where the quota bites.
    url = client.get("/files/upload-urls", params={"count": 1}).json()["urls"][0]
    assert http.put(url["url"], content=ciphertext, timeout=120).status_code == 200
    body, _ = encrypted_upload(no_quota_user, album, b"thumb only")
    body["file"] = {
        "objectKey": url["objectKey"],
        "decryptionHeader": crypto.b64(header),
        "size": len(ciphertext),
    }
    response = client.post("/files", json=body)
    assert response.status_code == 426
    details = client.get("/users/details/v2").json()
    assert details["usage"] == 0 and details["fileCount"] == 0
    diff = client.get("/collections/v2/diff", params={"collectionID": album.id}).json()
    assert diff["diff"] == []
    del file_key


def test_expired_plan_is_402(server: RunningServer, smtp_server: SmtpServer) -> None:
    account = signup(server.url, smtp_server.mailbox)
    with server.app.state.db.session() as session:
        from photo_api.users import repo

        sub = repo.subscription(session, account.client.user_id)
        sub.expiry_time = 1
        session.commit()
    assert account.client.get("/files/upload-eligibility").status_code == 402
    assert (
        account.client.post(
            "/files/upload-url", json={"contentLength": 10, "contentMD5": md5_b64(b"")}
        ).status_code
        == 402
    )
