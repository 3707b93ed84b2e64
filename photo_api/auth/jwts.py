"""museum's JWTs: HS256 with the server's jwt secret and microsecond expiry claims."""

from __future__ import annotations

from typing import Any

import jwt

from photo_api.clock import now_us

ALGORITHM = "HS256"


class InvalidJwt(Exception):
    pass


def encode(claims: dict[str, Any], *, secret: bytes) -> str:
    return jwt.encode(claims, secret, algorithm=ALGORITHM)


def decode(token: str, *, secret: bytes) -> dict[str, Any]:
    """Verify the signature; expiry claims are microseconds, so they are checked by callers."""
    try:
        claims: dict[str, Any] = jwt.decode(
            token,
            secret,
            algorithms=[ALGORITHM],
            options={
                "verify_exp": False,
                "verify_iat": False,
                "verify_nbf": False,
                "verify_aud": False,
                "verify_iss": False,
            },
        )
    except jwt.PyJWTError as exc:
        raise InvalidJwt(str(exc)) from exc
    return claims


def user_claims(*, user_id: int, scope: str, ttl_us: int, **extra: Any) -> dict[str, Any]:
    return {"userID": user_id, "expiryTime": now_us() + ttl_us, "claimScope": scope, **extra}


def decode_user_claims(token: str, *, secret: bytes, scope: str) -> dict[str, Any]:
    """Claims of a museum user JWT of that scope that has not expired."""
    claims = decode(token, secret=secret)
    # museum treats a token without a scope as a PAYMENT token.
    if claims.get("claimScope", "PAYMENT") != scope:
        raise InvalidJwt("wrong scope")
    expiry = claims.get("expiryTime")
    if not isinstance(expiry, int) or expiry < now_us():
        raise InvalidJwt("expired")
    if not isinstance(claims.get("userID"), int):
        raise InvalidJwt("no user")
    return claims
