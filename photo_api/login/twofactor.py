"""TOTP second factor: setup, enable, the login step, recovery and removal."""

from __future__ import annotations

import base64
import hashlib
import hmac
import io
from typing import Any

import pyotp
import segno
from nacl.secret import SecretBox
from sqlalchemy.orm import Session

from photo_api.auth.deps import Device
from photo_api.clock import MICROS_PER_SECOND, now_us
from photo_api.config import Settings
from photo_api.errors import ApiError, bad_request, forbidden, not_found, too_many_requests
from photo_api.login import repo
from photo_api.login.service import authorization
from photo_api.models import TempTwoFactor, TwoFactor
from photo_api.users import service as users

PENDING_SECRET_US = 10 * 60 * MICROS_PER_SECOND
# A code stays valid for ±1 step of 30 s; remembering it for 90 s covers its whole life.
USED_CODE_MEMORY_US = 90 * MICROS_PER_SECOND
MAX_WRONG_CODES = 10
ISSUER = "ente"


def _secret_hash(settings: Settings, secret: str) -> str:
    return hmac.new(settings.keys.raw("hash_key"), secret.encode(), hashlib.sha256).hexdigest()


def _seal(settings: Settings, secret: str) -> bytes:
    return bytes(SecretBox(settings.keys.raw("encryption_key")).encrypt(secret.encode()))


def _unseal(settings: Settings, sealed: bytes) -> str:
    return SecretBox(settings.keys.raw("encryption_key")).decrypt(sealed).decode()


def status(session: Session, *, user_id: int) -> dict[str, bool]:
    return {"status": users.require_user(session, user_id).is_two_factor_enabled}


def setup(session: Session, *, settings: Settings, user_id: int) -> dict[str, str]:
    user = users.require_user(session, user_id)
    secret = pyotp.random_base32(32)
    now = now_us()
    repo.add_temp_two_factor(
        session,
        TempTwoFactor(
            user_id=user_id,
            encrypted_secret=_seal(settings, secret),
            secret_hash=_secret_hash(settings, secret),
            created_at=now,
            expires_at=now + PENDING_SECRET_US,
        ),
    )
    uri = pyotp.TOTP(secret).provisioning_uri(name=user.email or "", issuer_name=ISSUER)
    png = io.BytesIO()
    segno.make(uri, error="m").save(png, kind="png", scale=5)
    return {"secretCode": secret, "qrCode": base64.b64encode(png.getvalue()).decode()}


def enable(
    session: Session,
    *,
    settings: Settings,
    user_id: int,
    code: str,
    encrypted_secret: str,
    nonce: str,
) -> None:
    user = users.require_user(session, user_id)
    now = now_us()
    for pending in repo.active_temp_two_factors(session, user_id=user_id, now=now):
        secret = _unseal(settings, pending.encrypted_secret)
        if pyotp.TOTP(secret).verify(code, valid_window=1):
            repo.save_two_factor(
                session,
                TwoFactor(
                    user_id=user_id,
                    encrypted_secret=pending.encrypted_secret,
                    secret_hash=pending.secret_hash,
                    recovery_encrypted_secret=encrypted_secret,
                    recovery_secret_nonce=nonce,
                    created_at=now,
                ),
            )
            repo.delete_temp_two_factor(session, pending.id)
            user.is_two_factor_enabled = True
            session.flush()
            return
    raise ApiError(401, "INCORRECT_CODE", "incorrect code")


def disable(session: Session, *, user_id: int) -> None:
    users.require_user(session, user_id).is_two_factor_enabled = False
    session.flush()


def verify(
    session: Session, *, settings: Settings, session_id: str, code: str, device: Device
) -> dict[str, Any]:
    now = now_us()
    pending = repo.live_two_factor_session(session, session_id=session_id, now=now)
    if pending is None:
        raise not_found("two-factor session expired")
    if pending.wrong_attempts >= MAX_WRONG_CODES:
        raise too_many_requests("too many wrong codes")
    user = users.require_user(session, pending.user_id)
    stored = repo.two_factor(session, user.id)
    if not user.is_two_factor_enabled or stored is None:
        raise bad_request("two-factor is not enabled")
    code = code.strip()
    code_hash = hashlib.sha256(f"{user.id}:{code}".encode()).hexdigest()
    valid = pyotp.TOTP(_unseal(settings, stored.encrypted_secret)).verify(code, valid_window=1)
    if not valid or repo.code_recently_used(
        session, user_id=user.id, code_hash=code_hash, since=now - USED_CODE_MEMORY_US
    ):
        pending.wrong_attempts += 1
        raise ApiError(401, "INCORRECT_CODE", "incorrect code", commit=True)
    repo.record_used_code(session, user_id=user.id, code_hash=code_hash, now=now)
    return authorization(session, user_id=user.id, device=device)


def recovery_secret(session: Session, *, session_id: str) -> dict[str, str]:
    pending = repo.live_two_factor_session(session, session_id=session_id, now=now_us())
    stored = repo.two_factor(session, pending.user_id) if pending else None
    if stored is None:
        raise not_found("two-factor session expired")
    return {
        "encryptedSecret": stored.recovery_encrypted_secret,
        "secretDecryptionNonce": stored.recovery_secret_nonce,
    }


def remove(
    session: Session, *, settings: Settings, session_id: str, secret: str, device: Device
) -> dict[str, Any]:
    """Log in with the recovered TOTP secret instead of a code, turning 2FA off."""
    pending = repo.live_two_factor_session(session, session_id=session_id, now=now_us())
    stored = repo.two_factor(session, pending.user_id) if pending else None
    if pending is None or stored is None:
        raise not_found("two-factor session expired")
    if not hmac.compare_digest(_secret_hash(settings, secret.strip()), stored.secret_hash):
        raise forbidden("wrong secret")
    users.require_user(session, pending.user_id).is_two_factor_enabled = False
    return authorization(session, user_id=pending.user_id, device=device)


def accepts_code(session: Session, *, settings: Settings, user_id: int, code: str) -> bool:
    stored = repo.two_factor(session, user_id)
    if stored is None:
        return False
    return pyotp.TOTP(_unseal(settings, stored.encrypted_secret)).verify(
        code.strip(), valid_window=1
    )
