"""Ente Auth endpoints: /authenticator/key and /authenticator/entity.

Open to every app's token, the Auth app's included (museum's private API); the Auth app is
refused only on the photo-library routes.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Response

from photo_api.auth.deps import CurrentUser
from photo_api.authenticator import service
from photo_api.authenticator.schemas import (
    CreateEntityRequest,
    EntityId,
    KeyRequest,
    UpdateEntityRequest,
)
from photo_api.db.session import SessionDep
from photo_api.wire import INT64_MAX, INT64_MIN, EmptyAnswer, empty_ok, json_response

router = APIRouter(prefix="/authenticator", tags=["authenticator"])

Int64Query = Annotated[int, Query(ge=INT64_MIN, le=INT64_MAX)]


@router.post("/key")
def create_key(body: KeyRequest, caller: CurrentUser, session: SessionDep) -> EmptyAnswer:
    service.create_key(
        session, user_id=caller.user_id, encrypted_key=body.encryptedKey, header=body.header
    )
    return empty_ok()


@router.get("/key")
def get_key(caller: CurrentUser, session: SessionDep) -> dict[str, Any]:
    return service.get_key(session, user_id=caller.user_id)


@router.post("/entity")
def create_entity(
    body: CreateEntityRequest, caller: CurrentUser, session: SessionDep
) -> dict[str, Any]:
    return service.create_entity(session, user_id=caller.user_id, request=body)


@router.put("/entity")
def update_entity(
    body: UpdateEntityRequest, caller: CurrentUser, session: SessionDep
) -> EmptyAnswer:
    service.update_entity(session, user_id=caller.user_id, request=body)
    return empty_ok()


@router.delete("/entity")
def delete_entity(caller: CurrentUser, session: SessionDep, id: EntityId) -> EmptyAnswer:
    service.delete_entity(session, user_id=caller.user_id, entity_id=id)
    return empty_ok()


@router.get("/entity/diff")
def diff(
    caller: CurrentUser, session: SessionDep, sinceTime: Int64Query, limit: Int64Query
) -> Response:
    return json_response(
        service.diff(session, user_id=caller.user_id, since=sinceTime, limit=limit)
    )
