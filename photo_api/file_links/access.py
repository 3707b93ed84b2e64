"""Who may use a single-file link: museum's file-link middleware.

Unlike album links there is no Origin or owner-plan check, and a password-protected link
needs its password proof on /info too: /pass-info is how a visitor gets the KDF parameters.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from photo_api.clock import now_us
from photo_api.config import Settings
from photo_api.db.session import Database
from photo_api.errors import MiddlewareError
from photo_api.file_links import repo
from photo_api.public_links import credentials, devices
from photo_api.public_links.access import Presented
from photo_api.public_links.devices import LinkSubject

PASSWORD_REQUIRED = {
    "code": "PASS_PROTECTED_RESOURCE",
    "message": "This resource is password protected",
}


@dataclass(frozen=True, slots=True)
class FileLinkAccess:
    link_id: str
    file_id: int
    owner_id: int
    device_token: str | None = None


def authenticate(
    session: Session,
    *,
    db: Database,
    settings: Settings,
    presented: Presented,
    password_exempt: bool = False,
    admit_device: bool = False,
) -> FileLinkAccess:
    token = presented.access_token
    if not token:
        raise MiddlewareError(401, "missing accessToken", context="file_link")
    link = repo.link_by_token(session, token)
    if link is None:
        raise MiddlewareError(401, "invalid token")
    if link.is_disabled:
        raise MiddlewareError(410, "disabled token")
    if 0 < link.valid_till < now_us():
        raise MiddlewareError(410, "expired token")
    if link.pw_hash:
        proof = presented.password_jwt
        # A proof is checked wherever it is sent, even where none is needed (museum).
        if not proof and not password_exempt:
            raise MiddlewareError(401, PASSWORD_REQUIRED)
        if proof and not credentials.password_jwt_valid(
            proof, secret=settings.keys.raw("jwt_secret"), pass_hash=link.pw_hash
        ):
            raise MiddlewareError(401, {})
    device_token = None
    if admit_device:
        device_token = devices.admit(
            session,
            db=db,
            settings=settings,
            subject=LinkSubject(
                scope="file",
                link_id=link.id,
                access_token=link.access_token,
                valid_till=link.valid_till,
                device_limit=link.device_limit,
            ),
            visitor=presented.visitor,
            presented_token=presented.device_token,
        )
    return FileLinkAccess(
        link_id=link.id, file_id=link.file_id, owner_id=link.owner_id, device_token=device_token
    )
