"""Rules for Ente Auth: one key per user, entities under it, tombstones, diffs.

The same diff and tombstone rules as the photos app's user entities, with museum's
differences for Auth: server-chosen UUIDs, a key that cannot be replaced (409 even for the
same key), a key required before any entity, and the server's clock in every diff.
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy.orm import Session

from photo_api.authenticator import repo
from photo_api.authenticator.schemas import (
    CreateEntityRequest,
    UpdateEntityRequest,
    entity_out,
    key_out,
)
from photo_api.clock import now_us
from photo_api.errors import ApiError, bad_request, conflict, not_found
from photo_api.models import AuthenticatorEntity, AuthenticatorKey
from photo_api.pagination import page
from photo_api.users import repo as users_repo

MAX_DIFF_LIMIT = 5000


def _key_not_created() -> ApiError:
    return ApiError(400, "AUTH_KEY_NOT_CREATED", "AuthKey is not created")


def _advance(key: AuthenticatorKey) -> int:
    """The time of a change: after every earlier change of the user's entities.

    The key row is locked until the request commits, so changes also commit in the order of
    their times, and a client resuming from the latest time it saw never misses one.
    """
    key.updated_at = max(now_us(), key.updated_at + 1)
    return key.updated_at


def create_key(session: Session, *, user_id: int, encrypted_key: str, header: str) -> None:
    # The key is encrypted with the master key, which the account must have set up first.
    if users_repo.key_attributes(session, user_id) is None:
        raise not_found("set the account's key attributes first")
    now = now_us()
    row = AuthenticatorKey(
        user_id=user_id, encrypted_key=encrypted_key, header=header, created_at=now, updated_at=now
    )
    if not repo.insert_key(session, row):
        raise conflict("Key already exists")


def get_key(session: Session, *, user_id: int) -> dict[str, Any]:
    row = repo.get_key(session, user_id)
    if row is None:
        # Every Auth client takes 404 as "no key yet".
        raise not_found("no authenticator key")
    return key_out(row)


def create_entity(
    session: Session, *, user_id: int, request: CreateEntityRequest
) -> dict[str, Any]:
    key = repo.lock_key(session, user_id)
    if key is None:
        raise _key_not_created()
    at = _advance(key)
    row = AuthenticatorEntity(
        id=str(uuid.uuid4()),
        user_id=user_id,
        encrypted_data=request.encryptedData,
        header=request.header,
        is_deleted=False,
        created_at=at,
        updated_at=at,
    )
    repo.add_entity(session, row)
    return entity_out(row)


def update_entity(session: Session, *, user_id: int, request: UpdateEntityRequest) -> None:
    key = repo.lock_key(session, user_id)
    if key is None:
        raise _key_not_created()
    row = repo.get_entity(session, request.id)
    if row is None or row.user_id != user_id:
        raise not_found("entity not found")
    if row.is_deleted:
        raise bad_request("entity is already deleted")
    # Unchanged data is not a change: other devices need not fetch it again.
    if (row.encrypted_data, row.header) != (request.encryptedData, request.header):
        row.encrypted_data, row.header = request.encryptedData, request.header
        row.updated_at = _advance(key)
        session.flush()


def delete_entity(session: Session, *, user_id: int, entity_id: str) -> None:
    """Leave a tombstone for other devices. An unknown id succeeds too: the apps delete ids
    another device may have deleted first (museum answers 200 as well)."""
    key = repo.lock_key(session, user_id)
    row = repo.get_entity(session, entity_id)
    if key is None or row is None or row.user_id != user_id or row.is_deleted:
        return
    row.encrypted_data, row.header, row.is_deleted = None, None, True
    row.updated_at = _advance(key)
    session.flush()


def diff(session: Session, *, user_id: int, since: int, limit: int) -> dict[str, Any]:
    """Entities changed after `since`, oldest change first, and the server's clock (which
    the apps use to correct codes on devices with a wrong clock)."""
    if not 1 <= limit <= MAX_DIFF_LIMIT:
        raise bad_request(f"limit must be between 1 and {MAX_DIFF_LIMIT}")
    # The web and the CLI resume from the greatest updatedAt of a page: page() never ends a
    # page inside a group of equal times, whose rest would be lost.
    rows, _ = page(
        lambda n: repo.diff_rows(session, user_id=user_id, since=since, limit=n),
        lambda at: repo.rows_at(session, user_id=user_id, at=at),
        lambda row: row.updated_at,
        limit=limit,
    )
    return {"diff": [entity_out(row) for row in rows], "timestamp": now_us()}
