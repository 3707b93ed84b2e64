"""Wire shapes of Ente Auth: museum's authenticator Key and Entity."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from pydantic import AfterValidator, Field

from photo_api.models import AuthenticatorEntity, AuthenticatorKey
from photo_api.wire import B64, UUID_SCHEMA, WireModel


def _entity_id(value: str) -> str:
    """museum parses ids as UUIDs (any form uuid.UUID reads); they are stored canonical."""
    try:
        parsed = uuid.UUID(value)
    except ValueError as exc:
        raise ValueError("not a UUID") from exc
    if parsed.int == 0:
        raise ValueError("the nil UUID names no entity")
    return str(parsed)


EntityId = Annotated[str, AfterValidator(_entity_id), Field(json_schema_extra=UUID_SCHEMA)]


class KeyRequest(WireModel):
    encryptedKey: B64
    header: B64


class CreateEntityRequest(WireModel):
    encryptedData: B64
    header: B64


class UpdateEntityRequest(WireModel):
    id: EntityId
    encryptedData: B64
    header: B64


def key_out(row: AuthenticatorKey) -> dict[str, Any]:
    return {
        "userID": row.user_id,
        "encryptedKey": row.encrypted_key,
        "header": row.header,
        "createdAt": row.created_at,
    }


def entity_out(row: AuthenticatorEntity) -> dict[str, Any]:
    """A deleted entity keeps its id and times, with data and header null."""
    return {
        "id": row.id,
        "userID": row.user_id,
        "encryptedData": row.encrypted_data,
        "header": row.header,
        "isDeleted": row.is_deleted,
        "createdAt": row.created_at,
        "updatedAt": row.updated_at,
    }
