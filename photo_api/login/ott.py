"""Email one-time codes: 6 digits, 60 minutes, single use, per (email, app).

Codes are kept as keyed hashes (HMAC under the server's hash key): a copy of the database
holds no code that logs anyone in. The limits are museum's, counted per email and client
address (photo_api.login.throttle), so that a stranger cannot keep the owner out.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

import structlog
from sqlalchemy.orm import Session

from photo_api.clock import MICROS_PER_SECOND, now_us
from photo_api.config import Settings
from photo_api.contacts import service as contacts
from photo_api.db.locks import serialize
from photo_api.errors import ApiError, forbidden, gone, too_many_requests
from photo_api.login import repo, throttle
from photo_api.mail import Email, Outbox
from photo_api.users import repo as users_repo
from photo_api.users import service as users

log = structlog.get_logger("photo_api.ott")

OTT_VALIDITY_US = 60 * 60 * MICROS_PER_SECOND
# Codes issued per email and address in an hour, and codes alive per email: past that, a new
# code replaces the oldest rather than locking the email.
MAX_SENT = 10
MAX_ACTIVE_OTTS = 10
MAX_WRONG_ATTEMPTS = 20


def code_hash(settings: Settings, *, email: str, app: str, code: str) -> str:
    message = f"{app}\x00{email}\x00{code}".encode()
    return hmac.new(settings.keys.raw("hash_key"), message, hashlib.sha256).hexdigest()


def _lock(session: Session, *, email: str, app: str) -> None:
    serialize(session, f"ott:{app}:{email}")


def store(
    session: Session, *, settings: Settings, email: str, app: str, code: str, expires_at: int
) -> None:
    """Keep the code (hashed) for that email; the newest MAX_ACTIVE_OTTS stay valid."""
    repo.upsert_ott(
        session,
        email=email,
        app=app,
        code_hash=code_hash(settings, email=email, app=app, code=code),
        now=now_us(),
        expires_at=expires_at,
        keep=MAX_ACTIVE_OTTS,
    )


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
    session: Session,
    *,
    settings: Settings,
    outbox: Outbox,
    email: str,
    purpose: str,
    app: str,
    ip: str,
) -> None:
    email = users.normalize_email(email)
    if not email or "@" not in email:
        raise ApiError(400, "BAD_REQUEST", "Email id is missing")
    _check_purpose(session, settings=settings, email=email, purpose=purpose)
    now = now_us()
    _lock(session, email=email, app=app)
    user = users_repo.user_by_email(session, email)
    sent = throttle.counted(session, kind="ott-sent", subject=f"{app}:{email}", ip=ip, now=now)
    throttle.refuse_unless_allowed(
        session,
        from_address=sent[0],
        everywhere=sent[1],
        limit=MAX_SENT,
        user_id=user.id if user else None,
        ip=ip,
        error=too_many_requests("too many codes requested"),
    )
    throttle.count(session, kind="ott-sent", subject=f"{app}:{email}", ip=ip, now=now)
    fixed = settings.hardcoded_ott_map.get(email) if purpose != "change" else None
    code = fixed or f"{secrets.randbelow(1_000_000):06d}"
    store(
        session,
        settings=settings,
        email=email,
        app=app,
        code=code,
        expires_at=now + OTT_VALIDITY_US,
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


def verify(
    session: Session, *, settings: Settings, email: str, code: str, app: str, ip: str
) -> None:
    """Consume a valid code, or fail with museum's 429 / 410 / 401."""
    email = users.normalize_email(email)
    now = now_us()
    _lock(session, email=email, app=app)
    user = users_repo.user_by_email(session, email)
    wrong = throttle.counted(session, kind="ott-wrong", subject=f"{app}:{email}", ip=ip, now=now)
    throttle.refuse_unless_allowed(
        session,
        from_address=wrong[0],
        everywhere=wrong[1],
        limit=MAX_WRONG_ATTEMPTS,
        user_id=user.id if user else None,
        ip=ip,
        error=too_many_requests("too many wrong attempts"),
    )
    active = repo.active_otts(session, email=email, app=app, now=now)
    if not active:
        raise gone("no active code; request a new one")
    presented = code_hash(settings, email=email, app=app, code=code.strip())
    match = next((row for row in active if hmac.compare_digest(row.code_hash, presented)), None)
    if match is None:
        throttle.count(session, kind="ott-wrong", subject=f"{app}:{email}", ip=ip, now=now)
        raise ApiError(401, "INCORRECT_CODE", "incorrect code", commit=True)
    if not repo.delete_ott(session, match.id):
        raise gone("code already used")


def change_email(
    session: Session, *, settings: Settings, user_id: int, email: str, code: str, app: str, ip: str
) -> None:
    """Move the account to a new address whose code the user just received."""
    email = users.normalize_email(email)
    verify(session, settings=settings, email=email, code=code, app=app, ip=ip)
    state, _ = users.signup_state(session, email)
    if state != "none":
        raise forbidden("email already in use")
    users.require_user(session, user_id).email = email
    session.flush()
    # Contacts show the user's current email: their owners' devices fetch them again.
    contacts.touch_contact_user(session, contact_user_id=user_id)
