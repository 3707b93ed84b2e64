"""Contacts: a user's encrypted card (name, birthday, picture) about another Ente account.

A contact's profile picture is an object in storage (objects table, kind "attachment"); the
contact row names it in its slot. Rows are never removed by the API, only tombstoned.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from photo_api.db.base import Base
from photo_api.models.accounts import user_fk

# museum's ids: "ct_" (contacts) or "ua_" (attachments) and 22 characters of [0-9A-Za-z].
CONTACT_ID = String(32)


class Contact(Base):
    __tablename__ = "contacts"
    __table_args__ = (
        # One row per (owner, contact user) ever: a deleted contact is revived, not re-created.
        UniqueConstraint("user_id", "contact_user_id"),
        Index("ix_contacts_user_id_updated_at", "user_id", "updated_at"),
        # Owners are told when the contact user's email changes.
        Index("ix_contacts_contact_user_id", "contact_user_id"),
        CheckConstraint(
            "(is_deleted AND encrypted_data IS NULL AND profile_picture_attachment_id IS NULL)"
            " OR (NOT is_deleted AND encrypted_data IS NOT NULL)",
            name="tombstone",
        ),
    )

    id: Mapped[str] = mapped_column(CONTACT_ID, primary_key=True)
    user_id: Mapped[int] = mapped_column(BigInteger, user_fk())
    contact_user_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("users.id", ondelete="CASCADE")
    )
    profile_picture_attachment_id: Mapped[str | None] = mapped_column(CONTACT_ID)
    # The contact's key wrapped by the owner's root contact key; it never changes.
    encrypted_key: Mapped[str] = mapped_column(Text)
    encrypted_data: Mapped[str | None] = mapped_column(Text)
    is_deleted: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[int] = mapped_column(BigInteger)
    updated_at: Mapped[int] = mapped_column(BigInteger)
