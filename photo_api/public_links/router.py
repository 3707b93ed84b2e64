"""Album link endpoints: the owner's /collections/share-url and the visitor's
/public-collection/* (plus /public/collections, an alias of /public-collection/info)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request, Response
from fastapi.responses import JSONResponse, RedirectResponse

from photo_api.auth.deps import RateLimit, SettingsDep, StorageUser, stores_of
from photo_api.config import Settings
from photo_api.db.session import SessionDep, WriteSessionDep
from photo_api.filedata.schemas import FetchType, PreviewType
from photo_api.files.schemas import CreateFileRequest, MultipartUploadUrlRequest, UploadUrlRequest
from photo_api.public_links import service, visitor
from photo_api.public_links.access import LinkAccess
from photo_api.public_links.deps import LinkEntry, LinkPasswordCheck, LinkSync, PublicLink
from photo_api.public_links.schemas import (
    CreateLinkRequest,
    UpdateLinkRequest,
    VerifyPasswordRequest,
)
from photo_api.routing import with_slash_twin
from photo_api.wire import (
    INT64_MAX,
    INT64_MIN,
    NO_CONTENT_IF_PREFERRED,
    EmptyAnswer,
    Int64,
    empty_ok,
    json_response,
)

router = APIRouter(tags=["public links"])

DEVICE_TOKEN_HEADER = "X-Ente-Link-Device-Token"
IdPath = Annotated[int, Path(ge=INT64_MIN, le=INT64_MAX)]
IdQuery = Annotated[int, Query(gt=0, le=INT64_MAX)]


# --- the owner ----------------------------------------------------------------------------------


@router.post("/collections/share-url")
def create_link(
    body: CreateLinkRequest, caller: StorageUser, session: SessionDep, settings: SettingsDep
) -> dict[str, Any]:
    return service.create(session, settings=settings, user_id=caller.user_id, request=body)


@router.put("/collections/share-url")
def update_link(
    body: UpdateLinkRequest, caller: StorageUser, session: SessionDep, settings: SettingsDep
) -> dict[str, Any]:
    return service.update(session, settings=settings, user_id=caller.user_id, request=body)


@router.delete("/collections/share-url/{collection_id}")
def disable_link(collection_id: IdPath, caller: StorageUser, session: SessionDep) -> EmptyAnswer:
    service.disable(session, user_id=caller.user_id, collection_id=collection_id)
    return empty_ok()


# --- the visitor --------------------------------------------------------------------------------


def _info(session: SessionDep, settings: Settings, link: LinkAccess) -> JSONResponse:
    response = JSONResponse(visitor.info(session, settings=settings, access=link))
    if link.device_token:
        response.headers[DEVICE_TOKEN_HEADER] = link.device_token
    return response


@router.get("/public-collection/info")
def info(link: LinkEntry, session: SessionDep, settings: SettingsDep) -> JSONResponse:
    return _info(session, settings, link)


@router.get("/public/collections")
def info_alias(link: LinkEntry, session: SessionDep, settings: SettingsDep) -> JSONResponse:
    return _info(session, settings, link)


@router.get("/public-collection/diff")
def diff(link: LinkSync, session: SessionDep, sinceTime: Int64 = Query()) -> Response:
    return json_response(visitor.diff(session, access=link, since=sinceTime))


def _redirect(
    request: Request,
    session: SessionDep,
    settings: Settings,
    link: LinkAccess,
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


@router.get("/public-collection/files/preview/{file_id}")
def preview(
    file_id: IdPath,
    request: Request,
    link: PublicLink,
    session: SessionDep,
    settings: SettingsDep,
) -> RedirectResponse:
    return _redirect(request, session, settings, link, file_id, "thumbnail")


@router.get("/public-collection/files/download/{file_id}")
def download(
    file_id: IdPath,
    request: Request,
    link: PublicLink,
    session: SessionDep,
    settings: SettingsDep,
) -> RedirectResponse:
    return _redirect(request, session, settings, link, file_id, "file")


# The mobile app asks for a shared video's playlist with a trailing slash.
@with_slash_twin(
    router.get, "/public-collection/files/data/fetch", responses=NO_CONTENT_IF_PREFERRED
)
def file_data(
    request: Request,
    link: PublicLink,
    session: SessionDep,
    fileID: IdQuery,
    type: FetchType,
    preferNoContent: bool = False,
) -> Any:
    """A video's preview playlist, for streaming it in the albums viewer."""
    data = visitor.file_data(
        session,
        stores=stores_of(request),
        access=link,
        file_id=fileID,
        type_=type,
        prefer_no_content=preferNoContent,
    )
    return Response(status_code=204) if data is None else {"data": data}


@router.get("/public-collection/files/data/preview")
def file_data_preview(
    request: Request,
    link: PublicLink,
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


# Counted before the link is checked, in a transaction of its own: on SQLite the request's
# write transaction would otherwise hold the lock the counter needs.
@router.post(
    "/public-collection/verify-password",
    dependencies=[Depends(RateLimit("public-collection-verify-password", limit=10))],
)
def verify_password(
    body: VerifyPasswordRequest, link: LinkPasswordCheck, session: SessionDep, settings: SettingsDep
) -> dict[str, str]:
    return visitor.verify_password(session, settings=settings, access=link, pass_hash=body.passHash)


# --- guest uploads ------------------------------------------------------------------------------


@router.get("/public-collection/upload-urls")
def upload_urls(
    request: Request,
    link: PublicLink,
    session: WriteSessionDep,
    settings: SettingsDep,
    count: int = 0,
) -> dict[str, Any]:
    return visitor.upload_urls(
        session, settings=settings, stores=stores_of(request), access=link, count=count
    )


@router.post("/public-collection/upload-url")
def upload_url(
    body: UploadUrlRequest,
    request: Request,
    link: PublicLink,
    session: SessionDep,
    settings: SettingsDep,
) -> dict[str, str]:
    return visitor.upload_url(
        session,
        settings=settings,
        stores=stores_of(request),
        access=link,
        content_length=body.contentLength,
        content_md5=body.contentMD5,
    )


@router.get("/public-collection/multipart-upload-urls")
def multipart_upload_urls(
    request: Request,
    link: PublicLink,
    session: WriteSessionDep,
    settings: SettingsDep,
    count: int = 0,
) -> dict[str, Any]:
    return visitor.multipart_upload_urls(
        session, settings=settings, stores=stores_of(request), access=link, count=count
    )


@router.post("/public-collection/multipart-upload-url")
def multipart_upload_url(
    body: MultipartUploadUrlRequest,
    request: Request,
    link: PublicLink,
    session: SessionDep,
    settings: SettingsDep,
) -> dict[str, Any]:
    return visitor.multipart_upload_url(
        session, settings=settings, stores=stores_of(request), access=link, request=body
    )


@router.post("/public-collection/file")
def create_file(
    body: CreateFileRequest, request: Request, link: PublicLink, session: SessionDep
) -> dict[str, Any]:
    return visitor.create_file(session, stores=stores_of(request), access=link, request=body)
