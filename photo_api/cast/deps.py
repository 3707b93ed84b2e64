"""The cast token as a typed dependency, for the routes a cast device calls."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from photo_api.cast import service
from photo_api.cast.service import CastAccess
from photo_api.db.session import Database, SessionDep
from photo_api.errors import MiddlewareError


def presented_cast_token(request: Request) -> str | None:
    """Header first, then the query string: the receiver downloads with `?castToken=` so that
    no preflight precedes the redirect to storage."""
    return request.headers.get("x-cast-access-token") or request.query_params.get("castToken")


def cast_device(request: Request, session: SessionDep) -> CastAccess:
    """Checked on every request, so that a revocation takes effect at once."""
    token = presented_cast_token(request)
    if not token:
        raise MiddlewareError(401, "cast access token missing")
    access = service.authenticate(session, token=token)
    # The device only reads, and a read transaction must not write (SQLite): record the use,
    # once a minute, in a transaction of its own.
    if service.touch_due(access):
        db: Database = request.app.state.db
        with db.side_write() as side:
            service.touch(side, access=access)
    return access


CastDevice = Annotated[CastAccess, Depends(cast_device)]
