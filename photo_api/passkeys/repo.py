"""SQL for passkeys, WebAuthn ceremonies, passkey log-ins and passkey recovery."""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from photo_api.db.results import affected_rows
from photo_api.models import Passkey, PasskeyLoginSession, PasskeyRecovery, WebauthnCeremony


def _insert(session: Session) -> Any:
    return (postgresql if session.get_bind().dialect.name == "postgresql" else sqlite).insert


# --- passkeys ---------------------------------------------------------------------------


def passkeys(session: Session, *, user_id: int, rp_id: str | None = None) -> list[Passkey]:
    query = select(Passkey).where(Passkey.user_id == user_id)
    if rp_id is not None:
        query = query.where(Passkey.rp_id == rp_id)
    return list(session.scalars(query.order_by(Passkey.created_at, Passkey.id)))


def count_passkeys(session: Session, *, user_id: int) -> int:
    return int(
        session.scalar(select(func.count()).select_from(Passkey).where(Passkey.user_id == user_id))
        or 0
    )


def passkey_by_credential(
    session: Session, *, user_id: int, rp_id: str, credential_id: bytes
) -> Passkey | None:
    return session.scalars(
        select(Passkey).where(
            Passkey.user_id == user_id,
            Passkey.rp_id == rp_id,
            Passkey.credential_id == credential_id,
        )
    ).one_or_none()


def insert_passkey(session: Session, values: dict[str, Any]) -> bool:
    """Add a passkey unless its credential is already registered (to anyone) for its RP."""
    statement = (
        _insert(session)(Passkey).values(**values).on_conflict_do_nothing().returning(Passkey.id)
    )
    return session.execute(statement).scalar_one_or_none() is not None


def rename_passkey(session: Session, *, user_id: int, passkey_id: str, name: str) -> None:
    session.execute(
        update(Passkey)
        .where(Passkey.id == passkey_id, Passkey.user_id == user_id)
        .values(friendly_name=name)
    )


def delete_passkey(session: Session, *, user_id: int, passkey_id: str) -> None:
    session.execute(delete(Passkey).where(Passkey.id == passkey_id, Passkey.user_id == user_id))


def delete_passkeys(session: Session, *, user_id: int) -> int:
    return affected_rows(session.execute(delete(Passkey).where(Passkey.user_id == user_id)))


def record_use(session: Session, *, passkey_id: str, sign_count: int, now: int) -> None:
    session.execute(
        update(Passkey)
        .where(Passkey.id == passkey_id)
        .values(sign_count=sign_count, last_used_at=now)
    )


# --- ceremonies -------------------------------------------------------------------------


def add_ceremony(session: Session, row: WebauthnCeremony) -> None:
    session.add(row)
    session.flush()


def take_ceremony(session: Session, ceremony_id: str) -> WebauthnCeremony | None:
    """The ceremony, deleted as it is read: of two concurrent takers only one gets it."""
    row = session.get(WebauthnCeremony, ceremony_id)
    if row is None:
        return None
    taken = session.execute(delete(WebauthnCeremony).where(WebauthnCeremony.id == ceremony_id))
    session.expunge(row)
    return row if affected_rows(taken) == 1 else None


# --- passkey log-ins --------------------------------------------------------------------


def add_login_session(session: Session, row: PasskeyLoginSession) -> None:
    session.add(row)
    session.flush()


def live_login_session(
    session: Session, *, session_hash: bytes, now: int
) -> PasskeyLoginSession | None:
    return session.scalars(
        select(PasskeyLoginSession).where(
            PasskeyLoginSession.session_hash == session_hash,
            PasskeyLoginSession.expires_at > now,
        )
    ).one_or_none()


def claim_login_session(session: Session, *, session_hash: bytes, now: int) -> bool:
    """Mark the log-in verified; False if another request did so first."""
    result = session.execute(
        update(PasskeyLoginSession)
        .where(
            PasskeyLoginSession.session_hash == session_hash,
            PasskeyLoginSession.verified_at.is_(None),
        )
        .values(verified_at=now)
    )
    return affected_rows(result) == 1


def store_token_data(session: Session, *, session_hash: bytes, data: dict[str, Any]) -> None:
    session.execute(
        update(PasskeyLoginSession)
        .where(PasskeyLoginSession.session_hash == session_hash)
        .values(token_data=data)
    )


def count_token_fetch(session: Session, *, session_hash: bytes, limit: int) -> bool:
    """Count one more fetch of the log-in's token, unless `limit` were counted already."""
    result = session.execute(
        update(PasskeyLoginSession)
        .where(
            PasskeyLoginSession.session_hash == session_hash,
            PasskeyLoginSession.token_fetch_count < limit,
        )
        .values(token_fetch_count=PasskeyLoginSession.token_fetch_count + 1)
    )
    return affected_rows(result) == 1


def delete_login_session(session: Session, session_hash: bytes) -> None:
    """The log-in and, by cascade, its ceremonies."""
    session.execute(
        delete(PasskeyLoginSession).where(PasskeyLoginSession.session_hash == session_hash)
    )


def delete_login_state(session: Session, *, user_id: int) -> None:
    """Every ceremony and passkey log-in of the user."""
    session.execute(delete(PasskeyLoginSession).where(PasskeyLoginSession.user_id == user_id))
    session.execute(delete(WebauthnCeremony).where(WebauthnCeremony.user_id == user_id))


def delete_expired(session: Session, *, now: int) -> tuple[int, int]:
    """Ceremonies and passkey log-ins past their expiry: (ceremonies, log-ins) removed."""
    ceremonies = session.execute(delete(WebauthnCeremony).where(WebauthnCeremony.expires_at <= now))
    logins = session.execute(
        delete(PasskeyLoginSession).where(PasskeyLoginSession.expires_at <= now)
    )
    return affected_rows(ceremonies), affected_rows(logins)


# --- recovery ---------------------------------------------------------------------------


def recovery(session: Session, user_id: int) -> PasskeyRecovery | None:
    return session.get(PasskeyRecovery, user_id)


def insert_recovery(session: Session, values: dict[str, Any]) -> None:
    """Store the recovery secret unless one is set: it is set once per account."""
    session.execute(_insert(session)(PasskeyRecovery).values(**values).on_conflict_do_nothing())
