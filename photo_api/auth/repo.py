"""SQL for sessions (tokens) and rate-limit counters."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, NamedTuple

from sqlalchemy import bindparam, delete, select, update
from sqlalchemy.orm import Session

from photo_api.db import upsert
from photo_api.db.results import affected_rows
from photo_api.models import RateLimitCounter, Token, User

if TYPE_CHECKING:
    from photo_api.auth.usage import TokenUse


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


class CallerRow(NamedTuple):
    id: int
    user_id: int
    created_at: int
    last_used_at: int
    user_deleted_at: int | None


def caller_row(session: Session, *, token_hash: bytes, app: str) -> CallerRow | None:
    """The live session with that token hash for that app, with its user's deletion time."""
    row = session.execute(
        select(Token.id, Token.user_id, Token.created_at, Token.last_used_at, User.deleted_at)
        .join(User, User.id == Token.user_id)
        .where(Token.token_hash == token_hash, Token.app == app, Token.is_deleted.is_(False))
    ).one_or_none()
    return CallerRow(*row) if row is not None else None


def record_token_uses(session: Session, uses: Mapping[int, TokenUse]) -> None:
    """Each token's last use, never moved back by an older note of another process."""
    statement = (
        update(Token)
        .where(Token.id == bindparam("token_id"), Token.last_used_at < bindparam("at"))
        .values(last_used_at=bindparam("at"), ip=bindparam("use_ip"), user_agent=bindparam("agent"))
    )
    session.connection().execute(
        statement,
        [
            {"token_id": token_id, "at": use.at, "use_ip": use.ip, "agent": use.user_agent}
            for token_id, use in uses.items()
        ],
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
    statement = (
        upsert.insert(session, RateLimitCounter)
        .values(key=key, window_start=window_start, count=1)
        .on_conflict_do_update(
            index_elements=["key", "window_start"],
            set_={"count": RateLimitCounter.count + 1},
        )
        .returning(RateLimitCounter.count)
    )
    return int(session.execute(statement).scalar_one())


def counter(session: Session, *, key: str, window_start: int) -> int:
    return int(
        session.scalar(
            select(RateLimitCounter.count).where(
                RateLimitCounter.key == key, RateLimitCounter.window_start == window_start
            )
        )
        or 0
    )


def has_session_from(session: Session, *, user_id: int, ip: str) -> bool:
    """Whether one of the user's live sessions was last used from that address."""
    found = session.scalar(
        select(Token.id)
        .where(Token.user_id == user_id, Token.ip == ip, Token.is_deleted.is_(False))
        .limit(1)
    )
    return found is not None


def delete_counters_before(session: Session, *, window_start: int) -> int:
    result = session.execute(
        delete(RateLimitCounter).where(RateLimitCounter.window_start < window_start)
    )
    return affected_rows(result)
