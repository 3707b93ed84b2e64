"""GET /storage/usage for every account; GET /storage/tiers and /storage/replication for admins."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query

from photo_api.admin.deps import AdminUser
from photo_api.auth.deps import CurrentUser, stores_of
from photo_api.db.session import SessionDep
from photo_api.storage.registry import Stores
from photo_api.storage_api import service

router = APIRouter(prefix="/storage", tags=["storage"])


StoresDep = Annotated[Stores, Depends(stores_of)]


@router.get("/usage")
def usage(caller: CurrentUser, session: SessionDep) -> dict[str, Any]:
    return service.usage(session, user_id=caller.user_id, app=caller.app)


@router.get("/tiers")
def tiers(caller: AdminUser, session: SessionDep, stores: StoresDep) -> dict[str, Any]:
    return service.tiers(session, stores=stores)


@router.get("/replication")
def replication(
    caller: AdminUser,
    session: SessionDep,
    stores: StoresDep,
    backend: str | None = Query(default=None, min_length=1, max_length=64),
) -> dict[str, Any]:
    """Per replica: copies made, waiting, failing, bad, and how far behind it is."""
    return service.replication_status(session, stores=stores, backend=backend)
