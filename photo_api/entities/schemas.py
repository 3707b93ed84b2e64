"""Wire shapes of user entities: museum's EntityKey and EntityData."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import StringConstraints

from photo_api.models import Entity, EntityKey
from photo_api.wire import B64, WireModel

EntityType = Literal["location", "person", "cgroup", "smart_album", "memory", "contact"]
# Generated ids are "<type>_<22 chars>"; clients may choose their own (smart albums must).
EntityId = Annotated[str, StringConstraints(pattern=r"^[0-9A-Za-z_-]{1,64}$")]


class EntityKeyRequest(WireModel):
    type: EntityType
    encryptedKey: B64
    header: B64


class CreateEntityRequest(WireModel):
    type: EntityType
    encryptedData: B64
    header: B64
    id: EntityId | None = None


class UpdateEntityRequest(WireModel):
    id: EntityId
    type: EntityType
    encryptedData: B64
    header: B64


def key_out(row: EntityKey) -> dict[str, Any]:
    return {
        "userID": row.user_id,
        "type": row.type,
        "encryptedKey": row.encrypted_key,
        "header": row.header,
        "createdAt": row.created_at,
    }


def entity_out(row: Entity) -> dict[str, Any]:
    """EntityData; a deleted entity keeps its id and times, with data and header null."""
    return {
        "id": row.id,
        "userID": row.user_id,
        "type": row.type,
        "encryptedData": row.encrypted_data,
        "header": row.header,
        "isDeleted": row.is_deleted,
        "createdAt": row.created_at,
        "updatedAt": row.updated_at,
    }
