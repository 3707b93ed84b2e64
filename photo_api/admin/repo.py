"""SQL the admin views need beyond the users, auth and login repositories."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from photo_api.models import File, Subscription, Token, Usage, User


def user_tokens(session: Session, *, user_id: int) -> list[Token]:
    """Every session the user ever had, revoked ones included, newest first."""
    return list(
        session.scalars(
            select(Token).where(Token.user_id == user_id).order_by(Token.created_at.desc())
        )
    )


def account_totals(session: Session) -> dict[int, tuple[int, int | None, int]]:
    """Per live user: bytes used, quota (None without a plan), files stored (trash included)."""
    files = select(File.owner_id, func.count().label("files")).group_by(File.owner_id).subquery()
    rows = session.execute(
        select(User.id, Usage.storage_consumed, Subscription.storage, files.c.files)
        .outerjoin(Usage, Usage.user_id == User.id)
        .outerjoin(Subscription, Subscription.user_id == User.id)
        .outerjoin(files, files.c.owner_id == User.id)
        .where(User.deleted_at.is_(None))
    )
    return {
        user_id: (int(usage or 0), quota, int(count or 0)) for user_id, usage, quota, count in rows
    }
