"""Memory links: a read-only public link to a fixed list of files, valid for seven days.

The server keeps only ciphertext: the title under the link's key, each file's key re-encrypted
under it, and the link's secret encrypted for its owner. The link's key itself travels in the
URL fragment and never reaches the server.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    ForeignKey,
    Index,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from photo_api.db.base import Base, BigId
from photo_api.models.accounts import user_fk


class MemoryShare(Base):
    __tablename__ = "memory_shares"
    __table_args__ = (
        CheckConstraint("type IN ('share', 'lane')", name="type"),
        Index("ix_memory_shares_user_id_created_at", "user_id", "created_at"),
        # The clean-up job removes rows by age.
        Index("ix_memory_shares_created_at", "created_at"),
        # Ids are never reused, so that a stale device cannot delete a newer link by its id.
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    user_id: Mapped[int] = mapped_column(BigInteger, user_fk())
    # "share": a curated memory; "lane": a person's timeline.
    type: Mapped[str] = mapped_column(String(16))
    # The client's own key to find a link it already made for the same memory; opaque.
    memory_hash: Mapped[str] = mapped_column(Text, default="")
    # The title (a lane's whole description) under the link's key; '' when not sent.
    metadata_cipher: Mapped[str] = mapped_column(Text, default="")
    metadata_nonce: Mapped[str] = mapped_column(Text, default="")
    # The link's secret under the owner's "memory" entity key, for the owner's other devices.
    encrypted_key: Mapped[str] = mapped_column(Text)
    key_decryption_nonce: Mapped[str] = mapped_column(Text)
    # Kept to hand back to the owner; requests find the link by the token's SHA-256, so the
    # lookup's timing says nothing about the token.
    access_token: Mapped[str] = mapped_column(String(64))
    access_token_hash: Mapped[bytes] = mapped_column(LargeBinary(32), unique=True)
    is_deleted: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[int] = mapped_column(BigInteger)
    updated_at: Mapped[int] = mapped_column(BigInteger)


class MemoryShareFile(Base):
    """A file of a memory link, with its key re-encrypted under the link's key."""

    __tablename__ = "memory_share_files"
    __table_args__ = (
        UniqueConstraint("memory_share_id", "position"),
        UniqueConstraint("memory_share_id", "file_id"),
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    memory_share_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("memory_shares.id", ondelete="CASCADE")
    )
    file_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("files.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(BigInteger)
    encrypted_key: Mapped[str] = mapped_column(Text)
    key_decryption_nonce: Mapped[str] = mapped_column(Text)
    created_at: Mapped[int] = mapped_column(BigInteger)
