"""SQL for public album links, the devices admitted to links, and access tokens."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import String, and_, cast, delete, exists, func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from photo_api.db.results import affected_rows
from photo_api.models import Collection, LinkDevice, PublicCollectionLink, PublicFileLink


def access_token_taken(session: Session, token: str) -> bool:
    """Whether any album or file link, live or not, ever had this token."""
    return bool(
        session.scalar(
            select(
                exists().where(PublicCollectionLink.access_token == token)
                | exists().where(PublicFileLink.access_token == token)
            )
        )
    )


def link_by_token(session: Session, token: str) -> PublicCollectionLink | None:
    return session.scalars(
        select(PublicCollectionLink).where(PublicCollectionLink.access_token == token)
    ).one_or_none()


def active_link(session: Session, collection_id: int) -> PublicCollectionLink | None:
    return session.scalars(
        select(PublicCollectionLink).where(
            PublicCollectionLink.collection_id == collection_id,
            PublicCollectionLink.is_disabled.is_(False),
        )
    ).one_or_none()


def active_links(session: Session, collection_ids: Sequence[int]) -> list[PublicCollectionLink]:
    if not collection_ids:
        return []
    return list(
        session.scalars(
            select(PublicCollectionLink)
            .where(
                PublicCollectionLink.collection_id.in_(set(collection_ids)),
                PublicCollectionLink.is_disabled.is_(False),
            )
            .order_by(PublicCollectionLink.id)
        )
    )


def insert_link(session: Session, row: PublicCollectionLink) -> bool:
    """Add a link; False when the album already has a live one (a concurrent create)."""
    try:
        with session.begin_nested():
            session.add(row)
    except IntegrityError:
        return False
    return True


def disable_links(session: Session, *, collection_ids: Sequence[int], now: int) -> list[int]:
    """Disable the live links of these albums; returns the albums that had one."""
    links = active_links(session, collection_ids)
    for link in links:
        link.is_disabled, link.updated_at = True, now
    session.flush()
    return sorted({link.collection_id for link in links})


def owned_collection_ids(session: Session, owner_id: int) -> list[int]:
    return list(session.scalars(select(Collection.id).where(Collection.owner_id == owner_id)))


def lock_link_row(session: Session, *, kind: str, link_id: str) -> None:
    """Serialize the device admissions of one link (PostgreSQL; SQLite writers are serial)."""
    if kind == "collection":
        session.execute(
            select(PublicCollectionLink.id)
            .where(PublicCollectionLink.id == int(link_id))
            .with_for_update()
        )
    else:
        session.execute(
            select(PublicFileLink.id).where(PublicFileLink.id == link_id).with_for_update()
        )


# --- admitted devices -------------------------------------------------------------------------


def device_known(session: Session, *, kind: str, link_id: str, device_hash: str) -> bool:
    return session.get(LinkDevice, (kind, link_id, device_hash)) is not None


def device_count(session: Session, *, kind: str, link_id: str) -> int:
    return int(
        session.scalar(
            select(func.count())
            .select_from(LinkDevice)
            .where(LinkDevice.link_kind == kind, LinkDevice.link_id == link_id)
        )
        or 0
    )


def add_device(session: Session, *, kind: str, link_id: str, device_hash: str, now: int) -> None:
    session.add(
        LinkDevice(link_kind=kind, link_id=link_id, device_hash=device_hash, created_at=now)
    )
    session.flush()


def forget_devices_of_closed_links(session: Session) -> int:
    """Admitted devices of links that were disabled (or removed) count for nothing any more."""
    open_albums = select(cast(PublicCollectionLink.id, String)).where(
        PublicCollectionLink.is_disabled.is_(False)
    )
    open_files = select(PublicFileLink.id).where(PublicFileLink.is_disabled.is_(False))
    result = session.execute(
        delete(LinkDevice).where(
            or_(
                and_(LinkDevice.link_kind == "collection", LinkDevice.link_id.not_in(open_albums)),
                and_(LinkDevice.link_kind == "file", LinkDevice.link_id.not_in(open_files)),
            )
        )
    )
    return affected_rows(result)
