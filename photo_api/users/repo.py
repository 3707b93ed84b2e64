"""SQL for users, their key attributes, subscription, usage and remote-store flags."""

from __future__ import annotations

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from photo_api.models import (
    AuthenticatorEntity,
    AuthenticatorKey,
    Entity,
    EntityKey,
    KeyAttributes,
    Passkey,
    PasskeyLoginSession,
    PasskeyRecovery,
    PushToken,
    RemoteStoreEntry,
    SrpAuth,
    Subscription,
    TempTwoFactor,
    TwoFactor,
    TwoFactorSession,
    Usage,
    User,
    WebauthnCeremony,
)


def get_user(session: Session, user_id: int) -> User | None:
    return session.get(User, user_id)


def user_by_email(session: Session, email: str) -> User | None:
    return session.scalars(select(User).where(User.email == email)).one_or_none()


def insert_user(session: Session, *, email: str, now: int, source: str | None) -> User:
    user = User(
        email=email, created_at=now, source=source, is_two_factor_enabled=False, email_mfa=False
    )
    session.add(user)
    session.flush()
    session.add(Usage(user_id=user.id, storage_consumed=0))
    return user


def first_user_id(session: Session) -> int | None:
    """The earliest account still in use: the admin when none is configured."""
    return session.scalar(select(func.min(User.id)).where(User.deleted_at.is_(None)))


def list_users(session: Session, *, since: int) -> list[User]:
    return list(
        session.scalars(
            select(User)
            .where(User.created_at > since, User.deleted_at.is_(None))
            .order_by(User.created_at)
        )
    )


def key_attributes(session: Session, user_id: int) -> KeyAttributes | None:
    return session.get(KeyAttributes, user_id)


def add_key_attributes(session: Session, attrs: KeyAttributes) -> None:
    session.add(attrs)
    session.flush()


def subscription(session: Session, user_id: int) -> Subscription | None:
    return session.scalars(
        select(Subscription).where(Subscription.user_id == user_id)
    ).one_or_none()


def add_subscription(session: Session, sub: Subscription) -> None:
    session.add(sub)
    session.flush()


def usage(session: Session, user_id: int) -> int:
    return int(session.scalar(select(Usage.storage_consumed).where(Usage.user_id == user_id)) or 0)


def add_usage(session: Session, *, user_id: int, delta: int) -> None:
    session.execute(
        update(Usage)
        .where(Usage.user_id == user_id)
        .values(storage_consumed=Usage.storage_consumed + delta)
    )


def remote_store(session: Session, user_id: int) -> dict[str, str]:
    rows = session.scalars(select(RemoteStoreEntry).where(RemoteStoreEntry.user_id == user_id))
    return {row.key: row.value for row in rows}


def set_remote_value(session: Session, *, user_id: int, key: str, value: str) -> None:
    row = session.get(RemoteStoreEntry, (user_id, key))
    if row is None:
        session.add(RemoteStoreEntry(user_id=user_id, key=key, value=value))
    else:
        row.value = value
    session.flush()


def delete_remote_value(session: Session, *, user_id: int, key: str) -> None:
    session.execute(
        delete(RemoteStoreEntry).where(
            RemoteStoreEntry.user_id == user_id, RemoteStoreEntry.key == key
        )
    )


def owner_of_remote_value(session: Session, *, key: str, value: str) -> int | None:
    return session.scalar(
        select(RemoteStoreEntry.user_id).where(
            RemoteStoreEntry.key == key, RemoteStoreEntry.value == value
        )
    )


def delete_account_rows(session: Session, *, user_id: int) -> None:
    """Remove what only served the account: keys, credentials (passkeys too), settings,
    user entities, push tokens, Ente Auth's codes."""
    for model in (
        Entity,
        EntityKey,
        AuthenticatorEntity,
        AuthenticatorKey,
        KeyAttributes,
        SrpAuth,
        TwoFactor,
        TempTwoFactor,
        TwoFactorSession,
        WebauthnCeremony,
        PasskeyLoginSession,
        Passkey,
        PasskeyRecovery,
        RemoteStoreEntry,
        PushToken,
    ):
        session.execute(delete(model).where(model.user_id == user_id))
