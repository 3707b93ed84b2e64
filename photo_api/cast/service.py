"""Cast rules: TVs pair with a code, a user who takes part in an album lends it to one TV
with a token of their choosing, and that token reads that one album until it is revoked."""

from __future__ import annotations

import secrets
import string
import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from photo_api.auth.tokens import token_hash
from photo_api.cast import repo
from photo_api.cast.schemas import CastDataRequest, device_out
from photo_api.clock import MICROS_PER_DAY, MICROS_PER_SECOND, now_us
from photo_api.collections import access as collections_access
from photo_api.collections import repo as collections_repo
from photo_api.config import Settings
from photo_api.errors import ApiError, MiddlewareError, bad_request, not_found
from photo_api.models import CastSession
from photo_api.public_links import visitor
from photo_api.storage.registry import Stores

CODE_LENGTH = 6
# museum's alphabets: no O or 0, which TV fonts make hard to tell apart; never a leading digit.
CODE_FIRST = string.ascii_uppercase.replace("O", "")
CODE_REST = CODE_FIRST + "123456789"
# Codes come from ~10^9; a few draws always find a free one unless something is badly wrong.
CODE_ATTEMPTS = 8
# The receiver registers a new code when its code is refused, so expiry only costs a redraw.
CODE_LIFETIME_US = 3600 * MICROS_PER_SECOND
# A session unused for a week ends, as on museum.
IDLE_LIFETIME_US = 7 * MICROS_PER_DAY
MAX_SESSIONS_PER_USER = 50
# Recording every use would make each slide a write; once a minute is enough.
TOUCH_INTERVAL_US = 60 * MICROS_PER_SECOND


@dataclass(frozen=True, slots=True)
class CastAccess:
    """An admitted cast device: it reads one album, as the user who lent it."""

    session_id: str
    collection_id: int
    caster_id: int
    last_used_at: int


def new_code() -> str:
    return secrets.choice(CODE_FIRST) + "".join(
        secrets.choice(CODE_REST) for _ in range(CODE_LENGTH - 1)
    )


def _normalized(code: str) -> str:
    return code.strip().upper()


def _live(row: CastSession, now: int) -> bool:
    if row.cast_user_id is None:
        return row.created_at >= now - CODE_LIFETIME_US
    return row.last_used_at >= now - IDLE_LIFETIME_US


def _live_by_code(session: Session, code: str, now: int) -> CastSession | None:
    code = _normalized(code)
    if len(code) != CODE_LENGTH:
        return None
    row = repo.by_code(session, code)
    return row if row is not None and _live(row, now) else None


# --- the TV and the sender pairing ------------------------------------------------------------


def register(session: Session, *, public_key: str, ip: str) -> dict[str, str]:
    """A TV's public key in, a fresh pairing code out."""
    now = now_us()
    for _ in range(CODE_ATTEMPTS):
        row = CastSession(
            id=str(uuid.uuid4()),
            code=new_code(),
            public_key=public_key,
            ip=ip,
            created_at=now,
            last_used_at=now,
        )
        if repo.insert(session, row):
            return {"deviceCode": row.code}
    raise ApiError(503, "SERVICE_UNAVAILABLE", "no free pairing code, try again")


def public_key(session: Session, *, user_id: int, code: str) -> dict[str, str]:
    """The TV's key, for a sender who may still claim its code."""
    row = _live_by_code(session, code, now_us())
    if row is None or row.cast_user_id not in (None, user_id):
        raise not_found("code not found")
    return {"publicKey": row.public_key}


def publish(session: Session, *, user_id: int, app: str, request: CastDataRequest) -> None:
    """Claim a TV's code for an album the caller takes part in, with the caller's token and
    the album key sealed to the TV. A code someone else claimed is not the caller's to take."""
    collection, _ = collections_access.participant(
        session, collection_id=request.collectionID, user_id=user_id, app=app
    )
    if collection.is_deleted:
        raise not_found("collection not found")
    now = now_us()
    row = _live_by_code(session, request.deviceCode, now)
    if row is None or row.cast_user_id not in (None, user_id):
        raise not_found("code not found")
    others = repo.count_of_user(
        session, user_id=user_id, used_since=now - IDLE_LIFETIME_US, other_than=row.id
    )
    if others >= MAX_SESSIONS_PER_USER:
        raise ApiError(403, "CAST_DEVICE_LIMIT_REACHED", "stop casting to another device first")
    claimed = repo.claim(
        session,
        session_id=row.id,
        user_id=user_id,
        collection_id=collection.id,
        token_hash=token_hash(request.castToken),
        payload=request.encPayload,
        now=now,
    )
    if claimed is None:
        raise bad_request("castToken is already in use")
    if not claimed:
        raise not_found("code not found")


def payload(session: Session, *, code: str) -> dict[str, str | None]:
    """What the TV polls for: null until its code is claimed."""
    row = _live_by_code(session, code, now_us())
    if row is None:
        raise not_found("active code not found")
    return {"encCastData": row.encrypted_payload}


# --- the sender managing its sessions ---------------------------------------------------------


def devices(session: Session, *, user_id: int) -> dict[str, list[dict[str, Any]]]:
    rows = repo.of_user(session, user_id=user_id, used_since=now_us() - IDLE_LIFETIME_US)
    return {"devices": [device_out(row) for row in rows]}


def revoke(session: Session, *, user_id: int, device_id: str | None = None) -> None:
    """Stop one of the caller's cast sessions, or all of them. Idempotent and cheap: the web
    calls it each time its cast dialog opens."""
    repo.delete_of_user(session, user_id=user_id, session_id=device_id)


# --- the cast device --------------------------------------------------------------------------


def authenticate(session: Session, *, token: str) -> CastAccess:
    """A live session holding this token, whose caster still takes part in the album."""
    row = repo.by_token(session, token_hash(token))
    if row is None or row.collection_id is None or row.cast_user_id is None:
        raise MiddlewareError(401, "invalid token")
    if not _live(row, now_us()):
        raise MiddlewareError(401, "invalid token")
    collection = collections_repo.get_collection(session, row.collection_id)
    if (
        collection is None
        or collection.is_deleted
        or collections_access.role_of(session, collection=collection, user_id=row.cast_user_id)
        is None
    ):
        raise MiddlewareError(401, "invalid token")
    return CastAccess(
        session_id=row.id,
        collection_id=row.collection_id,
        caster_id=row.cast_user_id,
        last_used_at=row.last_used_at,
    )


def touch_due(access: CastAccess) -> bool:
    """Whether the device's use should be recorded: at most once a minute."""
    return now_us() - access.last_used_at > TOUCH_INTERVAL_US


def touch(session: Session, *, access: CastAccess) -> None:
    repo.touch(session, session_id=access.session_id, now=now_us())


def info(session: Session, *, access: CastAccess) -> dict[str, Any]:
    collection = collections_repo.get_collection(session, access.collection_id)
    if collection is None or collection.is_deleted:
        raise not_found("collection not found")
    return {"collection": visitor.album_as_seen(session, collection)}


def diff(session: Session, *, access: CastAccess, since: int) -> dict[str, Any]:
    return visitor.album_diff(session, collection_id=access.collection_id, since=since)


def file_url(
    session: Session,
    *,
    settings: Settings,
    stores: Stores,
    access: CastAccess,
    file_id: int,
    kind: str,
) -> str:
    return visitor.album_file_url(
        session,
        settings=settings,
        stores=stores,
        collection_id=access.collection_id,
        reader_id=access.caster_id,
        file_id=file_id,
        kind=kind,
    )


def expire(session: Session, *, now: int) -> int:
    """Forget codes nobody claimed in time and sessions left idle."""
    return repo.delete_expired(
        session, registered_before=now - CODE_LIFETIME_US, used_before=now - IDLE_LIFETIME_US
    )
