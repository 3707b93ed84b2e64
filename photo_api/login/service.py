"""What follows a verified identity: a second factor, or a new session token."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from photo_api.auth import repo as auth_repo
from photo_api.auth.deps import Device
from photo_api.auth.tokens import new_token, sealed_token, token_hash
from photo_api.clock import MICROS_PER_SECOND, now_us
from photo_api.config import Settings
from photo_api.errors import forbidden
from photo_api.login import repo
from photo_api.models import PasskeyLoginSession, TwoFactorSession, User
from photo_api.passkeys import repo as passkeys_repo
from photo_api.users import repo as users_repo
from photo_api.users import service as users
from photo_api.users.schemas import key_attributes_out

TWO_FACTOR_SESSION_US = 10 * 60 * MICROS_PER_SECOND
PASSKEY_SESSION_US = 10 * 60 * MICROS_PER_SECOND


def issue_token(session: Session, *, user_id: int, device: Device) -> str:
    token = new_token()
    auth_repo.insert_token(
        session,
        user_id=user_id,
        app=device.app,
        token_hash=token_hash(token),
        now=now_us(),
        ip=device.ip,
        user_agent=device.user_agent,
    )
    return token


def authorization(session: Session, *, user_id: int, device: Device) -> dict[str, Any]:
    """A new session for the user: the token in clear until keys exist, then sealed to them."""
    token = issue_token(session, user_id=user_id, device=device)
    attrs = users_repo.key_attributes(session, user_id)
    if attrs is None:
        return {"id": user_id, "token": token}
    return {
        "id": user_id,
        "keyAttributes": key_attributes_out(attrs),
        "encryptedToken": sealed_token(token, attrs.public_key),
    }


def after_verification(
    session: Session, *, settings: Settings, user: User, device: Device
) -> dict[str, Any]:
    """museum's EmailAuthorizationResponse, after an email code or an SRP proof.

    With a passkey, the app hands over to the accounts app with `passkeySessionID`. With TOTP
    as well, its session goes in `twoFactorSessionIDV2`, which only clients that offer the
    choice read; older ones, reading `twoFactorSessionID` only, take the passkey path.
    """
    response: dict[str, Any] = {
        "id": user.id,
        "passkeySessionID": "",
        "accountsUrl": "",
        "twoFactorSessionID": "",
        "twoFactorSessionIDV2": "",
    }
    has_passkey = passkeys_repo.count_passkeys(session, user_id=user.id) > 0
    if not has_passkey and not user.is_two_factor_enabled:
        response.update(authorization(session, user_id=user.id, device=device))
        return response
    now = now_us()
    if has_passkey:
        passkey_session_id = new_token()
        passkeys_repo.add_login_session(
            session,
            PasskeyLoginSession(
                session_hash=token_hash(passkey_session_id),
                user_id=user.id,
                created_at=now,
                expires_at=now + PASSKEY_SESSION_US,
                verified_at=None,
                token_data=None,
                token_fetch_count=0,
            ),
        )
        response["passkeySessionID"] = passkey_session_id
        response["accountsUrl"] = settings.accounts_url
    if user.is_two_factor_enabled:
        totp_session_id = new_token()
        repo.add_two_factor_session(
            session,
            TwoFactorSession(
                id=totp_session_id,
                user_id=user.id,
                created_at=now,
                expires_at=now + TWO_FACTOR_SESSION_US,
                wrong_attempts=0,
            ),
        )
        response["twoFactorSessionIDV2" if has_passkey else "twoFactorSessionID"] = totp_session_id
    return response


def user_for_verified_email(
    session: Session, *, settings: Settings, email: str, source: str | None
) -> User:
    """The account of an email whose code was just verified; created on first sign-in."""
    user = users_repo.user_by_email(session, email)
    if user is not None:
        return user
    if settings.disable_registration:
        raise forbidden("registration is disabled")
    return users.create_user(session, settings=settings, email=email, source=source)
