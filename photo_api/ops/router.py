"""GET /ping (museum), and ours: / (a page for people), /healthz and /version. Public by
design."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse

from photo_api import __version__
from photo_api.ops import health, welcome

router = APIRouter(tags=["ops"])


def _health(request: Request) -> dict[str, Any]:
    state = request.app.state
    return health.check(db=state.db, stores=state.stores, smtp=state.settings.smtp)


@router.get("/", response_class=HTMLResponse)
def home(request: Request) -> HTMLResponse:
    """How to connect an Ente app to this server, and the health of its dependencies."""
    state = request.app.state
    facts = welcome.facts(state.settings, state.db, state.stores)
    return HTMLResponse(welcome.page(facts, _health(request)))


@router.get("/ping")
def ping(request: Request) -> dict[str, Any]:
    return {"id": request.app.state.settings.build_id, "message": "pong"}


@router.get("/healthz")
def healthz(request: Request) -> JSONResponse:
    report = _health(request)
    return JSONResponse(report, status_code=503 if report["status"] == "error" else 200)


@router.get("/version")
def version(request: Request) -> dict[str, str]:
    return {"version": __version__, "build": request.app.state.settings.build_id}
