"""Rules for single-file links: the owner's create, change, disable and list, and what a
visitor of the link may fetch."""

from __future__ import annotations

import secrets
import string
from collections.abc import Sequence
from typing import Any

from sqlalchemy.orm import Session

from photo_api.clock import now_us
from photo_api.config import Settings
from photo_api.errors import ApiError, bad_request, forbidden, not_found, unauthorized
from photo_api.file_links import repo
from photo_api.file_links.access import FileLinkAccess
from photo_api.file_links.schemas import (
    CreateFileLinkRequest,
    UpdateFileLinkRequest,
    file_url_out,
    link_secrets_out,
)
from photo_api.files import repo as files_repo
from photo_api.files import service as files_service
from photo_api.files.schemas import file_out
from photo_api.models import File, PublicFileLink
from photo_api.public_links import credentials
from photo_api.public_links import repo as links_repo
from photo_api.public_links.service import TOKEN_ATTEMPTS, check_settings
from photo_api.storage.registry import Stores

# museum's ids for file links: "pft_" and 22 characters of this alphabet.
LINK_ID_PREFIX = "pft_"
LINK_ID_ALPHABET = string.digits + string.ascii_uppercase + string.ascii_lowercase
LINK_ID_LENGTH = 22
NO_VIEWER = 0
SECRET_FIELDS = (
    ("encrypted_file_key", "encryptedFileKey"),
    ("encrypted_file_key_nonce", "encryptedFileKeyNonce"),
    ("kdf_nonce", "kdfNonce"),
    ("kdf_mem_limit", "kdfMemLimit"),
    ("kdf_ops_limit", "kdfOpsLimit"),
    ("encrypted_share_key", "encryptedShareKey"),
)


def _new_link_id() -> str:
    return LINK_ID_PREFIX + "".join(secrets.choice(LINK_ID_ALPHABET) for _ in range(LINK_ID_LENGTH))


def _owned_file(session: Session, *, user_id: int, file_id: int) -> File:
    file = files_repo.get_file(session, file_id)
    if file is None:
        raise not_found("file not found")
    if file.owner_id != user_id:
        raise forbidden("not file owner")
    return file


def create(
    session: Session,
    *,
    settings: Settings,
    user_id: int,
    app: str,
    request: CreateFileLinkRequest,
) -> dict[str, Any]:
    """A link to one of the caller's files, or the file's live link with any key material it
    lacked filled in from this request."""
    if request.app != app:
        raise bad_request("app mismatch")
    file = _owned_file(session, user_id=user_id, file_id=request.fileID)
    for _ in range(TOKEN_ATTEMPTS):
        existing = repo.active_link(session, file.id)
        if existing is not None:
            for column, field in SECRET_FIELDS:
                if getattr(existing, column) is None:
                    setattr(existing, column, getattr(request, field))
            session.flush()
            return file_url_out(existing, settings=settings)
        token = credentials.new_access_token()
        if links_repo.access_token_taken(session, token):
            continue
        now = now_us()
        link = PublicFileLink(
            id=_new_link_id(),
            file_id=file.id,
            owner_id=user_id,
            app=app,
            access_token=token,
            is_disabled=False,
            valid_till=0,
            device_limit=0,
            enable_download=True,
            created_at=now,
            updated_at=now,
            **{column: getattr(request, field) for column, field in SECRET_FIELDS},
        )
        if repo.insert_link(session, link):
            return file_url_out(link, settings=settings)
    raise ApiError(500, "INTERNAL_ERROR", "could not find an unused access token")


def _validate_update(request: UpdateFileLinkRequest) -> None:
    """museum's UpdateFileUrl.Validate, message for message."""
    settable = (
        request.deviceLimit,
        request.validTill,
        request.disablePassword,
        request.nonce,
        request.passHash,
        request.enableDownload,
    )
    if all(value is None for value in settable):
        raise bad_request("all parameters are missing")
    check_settings(
        device_limit=request.deviceLimit,
        valid_till=request.validTill,
        password=(request.passHash, request.nonce, request.memLimit, request.opsLimit),
        disable_password=request.disablePassword,
    )


def update(
    session: Session, *, settings: Settings, user_id: int, request: UpdateFileLinkRequest
) -> dict[str, Any]:
    _validate_update(request)
    link = repo.active_link(session, request.fileID)
    if link is None:
        raise not_found("the file has no active link")
    if link.owner_id != user_id:
        raise forbidden("not file owner")
    if request.validTill is not None:
        link.valid_till = request.validTill
    if request.deviceLimit is not None:
        link.device_limit = request.deviceLimit
    if request.passHash is not None and request.nonce is not None:
        link.pw_hash, link.pw_nonce = request.passHash, request.nonce
        link.mem_limit, link.ops_limit = request.memLimit, request.opsLimit
    elif request.disablePassword:
        link.pw_hash = link.pw_nonce = None
        link.mem_limit = link.ops_limit = None
    if request.enableDownload is not None:
        link.enable_download = request.enableDownload
    link.updated_at = now_us()
    session.flush()
    return {"result": file_url_out(link, settings=settings)}


def disable(session: Session, *, user_id: int, file_id: int) -> None:
    file = _owned_file(session, user_id=user_id, file_id=file_id)
    disable_file_links(session, file_ids=[file.id])


def disable_file_links(session: Session, *, file_ids: Sequence[int]) -> None:
    """Disable the live links of these files (e.g. when they are trashed)."""
    repo.disable_for_files(session, file_ids=file_ids, now=now_us())


def disable_owner_file_links(session: Session, *, owner_id: int) -> None:
    """Disable every file link of a user (account deletion)."""
    repo.disable_for_owner(session, owner_id=owner_id, now=now_us())


def list_links(
    session: Session, *, settings: Settings, user_id: int, app: str, since: int, limit: int
) -> dict[str, Any]:
    links = repo.owner_links(session, owner_id=user_id, app=app, created_after=since, limit=limit)
    # museum answers null rather than an empty list.
    return {
        "diff": [file_url_out(link, settings=settings, with_token=False) for link in links] or None
    }


# --- the visitor ------------------------------------------------------------------------------


def _link(session: Session, access: FileLinkAccess) -> PublicFileLink:
    link = session.get(PublicFileLink, access.link_id)
    if link is None:
        raise not_found("link not found")
    return link


def info(session: Session, *, access: FileLinkAccess) -> dict[str, Any]:
    file = files_repo.get_file(session, access.file_id)
    if file is None:
        raise not_found("file not found")
    out_file = file_out(file, membership=None, viewer_id=NO_VIEWER, in_collection=False)
    return {"file": out_file, "link": link_secrets_out(_link(session, access))}


def pass_info(session: Session, *, access: FileLinkAccess) -> dict[str, Any]:
    link = _link(session, access)
    return {"nonce": link.pw_nonce, "opsLimit": link.ops_limit, "memLimit": link.mem_limit}


def verify_password(
    session: Session, *, settings: Settings, access: FileLinkAccess, pass_hash: str
) -> dict[str, str]:
    link = _link(session, access)
    if not link.pw_hash:
        raise bad_request("password is not configured for the link")
    if not credentials.same(pass_hash, link.pw_hash):
        raise unauthorized("incorrect password for link")
    secret = settings.keys.raw("jwt_secret")
    return {"jwtToken": credentials.password_jwt(secret=secret, pass_hash=link.pw_hash)}


def download_url(
    session: Session, *, settings: Settings, stores: Stores, access: FileLinkAccess, kind: str
) -> str:
    """The file or its thumbnail, signed as for its owner (enableDownload is a UI hint only)."""
    return files_service.download_url(
        session,
        settings=settings,
        stores=stores,
        user_id=access.owner_id,
        file_id=access.file_id,
        kind=kind,
    )
