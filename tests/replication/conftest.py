"""Servers with a local and an S3 backend on their own moto server, which tests may stop.

Each test gets a fresh server and database: stopping moto loses every object in it.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from photo_api.db.session import Database
from photo_api.models import ObjectCopy, StoredObject
from photo_api.storage.registry import Stores
from tests.fixtures.app_server import RunningServer, start_server
from tests.fixtures.databases import DATABASES, database_url
from tests.fixtures.ente import Account, signup
from tests.fixtures.library import Uploaded, create_album, upload
from tests.fixtures.s3_server import S3Server
from tests.fixtures.smtp import SmtpServer


@pytest.fixture(scope="session")
def outage_s3(tmp_path_factory: pytest.TempPathFactory) -> Iterator[S3Server]:
    """An S3 server of our own: the shared one must not lose its objects under other tests."""
    server = S3Server(tmp_path_factory.mktemp("outage-s3") / "moto.log")
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def s3(outage_s3: S3Server) -> Iterator[S3Server]:
    """The S3 server, running again after the test whatever the test did to it."""
    outage_s3.start()
    yield outage_s3
    outage_s3.start()


def _server(
    request: pytest.FixtureRequest,
    tmp_path: Path,
    s3: S3Server,
    smtp: SmtpServer,
    *,
    db: str,
    hot: str,
) -> Iterator[RunningServer]:
    server = start_server(
        database_url=database_url(db, request, tmp_path),
        data_dir=tmp_path,
        s3=s3,
        smtp=smtp,
        hot=hot,
    )
    yield server
    server.stop()


@pytest.fixture(
    params=[(db, hot) for db in DATABASES for hot in ("local", "s3")],
    ids=lambda p: f"{p[0]}-{p[1]}-hot",
)
def tiered(
    request: pytest.FixtureRequest, tmp_path: Path, s3: S3Server, smtp_server: SmtpServer
) -> Iterator[RunningServer]:
    """A fresh server on each database, with either backend hot and the other its replica."""
    db, hot = request.param
    yield from _server(request, tmp_path, s3, smtp_server, db=db, hot=hot)


@pytest.fixture(params=DATABASES)
def local_hot(
    request: pytest.FixtureRequest, tmp_path: Path, s3: S3Server, smtp_server: SmtpServer
) -> Iterator[RunningServer]:
    """A fresh server on each database: local storage hot, S3 the replica."""
    yield from _server(request, tmp_path, s3, smtp_server, db=request.param, hot="local")


@pytest.fixture
def owner(tiered: RunningServer, smtp_server: SmtpServer) -> Account:
    return signup(tiered.url, smtp_server.mailbox)


def upload_files(account: Account, count: int, *, size: int = 2000) -> list[Uploaded]:
    album = create_album(account)
    return [upload(account, album, os.urandom(size), title=f"{i}.jpg") for i in range(count)]


def db_of(server: RunningServer) -> Database:
    return server.app.state.db  # type: ignore[no-any-return]


def stores_of(server: RunningServer) -> Stores:
    return server.app.state.stores  # type: ignore[no-any-return]


def committed(server: RunningServer) -> dict[str, StoredObject]:
    with db_of(server).session(write=False) as session:
        rows = session.scalars(select(StoredObject).where(StoredObject.state == "committed"))
        return {row.key: row for row in rows}


def copies(server: RunningServer) -> dict[tuple[str, str], ObjectCopy]:
    with db_of(server).session(write=False) as session:
        return {(row.key, row.backend): row for row in session.scalars(select(ObjectCopy))}


def stored_bytes(server: RunningServer, backend: str, key: str) -> bytes:
    store = stores_of(server).get(backend)
    assert store is not None
    with store.open(key) as stream:
        return stream.read()


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def replica_of(server: RunningServer) -> str:
    return "s3" if server.hot == "local" else "local"
