"""Rules for user entities: one key per (user, type), entities under it, tombstones, diffs."""

from __future__ import annotations

import secrets
import string
from typing import Any

from sqlalchemy.orm import Session

from photo_api.clock import now_us
from photo_api.entities import repo
from photo_api.entities.schemas import (
    CreateEntityRequest,
    UpdateEntityRequest,
    entity_out,
    key_out,
)
from photo_api.errors import ApiError, bad_request, not_found
from photo_api.models import Entity, EntityKey
from photo_api.pagination import page

MAX_DIFF_LIMIT = 5000
ID_ALPHABET = string.digits + string.ascii_uppercase + string.ascii_lowercase
ID_LENGTH = 22
# Smart albums are keyed by the client (one per collection), and so may be re-created.
RESTORABLE_TYPES = frozenset({"smart_album"})


def new_id(type_: str) -> str:
    """museum's ids: the type, "_", then 22 random characters of [0-9A-Za-z]."""
    return f"{type_}_" + "".join(secrets.choice(ID_ALPHABET) for _ in range(ID_LENGTH))


def _next_time(previous: int) -> int:
    # Diffs hand out rows changed after a client's last seen time: a change must move forward.
    return max(now_us(), previous + 1)


def create_key(
    session: Session, *, user_id: int, type_: str, encrypted_key: str, header: str
) -> None:
    """Store the type's key; the same key again is a replay and succeeds, another one 409s."""
    row = EntityKey(
        user_id=user_id,
        type=type_,
        encrypted_key=encrypted_key,
        header=header,
        created_at=now_us(),
    )
    if repo.insert_key(session, row):
        return
    existing = repo.get_key(session, user_id=user_id, type_=type_)
    if existing is not None and (existing.encrypted_key, existing.header) == (
        encrypted_key,
        header,
    ):
        return
    raise ApiError(409, "ALREADY_EXISTS", "Key already exists")


def get_key(session: Session, *, user_id: int, type_: str) -> dict[str, Any]:
    row = repo.get_key(session, user_id=user_id, type_=type_)
    if row is None:
        # The web client takes 404 as "no key yet" and creates one.
        raise not_found(f"no {type_} entity key")
    return key_out(row)


def _own_entity(session: Session, *, user_id: int, entity_id: str) -> Entity:
    row = repo.get_entity(session, entity_id)
    if row is None or row.user_id != user_id:
        raise not_found("entity not found")
    return row


def create_entity(
    session: Session, *, user_id: int, request: CreateEntityRequest
) -> dict[str, Any]:
    type_ = request.type
    if type_ == "smart_album" and not (request.id or "").startswith(f"sa_{user_id}_"):
        raise bad_request(f"smart_album ids must start with sa_{user_id}_")
    # museum's foreign key answers this with a 500; it is the client's ordering mistake.
    if repo.get_key(session, user_id=user_id, type_=type_) is None:
        raise not_found(f"create the {type_} entity key first")
    entity_id = request.id or new_id(type_)
    now = now_us()
    row = Entity(
        id=entity_id,
        user_id=user_id,
        type=type_,
        encrypted_data=request.encryptedData,
        header=request.header,
        is_deleted=False,
        created_at=now,
        updated_at=now,
    )
    if repo.insert_entity(session, row):
        return entity_out(row)
    existing = repo.get_entity(session, entity_id)
    if (
        existing is None
        or existing.user_id != user_id
        or existing.type != type_
        or not existing.is_deleted
        or type_ not in RESTORABLE_TYPES
    ):
        raise ApiError(409, "ALREADY_EXISTS", "Entity already exists")
    existing.encrypted_data, existing.header = request.encryptedData, request.header
    existing.is_deleted = False
    existing.updated_at = _next_time(existing.updated_at)
    session.flush()
    return entity_out(existing)


def update_entity(
    session: Session, *, user_id: int, request: UpdateEntityRequest
) -> dict[str, Any]:
    row = _own_entity(session, user_id=user_id, entity_id=request.id)
    if row.type != request.type:
        # Its data would be encrypted with another type's key.
        raise bad_request(f"entity {row.id} is a {row.type}, not a {request.type}")
    if row.is_deleted:
        raise bad_request("entity is already deleted")
    if (row.encrypted_data, row.header) != (request.encryptedData, request.header):
        row.encrypted_data, row.header = request.encryptedData, request.header
        row.updated_at = _next_time(row.updated_at)
        session.flush()
    return entity_out(row)


def delete_entity(session: Session, *, user_id: int, entity_id: str) -> None:
    """Leave a tombstone, which the diff hands to other devices; deleting twice is a no-op."""
    row = _own_entity(session, user_id=user_id, entity_id=entity_id)
    if row.is_deleted:
        return
    row.encrypted_data, row.header, row.is_deleted = None, None, True
    row.updated_at = _next_time(row.updated_at)
    session.flush()


def diff(
    session: Session, *, user_id: int, type_: str, since: int, limit: int
) -> dict[str, list[dict[str, Any]]]:
    """Entities changed after `since`, oldest change first; clients ask again until empty."""
    if not 1 <= limit <= MAX_DIFF_LIMIT:
        raise bad_request(f"limit must be between 1 and {MAX_DIFF_LIMIT}")
    # No hasMore on the wire, but a page that cut a group of equal times would lose the rest of
    # the group for good: page() never cuts one.
    rows, _ = page(
        lambda n: repo.diff_rows(session, user_id=user_id, type_=type_, since=since, limit=n),
        lambda at: repo.rows_at(session, user_id=user_id, type_=type_, at=at),
        lambda row: row.updated_at,
        limit=limit,
    )
    return {"diff": [entity_out(row) for row in rows]}
