"""Comments and reactions on shared albums, and the anonymous identities of link visitors.

Everything a person wrote is ciphertext under the album's key. Rows are never removed by the
API, only tombstoned (is_deleted, cipher and nonce cleared): diffs tell clients of deletions.
"""

from __future__ import annotations

from sqlalchemy import BigInteger, Boolean, CheckConstraint, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from photo_api.db.base import Base
from photo_api.models.accounts import user_fk

# museum's ids: a prefix ("cmt_", "rct_", "anon_") and 21 nanoid characters.
SOCIAL_ID = String(32)


def collection_fk() -> ForeignKey:
    return ForeignKey("collections.id", ondelete="CASCADE")


class AnonUser(Base):
    """A public-link visitor who chose a name (encrypted) to comment under, in one album."""

    __tablename__ = "anon_users"
    __table_args__ = (Index("ix_anon_users_collection_id", "collection_id"),)

    id: Mapped[str] = mapped_column(SOCIAL_ID, primary_key=True)
    collection_id: Mapped[int] = mapped_column(BigInteger, collection_fk())
    cipher: Mapped[str] = mapped_column(Text)
    nonce: Mapped[str] = mapped_column(Text)
    created_at: Mapped[int] = mapped_column(BigInteger)
    updated_at: Mapped[int] = mapped_column(BigInteger)


class Comment(Base):
    """A comment on a file in an album (or on the album), maybe a reply to another."""

    __tablename__ = "comments"
    __table_args__ = (
        Index("ix_comments_collection_id_updated_at", "collection_id", "updated_at"),
        Index("ix_comments_parent_comment_id", "parent_comment_id"),
        Index("ix_comments_user_id", "user_id"),
        # Written by exactly one of: a user, an anonymous visitor.
        CheckConstraint("(user_id IS NULL) <> (anon_user_id IS NULL)", name="one_author"),
        CheckConstraint(
            "(is_deleted AND cipher IS NULL AND nonce IS NULL)"
            " OR (NOT is_deleted AND cipher IS NOT NULL AND nonce IS NOT NULL)",
            name="tombstone",
        ),
    )

    id: Mapped[str] = mapped_column(SOCIAL_ID, primary_key=True)
    collection_id: Mapped[int] = mapped_column(BigInteger, collection_fk())
    file_id: Mapped[int | None] = mapped_column(
        BigInteger, ForeignKey("files.id", ondelete="CASCADE")
    )
    parent_comment_id: Mapped[str | None] = mapped_column(
        SOCIAL_ID, ForeignKey("comments.id", ondelete="CASCADE")
    )
    user_id: Mapped[int | None] = mapped_column(BigInteger, user_fk())
    anon_user_id: Mapped[str | None] = mapped_column(
        SOCIAL_ID, ForeignKey("anon_users.id", ondelete="CASCADE")
    )
    cipher: Mapped[str | None] = mapped_column(Text)
    nonce: Mapped[str | None] = mapped_column(Text)
    is_deleted: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[int] = mapped_column(BigInteger)
    updated_at: Mapped[int] = mapped_column(BigInteger)


class Reaction(Base):
    """One reaction per author and target (the album, a file in it, or a comment)."""

    __tablename__ = "reactions"
    __table_args__ = (
        Index("ix_reactions_collection_id_updated_at", "collection_id", "updated_at"),
        Index("ix_reactions_comment_id", "comment_id"),
        Index("ix_reactions_user_id", "user_id"),
        Index("uq_reactions_actor_key_target_key", "actor_key", "target_key", unique=True),
        CheckConstraint("(user_id IS NULL) <> (anon_user_id IS NULL)", name="one_author"),
        CheckConstraint("comment_id IS NULL OR file_id IS NULL", name="one_target"),
        CheckConstraint(
            "(is_deleted AND cipher IS NULL AND nonce IS NULL)"
            " OR (NOT is_deleted AND cipher IS NOT NULL AND nonce IS NOT NULL)",
            name="tombstone",
        ),
    )

    id: Mapped[str] = mapped_column(SOCIAL_ID, primary_key=True)
    collection_id: Mapped[int] = mapped_column(BigInteger, collection_fk())
    file_id: Mapped[int | None] = mapped_column(
        BigInteger, ForeignKey("files.id", ondelete="CASCADE")
    )
    comment_id: Mapped[str | None] = mapped_column(
        SOCIAL_ID, ForeignKey("comments.id", ondelete="CASCADE")
    )
    user_id: Mapped[int | None] = mapped_column(BigInteger, user_fk())
    anon_user_id: Mapped[str | None] = mapped_column(
        SOCIAL_ID, ForeignKey("anon_users.id", ondelete="CASCADE")
    )
    # "U:<user id>" or "A:<anon id>", and "M:<comment>", "F:<album>/<file>" or "C:<album>":
    # museum's keys for one reaction per author and target.
    actor_key: Mapped[str] = mapped_column(String(64))
    target_key: Mapped[str] = mapped_column(String(64))
    cipher: Mapped[str | None] = mapped_column(Text)
    nonce: Mapped[str | None] = mapped_column(Text)
    is_deleted: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[int] = mapped_column(BigInteger)
    updated_at: Mapped[int] = mapped_column(BigInteger)
