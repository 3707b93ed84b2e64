"""Two server processes on one PostgreSQL, both running the replication job: each copy once."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from photo_api.config import load_settings
from photo_api.db.session import Database, open_database
from photo_api.models import ObjectCopy, StoredObject
from tests.fixtures import processes
from tests.fixtures.app_server import storage_settings
from tests.fixtures.databases import PostgresServer
from tests.fixtures.ente import signup
from tests.fixtures.s3_server import S3Server
from tests.fixtures.smtp import SmtpServer
from tests.replication.conftest import upload_files

FILES = 25


@pytest.fixture
def two_servers(
    postgres_server: PostgresServer, s3: S3Server, smtp_server: SmtpServer, tmp_path: Path
) -> Iterator[tuple[list[str], Database]]:
    config = processes.write_config(
        tmp_path / "photo-api.yaml",
        database_url=postgres_server.create_database(),
        data_dir=str(tmp_path),
        storage=storage_settings(data_dir=tmp_path, s3=s3),
        smtp=smtp_server.settings,
        jobs_enabled=True,
        replication={"interval_seconds": 0.2, "lease_seconds": 60},
    )
    settings = load_settings(config)  # writes the shared secrets once, before both start
    db = open_database(settings)
    try:
        with processes.serving(config, log=tmp_path / "servers.log", count=2) as urls:
            yield urls, db
    finally:
        db.dispose()


def test_two_processes_copy_each_object_once(
    two_servers: tuple[list[str], Database], smtp_server: SmtpServer, tmp_path: Path
) -> None:
    urls, db = two_servers
    # Uploads through both servers while both replicate.
    for url in urls:
        upload_files(signup(url, smtp_server.mailbox), FILES)

    expected = 2 * FILES * 2
    deadline = time.monotonic() + 90
    while True:
        with db.session(write=False) as session:
            objects = session.scalar(
                select(func.count())
                .select_from(StoredObject)
                .where(StoredObject.state == "committed")
            )
            done = session.scalar(
                select(func.count())
                .select_from(ObjectCopy)
                .where(ObjectCopy.backend == "s3", ObjectCopy.state == "ok")
            )
        if objects == expected and done == expected:
            break
        assert time.monotonic() < deadline, f"{done} of {objects} copied"
        time.sleep(0.2)
    time.sleep(1)  # a few more job runs of both, which must find nothing to do

    with db.session(write=False) as session:
        rows = list(session.scalars(select(ObjectCopy).where(ObjectCopy.backend == "s3")))
    assert len(rows) == expected
    assert {row.copy_count for row in rows} == {1}
    assert {row.attempts for row in rows} == {0}
    # Not one attempt failed: a replica's copy row never appears before the home copy's row.
    assert "copy failed" not in (tmp_path / "servers.log").read_text()
