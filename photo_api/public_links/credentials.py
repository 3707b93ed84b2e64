"""What a link's visitor holds: the access token, the password JWT and the device token.

All three are museum's formats, so that a browser moving between servers keeps working:
HS256 JWTs signed with the jwt secret whose time claims are microseconds.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import string
from typing import Literal

from photo_api.auth import jwts
from photo_api.clock import MICROS_PER_DAY, now_us

# museum: the first 10 characters of a short UUID, upper-cased.
ACCESS_TOKEN_LENGTH = 10
ACCESS_TOKEN_ALPHABET = "23456789" + string.ascii_uppercase
PASSWORD_JWT_TTL_US = 365 * MICROS_PER_DAY
DEVICE_TOKEN_TTL_US = 365 * MICROS_PER_DAY
# A device token with less time left than this is replaced on the next admission.
DEVICE_TOKEN_REFRESH_US = 30 * MICROS_PER_DAY
DEVICE_TOKEN_TYPE = "link-device"
DEVICE_TOKEN_ISSUER = "museum"
DEVICE_TOKEN_AUDIENCE = "public-link-device"
_ATH_CONTEXT = b"ente:public-link-device-token:access-token:v1"

LinkScope = Literal["collection", "file"]


def new_access_token() -> str:
    return "".join(secrets.choice(ACCESS_TOKEN_ALPHABET) for _ in range(ACCESS_TOKEN_LENGTH))


def same(a: str, b: str) -> bool:
    """Constant-time equality of two secrets."""
    return hmac.compare_digest(a.encode(), b.encode())


# --- password ---------------------------------------------------------------------------------


def password_jwt(*, secret: bytes, pass_hash: str) -> str:
    """Proof that the visitor knew the link's password; it dies when the password changes."""
    return jwts.encode(
        {"passKey": pass_hash, "expiryTime": now_us() + PASSWORD_JWT_TTL_US}, secret=secret
    )


def password_jwt_valid(token: str, *, secret: bytes, pass_hash: str) -> bool:
    try:
        claims = jwts.decode(token, secret=secret)
    except jwts.InvalidJwt:
        return False
    expiry, pass_key = claims.get("expiryTime"), claims.get("passKey")
    return (
        isinstance(expiry, int)
        and expiry >= now_us()
        and isinstance(pass_key, str)
        and same(pass_key, pass_hash)
    )


# --- device admission -------------------------------------------------------------------------


def _access_token_mac(secret: bytes, access_token: str) -> str:
    """Binds a device token to one access token without putting the token in it."""
    mac = hmac.new(secret, _ATH_CONTEXT + b"\x00" + access_token.encode(), hashlib.sha256)
    return base64.urlsafe_b64encode(mac.digest()).rstrip(b"=").decode()


def device_token(
    *, secret: bytes, scope: LinkScope, link_id: str, access_token: str, valid_till: int
) -> str:
    """A browser's admission to a link, so that a new IP does not count as a new device."""
    now = now_us()
    expiry = now + DEVICE_TOKEN_TTL_US
    if 0 < valid_till < expiry:
        expiry = valid_till
    return jwts.encode(
        {
            "typ": DEVICE_TOKEN_TYPE,
            "scope": scope,
            "linkID": link_id,
            "ath": _access_token_mac(secret, access_token),
            "iat": now,
            "exp": expiry,
            "iss": DEVICE_TOKEN_ISSUER,
            "aud": DEVICE_TOKEN_AUDIENCE,
        },
        secret=secret,
    )


def device_token_expiry(
    token: str, *, secret: bytes, scope: LinkScope, link_id: str, access_token: str
) -> int | None:
    """The expiry (µs) of a device token valid for this link and token, else None."""
    try:
        claims = jwts.decode(token, secret=secret)
    except jwts.InvalidJwt:
        return None
    expiry, ath = claims.get("exp"), claims.get("ath")
    if (
        claims.get("typ") != DEVICE_TOKEN_TYPE
        or claims.get("scope") != scope
        or claims.get("linkID") != link_id
        or claims.get("iss") != DEVICE_TOKEN_ISSUER
        or claims.get("aud") != DEVICE_TOKEN_AUDIENCE
        or not isinstance(ath, str)
        or not same(ath, _access_token_mac(secret, access_token))
        or not isinstance(expiry, int)
        or expiry < now_us()
    ):
        return None
    return expiry
