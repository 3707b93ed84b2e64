"""Prometheus metrics: by route template, admin-only on the API port, or on their own port."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import httpx
import pytest
from prometheus_client import REGISTRY

from photo_api.jobs.scheduler import Job, Scheduler
from tests.fixtures.app_server import RunningServer, free_port, start_server
from tests.fixtures.ente import Account, EnteClient
from tests.fixtures.net import http


def test_metrics_are_for_admins(server: RunningServer, admin: Account, account: Account) -> None:
    assert EnteClient(server.url).get("/metrics").status_code == 401
    refused = account.client.get("/metrics")
    assert (refused.status_code, refused.json()) == (401, {"error": "insufficient permissions"})

    assert account.client.get("/users/details/v2").status_code == 200
    sessions = account.client.get("/users/sessions").json()["sessions"]
    assert account.client.delete(f"/users/sessions/{sessions[0]['id']}").status_code == 200
    assert EnteClient(server.url).get("/no/such/path").status_code == 404

    response = admin.client.get("/metrics")
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/plain")
    text = response.text
    assert 'http_requests_total{method="GET",route="/users/details/v2",status="200"}' in text
    # Templates, never raw paths: ids must not multiply the series.
    assert 'route="/users/sessions/{session_id}"' in text
    assert f"/users/sessions/{sessions[0]['id']}" not in text
    assert 'route="unmatched",status="404"' in text
    assert "http_request_duration_seconds_bucket{" in text


def test_metrics_on_their_own_port(
    server: RunningServer, tmp_path: Path, s3_server: Any, smtp_server: Any
) -> None:
    port = free_port()
    other = start_server(
        database_url=server.settings.database_url or "",
        data_dir=tmp_path,
        s3=s3_server,
        smtp=smtp_server,
        metrics_port=port,
        # A second process on the same database must share its secrets.
        secrets=server.settings.secrets,
    )
    try:
        assert other.client.get("/ping").status_code == 200
        exported = http.get(f"http://127.0.0.1:{port}/metrics", timeout=10)
        assert exported.status_code == 200
        assert 'route="/ping"' in exported.text
        # Not on the API port then, to anyone.
        assert other.client.get("/metrics").status_code == 404
    finally:
        other.stop()
    with pytest.raises(httpx.ConnectError):
        http.get(f"http://127.0.0.1:{port}/metrics", timeout=2)


def _count(job: str, outcome: str) -> float:
    return REGISTRY.get_sample_value("job_runs_total", {"job": job, "outcome": outcome}) or 0.0


def test_job_runs_are_counted(server: RunningServer) -> None:
    def fail() -> None:
        raise RuntimeError("boom")

    before = _count("metrics-test-ok", "success"), _count("metrics-test-fail", "failure")

    async def run_once() -> None:
        scheduler = Scheduler(
            [Job("metrics-test-ok", 3600, lambda: None), Job("metrics-test-fail", 3600, fail)],
            server.app.state.db,
        )
        scheduler.start()
        for _ in range(200):
            if _count("metrics-test-ok", "success") > before[0] and (
                _count("metrics-test-fail", "failure") > before[1]
            ):
                break
            await asyncio.sleep(0.01)
        await scheduler.stop()

    asyncio.run(run_once())
    assert _count("metrics-test-ok", "success") == before[0] + 1
    assert _count("metrics-test-fail", "failure") == before[1] + 1

    def last_success(job: str) -> float | None:
        return REGISTRY.get_sample_value("job_last_success_timestamp", {"job": job})

    assert (last_success("metrics-test-ok") or 0) > 0
    assert last_success("metrics-test-fail") is None
