"""The passkey step of a log-in: an assertion ceremony run by the accounts app, then the
session token handed to the app that asked for it (redirect, or get-token as a fallback)."""

from __future__ import annotations

import secrets
import uuid
from typing import Any

import structlog
from sqlalchemy.orm import Session

from photo_api.auth.deps import Device
from photo_api.auth.tokens import token_hash
from photo_api.clock import MICROS_PER_SECOND, now_us
from photo_api.config import Settings
from photo_api.errors import ApiError, bad_request, not_found
from photo_api.login.service import authorization
from photo_api.models import PasskeyLoginSession, WebauthnCeremony
from photo_api.passkeys import ceremonies, repo
from photo_api.passkeys.schemas import assertion_options, user_handle
from photo_api.passkeys.service import CHALLENGE_BYTES
from photo_api.users import repo as users_repo
from photo_api.users import service as users

log = structlog.get_logger(__name__)

CEREMONY_US = 2 * 60 * MICROS_PER_SECOND
# After the passkey is verified, get-token hands the answer out twice within two minutes.
TOKEN_FETCH_WINDOW_US = 2 * 60 * MICROS_PER_SECOND
MAX_TOKEN_FETCHES = 2
LOGIN = "login"


def live_session(session: Session, *, session_id: str, now: int) -> PasskeyLoginSession:
    """The waiting log-in; an unknown or expired one is a 404, which clients read as expired."""
    row = repo.live_login_session(session, session_hash=token_hash(session_id), now=now)
    if row is None:
        raise not_found("passkey session not found or expired")
    return row


def _claimed(*, commit: bool = False) -> ApiError:
    return ApiError(409, "SESSION_ALREADY_CLAIMED", "Session is already claimed", commit=commit)


def begin(session: Session, *, settings: Settings, session_id: str) -> dict[str, Any]:
    now = now_us()
    login = live_session(session, session_id=session_id, now=now)
    if login.verified_at is not None:
        raise _claimed()
    users.require_user(session, login.user_id)
    rp_id = settings.resolved_webauthn_rp_id
    passkeys = repo.passkeys(session, user_id=login.user_id, rp_id=rp_id)
    if not passkeys:
        # Passkeys registered under another RP id (the setting changed) cannot sign for this one.
        raise bad_request("No passkey found for user")
    ceremony = WebauthnCeremony(
        id=str(uuid.uuid4()),
        kind=LOGIN,
        user_id=login.user_id,
        login_session_hash=login.session_hash,
        challenge=secrets.token_bytes(CHALLENGE_BYTES),
        rp_id=rp_id,
        created_at=now,
        expires_at=now + CEREMONY_US,
    )
    repo.add_ceremony(session, ceremony)
    options = assertion_options(rp_id=rp_id, challenge=ceremony.challenge, passkeys=passkeys)
    return {"ceremonySessionID": ceremony.id, "options": options}


def _invalid_signature() -> ApiError:
    # museum's answer for every failed assertion; the ceremony stays spent.
    return ApiError(401, "BAD_REQUEST", "Invalid signature", commit=True)


def finish(
    session: Session,
    *,
    settings: Settings,
    session_id: str,
    ceremony_id: str,
    body: dict[str, Any],
    device: Device,
) -> dict[str, Any]:
    """Verify the assertion and log in for the app of the request (the accounts app sends
    the requesting app's package)."""
    now = now_us()
    login = live_session(session, session_id=session_id, now=now)
    users.require_user(session, login.user_id)
    ceremony = repo.take_ceremony(session, ceremony_id)
    if (
        ceremony is None
        or ceremony.kind != LOGIN
        or ceremony.login_session_hash != login.session_hash
    ):
        raise not_found("no such ceremony")
    # From here on the ceremony is spent, whatever the outcome: commit its removal.
    if ceremony.expires_at <= now:
        raise ApiError(410, "SESSION_EXPIRED", "Session expired", commit=True)
    try:
        credential = ceremonies.parse_assertion(body)
        passkey = repo.passkey_by_credential(
            session, user_id=login.user_id, rp_id=ceremony.rp_id, credential_id=credential.raw_id
        )
        handle = credential.response.user_handle
        if passkey is None:
            raise ceremonies.CeremonyFailed("not a credential of this user")
        if handle and handle != user_handle(login.user_id):
            raise ceremonies.CeremonyFailed("user handle of another user")
        sign_count = ceremonies.verify_assertion(
            credential,
            challenge=ceremony.challenge,
            rp_id=ceremony.rp_id,
            origins=settings.resolved_webauthn_rp_origins,
            public_key=passkey.public_key,
            sign_count=passkey.sign_count,
        )
    except ceremonies.CeremonyFailed as exc:
        log.info("passkey assertion refused", user_id=login.user_id, reason=str(exc))
        raise _invalid_signature() from exc
    if users_repo.key_attributes(session, login.user_id) is None:
        # A token in clear has no place in a stored answer; museum answers 404 too.
        raise ApiError(404, "NOT_FOUND", "no key attributes", commit=True)
    # One finish per log-in: of two ceremonies begun side by side, only the first counts.
    if not repo.claim_login_session(session, session_hash=login.session_hash, now=now):
        raise _claimed(commit=True)
    repo.record_use(session, passkey_id=passkey.id, sign_count=sign_count, now=now)
    answer = authorization(session, user_id=login.user_id, device=device)
    repo.store_token_data(session, session_hash=login.session_hash, data=answer)
    return answer


def token(session: Session, *, session_id: str) -> dict[str, Any]:
    """The answer of a finished log-in, for the app whose redirect did not arrive."""
    now = now_us()
    login = live_session(session, session_id=session_id, now=now)
    if login.verified_at is None or login.token_data is None:
        raise ApiError(400, "SESSION_NOT_VERIFIED", "Session is not verified yet")
    if login.verified_at <= now - TOKEN_FETCH_WINDOW_US:
        raise ApiError(410, "INVALID_SESSION", "Session verified but expired now")
    if not repo.count_token_fetch(
        session, session_hash=login.session_hash, limit=MAX_TOKEN_FETCHES
    ):
        raise ApiError(410, "INVALID_SESSION", "Token fetch limit reached")
    return login.token_data
