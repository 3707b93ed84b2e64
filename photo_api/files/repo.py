"""SQL for files and the objects that hold their bytes."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import ColumnElement, Row, delete, func, select, update
from sqlalchemy.orm import Session

from photo_api.files.schemas import FileView
from photo_api.models import CollectionFile, File, ObjectCopy, StoredObject, TrashItem, Usage

# schemas.FileView's columns under its names: a file with one membership of it. Diff pages
# select these and make FileViews of the rows, never ORM objects, which cost more to build
# than the query itself.
FILE_VIEW = (
    File.id,
    File.owner_id,
    CollectionFile.collection_id,
    CollectionFile.c_owner_id,
    CollectionFile.encrypted_key,
    CollectionFile.key_decryption_nonce,
    File.file_decryption_header,
    File.thumbnail_decryption_header,
    File.encrypted_metadata,
    File.metadata_decryption_header,
    CollectionFile.is_deleted,
    CollectionFile.updation_time,
    CollectionFile.created_at.label("added_at"),
    CollectionFile.action,
    CollectionFile.action_user,
    File.magic_metadata,
    File.pub_magic_metadata,
    File.file_size,
    File.thumb_size,
    File.updation_time.label("file_updation_time"),
)


def file_views(rows: Sequence[Row[Any]]) -> list[FileView]:
    """Rows of FILE_VIEW as they come: they have FileView's fields, by name and in order, and
    copying thousands of them into FileViews would be a second pass for nothing."""
    return cast(list[FileView], rows)


# The backend of a prefix row: its objects may be on any of them.
ALL_BACKENDS = "*"


def get_file(session: Session, file_id: int) -> File | None:
    return session.get(File, file_id)


def files_by_ids(session: Session, file_ids: Sequence[int]) -> list[File]:
    return list(session.scalars(select(File).where(File.id.in_(file_ids))))


def add_file(session: Session, row: File) -> File:
    session.add(row)
    session.flush()
    return row


def file_in_active_membership_with(
    session: Session, *, file_id: int, collection_ids: Sequence[int]
) -> bool:
    return (
        session.scalar(
            select(func.count())
            .select_from(CollectionFile)
            .where(
                CollectionFile.file_id == file_id,
                CollectionFile.collection_id.in_(collection_ids),
                CollectionFile.is_deleted.is_(False),
            )
        )
        or 0
    ) > 0


def largest_file_id(session: Session) -> int | None:
    return session.scalar(select(func.max(File.id)))


# --- objects ----------------------------------------------------------------------------


def add_object(session: Session, row: StoredObject) -> None:
    session.add(row)
    session.flush()


def get_object(session: Session, key: str) -> StoredObject | None:
    return session.get(StoredObject, key)


def objects_of_file(session: Session, file_id: int) -> dict[str, StoredObject]:
    """The committed objects of a file, by kind ("file", "thumbnail")."""
    rows = session.scalars(
        select(StoredObject).where(
            StoredObject.file_id == file_id, StoredObject.state == "committed"
        )
    )
    return {row.kind or "": row for row in rows}


def files_with_thumbnail_of_at_least(session: Session, *, owner_id: int, size: int) -> list[int]:
    """The owner's files (trashed ones too) whose current thumbnail has at least `size` bytes."""
    return list(
        session.scalars(
            select(File.id)
            .join(StoredObject, StoredObject.file_id == File.id)
            .where(
                File.owner_id == owner_id,
                StoredObject.kind == "thumbnail",
                StoredObject.state == "committed",
                StoredObject.size >= size,
            )
            .order_by(File.id)
        )
    )


def objects_of_files(session: Session, file_ids: Sequence[int]) -> list[StoredObject]:
    return list(
        session.scalars(
            select(StoredObject).where(
                StoredObject.file_id.in_(file_ids), StoredObject.state == "committed"
            )
        )
    )


def mark_objects_deleted(session: Session, *, keys: Sequence[str], delete_after: int) -> None:
    session.execute(
        update(StoredObject)
        .where(StoredObject.key.in_(keys))
        .values(state="deleted", expires_at=delete_after)
    )


# --- usage ------------------------------------------------------------------------------


def locked_usage(session: Session, user_id: int) -> int:
    """The user's usage, locking the row so concurrent uploads are checked one at a time."""
    return int(
        session.scalar(
            select(Usage.storage_consumed).where(Usage.user_id == user_id).with_for_update()
        )
        or 0
    )


def live_file_sizes(session: Session, *, owner_id: int) -> list[tuple[int, int]]:
    """(id, size) of the owner's files that are not deleted for good (trashed ones count)."""
    deleted = select(TrashItem.file_id).where(TrashItem.is_deleted.is_(True))
    return list(
        session.execute(
            select(File.id, File.file_size)
            .where(File.owner_id == owner_id, File.id.not_in(deleted))
            .order_by(File.id)
        ).all()
    )


def schedule_prefix_removal(
    session: Session, *, prefixes: Sequence[tuple[str, int]], now: int, delete_after: int
) -> None:
    """Record (prefix, owner) trees of objects to remove from every backend after a delay.

    Their objects are written by the server (file data), not one per upload URL, so one row
    stands for everything under the prefix; a prefix already scheduled keeps its time.
    """
    known = set(
        session.scalars(
            select(StoredObject.key).where(StoredObject.key.in_([p for p, _ in prefixes]))
        )
    )
    for prefix, owner_id in prefixes:
        if prefix in known:
            continue
        session.add(
            StoredObject(
                key=prefix,
                owner_id=owner_id,
                state="deleted",
                kind="prefix",
                size=0,
                backend=ALL_BACKENDS,
                created_at=now,
                expires_at=delete_after,
            )
        )
    session.flush()


@dataclass(frozen=True, slots=True)
class ClaimedObject:
    key: str
    # The state it was claimed in: "pending", "deleted", or "removing" (a retry).
    state: str
    kind: str | None
    backend: str
    upload_id: str | None


def _due_for_removal(now: int) -> tuple[ColumnElement[bool], ...]:
    """Abandoned uploads and deleted objects whose time has come, and lapsed claims."""
    return (
        StoredObject.state.in_(("pending", "deleted", "removing")),
        StoredObject.expires_at <= now,
    )


def claim_objects_due(
    session: Session, *, now: int, limit: int, lease_until: int
) -> list[ClaimedObject]:
    """Abandoned uploads and deleted objects whose time has come (and removals whose lease
    ended), marked "removing" until lease_until; locked so one process claims each."""
    rows = list(
        session.scalars(
            select(StoredObject)
            .where(*_due_for_removal(now))
            .order_by(StoredObject.expires_at)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
    )
    claimed = [
        ClaimedObject(row.key, row.state, row.kind, row.backend, row.upload_id) for row in rows
    ]
    for row in rows:
        row.state, row.expires_at = "removing", lease_until
    session.flush()
    return claimed


def count_objects_due(session: Session, *, now: int) -> dict[str, int]:
    """How many objects the cleanup job would claim now, by state."""
    rows = session.execute(
        select(StoredObject.state, func.count())
        .where(*_due_for_removal(now))
        .group_by(StoredObject.state)
    )
    return {state: count for state, count in rows}


def delete_object_row(session: Session, key: str) -> None:
    session.execute(delete(StoredObject).where(StoredObject.key == key))


def delete_removed_objects(session: Session, keys: Sequence[str]) -> None:
    """Drop the rows of removed objects (only those still being removed)."""
    session.execute(
        delete(StoredObject).where(StoredObject.key.in_(keys), StoredObject.state == "removing")
    )


def owned_file_ids(session: Session, owner_id: int) -> list[int]:
    return list(session.scalars(select(File.id).where(File.owner_id == owner_id)))


def scrub_files(session: Session, file_ids: Sequence[int]) -> None:
    """Forget the ciphertext of deleted files' metadata too, as museum eventually does."""
    session.execute(
        update(File)
        .where(File.id.in_(file_ids))
        .values(
            encrypted_metadata="-",
            metadata_decryption_header="-",
            file_decryption_header="-",
            thumbnail_decryption_header="-",
            magic_metadata=None,
            pub_magic_metadata=None,
        )
    )


def good_copy_backends(session: Session, *, key: str, exclude: str) -> list[str]:
    """Backends other than `exclude` holding a copy of the object that replication verified."""
    return list(
        session.scalars(
            select(ObjectCopy.backend)
            .where(
                ObjectCopy.key == key,
                ObjectCopy.backend != exclude,
                ObjectCopy.state == "ok",
                ObjectCopy.sha256.is_not(None),
            )
            .order_by(ObjectCopy.backend)
        )
    )
