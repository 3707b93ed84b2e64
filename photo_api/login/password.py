"""The seed's server-side password login (POST /users/login); off unless configured.

Ente clients never send a password to the server; this exists for scripts and tools that
want a token without doing SRP. The password is separate from the encryption password.
"""

from __future__ import annotations

import functools

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy.orm import Session

from photo_api.auth.deps import Device
from photo_api.config import Settings
from photo_api.errors import ApiError, bad_request, not_found
from photo_api.login import twofactor
from photo_api.login.service import issue_token
from photo_api.passkeys import repo as passkeys_repo
from photo_api.users import repo as users_repo
from photo_api.users import service as users

MIN_PASSWORD_LENGTH = 12
_hasher = PasswordHasher()


@functools.cache
def _dummy_hash() -> str:
    """Verified against when the email is unknown, so both cases take the same time.

    Computed on first use, not at import: an Argon2 hash costs every command's start."""
    return _hasher.hash("photo-api: no such user")


def set_password(session: Session, *, user_id: int, password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise bad_request(f"password must have at least {MIN_PASSWORD_LENGTH} characters")
    users.require_user(session, user_id).password_hash = _hasher.hash(password)
    session.flush()


def login(
    session: Session,
    *,
    settings: Settings,
    email: str,
    password: str,
    totp_code: str | None,
    device: Device,
) -> dict[str, str]:
    if not settings.password_login:
        raise not_found("password login is disabled on this server")
    user = users_repo.user_by_email(session, users.normalize_email(email))
    stored = user.password_hash if user and user.deleted_at is None else None
    try:
        _hasher.verify(stored or _dummy_hash(), password)
        valid = stored is not None
    except (VerificationError, InvalidHashError):
        valid = False
    if not valid or user is None:
        raise ApiError(401, "INVALID_CREDENTIALS", "wrong email or password")
    totp_ok = bool(
        user.is_two_factor_enabled
        and totp_code
        and twofactor.accepts_code(session, settings=settings, user_id=user.id, code=totp_code)
    )
    if user.is_two_factor_enabled and not totp_ok:
        raise ApiError(401, "TOTP_REQUIRED", "a valid totpCode is required")
    # A passkey cannot be asked for here; unless a TOTP code stood in for it (as the clients
    # offer either), the account's second factor would be skipped.
    if not totp_ok and passkeys_repo.count_passkeys(session, user_id=user.id) > 0:
        raise ApiError(401, "PASSKEY_REQUIRED", "this account logs in with a passkey")
    return {"authToken": issue_token(session, user_id=user.id, device=device)}
