"""What a memory link shows its visitors: the link, its files, their thumbnails, bytes and
video previews, as far as the link's creator can still see each file."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from photo_api.config import Settings
from photo_api.errors import not_found
from photo_api.filedata import service as filedata
from photo_api.files import service as files_service
from photo_api.memory_share import repo
from photo_api.memory_share.access import MemoryLinkAccess
from photo_api.memory_share.schemas import memory_file_out, memory_share_out
from photo_api.storage.registry import Stores


def info(session: Session, *, settings: Settings, access: MemoryLinkAccess) -> dict[str, Any]:
    share = repo.get(session, access.share_id)
    if share is None:
        raise not_found("memory share not found")
    return {"memoryShare": memory_share_out(share, settings=settings)}


def files(session: Session, *, access: MemoryLinkAccess) -> dict[str, Any]:
    """Every visible file of the link at once, in the link's order (no paging: a link holds
    at most MAX_FILES_PER_LINK files)."""
    items = repo.visible_items(session, share_id=access.share_id, viewer_id=access.owner_id)
    return {"files": [memory_file_out(item, file) for item, file in items]}


def _visible(session: Session, *, access: MemoryLinkAccess, file_id: int) -> None:
    item = repo.visible_item(
        session, share_id=access.share_id, viewer_id=access.owner_id, file_id=file_id
    )
    if item is None:
        raise not_found("file is not in this memory")


def download_url(
    session: Session,
    *,
    settings: Settings,
    stores: Stores,
    access: MemoryLinkAccess,
    file_id: int,
    kind: str,
) -> str:
    """A signed URL for a visible file of the link (or its thumbnail), read as its creator."""
    _visible(session, access=access, file_id=file_id)
    return files_service.download_url(
        session,
        settings=settings,
        stores=stores,
        user_id=access.owner_id,
        file_id=file_id,
        kind=kind,
    )


def file_data(
    session: Session,
    *,
    stores: Stores,
    access: MemoryLinkAccess,
    file_id: int,
    type_: str,
    prefer_no_content: bool,
) -> dict[str, Any] | None:
    """A visible file's video-preview playlist; None when it has none and a 204 is wanted."""
    _visible(session, access=access, file_id=file_id)
    return filedata.fetch_one(
        session,
        stores=stores,
        user_id=access.owner_id,
        file_id=file_id,
        type_=type_,
        prefer_no_content=prefer_no_content,
    )


def preview_url(
    session: Session,
    *,
    settings: Settings,
    stores: Stores,
    access: MemoryLinkAccess,
    file_id: int,
    type_: str,
) -> dict[str, str]:
    _visible(session, access=access, file_id=file_id)
    return filedata.preview_url(
        session,
        settings=settings,
        stores=stores,
        user_id=access.owner_id,
        file_id=file_id,
        type_=type_,
    )
