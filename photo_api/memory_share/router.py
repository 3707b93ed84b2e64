"""Memory link endpoints: the owner's /memory-share and the visitor's /public-memory/*."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Query, Request, Response
from fastapi.responses import RedirectResponse

from photo_api.auth.deps import SettingsDep, StorageUser, stores_of
from photo_api.db.session import SessionDep
from photo_api.filedata.schemas import PreviewType
from photo_api.memory_share import service, visitor
from photo_api.memory_share.deps import MemoryLink
from photo_api.memory_share.schemas import CreateMemoryShareRequest
from photo_api.wire import INT64_MAX, INT64_MIN, NO_CONTENT_IF_PREFERRED

router = APIRouter(tags=["memory links"])

IdPath = Annotated[int, Path(ge=INT64_MIN, le=INT64_MAX)]
IdQuery = Annotated[int, Query(gt=0, le=INT64_MAX)]


# --- the owner ----------------------------------------------------------------------------------


@router.post("/memory-share")
def create(
    body: CreateMemoryShareRequest, caller: StorageUser, session: SessionDep, settings: SettingsDep
) -> dict[str, Any]:
    return service.create(session, settings=settings, user_id=caller.user_id, request=body)


@router.get("/memory-share")
def list_links(caller: StorageUser, session: SessionDep, settings: SettingsDep) -> dict[str, Any]:
    return service.list_links(session, settings=settings, user_id=caller.user_id)


@router.get("/memory-share/{share_id}")
def get(
    share_id: IdPath, caller: StorageUser, session: SessionDep, settings: SettingsDep
) -> dict[str, Any]:
    return service.get(session, settings=settings, user_id=caller.user_id, share_id=share_id)


@router.delete("/memory-share/{share_id}")
def delete(share_id: IdPath, caller: StorageUser, session: SessionDep) -> dict[str, Any]:
    service.delete(session, user_id=caller.user_id, share_id=share_id)
    return {}


# --- the visitor --------------------------------------------------------------------------------


@router.get("/public-memory/info")
def info(link: MemoryLink, session: SessionDep, settings: SettingsDep) -> dict[str, Any]:
    return visitor.info(session, settings=settings, access=link)


@router.get("/public-memory/files")
def files(link: MemoryLink, session: SessionDep) -> dict[str, Any]:
    return visitor.files(session, access=link)


def _redirect(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    link: MemoryLink,
    file_id: int,
    kind: str,
) -> RedirectResponse:
    url = visitor.download_url(
        session,
        settings=settings,
        stores=stores_of(request),
        access=link,
        file_id=file_id,
        kind=kind,
    )
    return RedirectResponse(url, status_code=307)


@router.get("/public-memory/files/preview/{file_id}")
def preview(
    file_id: IdPath, request: Request, link: MemoryLink, session: SessionDep, settings: SettingsDep
) -> RedirectResponse:
    return _redirect(request, session, settings, link, file_id, "thumbnail")


@router.get("/public-memory/files/download/{file_id}")
def download(
    file_id: IdPath, request: Request, link: MemoryLink, session: SessionDep, settings: SettingsDep
) -> RedirectResponse:
    return _redirect(request, session, settings, link, file_id, "file")


# museum's path here differs from album links' /files/data/fetch; the viewer calls this one.
@router.get("/public-memory/file-data", responses=NO_CONTENT_IF_PREFERRED)
def file_data(
    request: Request,
    link: MemoryLink,
    session: SessionDep,
    fileID: IdQuery,
    type: Literal["vid_preview"],
    preferNoContent: bool = False,
) -> Any:
    """A video's preview playlist, for streaming it in the memories viewer."""
    data = visitor.file_data(
        session,
        stores=stores_of(request),
        access=link,
        file_id=fileID,
        type_=type,
        prefer_no_content=preferNoContent,
    )
    return Response(status_code=204) if data is None else {"data": data}


@router.get("/public-memory/files/data/preview")
def file_data_preview(
    request: Request,
    link: MemoryLink,
    session: SessionDep,
    settings: SettingsDep,
    fileID: IdQuery,
    type: PreviewType,
) -> dict[str, str]:
    return visitor.preview_url(
        session,
        settings=settings,
        stores=stores_of(request),
        access=link,
        file_id=fileID,
        type_=type,
    )
