"""Users, their keys, credentials, sessions, plan and usage."""

from __future__ import annotations

from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from photo_api.db.base import Base, BigId


def user_fk() -> ForeignKey:
    return ForeignKey("users.id", ondelete="CASCADE")


class User(Base):
    __tablename__ = "users"
    __table_args__ = {"sqlite_autoincrement": True}

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    # Normalised (trimmed, lower-case); NULL once the account is deleted.
    email: Mapped[str | None] = mapped_column(String(320), unique=True)
    created_at: Mapped[int] = mapped_column(BigInteger)
    source: Mapped[str | None] = mapped_column(Text)
    is_two_factor_enabled: Mapped[bool] = mapped_column(Boolean, default=False)
    email_mfa: Mapped[bool] = mapped_column(Boolean, default=False)
    family_admin_id: Mapped[int | None] = mapped_column(
        BigInteger, ForeignKey("users.id", ondelete="SET NULL")
    )
    # Argon2id hash for the optional server-side password login (POST /users/login).
    password_hash: Mapped[str | None] = mapped_column(Text)
    deleted_at: Mapped[int | None] = mapped_column(BigInteger)
    delete_feedback: Mapped[dict[str, Any] | None] = mapped_column(JSON)


class KeyAttributes(Base):
    """What the client encrypted its keys with; opaque base64 strings, stored as sent."""

    __tablename__ = "key_attributes"

    user_id: Mapped[int] = mapped_column(BigInteger, user_fk(), primary_key=True)
    kek_salt: Mapped[str] = mapped_column(Text)
    kek_hash: Mapped[str | None] = mapped_column(Text)
    encrypted_key: Mapped[str] = mapped_column(Text)
    key_decryption_nonce: Mapped[str] = mapped_column(Text)
    public_key: Mapped[str] = mapped_column(Text)
    encrypted_secret_key: Mapped[str] = mapped_column(Text)
    secret_key_decryption_nonce: Mapped[str] = mapped_column(Text)
    mem_limit: Mapped[int] = mapped_column(BigInteger)
    ops_limit: Mapped[int] = mapped_column(BigInteger)
    master_key_encrypted_with_recovery_key: Mapped[str | None] = mapped_column(Text)
    master_key_decryption_nonce: Mapped[str | None] = mapped_column(Text)
    recovery_key_encrypted_with_master_key: Mapped[str | None] = mapped_column(Text)
    recovery_key_decryption_nonce: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[int] = mapped_column(BigInteger)


class Ott(Base):
    """Email one-time codes, scoped to (email, app)."""

    __tablename__ = "otts"
    __table_args__ = (UniqueConstraint("email", "app", "code_hash"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    email: Mapped[str] = mapped_column(String(320), index=True)
    app: Mapped[str] = mapped_column(String(16))
    # Hex HMAC-SHA256 of the code under the server's hash key (photo_api.login.ott).
    code_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[int] = mapped_column(BigInteger)
    expires_at: Mapped[int] = mapped_column(BigInteger)


class Token(Base):
    """A session. Only the SHA-256 of the token is kept; the client holds the token itself."""

    __tablename__ = "tokens"
    __table_args__ = (Index("ix_tokens_user_id_app", "user_id", "app"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    user_id: Mapped[int] = mapped_column(BigInteger, user_fk())
    app: Mapped[str] = mapped_column(String(16))
    token_hash: Mapped[bytes] = mapped_column(LargeBinary(32), unique=True)
    created_at: Mapped[int] = mapped_column(BigInteger)
    last_used_at: Mapped[int] = mapped_column(BigInteger)
    ip: Mapped[str | None] = mapped_column(String(64))
    user_agent: Mapped[str | None] = mapped_column(Text)
    is_deleted: Mapped[bool] = mapped_column(Boolean, default=False)


class SrpAuth(Base):
    __tablename__ = "srp_auth"

    user_id: Mapped[int] = mapped_column(BigInteger, user_fk(), primary_key=True)
    srp_user_id: Mapped[str] = mapped_column(String(36), unique=True)
    salt: Mapped[str] = mapped_column(Text)
    verifier: Mapped[str] = mapped_column(Text)
    created_at: Mapped[int] = mapped_column(BigInteger)
    updated_at: Mapped[int] = mapped_column(BigInteger)


class SrpSession(Base):
    """One login (or setup) attempt: the server's secret b and the client's A."""

    __tablename__ = "srp_sessions"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    srp_user_id: Mapped[str] = mapped_column(String(36), index=True)
    server_key: Mapped[str] = mapped_column(Text)
    srp_a: Mapped[str] = mapped_column(Text)
    has_verified: Mapped[bool] = mapped_column(Boolean, default=False)
    attempt_count: Mapped[int] = mapped_column(Integer, default=0)
    # Sessions for unknown srpUserIDs, so that they look like real ones.
    is_fake: Mapped[bool] = mapped_column(Boolean, default=False)
    # The address that opened it: the limit of unverified sessions counts per address.
    ip: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[int] = mapped_column(BigInteger)
    updated_at: Mapped[int] = mapped_column(BigInteger)


class SrpSetup(Base):
    __tablename__ = "srp_setups"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    user_id: Mapped[int] = mapped_column(BigInteger, user_fk(), index=True)
    session_id: Mapped[str] = mapped_column(String(36))
    srp_user_id: Mapped[str] = mapped_column(String(36))
    salt: Mapped[str] = mapped_column(Text)
    verifier: Mapped[str] = mapped_column(Text)
    created_at: Mapped[int] = mapped_column(BigInteger)


class TwoFactor(Base):
    __tablename__ = "two_factor"

    user_id: Mapped[int] = mapped_column(BigInteger, user_fk(), primary_key=True)
    # The TOTP secret, sealed with the server's encryption key.
    encrypted_secret: Mapped[bytes] = mapped_column(LargeBinary)
    secret_hash: Mapped[str] = mapped_column(String(128))
    # The same secret encrypted by the client with the user's recovery key.
    recovery_encrypted_secret: Mapped[str] = mapped_column(Text)
    recovery_secret_nonce: Mapped[str] = mapped_column(Text)
    created_at: Mapped[int] = mapped_column(BigInteger)


class TempTwoFactor(Base):
    """Secrets handed out by /two-factor/setup and not yet confirmed by /enable."""

    __tablename__ = "temp_two_factor"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    user_id: Mapped[int] = mapped_column(BigInteger, user_fk(), index=True)
    encrypted_secret: Mapped[bytes] = mapped_column(LargeBinary)
    secret_hash: Mapped[str] = mapped_column(String(128))
    created_at: Mapped[int] = mapped_column(BigInteger)
    expires_at: Mapped[int] = mapped_column(BigInteger)


class TwoFactorSession(Base):
    __tablename__ = "two_factor_sessions"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(BigInteger, user_fk(), index=True)
    created_at: Mapped[int] = mapped_column(BigInteger)
    expires_at: Mapped[int] = mapped_column(BigInteger)
    wrong_attempts: Mapped[int] = mapped_column(Integer, default=0)


class TwoFactorUsedCode(Base):
    """Recently accepted TOTP codes, so that one code cannot log in twice."""

    __tablename__ = "two_factor_used_codes"

    user_id: Mapped[int] = mapped_column(BigInteger, user_fk(), primary_key=True)
    code_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    used_at: Mapped[int] = mapped_column(BigInteger)


class Subscription(Base):
    __tablename__ = "subscriptions"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    user_id: Mapped[int] = mapped_column(BigInteger, user_fk(), unique=True)
    product_id: Mapped[str] = mapped_column(String(64))
    storage: Mapped[int] = mapped_column(BigInteger)
    original_transaction_id: Mapped[str] = mapped_column(String(128))
    expiry_time: Mapped[int] = mapped_column(BigInteger)
    payment_provider: Mapped[str] = mapped_column(String(32), default="")
    attributes: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    upgraded_at: Mapped[int] = mapped_column(BigInteger, default=0)


class Usage(Base):
    """Bytes of encrypted objects a user owns; changed in the transaction that changes them."""

    __tablename__ = "usage"

    user_id: Mapped[int] = mapped_column(BigInteger, user_fk(), primary_key=True)
    storage_consumed: Mapped[int] = mapped_column(BigInteger, default=0)


class RemoteStoreEntry(Base):
    __tablename__ = "remote_store"

    user_id: Mapped[int] = mapped_column(BigInteger, user_fk(), primary_key=True)
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class RateLimitCounter(Base):
    """Fixed-window counters kept in the database so limits hold across server processes."""

    __tablename__ = "rate_limit_counters"

    key: Mapped[str] = mapped_column(String(255), primary_key=True)
    window_start: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    count: Mapped[int] = mapped_column(Integer, default=0)
