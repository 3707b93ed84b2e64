"""SRP registration, password change and login, with museum's attempt limits."""

from __future__ import annotations

import hashlib
import secrets
import uuid
from typing import Any

from sqlalchemy.orm import Session

from photo_api.auth import repo as auth_repo
from photo_api.auth import srp
from photo_api.auth.deps import Device
from photo_api.clock import now_us
from photo_api.config import Settings
from photo_api.db.locks import serialize
from photo_api.errors import ApiError, bad_request, not_found, too_many_requests, unauthorized
from photo_api.login import repo, throttle
from photo_api.login.service import after_verification
from photo_api.models import SrpSession, SrpSetup
from photo_api.users import repo as users_repo
from photo_api.users import service as users
from photo_api.users.schemas import UpdatedKeyAttributes
from photo_api.wire import b64decode, b64encode

HOUR_US = throttle.HOUR_US
MAX_UNVERIFIED_SESSIONS_PER_HOUR = 10
MAX_WRONG_PROOFS = 5
# Past this many unknown emails an hour, answer with made-up attributes, as museum does,
# so that the endpoint cannot be used to list accounts.
UNKNOWN_EMAIL_404S_PER_HOUR = 100


def _fake_attributes(email: str, hash_key: bytes) -> dict[str, Any]:
    h1 = hashlib.sha256(b"email-salt-purpose-and-uuid" + email.encode() + hash_key).digest()
    h2 = hashlib.sha256(b"kek-salt-purpose" + email.encode() + hash_key).digest()
    strong = h1[16] % 2 == 1
    return {
        "srpUserID": str(uuid.UUID(bytes=h1[:16], version=4)),
        "srpSalt": b64encode(h1[16:32]),
        "memLimit": 1073741824 if strong else 268435456,
        "opsLimit": 4 if strong else 16,
        "kekSalt": b64encode(h2[16:32]),
        "isEmailMFAEnabled": h1[16] % 5 == 0,
    }


def attributes(session: Session, *, settings: Settings, email: str) -> dict[str, Any]:
    email = users.normalize_email(email)
    user = users_repo.user_by_email(session, email)
    if user is None:
        window = now_us() // HOUR_US * HOUR_US
        misses = auth_repo.hit_counter(session, key="srp-attributes-miss", window_start=window)
        if misses <= UNKNOWN_EMAIL_404S_PER_HOUR:
            raise ApiError(404, "NOT_FOUND", "", commit=True)
        return {"attributes": _fake_attributes(email, settings.keys.raw("hash_key"))}
    auth = repo.srp_auth(session, user.id)
    attrs = users_repo.key_attributes(session, user.id)
    if auth is None:
        raise not_found()
    if attrs is None:
        # SRP without keys cannot log in; have the client set SRP up again.
        repo.delete_srp_auth(session, user.id)
        raise ApiError(404, "NOT_FOUND", "", commit=True)
    return {
        "attributes": {
            "srpUserID": auth.srp_user_id,
            "srpSalt": auth.salt,
            "memLimit": attrs.mem_limit,
            "opsLimit": attrs.ops_limit,
            "kekSalt": attrs.kek_salt,
            "isEmailMFAEnabled": user.email_mfa,
        }
    }


def _decode_a(srp_a: str) -> bytes:
    a_bytes = b64decode(srp_a)
    if len(a_bytes) != srp.SRP_PAD_BYTES:
        raise bad_request("Invalid length for srpA")
    return a_bytes


def _new_session(
    session: Session, *, srp_user_id: str, verifier: bytes, srp_a: str, user_id: int, ip: str
) -> tuple[SrpSession, str]:
    """A login attempt against this verifier; returns it with the server's public B."""
    now = now_us()
    serialize(session, f"srp-sessions:{srp_user_id}")
    since = now - HOUR_US
    throttle.refuse_unless_allowed(
        session,
        from_address=repo.count_unverified_srp_sessions(
            session, srp_user_id=srp_user_id, since=since, ip=ip
        ),
        everywhere=repo.count_unverified_srp_sessions(
            session, srp_user_id=srp_user_id, since=since
        ),
        limit=MAX_UNVERIFIED_SESSIONS_PER_HOUR,
        user_id=user_id,
        ip=ip,
        error=too_many_requests("TOO_MANY_UNVERIFIED_SESSIONS"),
    )
    try:
        b_secret, srp_b = srp.server_challenge(verifier=verifier, srp_a=_decode_a(srp_a))
    except srp.SrpError as exc:
        raise bad_request(str(exc)) from exc
    row = SrpSession(
        id=str(uuid.uuid4()),
        srp_user_id=srp_user_id,
        server_key=b64encode(b_secret),
        srp_a=srp_a,
        has_verified=False,
        attempt_count=0,
        is_fake=False,
        ip=ip,
        created_at=now,
        updated_at=now,
    )
    repo.add_srp_session(session, row)
    return row, b64encode(srp_b)


def _check_proof(row: SrpSession, *, verifier: bytes, m1: str) -> bytes:
    """M2 for a correct M1; a wrong one counts against the session (and is kept)."""
    if row.has_verified:
        raise ApiError(410, "SESSION_ALREADY_VERIFIED", "session already verified")
    if row.attempt_count >= MAX_WRONG_PROOFS:
        raise ApiError(410, "TOO_MANY_WRONG_ATTEMPTS", "too many wrong attempts")
    m1_bytes = b64decode(m1)
    if len(m1_bytes) != 32:
        raise bad_request("srpM1 must be 32 bytes")
    m2 = None
    if not row.is_fake:
        m2 = srp.verify_client_proof(
            verifier=verifier,
            srp_a=b64decode(row.srp_a),
            b_secret=b64decode(row.server_key),
            m1=m1_bytes,
        )
    row.updated_at = now_us()
    if m2 is None:
        row.attempt_count += 1
        raise ApiError(401, "INVALID_PASSWORD", "", commit=True)
    row.has_verified = True
    return m2


def setup(
    session: Session,
    *,
    user_id: int,
    srp_user_id: str,
    salt: str,
    verifier: str,
    srp_a: str,
    ip: str,
) -> dict[str, Any]:
    row, srp_b = _new_session(
        session,
        srp_user_id=srp_user_id,
        verifier=b64decode(verifier),
        srp_a=srp_a,
        user_id=user_id,
        ip=ip,
    )
    setup_row = SrpSetup(
        id=str(uuid.uuid4()),
        user_id=user_id,
        session_id=row.id,
        srp_user_id=srp_user_id,
        salt=salt,
        verifier=verifier,
        created_at=now_us(),
    )
    repo.add_srp_setup(session, setup_row)
    return {"setupID": setup_row.id, "srpB": srp_b}


def _verified_setup(
    session: Session, *, user_id: int, setup_id: str, m1: str
) -> tuple[SrpSetup, bytes]:
    setup_row = repo.srp_setup(session, setup_id)
    # museum does not check whose setup it is; we do.
    if setup_row is None or setup_row.user_id != user_id:
        raise not_found("unknown setupID")
    row = repo.srp_session(session, setup_row.session_id, lock=True)
    if row is None:
        raise not_found("unknown setupID")
    owner = repo.srp_auth_by_srp_user_id(session, setup_row.srp_user_id)
    if owner is not None and owner.user_id != user_id:
        raise ApiError(409, "CONFLICT", "srpUserID already taken")
    return setup_row, _check_proof(row, verifier=b64decode(setup_row.verifier), m1=m1)


def complete(session: Session, *, user_id: int, setup_id: str, m1: str) -> dict[str, Any]:
    if repo.srp_auth(session, user_id) is not None:
        raise bad_request("SRP setup already complete")
    setup_row, m2 = _verified_setup(session, user_id=user_id, setup_id=setup_id, m1=m1)
    repo.save_srp_auth(
        session,
        user_id=user_id,
        srp_user_id=setup_row.srp_user_id,
        salt=setup_row.salt,
        verifier=setup_row.verifier,
        now=now_us(),
    )
    return {"setupID": setup_id, "srpM2": b64encode(m2)}


def update(
    session: Session,
    *,
    user_id: int,
    token_id: int | None,
    setup_id: str,
    m1: str,
    key_attrs: UpdatedKeyAttributes,
    log_out_others: bool,
) -> dict[str, Any]:
    """New SRP credentials and key attributes; `log_out_others` ends the user's sessions
    but `token_id` (None: all of them, as after a trusted contact's recovery)."""
    users.check_kdf(mem_limit=key_attrs.memLimit, ops_limit=key_attrs.opsLimit)
    attrs = users_repo.key_attributes(session, user_id)
    if attrs is None:
        raise not_found("no key attributes")
    setup_row, m2 = _verified_setup(session, user_id=user_id, setup_id=setup_id, m1=m1)
    repo.save_srp_auth(
        session,
        user_id=user_id,
        srp_user_id=setup_row.srp_user_id,
        salt=setup_row.salt,
        verifier=setup_row.verifier,
        now=now_us(),
    )
    attrs.kek_salt = key_attrs.kekSalt
    attrs.encrypted_key = key_attrs.encryptedKey
    attrs.key_decryption_nonce = key_attrs.keyDecryptionNonce
    attrs.mem_limit, attrs.ops_limit = key_attrs.memLimit, key_attrs.opsLimit
    if log_out_others:
        auth_repo.revoke_tokens(session, user_id=user_id, except_id=token_id)
    session.flush()
    return {"setupID": setup_id, "srpM2": b64encode(m2)}


def create_session(session: Session, *, srp_user_id: str, srp_a: str, ip: str) -> dict[str, Any]:
    auth = repo.srp_auth_by_srp_user_id(session, srp_user_id)
    if auth is None:
        # Look like a real account: a session whose proof can never succeed.
        _decode_a(srp_a)
        now = now_us()
        fake = SrpSession(
            id=str(uuid.uuid4()),
            srp_user_id=srp_user_id,
            server_key=b64encode(secrets.token_bytes(32)),
            srp_a=srp_a,
            has_verified=False,
            attempt_count=0,
            is_fake=True,
            ip=ip,
            created_at=now,
            updated_at=now,
        )
        repo.add_srp_session(session, fake)
        return {"sessionID": fake.id, "srpB": b64encode(secrets.token_bytes(srp.SRP_PAD_BYTES))}
    user = users.require_user(session, auth.user_id)
    if user.email_mfa:
        raise ApiError(409, "EMAIL_MFA_ENABLED", "Email MFA is enabled")
    row, srp_b = _new_session(
        session,
        srp_user_id=srp_user_id,
        verifier=b64decode(auth.verifier),
        srp_a=srp_a,
        user_id=auth.user_id,
        ip=ip,
    )
    return {"sessionID": row.id, "srpB": srp_b}


def verify_session(
    session: Session,
    *,
    settings: Settings,
    session_id: str,
    srp_user_id: str,
    m1: str,
    device: Device,
) -> dict[str, Any]:
    row = repo.srp_session(session, session_id, lock=True)
    # museum does not tie the session to the srpUserID; we do.
    if row is None or row.srp_user_id != srp_user_id:
        raise unauthorized()
    auth = None if row.is_fake else repo.srp_auth_by_srp_user_id(session, srp_user_id)
    if auth is None:
        row.is_fake = True
    verifier = b64decode(auth.verifier) if auth else b""
    m2 = _check_proof(row, verifier=verifier, m1=m1)
    assert auth is not None  # a fake session never yields a proof
    user = users.require_user(session, auth.user_id)
    response = after_verification(session, settings=settings, user=user, device=device)
    response["srpM2"] = b64encode(m2)
    return response
