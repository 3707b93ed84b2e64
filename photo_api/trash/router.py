"""Trash endpoints."""

from __future__ import annotations

from fastapi import APIRouter, Response
from pydantic import Field

from photo_api.auth.deps import SettingsDep, StorageUser
from photo_api.collections import service as collections
from photo_api.collections.schemas import AddFilesRequest
from photo_api.db.session import SessionDep
from photo_api.trash import service
from photo_api.wire import EmptyAnswer, WireModel, empty_ok, json_response

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
) -> EmptyAnswer:
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
) -> EmptyAnswer:
    service.delete(session, settings=settings, user_id=caller.user_id, file_ids=body.fileIDs)
    return empty_ok()


# The seed's names for restoring from the trash and deleting for good: museum's
# /collections/restore-files and /trash/delete, with the same bodies and rules, answering
# how many files they restored or deleted.
@router.post("/files/restore")
def restore(body: AddFilesRequest, caller: StorageUser, session: SessionDep) -> dict[str, int]:
    count = collections.restore_files(session, user_id=caller.user_id, app=caller.app, request=body)
    return {"restored": count}


@router.post("/files/delete")
def delete_for_good(
    body: DeleteRequest, caller: StorageUser, session: SessionDep, settings: SettingsDep
) -> dict[str, int]:
    count = service.delete(
        session, settings=settings, user_id=caller.user_id, file_ids=body.fileIDs
    )
    return {"deleted": count}


@router.post("/trash/empty")
def empty(
    body: EmptyRequest, caller: StorageUser, session: SessionDep, settings: SettingsDep
) -> EmptyAnswer:
    service.empty(
        session, settings=settings, user_id=caller.user_id, last_updated_at=body.lastUpdatedAt
    )
    return empty_ok()
