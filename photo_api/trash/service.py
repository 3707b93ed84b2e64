"""Rules for the trash: what goes in, what comes out, and what is deleted for good."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy.orm import Session

from photo_api.clock import MICROS_PER_DAY, now_us
from photo_api.collections import repo as collections_repo
from photo_api.config import Settings
from photo_api.errors import bad_request, forbidden, not_found, too_large
from photo_api.file_links import service as file_links
from photo_api.filedata import service as filedata
from photo_api.files import repo as files_repo
from photo_api.files.schemas import MAX_BATCH, file_entry
from photo_api.pagination import page
from photo_api.trash import repo
from photo_api.trash.repo import TrashEntry
from photo_api.users import repo as users_repo

DIFF_LIMIT = 2500
MAX_DELETE = 2500


def trash_files(
    session: Session, *, settings: Settings, user_id: int, items: Sequence[tuple[int, int]]
) -> None:
    """Move files to the trash: out of every collection, into the user's trash for 30 days."""
    if len(items) > MAX_BATCH:
        raise too_large(f"at most {MAX_BATCH} items per request")
    file_ids = [file_id for file_id, _ in items]
    if len(set(file_ids)) != len(file_ids):
        raise bad_request("duplicate fileIDs")
    files = {f.id: f for f in files_repo.files_by_ids(session, file_ids)}
    for file_id, collection_id in items:
        file = files.get(file_id)
        if file is None:
            raise not_found(f"file {file_id} not found")
        if file.owner_id != user_id:
            raise forbidden(f"not the owner of file {file_id}")
        collection = collections_repo.get_collection(session, collection_id)
        if collection is None or collection.owner_id != user_id:
            raise forbidden(f"not the owner of collection {collection_id}")
        if (
            collections_repo.membership(session, collection_id=collection_id, file_id=file_id)
            is None
        ):
            raise bad_request(f"file {file_id} was never in collection {collection_id}")
    trashed = repo.items(session, file_ids)
    if any(row.is_deleted for row in trashed.values()):
        raise bad_request("some files are already deleted")
    now = now_us()
    collections_repo.remove_files_everywhere(session, file_ids=file_ids, now=now)
    file_links.disable_file_links(session, file_ids=file_ids)
    delete_by = now + settings.trash_retention_days * MICROS_PER_DAY
    for file_id, collection_id in items:
        repo.upsert(
            session,
            file_id=file_id,
            collection_id=collection_id,
            user_id=user_id,
            delete_by=delete_by,
            now=now,
        )


def _item_out(item: TrashEntry, *, user_id: int) -> dict[str, Any]:
    out_file = file_entry(item.file, viewer_id=user_id, in_collection=False)
    out_file["collectionID"] = item.collection_id
    return {
        "file": out_file,
        "isDeleted": item.is_deleted,
        "isRestored": item.is_restored,
        "deleteBy": item.delete_by,
        "createdAt": item.created_at,
        "updatedAt": item.updated_at,
    }


def diff(session: Session, *, user_id: int, app: str, since: int) -> dict[str, Any]:
    rows, has_more = page(
        lambda limit: repo.diff_rows(session, user_id=user_id, app=app, since=since, limit=limit),
        lambda at: repo.rows_at(session, user_id=user_id, app=app, at=at),
        lambda row: row.updated_at,
        limit=DIFF_LIMIT,
    )
    return {"diff": [_item_out(row, user_id=user_id) for row in rows], "hasMore": has_more}


def delete_for_good(
    session: Session, *, settings: Settings, user_id: int, file_ids: Sequence[int]
) -> int:
    """Delete trashed files for good: usage goes down, objects are scheduled for removal."""
    rows = repo.in_trash(session, user_id=user_id, file_ids=file_ids)
    if not rows:
        return 0
    ids = [row.file_id for row in rows]
    now = now_us()
    for row in rows:
        row.is_deleted, row.updated_at = True, now
    objects = files_repo.objects_of_files(session, ids)
    delay = settings.object_deletion_delay_us
    files_repo.mark_objects_deleted(
        session, keys=[o.key for o in objects], delete_after=now + delay
    )
    filedata.delete_for_files(session, file_ids=ids, delete_after=now + delay)
    users_repo.add_usage(session, user_id=user_id, delta=-sum(o.size for o in objects))
    session.flush()
    return len(ids)


def delete(session: Session, *, settings: Settings, user_id: int, file_ids: list[int]) -> int:
    """Delete for good those of the files that are in the user's trash; returns how many."""
    if len(file_ids) > MAX_DELETE:
        raise too_large(f"at most {MAX_DELETE} files per request")
    return delete_for_good(session, settings=settings, user_id=user_id, file_ids=file_ids)


def empty(session: Session, *, settings: Settings, user_id: int, last_updated_at: int) -> int:
    """Everything the client had seen in its trash (up to that time) goes for good."""
    rows = repo.in_trash(session, user_id=user_id, updated_until=last_updated_at)
    return delete_for_good(
        session, settings=settings, user_id=user_id, file_ids=[r.file_id for r in rows]
    )


def restore(session: Session, *, user_id: int, file_ids: Sequence[int]) -> None:
    """Mark trashed files restored; the caller puts them back into a collection."""
    rows = repo.in_trash(session, user_id=user_id, file_ids=file_ids)
    if len(rows) != len(set(file_ids)):
        raise bad_request("every file must be in the trash")
    now = now_us()
    for row in rows:
        row.is_restored, row.updated_at = True, now
    session.flush()
