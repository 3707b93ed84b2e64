"""File data endpoints: /files/data/* and /files/video-data."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response

from photo_api.auth.deps import SettingsDep, StorageUser, stores_of
from photo_api.db.session import SessionDep
from photo_api.filedata import service
from photo_api.filedata.schemas import (
    FetchFilesDataRequest,
    FetchType,
    PreviewType,
    PutFileDataRequest,
    StatusDiffRequest,
    VideoDataRequest,
)
from photo_api.routing import with_slash_twin
from photo_api.wire import INT64_MAX, INT64_MIN, NO_CONTENT_IF_PREFERRED, json_response

router = APIRouter(tags=["file-data"])

FileIdQuery = Annotated[int, Query(gt=0, le=INT64_MAX)]


def client_info(request: Request) -> str:
    """Which app wrote the data, as museum records it: package, and version when sent."""
    package = request.headers.get("x-client-package", "")
    version = request.headers.get("x-client-version")
    return f"{package}/{version}" if version else package


@router.put("/files/data")
def put_file_data(
    body: PutFileDataRequest, request: Request, caller: StorageUser, session: SessionDep
) -> dict[str, Any]:
    service.put_ml_data(
        session,
        stores=stores_of(request),
        user_id=caller.user_id,
        client=client_info(request),
        request=body,
    )
    return {}


@router.put("/files/video-data")
def put_video_data(
    body: VideoDataRequest,
    request: Request,
    caller: StorageUser,
    session: SessionDep,
    settings: SettingsDep,
) -> dict[str, Any]:
    service.put_video_data(
        session,
        settings=settings,
        stores=stores_of(request),
        user_id=caller.user_id,
        client=client_info(request),
        request=body,
    )
    return {}


@router.post("/files/data/status-diff")
def status_diff(body: StatusDiffRequest, caller: StorageUser, session: SessionDep) -> Response:
    return json_response(
        service.status_diff(session, user_id=caller.user_id, last_updated_at=body.lastUpdatedAt)
    )


@router.post("/files/data/fetch")
def fetch_files_data(
    body: FetchFilesDataRequest, request: Request, caller: StorageUser, session: SessionDep
) -> dict[str, Any]:
    return service.fetch_many(
        session,
        stores=stores_of(request),
        user_id=caller.user_id,
        file_ids=body.fileIDs,
        type_=body.type,
    )


# The mobile app asks for a video's playlist with a trailing slash.
@with_slash_twin(router.get, "/files/data/fetch", responses=NO_CONTENT_IF_PREFERRED)
def fetch_file_data(
    request: Request,
    caller: StorageUser,
    session: SessionDep,
    fileID: FileIdQuery,
    type: FetchType,
    preferNoContent: bool = False,
) -> Any:
    data = service.fetch_one(
        session,
        stores=stores_of(request),
        user_id=caller.user_id,
        file_id=fileID,
        type_=type,
        prefer_no_content=preferNoContent,
    )
    return Response(status_code=204) if data is None else {"data": data}


@router.get("/files/data/preview-upload-url")
def preview_upload_url(
    request: Request,
    caller: StorageUser,
    session: SessionDep,
    settings: SettingsDep,
    fileID: FileIdQuery,
    type: PreviewType,
    isMultiPart: bool = False,
    count: Annotated[int | None, Query(ge=INT64_MIN, le=INT64_MAX)] = None,
) -> dict[str, Any]:
    return service.preview_upload_url(
        session,
        settings=settings,
        stores=stores_of(request),
        user_id=caller.user_id,
        file_id=fileID,
        type_=type,
        multipart=isMultiPart,
        count=count,
    )


@router.get("/files/data/preview")
def preview_url(
    request: Request,
    caller: StorageUser,
    session: SessionDep,
    settings: SettingsDep,
    fileID: FileIdQuery,
    type: PreviewType,
) -> dict[str, str]:
    return service.preview_url(
        session,
        settings=settings,
        stores=stores_of(request),
        user_id=caller.user_id,
        file_id=fileID,
        type_=type,
    )
