"""Collection actions: what album admins asked of a file's owner.

museum keeps these in a table of their own; here the action markers on memberships
(`collection_files.action`, set by an admin's remove or delete suggestion) are the record,
so an action is pending exactly while its marker is. Action ids are derived from the
membership ("cact_<collectionID>_<fileID>"); clients only use collectionID and fileID.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy.orm import Session

from photo_api.clock import now_us
from photo_api.collection_actions import repo
from photo_api.collections import repo as collections_repo
from photo_api.errors import bad_request
from photo_api.models import CollectionFile

LIMIT = 2000


def _action_out(row: CollectionFile) -> dict[str, Any]:
    return {
        "id": f"cact_{row.collection_id}_{row.file_id}",
        "userID": row.f_owner_id,
        "actorUserID": row.action_user or 0,
        "collectionID": row.collection_id,
        "fileID": row.file_id,
        "action": row.action,
        "isPending": True,
        "createdAt": row.updation_time,
        "updatedAt": row.updation_time,
    }


def _answer(rows: Sequence[CollectionFile]) -> dict[str, Any]:
    return {"actions": [_action_out(row) for row in rows], "hasMore": len(rows) >= LIMIT}


def pending_remove(session: Session, *, user_id: int, since: int) -> dict[str, Any]:
    """Files of the caller's that an admin took out of the caller's album: the owner's client
    moves them elsewhere (Uncategorized), which ends the action."""
    return _answer(repo.pending_removes(session, user_id=user_id, since=since, limit=LIMIT))


def delete_suggestions(session: Session, *, user_id: int, since: int) -> dict[str, Any]:
    return _answer(repo.delete_suggestions(session, user_id=user_id, since=since, limit=LIMIT))


def reject_delete_suggestions(
    session: Session, *, user_id: int, file_ids: Sequence[int]
) -> dict[str, int]:
    """Resolve the caller's delete suggestions for these files by keeping the files."""
    if not file_ids:
        raise bad_request("fileIDs must not be empty")
    if len(file_ids) > LIMIT:
        raise bad_request(f"can not reject more than {LIMIT} items in one request")
    rows = repo.suggested_deletions_of(session, user_id=user_id, file_ids=file_ids)
    now = now_us()
    touched: set[int] = set()
    for row in rows:
        row.action, row.action_user = None, None
        if not row.is_deleted:
            # Others saw the file as gone while it was marked: their diffs must bring it back.
            row.updation_time = now
            touched.add(row.collection_id)
    if touched:
        collections_repo.bump_collections(session, collection_ids=sorted(touched), now=now)
    session.flush()
    return {"updated": len(rows)}
