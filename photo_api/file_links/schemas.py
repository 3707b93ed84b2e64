"""Wire shapes of single-file links: request bodies and museum's FileUrl object."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from photo_api.config import Settings
from photo_api.models import PublicFileLink
from photo_api.public_links.schemas import RequiredId, Secret
from photo_api.wire import Int64, WireModel


class CreateFileLinkRequest(WireModel):
    fileID: RequiredId
    app: str = Field(min_length=1, max_length=16)
    # What the locker app needs to open the file without an account; opaque to the server.
    encryptedFileKey: Secret | None = None
    encryptedFileKeyNonce: Secret | None = None
    kdfNonce: Secret | None = None
    kdfMemLimit: Int64 | None = None
    kdfOpsLimit: Int64 | None = None
    encryptedShareKey: Secret | None = None


class UpdateFileLinkRequest(WireModel):
    linkID: str = Field(min_length=1, max_length=64)
    fileID: RequiredId
    validTill: Int64 | None = None
    deviceLimit: Int64 | None = None
    passHash: Secret | None = None
    nonce: Secret | None = None
    memLimit: Int64 | None = None
    opsLimit: Int64 | None = None
    enableDownload: bool | None = None
    disablePassword: bool | None = None


def file_link_url(settings: Settings, token: str) -> str:
    return f"{settings.albums_origin.rstrip('/')}/file/?t={token}"


def _present(pairs: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in pairs.items() if value is not None}


def link_secrets_out(link: PublicFileLink) -> dict[str, Any]:
    return _present(
        {
            "encryptedFileKey": link.encrypted_file_key,
            "encryptedFileKeyNonce": link.encrypted_file_key_nonce,
            "kdfNonce": link.kdf_nonce,
            "kdfMemLimit": link.kdf_mem_limit,
            "kdfOpsLimit": link.kdf_ops_limit,
        }
    )


def file_url_out(
    link: PublicFileLink, *, settings: Settings, with_token: bool = True
) -> dict[str, Any]:
    """museum's FileUrl. Its listing leaves the token out of the URL (museum's query does
    not select it); clients keep the URL they got when they created the link."""
    out: dict[str, Any] = {
        "linkID": link.id,
        "url": file_link_url(settings, link.access_token if with_token else ""),
        "ownerID": link.owner_id,
        "fileID": link.file_id,
        "isDisabled": link.is_disabled,
        "validTill": link.valid_till,
        "deviceLimit": link.device_limit,
        "passwordEnabled": link.pw_hash is not None,
        **_present(
            {"nonce": link.pw_nonce, "memLimit": link.mem_limit, "opsLimit": link.ops_limit}
        ),
        "enableDownload": link.enable_download,
        "createdAt": link.created_at,
        **link_secrets_out(link),
    }
    if link.encrypted_share_key is not None:
        out["encryptedShareKey"] = link.encrypted_share_key
    return out
