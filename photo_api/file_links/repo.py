"""SQL for public links to single files."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from photo_api.models import PublicFileLink


def link_by_token(session: Session, token: str) -> PublicFileLink | None:
    return session.scalars(
        select(PublicFileLink).where(PublicFileLink.access_token == token)
    ).one_or_none()


def active_link(session: Session, file_id: int) -> PublicFileLink | None:
    return session.scalars(
        select(PublicFileLink).where(
            PublicFileLink.file_id == file_id, PublicFileLink.is_disabled.is_(False)
        )
    ).one_or_none()


def insert_link(session: Session, row: PublicFileLink) -> bool:
    """Add a link; False when the file already has a live one (a concurrent create)."""
    try:
        with session.begin_nested():
            session.add(row)
    except IntegrityError:
        return False
    return True


def owner_links(
    session: Session, *, owner_id: int, app: str, created_after: int, limit: int
) -> list[PublicFileLink]:
    """The owner's links of one app created after a time, most recently changed first."""
    return list(
        session.scalars(
            select(PublicFileLink)
            .where(
                PublicFileLink.owner_id == owner_id,
                PublicFileLink.app == app,
                PublicFileLink.created_at > created_after,
            )
            .order_by(PublicFileLink.updated_at.desc(), PublicFileLink.id)
            .limit(limit)
        )
    )


def disable_for_files(session: Session, *, file_ids: Sequence[int], now: int) -> None:
    if file_ids:
        session.execute(
            update(PublicFileLink)
            .where(PublicFileLink.file_id.in_(set(file_ids)), PublicFileLink.is_disabled.is_(False))
            .values(is_disabled=True, updated_at=now)
        )


def disable_for_owner(session: Session, *, owner_id: int, now: int) -> None:
    session.execute(
        update(PublicFileLink)
        .where(PublicFileLink.owner_id == owner_id, PublicFileLink.is_disabled.is_(False))
        .values(is_disabled=True, updated_at=now)
    )
