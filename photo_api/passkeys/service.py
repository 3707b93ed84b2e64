"""Managing passkeys from the accounts app: the token that opens it, list, rename, delete,
and registration."""

from __future__ import annotations

import secrets
import uuid
from typing import Any

import structlog
from sqlalchemy.orm import Session

from photo_api.auth import jwts
from photo_api.clock import MICROS_PER_SECOND, now_us
from photo_api.config import Settings
from photo_api.errors import ApiError, bad_request, not_found
from photo_api.models import WebauthnCeremony
from photo_api.passkeys import ceremonies, repo
from photo_api.passkeys.deps import ACCOUNTS_SCOPE
from photo_api.passkeys.schemas import passkey_out, registration_options
from photo_api.users import service as users

log = structlog.get_logger(__name__)

ACCOUNTS_TOKEN_US = 30 * 60 * MICROS_PER_SECOND
REGISTRATION_US = 5 * 60 * MICROS_PER_SECOND
MAX_PASSKEYS = 10
MAX_NAME_BYTES = 256
CHALLENGE_BYTES = 32
REGISTRATION = "registration"


def accounts_token(*, settings: Settings, user_id: int) -> dict[str, str]:
    token = jwts.encode(
        jwts.user_claims(user_id=user_id, scope=ACCOUNTS_SCOPE, ttl_us=ACCOUNTS_TOKEN_US),
        secret=settings.keys.raw("jwt_secret"),
    )
    return {"accountsToken": token, "accountsUrl": settings.accounts_url}


def list_passkeys(session: Session, *, settings: Settings, user_id: int) -> dict[str, Any]:
    return {
        "accountsUrl": settings.accounts_url,
        "passkeys": [passkey_out(p) for p in repo.passkeys(session, user_id=user_id)],
    }


def _check_name(name: str) -> str:
    if not 1 <= len(name.encode()) <= MAX_NAME_BYTES:
        raise bad_request("friendlyName must be between 1 and 256 characters")
    return name


def rename(session: Session, *, user_id: int, passkey_id: str, name: str) -> None:
    # museum answers 200 for an id that is not the caller's, and so do we: nothing changes.
    repo.rename_passkey(session, user_id=user_id, passkey_id=passkey_id, name=_check_name(name))


def delete(session: Session, *, user_id: int, passkey_id: str) -> None:
    """Delete for good (museum keeps a soft-deleted row, which nothing reads again)."""
    repo.delete_passkey(session, user_id=user_id, passkey_id=passkey_id)


def remove_all(session: Session, *, user_id: int) -> int:
    """Every passkey of the user, and the log-ins waiting for one."""
    removed = repo.delete_passkeys(session, user_id=user_id)
    repo.delete_login_state(session, user_id=user_id)
    return removed


def begin_registration(session: Session, *, settings: Settings, user_id: int) -> dict[str, Any]:
    user = users.require_user(session, user_id)
    if repo.count_passkeys(session, user_id=user_id) >= MAX_PASSKEYS:
        raise ApiError(409, "MAX_PASSKEYS_REACHED", "Max passkeys limit reached")
    now = now_us()
    ceremony = WebauthnCeremony(
        id=str(uuid.uuid4()),
        kind=REGISTRATION,
        user_id=user_id,
        login_session_hash=None,
        challenge=secrets.token_bytes(CHALLENGE_BYTES),
        rp_id=settings.resolved_webauthn_rp_id,
        created_at=now,
        expires_at=now + REGISTRATION_US,
    )
    repo.add_ceremony(session, ceremony)
    options = registration_options(
        rp_id=ceremony.rp_id, user_id=user_id, email=user.email or "", challenge=ceremony.challenge
    )
    return {"options": options, "sessionID": ceremony.id}


def finish_registration(
    session: Session,
    *,
    settings: Settings,
    user_id: int,
    ceremony_id: str,
    name: str,
    body: dict[str, Any],
) -> None:
    _check_name(name)
    ceremony = repo.take_ceremony(session, ceremony_id)
    if ceremony is None or ceremony.kind != REGISTRATION or ceremony.user_id != user_id:
        raise not_found("no such registration")
    # From here on the ceremony is spent, whatever the outcome: commit its removal.
    if ceremony.expires_at <= now_us():
        raise ApiError(410, "SESSION_EXPIRED", "Session expired", commit=True)
    if repo.count_passkeys(session, user_id=user_id) >= MAX_PASSKEYS:
        raise ApiError(409, "MAX_PASSKEYS_REACHED", "Max passkeys limit reached", commit=True)
    try:
        credential = ceremonies.verify_registration(
            body,
            challenge=ceremony.challenge,
            rp_id=ceremony.rp_id,
            origins=settings.resolved_webauthn_rp_origins,
        )
    except ceremonies.CeremonyFailed as exc:
        log.info("passkey registration refused", user_id=user_id, reason=str(exc))
        raise ApiError(
            400, "BAD_REQUEST", "Error verifying attestation response", commit=True
        ) from exc
    added = repo.insert_passkey(
        session,
        {
            "id": str(uuid.uuid4()),
            "user_id": user_id,
            "friendly_name": name,
            "rp_id": ceremony.rp_id,
            "credential_id": credential.credential_id,
            "public_key": credential.public_key,
            "sign_count": credential.sign_count,
            "transports": credential.transports,
            "aaguid": credential.aaguid,
            "created_at": now_us(),
            "last_used_at": None,
        },
    )
    if not added:
        raise ApiError(409, "CONFLICT", "This passkey is already registered", commit=True)
