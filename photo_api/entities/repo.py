"""SQL for entity keys and entities."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from photo_api.models import Entity, EntityKey


def get_key(session: Session, *, user_id: int, type_: str) -> EntityKey | None:
    return session.get(EntityKey, (user_id, type_))


def insert_key(session: Session, row: EntityKey) -> bool:
    """Add a key; False when the user already has one for the type (maybe a concurrent create)."""
    try:
        with session.begin_nested():
            session.add(row)
    except IntegrityError:
        return False
    return True


def get_entity(session: Session, entity_id: str) -> Entity | None:
    return session.get(Entity, entity_id)


def insert_entity(session: Session, row: Entity) -> bool:
    """Add an entity; False when its id is taken."""
    try:
        with session.begin_nested():
            session.add(row)
    except IntegrityError:
        return False
    return True


def diff_rows(
    session: Session, *, user_id: int, type_: str, since: int, limit: int
) -> list[Entity]:
    return list(
        session.scalars(
            select(Entity)
            .where(Entity.user_id == user_id, Entity.type == type_, Entity.updated_at > since)
            .order_by(Entity.updated_at, Entity.id)
            .limit(limit)
        )
    )


def rows_at(session: Session, *, user_id: int, type_: str, at: int) -> list[Entity]:
    return list(
        session.scalars(
            select(Entity)
            .where(Entity.user_id == user_id, Entity.type == type_, Entity.updated_at == at)
            .order_by(Entity.id)
        )
    )
