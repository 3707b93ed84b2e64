"""Skipping the passkey step with the recovery key, for a user who lost their passkeys.

Before opening the passkey settings, clients store a random secret here, once: its hash for
us, and the secret encrypted with their recovery key. At log-in, the recovery key opens it
and the secret stands in for the passkey. Passkeys stay configured (as on museum).
"""

from __future__ import annotations

import hashlib
import hmac
from typing import Any

from sqlalchemy.orm import Session

from photo_api.auth.deps import Device
from photo_api.clock import now_us
from photo_api.config import Settings
from photo_api.errors import bad_request, forbidden, not_found
from photo_api.login.service import authorization
from photo_api.passkeys import repo
from photo_api.passkeys.login import live_session


def _secret_hash(settings: Settings, secret: str) -> str:
    message = b"passkey-recovery:" + secret.encode()
    return hmac.new(settings.keys.raw("hash_key"), message, hashlib.sha256).hexdigest()


def status(session: Session, *, user_id: int) -> dict[str, bool]:
    # Nothing lets a user forbid an admin's reset, on museum either.
    return {
        "allowAdminReset": True,
        "isPasskeyRecoveryEnabled": repo.recovery(session, user_id) is not None,
    }


def configure(
    session: Session,
    *,
    settings: Settings,
    user_id: int,
    secret: str,
    encrypted_secret: str,
    nonce: str,
) -> None:
    """Set once; a second call changes nothing and still succeeds, as on museum."""
    repo.insert_recovery(
        session,
        {
            "user_id": user_id,
            "secret_hash": _secret_hash(settings, secret),
            "encrypted_secret": encrypted_secret,
            "secret_nonce": nonce,
            "created_at": now_us(),
        },
    )


def recovery_secret(session: Session, *, session_id: str) -> dict[str, str]:
    login = live_session(session, session_id=session_id, now=now_us())
    stored = repo.recovery(session, login.user_id)
    if stored is None:
        raise bad_request("Passkey reset is not configured")
    return {
        "encryptedSecret": stored.encrypted_secret,
        "secretDecryptionNonce": stored.secret_nonce,
    }


def skip(
    session: Session, *, settings: Settings, session_id: str, secret: str, device: Device
) -> dict[str, Any]:
    """Log in with the recovered secret instead of a passkey; the log-in is then spent."""
    login = live_session(session, session_id=session_id, now=now_us())
    stored = repo.recovery(session, login.user_id)
    if stored is None:
        raise not_found("passkey recovery is not configured")
    if not hmac.compare_digest(_secret_hash(settings, secret), stored.secret_hash):
        raise forbidden("wrong secret")
    repo.delete_login_session(session, login.session_hash)
    return authorization(session, user_id=login.user_id, device=device)
