"""SQL for sessions (tokens) and rate-limit counters."""

from __future__ import annotations

from sqlalchemy import delete, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from photo_api.db.results import affected_rows
from photo_api.models import RateLimitCounter, Token


def insert_token(
    session: Session,
    *,
    user_id: int,
    app: str,
    token_hash: bytes,
    now: int,
    ip: str | None,
    user_agent: str | None,
) -> Token:
    row = Token(
        user_id=user_id,
        app=app,
        token_hash=token_hash,
        created_at=now,
        last_used_at=now,
        ip=ip,
        user_agent=user_agent,
        is_deleted=False,
    )
    session.add(row)
    session.flush()
    return row


def active_token(session: Session, *, token_hash: bytes, app: str) -> Token | None:
    return session.scalars(
        select(Token).where(
            Token.token_hash == token_hash, Token.app == app, Token.is_deleted.is_(False)
        )
    ).one_or_none()


def touch_token(
    session: Session, *, token_id: int, now: int, ip: str | None, user_agent: str | None
) -> None:
    session.execute(
        update(Token)
        .where(Token.id == token_id)
        .values(last_used_at=now, ip=ip, user_agent=user_agent)
    )


def active_tokens(session: Session, *, user_id: int, app: str | None = None) -> list[Token]:
    query = select(Token).where(Token.user_id == user_id, Token.is_deleted.is_(False))
    if app is not None:
        query = query.where(Token.app == app)
    return list(session.scalars(query.order_by(Token.last_used_at.desc())))


def token_by_id(session: Session, *, token_id: int, user_id: int) -> Token | None:
    return session.scalars(
        select(Token).where(Token.id == token_id, Token.user_id == user_id)
    ).one_or_none()


def token_by_hash(session: Session, *, token_hash: bytes, user_id: int) -> Token | None:
    return session.scalars(
        select(Token).where(Token.token_hash == token_hash, Token.user_id == user_id)
    ).one_or_none()


def revoke_tokens(
    session: Session,
    *,
    user_id: int,
    except_id: int | None = None,
    token_ids: list[int] | None = None,
) -> int:
    query = update(Token).where(Token.user_id == user_id, Token.is_deleted.is_(False))
    if except_id is not None:
        query = query.where(Token.id != except_id)
    if token_ids is not None:
        query = query.where(Token.id.in_(token_ids))
    return affected_rows(session.execute(query.values(is_deleted=True)))


def token_apps(session: Session, *, user_id: int) -> list[str]:
    return list(session.scalars(select(Token.app).where(Token.user_id == user_id).distinct()))


def hit_counter(session: Session, *, key: str, window_start: int) -> int:
    """Count one more event in (key, window) and return the new count, atomically."""
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    statement = (
        dialect.insert(RateLimitCounter)
        .values(key=key, window_start=window_start, count=1)
        .on_conflict_do_update(
            index_elements=["key", "window_start"],
            set_={"count": RateLimitCounter.count + 1},
        )
        .returning(RateLimitCounter.count)
    )
    return int(session.execute(statement).scalar_one())


def delete_counters_before(session: Session, *, window_start: int) -> int:
    result = session.execute(
        delete(RateLimitCounter).where(RateLimitCounter.window_start < window_start)
    )
    return affected_rows(result)
