"""Anonymous identities: a name a link visitor comments under, and the token that proves it.

The token is museum's: an HS256 JWT with the server's jwt secret, typ "anon-identity", the
anonymous user id as subject and a year's validity (standard seconds claims).
"""

from __future__ import annotations

import hmac
import time
from typing import Any

from sqlalchemy.orm import Session

from photo_api.auth import jwts
from photo_api.clock import MICROS_PER_SECOND, now_us
from photo_api.errors import ApiError, bad_request, forbidden, unauthorized
from photo_api.models import AnonUser, Collection
from photo_api.social import repo
from photo_api.social.service import (
    ANON_PREFIX,
    MAX_ANON_NAME_BYTES,
    Actor,
    new_id,
    public_text_fits,
)

TOKEN_TYPE = "anon-identity"
TOKEN_ISSUER = "museum"
TOKEN_TTL_SECONDS = 365 * 24 * 3600


def mint_token(*, secret: bytes, anon_user_id: str) -> tuple[str, int]:
    """The token and its expiry in microseconds, which the web compares with its clock."""
    issued = int(time.time())
    expires = issued + TOKEN_TTL_SECONDS
    claims = {
        "typ": TOKEN_TYPE,
        "sub": anon_user_id,
        "iss": TOKEN_ISSUER,
        "iat": issued,
        "exp": expires,
    }
    return jwts.encode(claims, secret=secret), expires * MICROS_PER_SECOND


def create(
    session: Session, *, secret: bytes, collection: Collection, cipher: str, nonce: str
) -> dict[str, Any]:
    public_text_fits(
        cipher,
        max_bytes=MAX_ANON_NAME_BYTES,
        code="ANON_NAME_TOO_LONG",
        message=f"names are at most {MAX_ANON_NAME_BYTES} bytes",
    )
    now = now_us()
    anon_id = new_id(ANON_PREFIX)
    row = AnonUser(
        id=anon_id,
        collection_id=collection.id,
        cipher=cipher,
        nonce=nonce,
        created_at=now,
        updated_at=now,
    )
    if not repo.insert(session, row):
        raise ApiError(409, "CONFLICT", "try again")
    token, expires_at = mint_token(secret=secret, anon_user_id=anon_id)
    return {"anonUserID": anon_id, "token": token, "expiresAt": expires_at}


def _subject(token: str, *, secret: bytes) -> str:
    try:
        claims = jwts.decode(token, secret=secret)
    except jwts.InvalidJwt as exc:
        raise unauthorized("invalid anonymous identity token") from exc
    subject, expires = claims.get("sub"), claims.get("exp")
    if claims.get("typ") != TOKEN_TYPE or not isinstance(subject, str) or not subject:
        raise unauthorized("invalid anonymous identity token")
    if not isinstance(expires, int) or expires < time.time():
        raise unauthorized("anonymous identity token expired")
    return subject


def actor(
    session: Session,
    *,
    secret: bytes,
    collection_id: int,
    anon_user_id: str | None,
    token: str | None,
) -> Actor:
    """The visitor the token names, who must be of this album (museum's checks, in order)."""
    if not anon_user_id or not token:
        raise unauthorized("an anonymous identity is required")
    subject = _subject(token, secret=secret)
    if not hmac.compare_digest(subject.encode(), anon_user_id.encode()):
        raise bad_request("anonUserID is not the token's")
    row = repo.get_anon_user(session, anon_user_id)
    if row is None:
        raise unauthorized("unknown anonymous identity")
    if row.collection_id != collection_id:
        raise forbidden("anonymous identity of another album")
    return Actor(anon_user_id=anon_user_id)
