"""SQL for the Ente Auth key and entities."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from photo_api.models import AuthenticatorEntity, AuthenticatorKey


def get_key(session: Session, user_id: int) -> AuthenticatorKey | None:
    return session.get(AuthenticatorKey, user_id)


def lock_key(session: Session, user_id: int) -> AuthenticatorKey | None:
    """The user's key, locked until the request ends: the user's changes happen one at a time."""
    return session.scalars(
        select(AuthenticatorKey)
        .where(AuthenticatorKey.user_id == user_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).one_or_none()


def insert_key(session: Session, row: AuthenticatorKey) -> bool:
    """Add the user's key; False when there is one already (maybe a concurrent create)."""
    try:
        with session.begin_nested():
            session.add(row)
    except IntegrityError:
        return False
    return True


def get_entity(session: Session, entity_id: str) -> AuthenticatorEntity | None:
    return session.get(AuthenticatorEntity, entity_id)


def add_entity(session: Session, row: AuthenticatorEntity) -> None:
    session.add(row)
    session.flush()


def diff_rows(
    session: Session, *, user_id: int, since: int, limit: int
) -> list[AuthenticatorEntity]:
    return list(
        session.scalars(
            select(AuthenticatorEntity)
            .where(AuthenticatorEntity.user_id == user_id, AuthenticatorEntity.updated_at > since)
            .order_by(AuthenticatorEntity.updated_at, AuthenticatorEntity.id)
            .limit(limit)
        )
    )


def rows_at(session: Session, *, user_id: int, at: int) -> list[AuthenticatorEntity]:
    return list(
        session.scalars(
            select(AuthenticatorEntity)
            .where(AuthenticatorEntity.user_id == user_id, AuthenticatorEntity.updated_at == at)
            .order_by(AuthenticatorEntity.id)
        )
    )


def count_live(session: Session, *, user_id: int) -> int:
    return int(
        session.scalar(
            select(func.count()).where(
                AuthenticatorEntity.user_id == user_id, AuthenticatorEntity.is_deleted.is_(False)
            )
        )
        or 0
    )
