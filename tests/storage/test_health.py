"""Storage as /healthz sees it: a stopped S3 server is reported down, quickly."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest

from photo_api.storage.base import StorageError
from photo_api.storage.s3 import S3Store
from tests.fixtures.app_server import RunningServer
from tests.fixtures.s3_server import S3Server


@pytest.fixture
def stopped_s3(s3_server: S3Server) -> Iterator[S3Server]:
    s3_server.stop()
    try:
        yield s3_server
    finally:
        s3_server.start()


def test_all_backends_up(storage_server: RunningServer, s3: S3Store) -> None:
    response = storage_server.client.get("/healthz")
    assert response.status_code == 200, response.text
    assert response.json()["services"]["storage"] == {"local": "ok", "s3": "ok"}


def test_stopped_s3_server_is_reported_down_then_up(
    storage_server: RunningServer, s3: S3Store, stopped_s3: S3Server
) -> None:
    started = time.monotonic()
    with pytest.raises(StorageError):
        s3.check()
    assert time.monotonic() - started < 3

    started = time.monotonic()
    response = storage_server.client.get("/healthz")
    assert time.monotonic() - started < 3.5
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "error"
    assert body["services"]["storage"]["s3"] != "ok"
    assert body["services"]["storage"]["local"] == "ok"

    stopped_s3.start()  # same port, buckets re-created
    assert storage_server.client.get("/healthz").status_code == 200
