"""Ente Auth: one key per user and the encrypted two-factor codes under it.

Apart from the photos app's user entities (entity_keys, entities): museum keeps them in
their own tables with their own rules, and so do we.
"""

from __future__ import annotations

from sqlalchemy import BigInteger, Boolean, CheckConstraint, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from photo_api.db.base import Base
from photo_api.models.accounts import user_fk


class AuthenticatorKey(Base):
    __tablename__ = "authenticator_keys"

    user_id: Mapped[int] = mapped_column(BigInteger, user_fk(), primary_key=True)
    encrypted_key: Mapped[str] = mapped_column(Text)
    header: Mapped[str] = mapped_column(Text)
    created_at: Mapped[int] = mapped_column(BigInteger)
    # The latest updated_at of the user's entities: each change moves past it, under a lock
    # on this row, so diff cursors never skip a change committed late.
    updated_at: Mapped[int] = mapped_column(BigInteger)


class AuthenticatorEntity(Base):
    __tablename__ = "authenticator_entities"
    __table_args__ = (
        Index("ix_authenticator_entities_user_id_updated_at", "user_id", "updated_at"),
        CheckConstraint(
            "(is_deleted AND encrypted_data IS NULL AND header IS NULL)"
            " OR (NOT is_deleted AND encrypted_data IS NOT NULL AND header IS NOT NULL)",
            name="tombstone",
        ),
    )

    # A UUID, lower-case with dashes, always chosen by the server.
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    # An entity cannot outlive its key (as museum).
    user_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("authenticator_keys.user_id", ondelete="CASCADE")
    )
    encrypted_data: Mapped[str | None] = mapped_column(Text)
    header: Mapped[str | None] = mapped_column(Text)
    is_deleted: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[int] = mapped_column(BigInteger)
    updated_at: Mapped[int] = mapped_column(BigInteger)
