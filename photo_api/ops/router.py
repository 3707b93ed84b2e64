"""GET /ping (museum), /healthz and /version (ours). Public by design."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from photo_api import __version__
from photo_api.ops import health

router = APIRouter(tags=["ops"])


@router.get("/ping")
def ping(request: Request) -> dict[str, Any]:
    return {"id": request.app.state.settings.build_id, "message": "pong"}


@router.get("/healthz")
def healthz(request: Request) -> JSONResponse:
    report = health.check(db=request.app.state.db, stores=request.app.state.stores)
    return JSONResponse(report, status_code=200 if report["status"] == "ok" else 503)


@router.get("/version")
def version(request: Request) -> dict[str, str]:
    return {"version": __version__, "build": request.app.state.settings.build_id}
