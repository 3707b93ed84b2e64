"""Several processes on one database: `serve --workers`, and processes with other secrets."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest

from photo_api.config import load_settings
from photo_api.db import migrate
from photo_api.db.session import open_database
from photo_api.ops import identity
from tests.fixtures import processes
from tests.fixtures.databases import PostgresServer
from tests.fixtures.net import free_port, http

JOBS = ("expiry", "trash_expiry", "object_cleanup")


@pytest.mark.slow
def test_two_workers_serve_and_run_each_job_once(tmp_path: Path) -> None:
    config = processes.write_config(
        tmp_path / "photo-api.yaml", data_dir=str(tmp_path), log_level="INFO"
    )
    log = tmp_path / "server.log"
    with processes.serving(config, "--workers", "2", log=log) as (url,):
        # Both workers start their jobs at once; give the second time to come up.
        deadline = time.monotonic() + 30
        while log.read_text().count("Application startup complete") < 2:
            assert time.monotonic() < deadline, log.read_text()
            time.sleep(0.1)
        time.sleep(1)
        assert all(http.get(f"{url}/ping").status_code == 200 for _ in range(20))
        text = log.read_text()
    workers = set(re.findall(r"Started server process \[(\d+)\]", text))
    assert len(workers) == 2
    for job in JOBS:
        # Each run belongs to one process: within the jobs' intervals, one run in all.
        assert len(re.findall(rf"job done +job={job} ", text)) == 1, job
    # Noting token uses is each process's own work.
    assert len(re.findall(r"job done +job=token_usage ", text)) == 2


@pytest.mark.slow
def test_a_process_with_other_secrets_refuses_to_serve(
    postgres_server: PostgresServer, tmp_path: Path
) -> None:
    database_url = postgres_server.create_database()
    first = load_settings(data_dir=tmp_path / "first", database_url=database_url)
    db = open_database(first)
    try:
        # As the first server to serve it does.
        migrate.upgrade(db.engine)
        identity.check(db, first)
    finally:
        db.dispose()
    other = processes.write_config(
        tmp_path / "other.yaml", data_dir=str(tmp_path / "other"), database_url=database_url
    )
    log = tmp_path / "other.log"
    process = processes.start(other, log=log, port=free_port())
    assert process.wait(timeout=60) == 1
    lines = log.read_text().strip().splitlines()
    assert lines[-1].startswith("error: the database ")
    assert "served with other server secrets" in lines[-1]
    assert "Traceback" not in log.read_text()
