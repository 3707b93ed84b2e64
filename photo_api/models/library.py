"""The photo library: files, collections and their memberships, objects, trash, extras."""

from __future__ import annotations

from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    ForeignKey,
    Index,
    String,
    Text,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from photo_api.db.base import Base, BigId
from photo_api.models.accounts import user_fk


class Collection(Base):
    __tablename__ = "collections"
    __table_args__ = (
        Index("ix_collections_owner_id_app_updation_time", "owner_id", "app", "updation_time"),
        # One favorites and one uncategorized per owner and app.
        Index(
            "uq_collections_owner_id_app_type",
            "owner_id",
            "app",
            "type",
            unique=True,
            sqlite_where=text("type IN ('favorites', 'uncategorized')"),
            postgresql_where=text("type IN ('favorites', 'uncategorized')"),
        ),
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    owner_id: Mapped[int] = mapped_column(BigInteger, user_fk())
    encrypted_key: Mapped[str] = mapped_column(Text)
    key_decryption_nonce: Mapped[str] = mapped_column(Text)
    # Legacy plaintext name; clients send encryptedName instead.
    name: Mapped[str] = mapped_column(Text, default="")
    encrypted_name: Mapped[str | None] = mapped_column(Text)
    name_decryption_nonce: Mapped[str | None] = mapped_column(Text)
    type: Mapped[str] = mapped_column(String(32))
    attributes: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    magic_metadata: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    pub_magic_metadata: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    app: Mapped[str] = mapped_column(String(16))
    is_deleted: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[int] = mapped_column(BigInteger)
    updation_time: Mapped[int] = mapped_column(BigInteger)


class File(Base):
    """One uploaded file, whatever albums it is in. Everything in it is ciphertext."""

    __tablename__ = "files"
    __table_args__ = (
        Index("ix_files_owner_id_updation_time", "owner_id", "updation_time"),
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    owner_id: Mapped[int] = mapped_column(BigInteger, user_fk())
    encrypted_metadata: Mapped[str] = mapped_column(Text)
    metadata_decryption_header: Mapped[str] = mapped_column(Text)
    file_decryption_header: Mapped[str] = mapped_column(Text)
    thumbnail_decryption_header: Mapped[str] = mapped_column(Text)
    magic_metadata: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    pub_magic_metadata: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    file_size: Mapped[int] = mapped_column(BigInteger, default=0)
    thumb_size: Mapped[int] = mapped_column(BigInteger, default=0)
    created_at: Mapped[int] = mapped_column(BigInteger)
    updation_time: Mapped[int] = mapped_column(BigInteger)


class CollectionFile(Base):
    """A file in a collection, with its key wrapped by that collection's key.

    Never removed, only marked deleted: the tombstones are what diffs tell clients.
    """

    __tablename__ = "collection_files"
    __table_args__ = (
        Index("ix_collection_files_collection_id_updation_time", "collection_id", "updation_time"),
        Index("ix_collection_files_file_id", "file_id"),
    )

    collection_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("collections.id", ondelete="CASCADE"), primary_key=True
    )
    file_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("files.id", ondelete="CASCADE"), primary_key=True
    )
    encrypted_key: Mapped[str] = mapped_column(Text)
    key_decryption_nonce: Mapped[str] = mapped_column(Text)
    is_deleted: Mapped[bool] = mapped_column(Boolean, default=False)
    c_owner_id: Mapped[int] = mapped_column(BigInteger)
    f_owner_id: Mapped[int] = mapped_column(BigInteger)
    # REMOVE / DELETE_SUGGESTED markers set by album admins on the owner's files.
    action: Mapped[str | None] = mapped_column(String(32))
    action_user: Mapped[int | None] = mapped_column(BigInteger)
    created_at: Mapped[int] = mapped_column(BigInteger)
    updation_time: Mapped[int] = mapped_column(BigInteger)


class StoredObject(Base):
    """Every object key ever handed out, from upload URL to removal from storage.

    pending: an upload URL was issued; committed: a file points at it; deleted: no file needs
    it any more, and it is removed from every backend once expires_at has passed; removing:
    claimed by the cleanup job until expires_at (its lease).
    """

    __tablename__ = "objects"
    __table_args__ = (
        Index("ix_objects_state_expires_at", "state", "expires_at"),
        Index("ix_objects_file_id", "file_id"),
    )

    key: Mapped[str] = mapped_column(String(255), primary_key=True)
    owner_id: Mapped[int] = mapped_column(BigInteger)
    state: Mapped[str] = mapped_column(String(16))
    # "file" or "thumbnail" of file_id once committed; "prefix": every object under the key
    # (a deleted file's data), on every backend.
    kind: Mapped[str | None] = mapped_column(String(16))
    file_id: Mapped[int | None] = mapped_column(BigInteger)
    size: Mapped[int] = mapped_column(BigInteger, default=0)
    # The backend the object was uploaded to ("*" for a prefix).
    backend: Mapped[str] = mapped_column(String(64))
    upload_id: Mapped[str | None] = mapped_column(Text)
    # Hex SHA-256 of the bytes first read from the uploaded copy: what every copy must match.
    sha256: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[int] = mapped_column(BigInteger)
    # pending: when an unused upload is abandoned; deleted: when the bytes may go;
    # removing: when the claim lapses.
    expires_at: Mapped[int | None] = mapped_column(BigInteger)


class TrashItem(Base):
    __tablename__ = "trash"
    __table_args__ = (
        Index("ix_trash_user_id_updated_at", "user_id", "updated_at"),
        Index("ix_trash_delete_by", "delete_by"),
    )

    file_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("files.id", ondelete="CASCADE"), primary_key=True
    )
    # The membership the file was trashed from; its key opens the file on restore screens.
    collection_id: Mapped[int] = mapped_column(BigInteger)
    user_id: Mapped[int] = mapped_column(BigInteger, user_fk())
    is_deleted: Mapped[bool] = mapped_column(Boolean, default=False)
    is_restored: Mapped[bool] = mapped_column(Boolean, default=False)
    delete_by: Mapped[int] = mapped_column(BigInteger)
    created_at: Mapped[int] = mapped_column(BigInteger)
    updated_at: Mapped[int] = mapped_column(BigInteger)


class EntityKey(Base):
    __tablename__ = "entity_keys"

    user_id: Mapped[int] = mapped_column(BigInteger, user_fk(), primary_key=True)
    type: Mapped[str] = mapped_column(String(32), primary_key=True)
    encrypted_key: Mapped[str] = mapped_column(Text)
    header: Mapped[str] = mapped_column(Text)
    created_at: Mapped[int] = mapped_column(BigInteger)


class Entity(Base):
    __tablename__ = "entities"
    __table_args__ = (
        Index("ix_entities_user_id_type_updated_at", "user_id", "type", "updated_at"),
    )

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(BigInteger, user_fk())
    type: Mapped[str] = mapped_column(String(32))
    encrypted_data: Mapped[str | None] = mapped_column(Text)
    header: Mapped[str | None] = mapped_column(Text)
    is_deleted: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[int] = mapped_column(BigInteger)
    updated_at: Mapped[int] = mapped_column(BigInteger)


class FileData(Base):
    """Derived data of a file (ML embeddings, previews); its bytes live in object storage."""

    __tablename__ = "file_data"
    __table_args__ = (Index("ix_file_data_user_id_updated_at", "user_id", "updated_at"),)

    file_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("files.id", ondelete="CASCADE"), primary_key=True
    )
    type: Mapped[str] = mapped_column(String(32), primary_key=True)
    user_id: Mapped[int] = mapped_column(BigInteger)
    object_key: Mapped[str] = mapped_column(String(255))
    object_id: Mapped[str | None] = mapped_column(String(64))
    object_nonce: Mapped[str | None] = mapped_column(Text)
    size: Mapped[int] = mapped_column(BigInteger, default=0)
    is_deleted: Mapped[bool] = mapped_column(Boolean, default=False)
    updated_at: Mapped[int] = mapped_column(BigInteger)
