"""SQL the admin views need beyond the users, auth and login repositories."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from photo_api.models import Token


def user_tokens(session: Session, *, user_id: int) -> list[Token]:
    """Every session the user ever had, revoked ones included, newest first."""
    return list(
        session.scalars(
            select(Token).where(Token.user_id == user_id).order_by(Token.created_at.desc())
        )
    )
