"""SQL for email codes, SRP records and two-factor state."""

from __future__ import annotations

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from photo_api.db.results import affected_rows
from photo_api.models import (
    Ott,
    SrpAuth,
    SrpSession,
    SrpSetup,
    TempTwoFactor,
    TwoFactor,
    TwoFactorSession,
    TwoFactorUsedCode,
)

# --- email one-time codes ---------------------------------------------------------------


def active_otts(session: Session, *, email: str, app: str, now: int) -> list[Ott]:
    return list(
        session.scalars(select(Ott).where(Ott.email == email, Ott.app == app, Ott.expires_at > now))
    )


def upsert_ott(
    session: Session,
    *,
    email: str,
    app: str,
    code_hash: str,
    now: int,
    expires_at: int,
    keep: int,
) -> None:
    """Store the code (a resent one gets a new expiry), then drop all but the `keep` newest."""
    row = session.scalars(
        select(Ott).where(Ott.email == email, Ott.app == app, Ott.code_hash == code_hash)
    ).one_or_none()
    if row is None:
        session.add(
            Ott(email=email, app=app, code_hash=code_hash, created_at=now, expires_at=expires_at)
        )
    else:
        row.created_at, row.expires_at = now, expires_at
    session.flush()
    mine = (Ott.email == email, Ott.app == app)
    newest = select(Ott.id).where(*mine).order_by(Ott.created_at.desc(), Ott.id.desc()).limit(keep)
    session.execute(delete(Ott).where(*mine, Ott.id.not_in(newest.scalar_subquery())))


def delete_ott(session: Session, ott_id: int) -> bool:
    return affected_rows(session.execute(delete(Ott).where(Ott.id == ott_id))) > 0


def delete_expired_otts(session: Session, *, now: int) -> int:
    return affected_rows(session.execute(delete(Ott).where(Ott.expires_at <= now)))


# --- SRP --------------------------------------------------------------------------------


def srp_auth(session: Session, user_id: int) -> SrpAuth | None:
    return session.get(SrpAuth, user_id)


def srp_auth_by_srp_user_id(session: Session, srp_user_id: str) -> SrpAuth | None:
    return session.scalars(select(SrpAuth).where(SrpAuth.srp_user_id == srp_user_id)).one_or_none()


def save_srp_auth(
    session: Session, *, user_id: int, srp_user_id: str, salt: str, verifier: str, now: int
) -> None:
    row = session.get(SrpAuth, user_id)
    if row is None:
        session.add(
            SrpAuth(
                user_id=user_id,
                srp_user_id=srp_user_id,
                salt=salt,
                verifier=verifier,
                created_at=now,
                updated_at=now,
            )
        )
    else:
        row.srp_user_id, row.salt, row.verifier, row.updated_at = srp_user_id, salt, verifier, now
    session.flush()


def delete_srp_auth(session: Session, user_id: int) -> None:
    session.execute(delete(SrpAuth).where(SrpAuth.user_id == user_id))


def add_srp_session(session: Session, row: SrpSession) -> None:
    session.add(row)
    session.flush()


def srp_session(session: Session, session_id: str, *, lock: bool = False) -> SrpSession | None:
    """lock: hold the row until the transaction ends, so that concurrent proofs on one
    session are counted one by one (on SQLite the write transaction already does)."""
    return session.get(SrpSession, session_id, with_for_update=lock or None)


def count_unverified_srp_sessions(
    session: Session, *, srp_user_id: str, since: int, ip: str | None = None
) -> int:
    """Unverified sessions opened since then, from that address when one is given."""
    query = (
        select(func.count())
        .select_from(SrpSession)
        .where(
            SrpSession.srp_user_id == srp_user_id,
            SrpSession.has_verified.is_(False),
            SrpSession.created_at > since,
        )
    )
    if ip is not None:
        query = query.where(SrpSession.ip == ip)
    return int(session.scalar(query) or 0)


def delete_srp_sessions_before(session: Session, *, before: int) -> int:
    return affected_rows(session.execute(delete(SrpSession).where(SrpSession.created_at < before)))


def add_srp_setup(session: Session, row: SrpSetup) -> None:
    session.add(row)
    session.flush()


def srp_setup(session: Session, setup_id: str) -> SrpSetup | None:
    return session.get(SrpSetup, setup_id)


def delete_srp_setups_before(session: Session, *, before: int) -> int:
    return affected_rows(session.execute(delete(SrpSetup).where(SrpSetup.created_at < before)))


# --- two-factor -------------------------------------------------------------------------


def two_factor(session: Session, user_id: int) -> TwoFactor | None:
    return session.get(TwoFactor, user_id)


def save_two_factor(session: Session, row: TwoFactor) -> None:
    session.merge(row)
    session.flush()


def add_temp_two_factor(session: Session, row: TempTwoFactor) -> None:
    session.add(row)
    session.flush()


def active_temp_two_factors(session: Session, *, user_id: int, now: int) -> list[TempTwoFactor]:
    return list(
        session.scalars(
            select(TempTwoFactor).where(
                TempTwoFactor.user_id == user_id, TempTwoFactor.expires_at > now
            )
        )
    )


def delete_temp_two_factor(session: Session, row_id: int) -> None:
    session.execute(delete(TempTwoFactor).where(TempTwoFactor.id == row_id))


def add_two_factor_session(session: Session, row: TwoFactorSession) -> None:
    session.add(row)
    session.flush()


def live_two_factor_session(
    session: Session, *, session_id: str, now: int
) -> TwoFactorSession | None:
    return session.scalars(
        select(TwoFactorSession).where(
            TwoFactorSession.id == session_id, TwoFactorSession.expires_at > now
        )
    ).one_or_none()


def code_recently_used(session: Session, *, user_id: int, code_hash: str, since: int) -> bool:
    used = session.scalar(
        select(TwoFactorUsedCode.user_id)
        .where(
            TwoFactorUsedCode.user_id == user_id,
            TwoFactorUsedCode.code_hash == code_hash,
            TwoFactorUsedCode.used_at > since,
        )
        .limit(1)
    )
    return used is not None


def record_used_code(session: Session, *, user_id: int, code_hash: str, now: int) -> None:
    session.merge(TwoFactorUsedCode(user_id=user_id, code_hash=code_hash, used_at=now))
    session.flush()


def delete_expired_two_factor_state(session: Session, *, now: int, used_before: int) -> None:
    session.execute(delete(TempTwoFactor).where(TempTwoFactor.expires_at <= now))
    session.execute(delete(TwoFactorSession).where(TwoFactorSession.expires_at <= now))
    session.execute(delete(TwoFactorUsedCode).where(TwoFactorUsedCode.used_at < used_before))
