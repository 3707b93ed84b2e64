"""Cast ("Play album on TV"): the TV's pairing, the sender's claim and session list, and the
album routes a cast device reads with its cast token."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request, Response
from fastapi.responses import RedirectResponse

from photo_api.auth.deps import RateLimit, SettingsDep, StorageUser, client_ip, stores_of
from photo_api.cast import service
from photo_api.cast.deps import CastDevice
from photo_api.cast.schemas import CastDataRequest, RegisterDeviceRequest
from photo_api.db.session import SessionDep
from photo_api.wire import INT64_MAX, INT64_MIN, Int64, json_response

router = APIRouter(tags=["cast"])

# museum's limit on registrations, per address; counted before the request's transaction.
REGISTER_LIMIT = Depends(RateLimit("cast-device-info", limit=10))
# Ours: a sender needs two calls per pairing; more would be someone guessing codes.
PAIRING_LIMIT = Depends(RateLimit("cast-pairing", limit=20, per="user"))
CodePath = Annotated[str, Path(max_length=64)]
IdPath = Annotated[int, Path(ge=INT64_MIN, le=INT64_MAX)]


# --- pairing: the TV, then the sender -----------------------------------------------------------
# The trailing-slash twins are museum's too: old desktop builds could not follow a redirect.


@router.post("/cast/device-info", dependencies=[REGISTER_LIMIT])
@router.post("/cast/device-info/", dependencies=[REGISTER_LIMIT])
def register(body: RegisterDeviceRequest, request: Request, session: SessionDep) -> dict[str, str]:
    return service.register(session, public_key=body.publicKey, ip=client_ip(request))


@router.get("/cast/device-info/{device_code}", dependencies=[PAIRING_LIMIT])
def device_public_key(
    device_code: CodePath, caller: StorageUser, session: SessionDep
) -> dict[str, str]:
    return service.public_key(session, user_id=caller.user_id, code=device_code)


@router.post("/cast/cast-data", dependencies=[PAIRING_LIMIT])
@router.post("/cast/cast-data/", dependencies=[PAIRING_LIMIT])
def publish(body: CastDataRequest, caller: StorageUser, session: SessionDep) -> dict[str, Any]:
    service.publish(session, user_id=caller.user_id, app=caller.app, request=body)
    return {}


@router.get("/cast/cast-data/{device_code}")
def cast_data(device_code: CodePath, session: SessionDep) -> dict[str, str | None]:
    return service.payload(session, code=device_code)


# --- the sender's sessions ----------------------------------------------------------------------


@router.get("/cast/device-info")
def devices(caller: StorageUser, session: SessionDep) -> dict[str, list[dict[str, Any]]]:
    return service.devices(session, user_id=caller.user_id)


@router.delete("/cast/device-info/{device_id}")
def revoke_device(device_id: uuid.UUID, caller: StorageUser, session: SessionDep) -> dict[str, Any]:
    service.revoke(session, user_id=caller.user_id, device_id=str(device_id))
    return {}


@router.delete("/cast/revoke-all-tokens")
@router.delete("/cast/revoke-all-tokens/")
def revoke_all(caller: StorageUser, session: SessionDep) -> dict[str, Any]:
    service.revoke(session, user_id=caller.user_id)
    return {}


# --- the cast device ----------------------------------------------------------------------------


@router.get("/cast/info")
def info(device: CastDevice, session: SessionDep) -> dict[str, Any]:
    return service.info(session, access=device)


@router.get("/cast/diff")
def diff(device: CastDevice, session: SessionDep, sinceTime: Int64 = Query()) -> Response:
    return json_response(service.diff(session, access=device, since=sinceTime))


def _redirect(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    device: CastDevice,
    file_id: int,
    kind: str,
) -> RedirectResponse:
    url = service.file_url(
        session,
        settings=settings,
        stores=stores_of(request),
        access=device,
        file_id=file_id,
        kind=kind,
    )
    return RedirectResponse(url, status_code=307)


@router.get("/cast/files/preview/{file_id}")
def preview(
    file_id: IdPath,
    request: Request,
    device: CastDevice,
    session: SessionDep,
    settings: SettingsDep,
) -> RedirectResponse:
    return _redirect(request, session, settings, device, file_id, "thumbnail")


@router.get("/cast/files/download/{file_id}")
def download(
    file_id: IdPath,
    request: Request,
    device: CastDevice,
    session: SessionDep,
    settings: SettingsDep,
) -> RedirectResponse:
    return _redirect(request, session, settings, device, file_id, "file")
