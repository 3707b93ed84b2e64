"""Storage runs against one app server: object storage does not depend on the database.

The session's SQLite server is reused (the PostgreSQL variant would only repeat these tests
with a different, unused database).
"""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from photo_api.storage.local import LocalStore
from photo_api.storage.s3 import S3Store
from tests.fixtures import net
from tests.fixtures.app_server import RunningServer, ServerPool


@pytest.fixture(scope="session")
def storage_server(server_pool: ServerPool) -> RunningServer:
    return server_pool.get("sqlite")


@pytest.fixture
def local(storage_server: RunningServer) -> LocalStore:
    store = storage_server.app.state.stores.get("local")
    assert isinstance(store, LocalStore)
    return store


@pytest.fixture
def s3(storage_server: RunningServer) -> S3Store:
    store = storage_server.app.state.stores.get("s3")
    assert isinstance(store, S3Store)
    return store


@pytest.fixture
def http() -> Iterator[httpx.Client]:
    """A client for the absolute URLs stores hand out."""
    with net.client(timeout=60) as client:
        yield client
