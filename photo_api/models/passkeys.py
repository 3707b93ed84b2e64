"""Passkeys (WebAuthn credentials), their ceremonies, passkey log-ins and their recovery."""

from __future__ import annotations

from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from photo_api.db.base import Base
from photo_api.models.accounts import user_fk

# DNS names are at most 253 characters.
RP_ID_LENGTH = 253


class Passkey(Base):
    """A credential registered through the accounts app, with the name its owner gave it."""

    __tablename__ = "passkeys"
    # Authenticators choose credential ids; WebAuthn scopes them to a relying party.
    __table_args__ = (UniqueConstraint("rp_id", "credential_id"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    user_id: Mapped[int] = mapped_column(BigInteger, user_fk(), index=True)
    friendly_name: Mapped[str] = mapped_column(String(256))
    rp_id: Mapped[str] = mapped_column(String(RP_ID_LENGTH))
    credential_id: Mapped[bytes] = mapped_column(LargeBinary(1023))
    # The COSE_Key from the attested credential data.
    public_key: Mapped[bytes] = mapped_column(LargeBinary)
    # The authenticator's signature counter at its last use; 0 for those that keep none.
    sign_count: Mapped[int] = mapped_column(BigInteger)
    transports: Mapped[list[str]] = mapped_column(JSON)
    # The authenticator's model, for an admin wondering which device a passkey lives on.
    aaguid: Mapped[str] = mapped_column(String(36))
    created_at: Mapped[int] = mapped_column(BigInteger)
    last_used_at: Mapped[int | None] = mapped_column(BigInteger)


class WebauthnCeremony(Base):
    """A begun registration or assertion: its challenge, used once before it expires."""

    __tablename__ = "webauthn_ceremonies"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    user_id: Mapped[int] = mapped_column(BigInteger, user_fk(), index=True)
    # The passkey log-in an assertion answers; NULL for a registration.
    login_session_hash: Mapped[bytes | None] = mapped_column(
        LargeBinary(32),
        ForeignKey("passkey_login_sessions.session_hash", ondelete="CASCADE"),
        index=True,
    )
    challenge: Mapped[bytes] = mapped_column(LargeBinary(32), unique=True)
    rp_id: Mapped[str] = mapped_column(String(RP_ID_LENGTH))
    created_at: Mapped[int] = mapped_column(BigInteger)
    expires_at: Mapped[int] = mapped_column(BigInteger)


class PasskeyLoginSession(Base):
    """A log-in waiting for its passkey (museum's passkeySessionID), then for its token."""

    __tablename__ = "passkey_login_sessions"

    # SHA-256 of the passkeySessionID, which is a credential like a session token.
    session_hash: Mapped[bytes] = mapped_column(LargeBinary(32), primary_key=True)
    user_id: Mapped[int] = mapped_column(BigInteger, user_fk(), index=True)
    created_at: Mapped[int] = mapped_column(BigInteger)
    expires_at: Mapped[int] = mapped_column(BigInteger)
    verified_at: Mapped[int | None] = mapped_column(BigInteger)
    # The answer of a successful finish (the sealed token), for get-token to hand out again.
    token_data: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    token_fetch_count: Mapped[int] = mapped_column(Integer, default=0)


class PasskeyRecovery(Base):
    """The secret that lets a user who lost their passkeys skip them, set once per account."""

    __tablename__ = "passkey_recovery"

    user_id: Mapped[int] = mapped_column(BigInteger, user_fk(), primary_key=True)
    # HMAC-SHA256 (hash key) of the secret: it is only ever compared, never needed again.
    secret_hash: Mapped[str] = mapped_column(String(64))
    # The same secret encrypted by the client with the user's recovery key.
    encrypted_secret: Mapped[str] = mapped_column(Text)
    secret_nonce: Mapped[str] = mapped_column(Text)
    created_at: Mapped[int] = mapped_column(BigInteger)
