"""SQL for file data rows, and the few facts about files that their rules need."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from photo_api.models import CollectionFile, File, FileData, TrashItem


def lock_file(session: Session, file_id: int) -> File | None:
    """The file, locked so that writes of its data happen one at a time (PostgreSQL)."""
    return session.scalars(select(File).where(File.id == file_id).with_for_update()).one_or_none()


def get(session: Session, *, file_id: int, type_: str) -> FileData | None:
    return session.get(FileData, (file_id, type_))


def rows_for(session: Session, *, file_ids: Sequence[int], type_: str) -> list[FileData]:
    return list(
        session.scalars(
            select(FileData).where(FileData.file_id.in_(file_ids), FileData.type == type_)
        )
    )


def add(session: Session, row: FileData) -> None:
    session.add(row)
    session.flush()


def diff_rows(session: Session, *, user_id: int, since: int, limit: int) -> list[FileData]:
    return list(
        session.scalars(
            select(FileData)
            .where(FileData.user_id == user_id, FileData.updated_at > since)
            .order_by(FileData.updated_at, FileData.file_id, FileData.type)
            .limit(limit)
        )
    )


def rows_at(session: Session, *, user_id: int, at: int) -> list[FileData]:
    return list(
        session.scalars(
            select(FileData)
            .where(FileData.user_id == user_id, FileData.updated_at == at)
            .order_by(FileData.file_id, FileData.type)
        )
    )


def live_rows_of_files(session: Session, file_ids: Sequence[int]) -> list[FileData]:
    return list(
        session.scalars(
            select(FileData).where(FileData.file_id.in_(file_ids), FileData.is_deleted.is_(False))
        )
    )


def mark_deleted(session: Session, *, file_ids: Sequence[int], now: int) -> None:
    session.execute(
        update(FileData)
        .where(FileData.file_id.in_(file_ids), FileData.is_deleted.is_(False))
        .values(is_deleted=True, updated_at=now)
    )


def owners_with_data(session: Session, file_ids: Sequence[int]) -> list[tuple[int, int]]:
    """(file id, owner id) of those files that have data."""
    rows = session.execute(
        select(FileData.file_id, FileData.user_id).where(FileData.file_id.in_(file_ids)).distinct()
    )
    return [(file_id, owner_id) for file_id, owner_id in rows]


def in_some_collection(session: Session, file_id: int) -> bool:
    count = session.scalar(
        select(func.count())
        .select_from(CollectionFile)
        .where(CollectionFile.file_id == file_id, CollectionFile.is_deleted.is_(False))
    )
    return bool(count)


def deleted_for_good(session: Session, file_id: int) -> bool:
    count = session.scalar(
        select(func.count())
        .select_from(TrashItem)
        .where(TrashItem.file_id == file_id, TrashItem.is_deleted.is_(True))
    )
    return bool(count)
