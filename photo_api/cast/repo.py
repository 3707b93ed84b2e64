"""SQL for cast sessions: pairing codes, their claims, the tokens cast devices present."""

from __future__ import annotations

from sqlalchemy import delete, func, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from photo_api.db.results import affected_rows
from photo_api.models import CastSession


def insert(session: Session, row: CastSession) -> bool:
    """Add a registration; False when its code is taken (the caller draws another)."""
    try:
        with session.begin_nested():
            session.add(row)
    except IntegrityError:
        return False
    return True


def by_code(session: Session, code: str) -> CastSession | None:
    return session.scalars(select(CastSession).where(CastSession.code == code)).one_or_none()


def by_token(session: Session, token_hash: bytes) -> CastSession | None:
    return session.scalars(
        select(CastSession).where(CastSession.token_hash == token_hash)
    ).one_or_none()


def claim(
    session: Session,
    *,
    session_id: str,
    user_id: int,
    collection_id: int,
    token_hash: bytes,
    payload: str,
    now: int,
) -> bool | None:
    """Bind the session to the user's album and token, unless another user got there first
    (False). None when the token is already another session's."""
    statement = (
        update(CastSession)
        .where(
            CastSession.id == session_id,
            or_(CastSession.cast_user_id.is_(None), CastSession.cast_user_id == user_id),
        )
        .values(
            cast_user_id=user_id,
            collection_id=collection_id,
            token_hash=token_hash,
            encrypted_payload=payload,
            last_used_at=now,
        )
    )
    try:
        with session.begin_nested():
            claimed = affected_rows(session.execute(statement)) == 1
    except IntegrityError:
        return None
    return claimed


def count_of_user(session: Session, *, user_id: int, used_since: int, other_than: str) -> int:
    return int(
        session.scalar(
            select(func.count()).where(
                CastSession.cast_user_id == user_id,
                CastSession.last_used_at >= used_since,
                CastSession.id != other_than,
            )
        )
        or 0
    )


def of_user(session: Session, *, user_id: int, used_since: int) -> list[CastSession]:
    return list(
        session.scalars(
            select(CastSession)
            .where(CastSession.cast_user_id == user_id, CastSession.last_used_at >= used_since)
            .order_by(CastSession.created_at.desc(), CastSession.id)
        )
    )


def touch(session: Session, *, session_id: str, now: int) -> None:
    session.execute(
        update(CastSession)
        .where(CastSession.id == session_id, CastSession.last_used_at < now)
        .values(last_used_at=now)
    )


def delete_of_user(session: Session, *, user_id: int, session_id: str | None = None) -> int:
    """End the user's cast sessions: one, or all of them."""
    statement = delete(CastSession).where(CastSession.cast_user_id == user_id)
    if session_id is not None:
        statement = statement.where(CastSession.id == session_id)
    return affected_rows(session.execute(statement))


def delete_of_collection(
    session: Session, *, collection_id: int, user_id: int | None = None
) -> int:
    """End the sessions casting an album: everyone's, or one user's (who lost access)."""
    statement = delete(CastSession).where(CastSession.collection_id == collection_id)
    if user_id is not None:
        statement = statement.where(CastSession.cast_user_id == user_id)
    return affected_rows(session.execute(statement))


def delete_expired(session: Session, *, registered_before: int, used_before: int) -> int:
    """Codes nobody claimed in time, and sessions idle for too long."""
    return affected_rows(
        session.execute(
            delete(CastSession).where(
                or_(
                    (CastSession.cast_user_id.is_(None))
                    & (CastSession.created_at < registered_before),
                    CastSession.last_used_at < used_before,
                )
            )
        )
    )
