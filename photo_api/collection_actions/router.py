"""Collection action endpoints: the owner's queues of admin removals and delete suggestions."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from photo_api.auth.deps import StorageUser
from photo_api.collection_actions import service
from photo_api.db.session import SessionDep
from photo_api.wire import INT64_MAX, INT64_MIN, Int64, WireModel

router = APIRouter(prefix="/collection-actions", tags=["collection-actions"])

SinceTime = Annotated[int, Query(ge=INT64_MIN, le=INT64_MAX)]


class RejectDeleteSuggestionsRequest(WireModel):
    fileIDs: list[Int64]


@router.get("/pending-remove")
def pending_remove(
    caller: StorageUser, session: SessionDep, sinceTime: SinceTime = 0
) -> dict[str, Any]:
    return service.pending_remove(session, user_id=caller.user_id, since=sinceTime)


@router.get("/delete-suggestions")
def delete_suggestions(
    caller: StorageUser, session: SessionDep, sinceTime: SinceTime = 0
) -> dict[str, Any]:
    return service.delete_suggestions(session, user_id=caller.user_id, since=sinceTime)


@router.post("/reject-delete-suggestions")
def reject_delete_suggestions(
    body: RejectDeleteSuggestionsRequest, caller: StorageUser, session: SessionDep
) -> dict[str, int]:
    return service.reject_delete_suggestions(session, user_id=caller.user_id, file_ids=body.fileIDs)
