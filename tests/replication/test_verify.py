"""Verification finds corrupt and missing copies, the uploaded one included, and repairs them;
downloads fall back to a replica when the uploaded copy is gone."""

from __future__ import annotations

import os

from photo_api.replication import service, verification
from tests.client import crypto
from tests.fixtures.app_server import RunningServer
from tests.fixtures.ente import Account, signup
from tests.fixtures.library import decrypt_download
from tests.fixtures.net import http
from tests.fixtures.s3_server import S3Server
from tests.fixtures.smtp import SmtpServer
from tests.replication.conftest import (
    committed,
    copies,
    db_of,
    sha256,
    stored_bytes,
    stores_of,
    upload_files,
)


def corrupt(server: RunningServer, key: str) -> None:
    """Flip one byte of the local copy in place, as a failing disk would (same size)."""
    path = server.settings.data_dir / "objects" / key
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF
    with path.open("r+b") as handle:
        handle.write(data)


def test_corrupt_local_copy_is_found_and_repaired(tiered: RunningServer, owner: Account) -> None:
    """With S3 hot the local copy is the replica; with local hot it is the uploaded copy."""
    uploaded = upload_files(owner, 3)
    db, stores = db_of(tiered), stores_of(tiered)
    assert service.replicate(db, stores)["copied"] == 6
    key = uploaded[1].body["file"]["objectKey"]
    good = stored_bytes(tiered, "local", key)
    corrupt(tiered, key)
    assert stored_bytes(tiered, "local", key) != good

    report = verification.verify(db, stores, repair=False)
    assert (report["verified"], report["bad"]) == (11, 1), report
    row = copies(tiered)[(key, "local")]
    assert row.state == "bad" and "not the reference" in (row.last_error or "")
    assert stored_bytes(tiered, "local", key) != good

    repaired = verification.verify(db, stores)
    # Only the bad copy is left to look at: the others were verified a moment ago.
    assert repaired["repaired"] == 1 and repaired["bad"] == 0, repaired
    assert stored_bytes(tiered, "local", key) == good
    row = copies(tiered)[(key, "local")]
    assert row.state == "ok" and row.sha256 == sha256(good) == committed(tiered)[key].sha256
    assert row.copy_count == (1 if tiered.hot == "local" else 2)
    # The repaired file decrypts again.
    assert decrypt_download(owner.client, uploaded[1]) == uploaded[1].plaintext


def test_download_falls_back_to_the_replica(
    local_hot: RunningServer, smtp_server: SmtpServer
) -> None:
    tiered = local_hot
    owner = signup(tiered.url, smtp_server.mailbox)
    (uploaded,) = upload_files(owner, 1, size=100_000)
    key = uploaded.body["file"]["objectKey"]
    assert service.replicate(db_of(tiered), stores_of(tiered))["copied"] == 2
    os.unlink(tiered.settings.data_dir / "objects" / key)

    redirect = owner.client.http.get(
        f"/files/download/{uploaded.id}", params={"token": owner.client.token}
    )
    assert redirect.status_code == 307
    location = redirect.headers["location"]
    s3 = stores_of(tiered).get("s3")
    assert location.startswith(s3._public.meta.endpoint_url)  # type: ignore[union-attr]
    fetched = http.get(location, timeout=30)
    assert fetched.status_code == 200
    assert crypto.decrypt_file(uploaded.key, uploaded.header, fetched.content) == uploaded.plaintext
    # The thumbnail is still served from the uploaded copy.
    thumb = owner.client.http.get(
        f"/files/preview/{uploaded.id}", params={"token": owner.client.token}
    )
    assert thumb.status_code == 307 and thumb.headers["location"].startswith(tiered.url)


def test_download_without_replica_keeps_the_uploaded_url(
    tiered: RunningServer, owner: Account, s3: S3Server
) -> None:
    """Nothing replicated yet: the URL is the uploaded copy's, as before replication."""
    (uploaded,) = upload_files(owner, 1)
    assert decrypt_download(owner.client, uploaded) == uploaded.plaintext
