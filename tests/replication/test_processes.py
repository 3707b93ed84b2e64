"""Two server processes on one PostgreSQL, both running the replication job: each copy once."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy import func, select

from photo_api.config import load_settings
from photo_api.db.engine import make_engine
from photo_api.db.session import Database
from photo_api.models import ObjectCopy, StoredObject
from tests.fixtures.app_server import storage_settings
from tests.fixtures.cli import run_cli
from tests.fixtures.databases import PostgresServer
from tests.fixtures.ente import signup
from tests.fixtures.net import free_port, http
from tests.fixtures.s3_server import S3Server
from tests.fixtures.smtp import SmtpServer
from tests.replication.conftest import upload_files

FILES = 25


def _serve(config: Path, port: int, log: Path) -> subprocess.Popen[bytes]:
    with log.open("wb") as out:
        command = ["-m", "photo_api.cli.main", "--config", str(config), "serve"]
        return subprocess.Popen(
            [sys.executable, *command, "--port", str(port)],
            stdout=out,
            stderr=subprocess.STDOUT,
        )


def _wait_for(url: str, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        assert process.poll() is None, "server exited"
        try:
            if http.get(f"{url}/ping", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    raise AssertionError(f"{url} did not start")


@pytest.fixture
def two_servers(
    postgres_server: PostgresServer, s3: S3Server, smtp_server: SmtpServer, tmp_path: Path
) -> Iterator[tuple[list[str], Database]]:
    config = tmp_path / "photo-api.yaml"
    config.write_text(
        json.dumps(
            {
                "database_url": postgres_server.create_database(),
                "data_dir": str(tmp_path),
                "storage": storage_settings(data_dir=tmp_path, s3=s3),
                "smtp": smtp_server.settings,
                "jobs_enabled": True,
                "replication": {"interval_seconds": 0.2, "lease_seconds": 60},
                "log_level": "WARNING",
            }
        )
    )
    settings = load_settings(config)  # writes the shared secrets once, before both start
    assert run_cli("--config", str(config), "migrate").returncode == 0
    ports = [free_port(), free_port()]
    processes = [_serve(config, port, tmp_path / f"server-{port}.log") for port in ports]
    db = Database(make_engine(settings.resolved_database_url))
    try:
        urls = [f"http://127.0.0.1:{port}" for port in ports]
        for url, process in zip(urls, processes, strict=True):
            _wait_for(url, process)
        yield urls, db
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(timeout=30)
        db.dispose()


@pytest.mark.slow
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
    for log in tmp_path.glob("server-*.log"):
        assert "copy failed" not in log.read_text()
