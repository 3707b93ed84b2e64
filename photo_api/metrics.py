"""Prometheus metrics: every request by route template, background jobs, replication lag.

Exposed on their own port when `metrics_port` is set (museum serves :2112, off the API
port); otherwise at GET /metrics on the API port, to admins only.
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import structlog
from anyio import to_thread
from fastapi import APIRouter, FastAPI, Response
from fastapi.responses import PlainTextResponse
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
    start_http_server,
)

from photo_api.admin.deps import AdminUser
from photo_api.config import Settings
from photo_api.middleware import ASGIApp, Message, Receive, Scope, Send

log = structlog.get_logger("photo_api.metrics")

# Any other method is counted as "other", so that clients cannot mint label values.
KNOWN_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
UNMATCHED = "unmatched"

HTTP_REQUESTS = Counter("http_requests", "HTTP requests answered", ["method", "route", "status"])
HTTP_LATENCY = Histogram(
    "http_request_duration_seconds",
    "Time from request to the end of the response",
    ["method", "route", "status"],
)
JOB_RUNS = Counter("job_runs", "Background job runs", ["job", "outcome"])
JOB_DURATION = Histogram("job_duration_seconds", "Background job run time", ["job"])
JOB_LAST_SUCCESS = Gauge(
    "job_last_success_timestamp", "Unix time of the job's last successful run", ["job"]
)

REPLICATION_LAG_OBJECTS = Gauge(
    "replication_lag_objects", "Committed objects without a good copy on the replica", ["backend"]
)
REPLICATION_LAG_BYTES = Gauge(
    "replication_lag_bytes", "Bytes of the objects without a good copy on the replica", ["backend"]
)
JOB_ITEMS_DONE = Gauge("job_items_done", "Items handled so far in the job's current run", ["job"])
JOB_ITEMS_TOTAL = Gauge("job_items_total", "Items the job's current run set out to handle", ["job"])


def route_template(scope: Scope) -> str:
    """The matched route's path ("/files/{fileID}"), never the raw path: bounded labels."""
    route = scope.get("route")
    template = getattr(route, "path_format", None) or getattr(route, "path", None)
    return template if isinstance(template, str) and template else UNMATCHED


class MetricsMiddleware:
    """Outermost middleware: counts and times every HTTP request, answered or failed."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500

        async def send_with_status(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, send_with_status)
        finally:
            method = scope["method"] if scope["method"] in KNOWN_METHODS else "other"
            labels = {"method": method, "route": route_template(scope), "status": str(status)}
            HTTP_REQUESTS.labels(**labels).inc()
            HTTP_LATENCY.labels(**labels).observe(time.perf_counter() - started)


def record_job_run(job: str, *, ok: bool, seconds: float) -> None:
    JOB_RUNS.labels(job=job, outcome="success" if ok else "failure").inc()
    JOB_DURATION.labels(job=job).observe(seconds)
    if ok:
        JOB_LAST_SUCCESS.labels(job=job).set_to_current_time()


def record_job_progress(job: str, *, done: int, total: int) -> None:
    JOB_ITEMS_DONE.labels(job=job).set(done)
    JOB_ITEMS_TOTAL.labels(job=job).set(total)


def record_replication_lag(backend: str, *, objects: int, size: int) -> None:
    REPLICATION_LAG_OBJECTS.labels(backend=backend).set(objects)
    REPLICATION_LAG_BYTES.labels(backend=backend).set(size)


router = APIRouter(tags=["ops"])


@router.get("/metrics", response_class=PlainTextResponse)
def metrics(caller: AdminUser) -> Response:
    return Response(generate_latest(REGISTRY), media_type=CONTENT_TYPE_LATEST)


def _serve_on_own_port(app: FastAPI, *, host: str, port: int) -> None:
    """Run a plain HTTP exporter for as long as the app's lifespan."""
    inner = app.router.lifespan_context

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[Any]:
        server, thread = start_http_server(port, addr=host, registry=REGISTRY)
        log.info("metrics exporter listening", url=f"http://{host}:{port}/metrics")
        try:
            async with inner(app) as state:
                yield state
        finally:
            await to_thread.run_sync(server.shutdown)
            server.server_close()
            thread.join(timeout=5)

    app.router.lifespan_context = lifespan


def install(app: FastAPI, settings: Settings) -> None:
    """Call after the other middlewares, so that this one is outermost and sees every answer."""
    app.add_middleware(MetricsMiddleware)
    if settings.metrics_port is None:
        app.include_router(router)
    else:
        _serve_on_own_port(app, host=settings.host, port=settings.metrics_port)
