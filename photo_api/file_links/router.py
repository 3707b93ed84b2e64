"""Single-file link endpoints: the owner's /files/share-url(s) and the visitor's /file-link/*
(plus /public/files/{token}, an alias of /file-link/info)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import JSONResponse, RedirectResponse

from photo_api.auth.deps import RateLimit, SettingsDep, StorageUser, stores_of
from photo_api.db.session import SessionDep
from photo_api.file_links import service
from photo_api.file_links.access import FileLinkAccess
from photo_api.file_links.deps import (
    FileLinkByPath,
    FileLinkDep,
    FileLinkEntry,
    FileLinkPasswordCheck,
)
from photo_api.file_links.schemas import CreateFileLinkRequest, UpdateFileLinkRequest
from photo_api.public_links.schemas import VerifyPasswordRequest
from photo_api.routing import with_slash_twin
from photo_api.wire import INT64_MAX, INT64_MIN, Int64

router = APIRouter(tags=["file links"])

DEVICE_TOKEN_HEADER = "X-Ente-Link-Device-Token"
IdPath = Annotated[int, Path(ge=INT64_MIN, le=INT64_MAX)]
DEFAULT_LIST_LIMIT = 500


# --- the owner ----------------------------------------------------------------------------------


@router.post("/files/share-url")
def create_link(
    body: CreateFileLinkRequest, caller: StorageUser, session: SessionDep, settings: SettingsDep
) -> dict[str, Any]:
    return service.create(
        session, settings=settings, user_id=caller.user_id, app=caller.app, request=body
    )


@router.put("/files/share-url")
def update_link(
    body: UpdateFileLinkRequest, caller: StorageUser, session: SessionDep, settings: SettingsDep
) -> dict[str, Any]:
    return service.update(session, settings=settings, user_id=caller.user_id, request=body)


@router.delete("/files/share-url/{file_id}")
def disable_link(file_id: IdPath, caller: StorageUser, session: SessionDep) -> dict[str, Any]:
    service.disable(session, user_id=caller.user_id, file_id=file_id)
    return {}


# Desktop clients call the slashed form, which museum registers on purpose.
@router.get("/files/share-url")
@with_slash_twin(router.get, "/files/share-urls")
def list_links(
    caller: StorageUser,
    session: SessionDep,
    settings: SettingsDep,
    sinceTime: Int64 = Query(),
    limit: Int64 = Query(default=DEFAULT_LIST_LIMIT, ge=1),
) -> dict[str, Any]:
    return service.list_links(
        session,
        settings=settings,
        user_id=caller.user_id,
        app=caller.app,
        since=sinceTime,
        limit=limit,
    )


# --- the visitor --------------------------------------------------------------------------------


def _info(session: SessionDep, link: FileLinkAccess) -> JSONResponse:
    response = JSONResponse(service.info(session, access=link))
    if link.device_token:
        response.headers[DEVICE_TOKEN_HEADER] = link.device_token
    return response


@router.get("/file-link/info")
def info(link: FileLinkEntry, session: SessionDep) -> JSONResponse:
    return _info(session, link)


@router.get("/public/files/{token}")
def info_alias(token: str, link: FileLinkByPath, session: SessionDep) -> JSONResponse:
    return _info(session, link)


@router.get("/file-link/pass-info")
def pass_info(link: FileLinkPasswordCheck, session: SessionDep) -> dict[str, Any]:
    return service.pass_info(session, access=link)


# museum lists this route for a 10/min limit but never attaches it; guessing a password
# offline-hashed by the client is exactly what the limit is for, so it is applied here.
@router.post(
    "/file-link/verify-password",
    dependencies=[Depends(RateLimit("file-link-verify-password", limit=10))],
)
def verify_password(
    body: VerifyPasswordRequest,
    link: FileLinkPasswordCheck,
    session: SessionDep,
    settings: SettingsDep,
) -> dict[str, str]:
    return service.verify_password(session, settings=settings, access=link, pass_hash=body.passHash)


def _redirect(
    request: Request, session: SessionDep, settings: SettingsDep, link: FileLinkAccess, kind: str
) -> RedirectResponse:
    url = service.download_url(
        session, settings=settings, stores=stores_of(request), access=link, kind=kind
    )
    return RedirectResponse(url, status_code=307)


@router.get("/file-link/thumbnail")
def thumbnail(
    request: Request, link: FileLinkDep, session: SessionDep, settings: SettingsDep
) -> RedirectResponse:
    return _redirect(request, session, settings, link, "thumbnail")


@router.get("/file-link/file")
def file(
    request: Request, link: FileLinkDep, session: SessionDep, settings: SettingsDep
) -> RedirectResponse:
    return _redirect(request, session, settings, link, "file")
