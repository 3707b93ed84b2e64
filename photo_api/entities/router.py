"""User entity endpoints: /user-entity/key and /user-entity/entity."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Response

from photo_api.auth.deps import StorageUser
from photo_api.db.session import SessionDep
from photo_api.entities import service
from photo_api.entities.schemas import (
    CreateEntityRequest,
    EntityId,
    EntityKeyRequest,
    EntityType,
    UpdateEntityRequest,
)
from photo_api.wire import INT64_MAX, INT64_MIN, EmptyAnswer, empty_ok, json_response

router = APIRouter(prefix="/user-entity", tags=["user-entities"])

Int64Query = Annotated[int, Query(ge=INT64_MIN, le=INT64_MAX)]


@router.post("/key")
def create_key(body: EntityKeyRequest, caller: StorageUser, session: SessionDep) -> EmptyAnswer:
    service.create_key(
        session,
        user_id=caller.user_id,
        type_=body.type,
        encrypted_key=body.encryptedKey,
        header=body.header,
    )
    return empty_ok()


@router.get("/key")
def get_key(caller: StorageUser, session: SessionDep, type: EntityType) -> dict[str, Any]:
    return service.get_key(session, user_id=caller.user_id, type_=type)


@router.post("/entity")
def create_entity(
    body: CreateEntityRequest, caller: StorageUser, session: SessionDep
) -> dict[str, Any]:
    return service.create_entity(session, user_id=caller.user_id, request=body)


@router.put("/entity")
def update_entity(
    body: UpdateEntityRequest, caller: StorageUser, session: SessionDep
) -> dict[str, Any]:
    return service.update_entity(session, user_id=caller.user_id, request=body)


@router.delete("/entity")
def delete_entity(caller: StorageUser, session: SessionDep, id: EntityId) -> EmptyAnswer:
    service.delete_entity(session, user_id=caller.user_id, entity_id=id)
    return empty_ok()


@router.get("/entity/diff")
def diff(
    caller: StorageUser,
    session: SessionDep,
    type: EntityType,
    sinceTime: Int64Query,
    limit: Int64Query,
) -> Response:
    return json_response(
        service.diff(session, user_id=caller.user_id, type_=type, since=sinceTime, limit=limit)
    )
