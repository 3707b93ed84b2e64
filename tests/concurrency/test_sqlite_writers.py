"""200 write requests at once on SQLite: every one answered, none a 500, none hanging."""

from __future__ import annotations

import base64
import hashlib
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.client import crypto
from tests.concurrency.conftest import CLIENT_TIMEOUT_SECONDS, at_once
from tests.fixtures import processes
from tests.fixtures.ente import signup
from tests.fixtures.smtp import SmtpServer

WRITERS = 200
WAIT_SECONDS = 10


@pytest.mark.slow
def test_two_hundred_concurrent_writes_on_sqlite(smtp_server: SmtpServer, tmp_path: Path) -> None:
    config = processes.write_config(
        tmp_path / "photo-api.yaml",
        data_dir=str(tmp_path),
        smtp=smtp_server.settings,
        overload_wait_seconds=WAIT_SECONDS,
    )
    log = tmp_path / "server.log"
    with processes.serving(config, log=log) as (url,):
        owner = signup(url, smtp_server.mailbox)
        assert owner.client.keys is not None and owner.client.token is not None
        token = {"X-Auth-Token": owner.client.token}
        data = b"x" * 1000
        md5 = base64.b64encode(hashlib.md5(data).digest()).decode()

        def upload_url(client: httpx.AsyncClient) -> Any:
            return client.post(
                "/files/upload-url",
                json={"contentLength": len(data), "contentMD5": md5},
                headers=token,
            )

        def new_album(client: httpx.AsyncClient) -> Any:
            assert owner.client.keys is not None
            key = crypto.new_key()
            name = crypto.secretbox_encrypt(b"album", key)
            body = {
                **crypto.wrap_key(key, owner.client.keys.master_key),
                "encryptedName": name.encrypted_data,
                "nameDecryptionNonce": name.nonce,
                "type": "album",
            }
            return client.post("/collections", json=body, headers=token)

        calls = [(url, upload_url if i % 2 else new_album) for i in range(WRITERS)]
        outcome = at_once(calls)

    assert outcome.timeouts == 0
    assert len(outcome.statuses) == WRITERS
    assert set(outcome.statuses) <= {200, 503}, sorted(set(outcome.statuses))
    # Refusals for overload say when to come back, and come after the documented wait at most.
    assert all(
        after == "1"
        for status, after in zip(outcome.statuses, outcome.retry_after, strict=True)
        if status == 503
    )
    assert outcome.slowest < WAIT_SECONDS * 2 < CLIENT_TIMEOUT_SECONDS
    assert outcome.count(200) > 0
    text = log.read_text()
    assert "database is locked" not in text and "unhandled error" not in text


@pytest.mark.slow
def test_overload_is_a_fast_503_with_retry_after(smtp_server: SmtpServer, tmp_path: Path) -> None:
    """More writers than the server lets wait: refused at once, never hung, never a 500."""
    config = processes.write_config(
        tmp_path / "photo-api.yaml",
        data_dir=str(tmp_path),
        smtp=smtp_server.settings,
        db_connections=1,
        overload_wait_seconds=0.05,
    )
    with processes.serving(config, log=tmp_path / "server.log") as (url,):
        owner = signup(url, smtp_server.mailbox)
        assert owner.client.token is not None
        token = {"X-Auth-Token": owner.client.token}

        def sessions(client: httpx.AsyncClient) -> Any:
            return client.get("/users/sessions", headers=token)

        outcome = at_once([(url, sessions)] * 100)
        # And once the burst is over, the server serves as before.
        assert owner.client.get("/users/sessions").status_code == 200

    assert outcome.timeouts == 0
    assert set(outcome.statuses) <= {200, 503} and 503 in outcome.statuses, outcome.statuses
    refused = [
        (body, after)
        for status, body, after in zip(
            outcome.statuses, outcome.bodies, outcome.retry_after, strict=True
        )
        if status == 503
    ]
    assert all(after == "1" for _, after in refused)
    assert all(body["code"] == "SERVICE_UNAVAILABLE" for body, _ in refused)
    assert outcome.slowest < 5
