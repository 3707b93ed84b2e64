"""Who may do what with a collection and the files in it.

Roles are museum's: OWNER, and for users an album is shared with, ADMIN, COLLABORATOR or VIEWER.
"""

from __future__ import annotations

from typing import Literal

from sqlalchemy.orm import Session

from photo_api.collections import repo
from photo_api.errors import ApiError, forbidden, not_found
from photo_api.models import Collection, File
from photo_api.sharing import repo as sharing_repo

Role = Literal["OWNER", "ADMIN", "COLLABORATOR", "VIEWER"]
CAN_ADD: frozenset[Role] = frozenset({"OWNER", "ADMIN", "COLLABORATOR"})


def role_of(session: Session, *, collection: Collection, user_id: int) -> Role | None:
    if collection.owner_id == user_id:
        return "OWNER"
    share = sharing_repo.active_share(session, collection_id=collection.id, user_id=user_id)
    return share.role if share is not None else None  # type: ignore[return-value]


def participant(
    session: Session, *, collection_id: int, user_id: int, app: str | None = None
) -> tuple[Collection, Role]:
    """A collection the user takes part in; 404 for anyone else, as museum answers."""
    collection = repo.get_collection(session, collection_id)
    role = role_of(session, collection=collection, user_id=user_id) if collection else None
    if collection is None or role is None:
        raise not_found("collection not found")
    if app is not None and collection.app != app:
        raise not_found("collection not found")
    return collection, role


def owned(session: Session, *, collection_id: int, user_id: int, app: str) -> Collection:
    """A live collection of the caller's: 404 when absent or deleted, 403 when not theirs."""
    collection = repo.get_collection(session, collection_id)
    if collection is None or collection.app != app:
        raise not_found("collection not found")
    if collection.owner_id != user_id:
        raise forbidden("not the owner of this collection")
    if collection.is_deleted:
        raise ApiError(404, "COLLECTION_DELETED", "collection is deleted")
    return collection


def can_read_file(session: Session, *, user_id: int, file: File) -> bool:
    """The owner, or anyone taking part in a collection the file is live in."""
    if file.owner_id == user_id:
        return True
    for membership in repo.active_memberships_of_files(session, [file.id]):
        collection = repo.get_collection(session, membership.collection_id)
        if (
            collection
            and not collection.is_deleted
            and role_of(session, collection=collection, user_id=user_id)
        ):
            return True
    return False
