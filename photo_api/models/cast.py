"""Cast: a TV's pairing code and, once a user claims it, that user's token for one album."""

from __future__ import annotations

from sqlalchemy import BigInteger, ForeignKey, Index, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from photo_api.db.base import Base
from photo_api.models.accounts import user_fk


class CastSession(Base):
    """One TV registration. Revoking deletes the row: nothing reads a revoked session, and
    its code becomes free again at once."""

    __tablename__ = "cast_sessions"
    __table_args__ = (
        Index("ix_cast_sessions_cast_user_id", "cast_user_id"),
        Index("ix_cast_sessions_collection_id", "collection_id"),
    )

    # The "deviceID" of the sender's session list.
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    code: Mapped[str] = mapped_column(String(6), unique=True)
    # The TV's X25519 public key, base64: the sender seals the album key to it.
    public_key: Mapped[str] = mapped_column(String(64))
    # The TV's address at registration, shown to the sender beside the album.
    ip: Mapped[str] = mapped_column(String(64))
    # NULL until a user claims the code.
    collection_id: Mapped[int | None] = mapped_column(
        BigInteger, ForeignKey("collections.id", ondelete="CASCADE")
    )
    cast_user_id: Mapped[int | None] = mapped_column(BigInteger, user_fk())
    # {castToken, collectionID, collectionKey} sealed to the TV's key; opaque here.
    encrypted_payload: Mapped[str | None] = mapped_column(Text)
    # SHA-256 of the cast token the sender chose; the token itself is never stored.
    token_hash: Mapped[bytes | None] = mapped_column(LargeBinary(32), unique=True)
    created_at: Mapped[int] = mapped_column(BigInteger)
    last_used_at: Mapped[int] = mapped_column(BigInteger)
