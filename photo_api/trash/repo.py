"""SQL for trash rows."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, NamedTuple

from sqlalchemy import ColumnElement, Select, func, select, update
from sqlalchemy.orm import Session

from photo_api.files.repo import FILE_VIEW
from photo_api.files.schemas import FileView
from photo_api.models import Collection, CollectionFile, File, TrashItem


class TrashEntry(NamedTuple):
    """A trash diff row: the trash item, and its file with the membership it left."""

    collection_id: int
    is_deleted: bool
    is_restored: bool
    delete_by: int
    created_at: int
    updated_at: int
    file: FileView


_TRASH_COLUMNS = (
    TrashItem.collection_id.label("trash_collection_id"),
    TrashItem.is_deleted.label("trash_is_deleted"),
    TrashItem.is_restored,
    TrashItem.delete_by,
    TrashItem.created_at.label("trash_created_at"),
    TrashItem.updated_at.label("trash_updated_at"),
)
_FILE_AT = len(_TRASH_COLUMNS)


def items(session: Session, file_ids: Sequence[int]) -> dict[int, TrashItem]:
    rows = session.scalars(select(TrashItem).where(TrashItem.file_id.in_(file_ids)))
    return {row.file_id: row for row in rows}


def upsert(
    session: Session, *, file_id: int, collection_id: int, user_id: int, delete_by: int, now: int
) -> None:
    row = session.get(TrashItem, file_id)
    if row is None:
        session.add(
            TrashItem(
                file_id=file_id,
                collection_id=collection_id,
                user_id=user_id,
                is_deleted=False,
                is_restored=False,
                delete_by=delete_by,
                created_at=now,
                updated_at=now,
            )
        )
    else:
        row.collection_id, row.delete_by, row.updated_at = collection_id, delete_by, now
        row.is_restored, row.created_at = False, now
    session.flush()


def in_trash(
    session: Session,
    *,
    user_id: int,
    file_ids: Sequence[int] | None = None,
    updated_until: int | None = None,
    delete_by_until: int | None = None,
    limit: int | None = None,
) -> list[TrashItem]:
    """Rows still in the trash: neither restored nor deleted for good."""
    query = select(TrashItem).where(
        TrashItem.user_id == user_id,
        TrashItem.is_deleted.is_(False),
        TrashItem.is_restored.is_(False),
    )
    if file_ids is not None:
        query = query.where(TrashItem.file_id.in_(file_ids))
    if updated_until is not None:
        query = query.where(TrashItem.updated_at <= updated_until)
    if delete_by_until is not None:
        query = query.where(TrashItem.delete_by <= delete_by_until)
    return list(session.scalars(query.order_by(TrashItem.file_id).limit(limit)))


def _expired(now: int) -> tuple[ColumnElement[bool], ...]:
    """Still in the trash, past the time it goes for good."""
    return (
        TrashItem.is_deleted.is_(False),
        TrashItem.is_restored.is_(False),
        TrashItem.delete_by <= now,
    )


def users_with_expired_items(session: Session, *, now: int, limit: int) -> list[int]:
    return list(
        session.scalars(select(TrashItem.user_id).where(*_expired(now)).distinct().limit(limit))
    )


def count_expired_items(session: Session, *, now: int) -> int:
    count = session.scalar(select(func.count()).select_from(TrashItem).where(*_expired(now)))
    return int(count or 0)


def _diff_query(user_id: int, app: str) -> Select[Any]:
    return (
        select(*_TRASH_COLUMNS, *FILE_VIEW)
        .join_from(TrashItem, File, File.id == TrashItem.file_id)
        .join(Collection, Collection.id == TrashItem.collection_id)
        .outerjoin(
            CollectionFile,
            (CollectionFile.collection_id == TrashItem.collection_id)
            & (CollectionFile.file_id == TrashItem.file_id),
        )
        .where(TrashItem.user_id == user_id, Collection.app == app)
    )


def _entries(rows: Iterable[Sequence[Any]]) -> list[TrashEntry]:
    return [TrashEntry._make((*row[:_FILE_AT], FileView._make(row[_FILE_AT:]))) for row in rows]


def diff_rows(
    session: Session, *, user_id: int, app: str, since: int, limit: int
) -> list[TrashEntry]:
    query = (
        _diff_query(user_id, app)
        .where(TrashItem.updated_at > since)
        .order_by(TrashItem.updated_at, TrashItem.file_id)
        .limit(limit)
    )
    return _entries(session.connection().execute(query).all())


def rows_at(session: Session, *, user_id: int, app: str, at: int) -> list[TrashEntry]:
    query = _diff_query(user_id, app).where(TrashItem.updated_at == at).order_by(TrashItem.file_id)
    return _entries(session.connection().execute(query).all())


def mark_deleted(session: Session, *, file_ids: Sequence[int], now: int) -> None:
    session.execute(
        update(TrashItem)
        .where(TrashItem.file_id.in_(file_ids), TrashItem.is_deleted.is_(False))
        .values(is_deleted=True, updated_at=now)
    )
