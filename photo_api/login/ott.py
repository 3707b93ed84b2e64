"""Email one-time codes: 6 digits, 60 minutes, single use, per (email, app)."""

from __future__ import annotations

import hmac
import secrets

import structlog
from sqlalchemy.orm import Session

from photo_api.clock import MICROS_PER_SECOND, now_us
from photo_api.config import Settings
from photo_api.contacts import service as contacts
from photo_api.errors import ApiError, forbidden, gone, too_many_requests
from photo_api.login import repo
from photo_api.mail import Email, Outbox
from photo_api.users import service as users

log = structlog.get_logger("photo_api.ott")

OTT_VALIDITY_US = 60 * 60 * MICROS_PER_SECOND
MAX_ACTIVE_OTTS = 10
MAX_WRONG_ATTEMPTS = 20


def _check_purpose(session: Session, *, settings: Settings, email: str, purpose: str) -> None:
    state, _ = users.signup_state(session, email)
    if purpose == "change" and state != "none":
        raise forbidden("email already in use")
    if purpose == "signup":
        if settings.disable_registration and state != "complete":
            raise forbidden("registration is disabled")
        if state == "complete":
            raise ApiError(409, "USER_ALREADY_REGISTERED", "user already registered")
    if purpose == "login":
        if state == "none":
            raise ApiError(404, "USER_NOT_REGISTERED", "user not registered")
        if state == "incomplete":
            raise ApiError(404, "USER_SIGNUP_INCOMPLETE", "user signup incomplete")


def send(
    session: Session, *, settings: Settings, outbox: Outbox, email: str, purpose: str, app: str
) -> None:
    email = users.normalize_email(email)
    if not email or "@" not in email:
        raise ApiError(400, "BAD_REQUEST", "Email id is missing")
    _check_purpose(session, settings=settings, email=email, purpose=purpose)
    now = now_us()
    if len(repo.active_otts(session, email=email, app=app, now=now)) >= MAX_ACTIVE_OTTS:
        raise too_many_requests("too many active codes")
    fixed = settings.hardcoded_ott_map.get(email) if purpose != "change" else None
    code = fixed or f"{secrets.randbelow(1_000_000):06d}"
    repo.upsert_ott(
        session, email=email, app=app, code=code, now=now, expires_at=now + OTT_VALIDITY_US
    )
    if fixed:
        log.info("fixed code configured for this email; no mail sent", email=email)
        return
    if not outbox.has_smtp:
        # The one place a self-hoster without mail finds the code.
        log.warning(f"Verification code for {email}: {code}", email=email, app=app)
        return
    outbox.send(
        Email(
            to=email,
            subject=f"Verification code: {code}",
            text=f"Your verification code is {code}. It is valid for 60 minutes.",
        )
    )


def verify(session: Session, *, email: str, code: str, app: str) -> None:
    """Consume a valid code, or fail with museum's 429 / 410 / 401."""
    email = users.normalize_email(email)
    code = code.strip()
    now = now_us()
    active = repo.active_otts(session, email=email, app=app, now=now)
    if any(row.wrong_attempts >= MAX_WRONG_ATTEMPTS for row in active):
        raise too_many_requests("too many wrong attempts")
    if not active:
        raise gone("no active code; request a new one")
    match = next((row for row in active if hmac.compare_digest(row.code, code)), None)
    if match is None:
        repo.count_wrong_attempt(session, [row.id for row in active])
        raise ApiError(401, "INCORRECT_CODE", "incorrect code", commit=True)
    if not repo.delete_ott(session, match.id):
        raise gone("code already used")


def change_email(session: Session, *, user_id: int, email: str, code: str, app: str) -> None:
    """Move the account to a new address whose code the user just received."""
    email = users.normalize_email(email)
    verify(session, email=email, code=code, app=app)
    state, _ = users.signup_state(session, email)
    if state != "none":
        raise forbidden("email already in use")
    users.require_user(session, user_id).email = email
    session.flush()
    # Contacts show the user's current email: their owners' devices fetch them again.
    contacts.touch_contact_user(session, contact_user_id=user_id)
