"""SQL for collections and memberships (the files in them)."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import and_, func, select, update
from sqlalchemy.orm import Session

from photo_api.files.repo import FILE_VIEW, file_views
from photo_api.files.schemas import FileView
from photo_api.models import Collection, CollectionFile, File


def get_collection(session: Session, collection_id: int) -> Collection | None:
    return session.get(Collection, collection_id)


def add_collection(session: Session, row: Collection) -> Collection:
    session.add(row)
    session.flush()
    return row


def special_collection(
    session: Session, *, owner_id: int, app: str, type_: str
) -> Collection | None:
    return session.scalars(
        select(Collection).where(
            Collection.owner_id == owner_id, Collection.app == app, Collection.type == type_
        )
    ).one_or_none()


def owned_collections(
    session: Session, *, owner_id: int, app: str, since: int, limit: int | None = None
) -> list[Collection]:
    query = (
        select(Collection)
        .where(
            Collection.owner_id == owner_id,
            Collection.app == app,
            Collection.updation_time > since,
        )
        .order_by(Collection.updation_time)
    )
    if limit is not None:
        query = query.limit(limit)
    return list(session.scalars(query))


def bump_collections(session: Session, *, collection_ids: Sequence[int], now: int) -> None:
    """Move collections' updationTime forward: clients re-sync only those whose time moved."""
    if collection_ids:
        session.execute(
            update(Collection)
            .where(Collection.id.in_(set(collection_ids)))
            .values(updation_time=now)
        )


# --- memberships ------------------------------------------------------------------------


def membership(session: Session, *, collection_id: int, file_id: int) -> CollectionFile | None:
    return session.get(CollectionFile, (collection_id, file_id))


def memberships(
    session: Session, *, collection_id: int, file_ids: Sequence[int]
) -> dict[int, CollectionFile]:
    rows = session.scalars(
        select(CollectionFile).where(
            CollectionFile.collection_id == collection_id, CollectionFile.file_id.in_(file_ids)
        )
    )
    return {row.file_id: row for row in rows}


def upsert_membership(
    session: Session,
    *,
    collection: Collection,
    file_id: int,
    file_owner_id: int,
    encrypted_key: str,
    key_decryption_nonce: str,
    now: int,
) -> None:
    row = session.get(CollectionFile, (collection.id, file_id))
    if row is None:
        session.add(
            CollectionFile(
                collection_id=collection.id,
                file_id=file_id,
                encrypted_key=encrypted_key,
                key_decryption_nonce=key_decryption_nonce,
                is_deleted=False,
                c_owner_id=collection.owner_id,
                f_owner_id=file_owner_id,
                created_at=now,
                updation_time=now,
            )
        )
    else:
        if row.is_deleted:
            row.created_at = now
        row.encrypted_key, row.key_decryption_nonce = encrypted_key, key_decryption_nonce
        row.is_deleted, row.action, row.action_user = False, None, None
        row.updation_time = now
    session.flush()


def remove_memberships(
    session: Session, *, collection_id: int, file_ids: Sequence[int], now: int
) -> None:
    session.execute(
        update(CollectionFile)
        .where(
            CollectionFile.collection_id == collection_id,
            CollectionFile.file_id.in_(file_ids),
            CollectionFile.is_deleted.is_(False),
        )
        .values(is_deleted=True, updation_time=now)
    )


def active_memberships_of_files(session: Session, file_ids: Sequence[int]) -> list[CollectionFile]:
    return list(
        session.scalars(
            select(CollectionFile).where(
                CollectionFile.file_id.in_(file_ids), CollectionFile.is_deleted.is_(False)
            )
        )
    )


def remove_files_everywhere(session: Session, *, file_ids: Sequence[int], now: int) -> list[int]:
    """Take files out of every collection they are in; returns those collections."""
    collection_ids = sorted(
        {m.collection_id for m in active_memberships_of_files(session, file_ids)}
    )
    session.execute(
        update(CollectionFile)
        .where(CollectionFile.file_id.in_(file_ids), CollectionFile.is_deleted.is_(False))
        .values(is_deleted=True, updation_time=now)
    )
    bump_collections(session, collection_ids=collection_ids, now=now)
    return collection_ids


def touch_files(session: Session, *, file_ids: Sequence[int], now: int) -> None:
    """A file changed: its live memberships and their collections show up in diffs again."""
    collection_ids = [m.collection_id for m in active_memberships_of_files(session, file_ids)]
    session.execute(
        update(CollectionFile)
        .where(CollectionFile.file_id.in_(file_ids), CollectionFile.is_deleted.is_(False))
        .values(updation_time=now)
    )
    bump_collections(session, collection_ids=collection_ids, now=now)


def diff_rows(session: Session, *, collection_id: int, since: int, limit: int) -> list[FileView]:
    """Memberships changed after `since`, with their files."""
    # Core execution: the ORM's row loading would cost as much as the query.
    return file_views(
        session.connection()
        .execute(
            select(*FILE_VIEW)
            .join_from(CollectionFile, File, File.id == CollectionFile.file_id)
            .where(
                CollectionFile.collection_id == collection_id,
                CollectionFile.updation_time > since,
            )
            .order_by(CollectionFile.updation_time, CollectionFile.file_id)
            .limit(limit)
        )
        .all()
    )


def rows_at(session: Session, *, collection_id: int, at: int) -> list[FileView]:
    return file_views(
        session.connection()
        .execute(
            select(*FILE_VIEW)
            .join_from(CollectionFile, File, File.id == CollectionFile.file_id)
            .where(
                CollectionFile.collection_id == collection_id,
                CollectionFile.updation_time == at,
            )
            .order_by(CollectionFile.file_id)
        )
        .all()
    )


def active_file_ids(
    session: Session, *, collection_id: int, owner_id: int | None = None
) -> list[int]:
    query = select(CollectionFile.file_id).where(
        CollectionFile.collection_id == collection_id, CollectionFile.is_deleted.is_(False)
    )
    if owner_id is not None:
        query = query.where(CollectionFile.f_owner_id == owner_id)
    return list(session.scalars(query))


def count_active_files(session: Session, *, collection_id: int) -> int:
    return int(
        session.scalar(
            select(func.count())
            .select_from(CollectionFile)
            .where(
                and_(
                    CollectionFile.collection_id == collection_id,
                    CollectionFile.is_deleted.is_(False),
                )
            )
        )
        or 0
    )


def count_user_files(session: Session, *, owner_id: int, app: str) -> int:
    """Distinct live files of the owner in the owner's collections of that app."""
    return int(
        session.scalar(
            select(func.count(func.distinct(CollectionFile.file_id)))
            .join(Collection, Collection.id == CollectionFile.collection_id)
            .where(
                CollectionFile.f_owner_id == owner_id,
                CollectionFile.c_owner_id == owner_id,
                CollectionFile.is_deleted.is_(False),
                Collection.app == app,
            )
        )
        or 0
    )
