"""The memory-link credential as a typed dependency, for the /public-memory routes."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from photo_api.db.session import SessionDep
from photo_api.memory_share import access
from photo_api.memory_share.access import MemoryLinkAccess


def memory_link(request: Request, session: SessionDep) -> MemoryLinkAccess:
    """The token from its header, else from the query: the memories viewer downloads with
    the query parameter on self-hosted servers, so that no preflight precedes the redirect."""
    token = request.headers.get("x-auth-access-token") or request.query_params.get("accessToken")
    return access.authenticate(session, token=token)


MemoryLink = Annotated[MemoryLinkAccess, Depends(memory_link)]
