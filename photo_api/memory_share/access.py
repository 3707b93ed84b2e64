"""Who may open a memory link, and for how long.

museum's answers, in its order: 401 for a missing or unknown token, 410 for a link its owner
deleted, 410 once seven days have passed. Stricter than museum: the link is found by the
SHA-256 of the token and then compared in constant time, and a deleted account's links are
gone (410) even before the account deletion marked them.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from photo_api.auth.tokens import token_hash
from photo_api.clock import MICROS_PER_DAY, now_us
from photo_api.errors import MiddlewareError
from photo_api.memory_share import repo
from photo_api.public_links import credentials
from photo_api.users import repo as users_repo

# Every link lives exactly this long from its creation; nothing extends it.
TTL_US = 7 * MICROS_PER_DAY


@dataclass(frozen=True, slots=True)
class MemoryLinkAccess:
    """An admitted request to a memory link."""

    share_id: int
    # The link's creator: the files are shown as far as they can still see them.
    owner_id: int


def expired(created_at: int, *, now: int) -> bool:
    return created_at + TTL_US <= now


def authenticate(session: Session, *, token: str | None) -> MemoryLinkAccess:
    if not token:
        raise MiddlewareError(401, "missing accessToken", context="memory_share")
    share = repo.by_token_hash(session, token_hash(token))
    if share is None or not credentials.same(share.access_token, token):
        raise MiddlewareError(401, "invalid token")
    owner = users_repo.get_user(session, share.user_id)
    if share.is_deleted or owner is None or owner.deleted_at is not None:
        raise MiddlewareError(410, "memory share is deleted")
    if expired(share.created_at, now=now_us()):
        raise MiddlewareError(410, "expired token")
    return MemoryLinkAccess(share_id=share.id, owner_id=share.user_id)
