"""The file-link credential as a typed dependency, for the /file-link routes."""

from __future__ import annotations

from dataclasses import replace
from typing import Annotated

from fastapi import Depends, Request

from photo_api.auth.deps import SettingsDep
from photo_api.db.session import SessionDep
from photo_api.file_links import access
from photo_api.file_links.access import FileLinkAccess
from photo_api.public_links.deps import presented


class FileLink:
    """Depends(FileLink(...)): the file link a request presents, checked as museum does.

    password_exempt: /pass-info and /verify-password, which a visitor needs first.
    admit_device: /info, the only route that counts devices. token_in_path: the seed's
    /public/files/{token}, which carries the token in its path.
    """

    def __init__(
        self,
        *,
        password_exempt: bool = False,
        admit_device: bool = False,
        token_in_path: bool = False,
    ) -> None:
        self.password_exempt = password_exempt
        self.admit_device = admit_device
        self.token_in_path = token_in_path

    def __call__(
        self, request: Request, session: SessionDep, settings: SettingsDep
    ) -> FileLinkAccess:
        credentials = presented(request)
        if self.token_in_path:
            credentials = replace(credentials, access_token=request.path_params.get("token"))
        return access.authenticate(
            session,
            db=request.app.state.db,
            settings=settings,
            presented=credentials,
            password_exempt=self.password_exempt,
            admit_device=self.admit_device,
        )


FileLinkDep = Annotated[FileLinkAccess, Depends(FileLink())]
FileLinkEntry = Annotated[FileLinkAccess, Depends(FileLink(admit_device=True))]
FileLinkByPath = Annotated[FileLinkAccess, Depends(FileLink(admit_device=True, token_in_path=True))]
FileLinkPasswordCheck = Annotated[FileLinkAccess, Depends(FileLink(password_exempt=True))]
