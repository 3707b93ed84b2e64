"""Wire shapes of public album links: request bodies and museum's PublicURL object."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import AfterValidator, Field

from photo_api.config import Settings
from photo_api.models import PublicCollectionLink
from photo_api.wire import Int64, WireModel

INT32_MIN, INT32_MAX = -(2**31), 2**31 - 1
Int32 = Annotated[int, Field(ge=INT32_MIN, le=INT32_MAX)]
Secret = Annotated[str, Field(min_length=1, max_length=4096)]


def _non_zero(value: int) -> int:
    # gin's binding:"required" refuses a zero id as if it were absent.
    if value == 0:
        raise ValueError("required")
    return value


RequiredId = Annotated[
    Int64, AfterValidator(_non_zero), Field(json_schema_extra={"not": {"const": 0}})
]


class CreateLinkRequest(WireModel):
    collectionID: RequiredId
    enableCollect: bool = False
    enableComment: bool = False
    # Absent means true: links made by clients that predate joining can still be joined.
    enableJoin: bool | None = None
    validTill: Int64 = 0
    deviceLimit: Int32 = 0


class UpdateLinkRequest(WireModel):
    """Every field but collectionID is optional; absent (or null) leaves it unchanged."""

    collectionID: RequiredId
    validTill: Int64 | None = None
    # Range-checked by the service, which answers museum's message.
    deviceLimit: Int64 | None = None
    passHash: Secret | None = None
    nonce: Secret | None = None
    memLimit: Int64 | None = None
    opsLimit: Int64 | None = None
    enableDownload: bool | None = None
    enableCollect: bool | None = None
    enableComment: bool | None = None
    disablePassword: bool | None = None
    enableJoin: bool | None = None
    minRole: str | None = Field(default=None, max_length=32)


class VerifyPasswordRequest(WireModel):
    passHash: Secret


def album_url(settings: Settings, token: str) -> str:
    return f"{settings.albums_origin.rstrip('/')}/?t={token}"


def _password_fields(link: PublicCollectionLink) -> dict[str, Any]:
    if link.pw_nonce is None:
        return {}
    return {"nonce": link.pw_nonce, "memLimit": link.mem_limit, "opsLimit": link.ops_limit}


def public_url_out(link: PublicCollectionLink, *, settings: Settings) -> dict[str, Any]:
    """museum's PublicURL: the link as its album's participants see it."""
    out: dict[str, Any] = {
        "url": album_url(settings, link.access_token),
        "deviceLimit": link.device_limit,
        "validTill": link.valid_till,
        "enableDownload": link.enable_download,
        "enableCollect": link.enable_collect,
        "enableComment": link.enable_comment,
        "passwordEnabled": bool(link.pw_hash),
        **_password_fields(link),
        "enableJoin": link.enable_join,
    }
    if link.min_role:
        out["minRole"] = link.min_role
    return out


def visitor_url_out(link: PublicCollectionLink) -> dict[str, Any]:
    """What a link's visitor learns of it: switches and KDF parameters, not the token."""
    return {
        "url": "",
        "deviceLimit": 0,
        "validTill": 0,
        "enableDownload": link.enable_download,
        "enableCollect": link.enable_collect,
        "enableComment": link.enable_comment,
        "passwordEnabled": bool(link.pw_hash),
        **_password_fields(link),
        "enableJoin": link.enable_join,
    }
