"""SQL for files and the objects that hold their bytes."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from photo_api.models import CollectionFile, File, StoredObject, TrashItem, Usage


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


def objects_due(session: Session, *, state: str, now: int, limit: int) -> list[StoredObject]:
    """Objects in that state whose time has come, locked so one process handles each."""
    return list(
        session.scalars(
            select(StoredObject)
            .where(StoredObject.state == state, StoredObject.expires_at <= now)
            .order_by(StoredObject.expires_at)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
    )


def delete_object_row(session: Session, key: str) -> None:
    session.execute(delete(StoredObject).where(StoredObject.key == key))


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
