"""Sharing: albums shared with users, public album and file links, family plans."""

from __future__ import annotations

from typing import Any

from sqlalchemy import JSON, BigInteger, Boolean, ForeignKey, Index, Integer, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from photo_api.db.base import Base, BigId
from photo_api.models.accounts import user_fk


class CollectionShare(Base):
    """An album shared by its owner with another user, with the key sealed to that user."""

    __tablename__ = "collection_shares"
    __table_args__ = (Index("ix_collection_shares_to_user_id", "to_user_id"),)

    collection_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("collections.id", ondelete="CASCADE"), primary_key=True
    )
    to_user_id: Mapped[int] = mapped_column(BigInteger, user_fk(), primary_key=True)
    from_user_id: Mapped[int] = mapped_column(BigInteger, user_fk())
    encrypted_key: Mapped[str] = mapped_column(Text)
    role: Mapped[str] = mapped_column(String(16))
    # The sharee's own settings for the album (e.g. hidden), opaque to the server.
    magic_metadata: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    is_deleted: Mapped[bool] = mapped_column(Boolean, default=False)
    shared_at: Mapped[int] = mapped_column(BigInteger)
    updation_time: Mapped[int] = mapped_column(BigInteger)


class PublicCollectionLink(Base):
    __tablename__ = "public_collection_links"
    __table_args__ = (
        # At most one live link per album.
        Index(
            "uq_public_collection_links_collection_id",
            "collection_id",
            unique=True,
            sqlite_where=text("is_disabled = 0"),
            postgresql_where=text("NOT is_disabled"),
        ),
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    collection_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("collections.id", ondelete="CASCADE")
    )
    access_token: Mapped[str] = mapped_column(String(64), unique=True)
    is_disabled: Mapped[bool] = mapped_column(Boolean, default=False)
    valid_till: Mapped[int] = mapped_column(BigInteger, default=0)
    device_limit: Mapped[int] = mapped_column(Integer, default=0)
    pw_hash: Mapped[str | None] = mapped_column(Text)
    pw_nonce: Mapped[str | None] = mapped_column(Text)
    mem_limit: Mapped[int | None] = mapped_column(BigInteger)
    ops_limit: Mapped[int | None] = mapped_column(BigInteger)
    enable_download: Mapped[bool] = mapped_column(Boolean, default=True)
    enable_comment: Mapped[bool] = mapped_column(Boolean, default=False)
    enable_collect: Mapped[bool] = mapped_column(Boolean, default=False)
    enable_join: Mapped[bool] = mapped_column(Boolean, default=True)
    min_role: Mapped[str | None] = mapped_column(String(16))
    created_at: Mapped[int] = mapped_column(BigInteger)
    updated_at: Mapped[int] = mapped_column(BigInteger)


class PublicFileLink(Base):
    __tablename__ = "public_file_links"
    __table_args__ = (
        Index(
            "uq_public_file_links_file_id",
            "file_id",
            unique=True,
            sqlite_where=text("is_disabled = 0"),
            postgresql_where=text("NOT is_disabled"),
        ),
        Index("ix_public_file_links_owner_id", "owner_id"),
    )

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    file_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("files.id", ondelete="CASCADE"))
    owner_id: Mapped[int] = mapped_column(BigInteger, user_fk())
    app: Mapped[str] = mapped_column(String(16))
    access_token: Mapped[str] = mapped_column(String(64), unique=True)
    is_disabled: Mapped[bool] = mapped_column(Boolean, default=False)
    valid_till: Mapped[int] = mapped_column(BigInteger, default=0)
    device_limit: Mapped[int] = mapped_column(Integer, default=0)
    enable_download: Mapped[bool] = mapped_column(Boolean, default=True)
    pw_hash: Mapped[str | None] = mapped_column(Text)
    pw_nonce: Mapped[str | None] = mapped_column(Text)
    mem_limit: Mapped[int | None] = mapped_column(BigInteger)
    ops_limit: Mapped[int | None] = mapped_column(BigInteger)
    encrypted_file_key: Mapped[str | None] = mapped_column(Text)
    encrypted_file_key_nonce: Mapped[str | None] = mapped_column(Text)
    kdf_nonce: Mapped[str | None] = mapped_column(Text)
    kdf_mem_limit: Mapped[int | None] = mapped_column(BigInteger)
    kdf_ops_limit: Mapped[int | None] = mapped_column(BigInteger)
    encrypted_share_key: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[int] = mapped_column(BigInteger)
    updated_at: Mapped[int] = mapped_column(BigInteger)


class LinkDevice(Base):
    """A device (IP and user agent) admitted to a link, counted against its device limit."""

    __tablename__ = "link_devices"

    link_kind: Mapped[str] = mapped_column(String(16), primary_key=True)
    link_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    # SHA-256 of IP and user agent: what identifies a device, without keeping it.
    device_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    created_at: Mapped[int] = mapped_column(BigInteger)


class FamilyMember(Base):
    """One row per (admin, member): the admin's own row has status SELF."""

    __tablename__ = "families"
    __table_args__ = (
        Index("ix_families_admin_id", "admin_id"),
        Index("ix_families_member_id", "member_id"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    admin_id: Mapped[int] = mapped_column(BigInteger, user_fk())
    member_id: Mapped[int] = mapped_column(BigInteger, user_fk())
    status: Mapped[str] = mapped_column(String(16))
    token: Mapped[str | None] = mapped_column(String(64), unique=True)
    storage_limit: Mapped[int | None] = mapped_column(BigInteger)
    created_at: Mapped[int] = mapped_column(BigInteger)
    updated_at: Mapped[int] = mapped_column(BigInteger)
