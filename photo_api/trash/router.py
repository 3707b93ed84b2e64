"""Trash endpoints."""

from __future__ import annotations

from fastapi import APIRouter, Response
from pydantic import Field

from photo_api.auth.deps import SettingsDep, StorageUser
from photo_api.db.session import SessionDep
from photo_api.trash import service
from photo_api.wire import WireModel, empty_ok, json_response

router = APIRouter(tags=["trash"])


class TrashEntry(WireModel):
    fileID: int
    collectionID: int


class TrashRequest(WireModel):
    items: list[TrashEntry] = Field(min_length=1)


class DeleteRequest(WireModel):
    fileIDs: list[int]


class EmptyRequest(WireModel):
    lastUpdatedAt: int = Field(gt=0)


@router.post("/files/trash")
def trash(
    body: TrashRequest, caller: StorageUser, session: SessionDep, settings: SettingsDep
) -> Response:
    service.trash_files(
        session,
        settings=settings,
        user_id=caller.user_id,
        items=[(i.fileID, i.collectionID) for i in body.items],
    )
    return empty_ok()


@router.get("/trash/v2/diff")
@router.get("/trash/diff")
def trash_diff(caller: StorageUser, session: SessionDep, sinceTime: int = 0) -> Response:
    return json_response(
        service.diff(session, user_id=caller.user_id, app=caller.app, since=sinceTime)
    )


@router.post("/trash/delete")
def delete(
    body: DeleteRequest, caller: StorageUser, session: SessionDep, settings: SettingsDep
) -> Response:
    service.delete(session, settings=settings, user_id=caller.user_id, file_ids=body.fileIDs)
    return empty_ok()


@router.post("/trash/empty")
def empty(
    body: EmptyRequest, caller: StorageUser, session: SessionDep, settings: SettingsDep
) -> Response:
    service.empty(
        session, settings=settings, user_id=caller.user_id, last_updated_at=body.lastUpdatedAt
    )
    return empty_ok()
