"""The album-link credential as a typed dependency, for the /public-collection routes."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from photo_api.auth.deps import SettingsDep, client_ip
from photo_api.db.session import SessionDep
from photo_api.public_links import access
from photo_api.public_links.access import LinkAccess, Presented
from photo_api.public_links.devices import Visitor


def presented(request: Request) -> Presented:
    """museum reads each credential from its header first, then from the query string (the
    web viewer downloads with query parameters so that no preflight precedes the redirect)."""
    headers, query = request.headers, request.query_params
    return Presented(
        access_token=headers.get("x-auth-access-token") or query.get("accessToken"),
        password_jwt=headers.get("x-auth-access-token-jwt") or query.get("accessTokenJWT"),
        device_token=headers.get("x-auth-link-device-token"),
        origin=headers.get("origin"),
        visitor=Visitor(ip=client_ip(request), user_agent=headers.get("user-agent", "")),
    )


class AlbumLink:
    """Depends(AlbumLink(...)): the album link a request presents, checked as museum does.

    password_exempt: the routes a visitor needs before knowing the password (/info for the
    KDF parameters, /verify-password). admit_device: the routes that count devices.
    """

    def __init__(self, *, password_exempt: bool = False, admit_device: bool = False) -> None:
        self.password_exempt = password_exempt
        self.admit_device = admit_device

    def __call__(self, request: Request, session: SessionDep, settings: SettingsDep) -> LinkAccess:
        return access.authenticate(
            session,
            db=request.app.state.db,
            settings=settings,
            presented=presented(request),
            password_exempt=self.password_exempt,
            admit_device=self.admit_device,
        )


PublicLink = Annotated[LinkAccess, Depends(AlbumLink())]
LinkEntry = Annotated[LinkAccess, Depends(AlbumLink(password_exempt=True, admit_device=True))]
LinkSync = Annotated[LinkAccess, Depends(AlbumLink(admit_device=True))]
LinkPasswordCheck = Annotated[LinkAccess, Depends(AlbumLink(password_exempt=True))]
