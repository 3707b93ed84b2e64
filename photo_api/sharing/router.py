"""Sharing endpoints."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from pydantic import Field

from photo_api.auth.deps import OutboxDep, SettingsDep, StorageUser
from photo_api.db.session import SessionDep
from photo_api.files.schemas import MagicMetadata
from photo_api.public_links.deps import presented
from photo_api.sharing import service
from photo_api.wire import B64, EmptyAnswer, Int64, WireModel, empty_ok

router = APIRouter(prefix="/collections", tags=["sharing"])


class ShareRequest(WireModel):
    collectionID: int
    email: str = Field(min_length=1, max_length=320)
    encryptedKey: B64
    role: str = "VIEWER"


class UnshareRequest(WireModel):
    collectionID: int
    email: str = Field(min_length=1, max_length=320)


class JoinLinkRequest(WireModel):
    collectionID: Int64
    encryptedKey: B64


class ShareeMagicMetadataRequest(WireModel):
    id: int
    magicMetadata: MagicMetadata


@router.post("/share")
def share(body: ShareRequest, caller: StorageUser, session: SessionDep) -> dict[str, Any]:
    return service.share(
        session,
        user_id=caller.user_id,
        app=caller.app,
        collection_id=body.collectionID,
        email=body.email,
        encrypted_key=body.encryptedKey,
        role=body.role,
    )


@router.post("/unshare")
def unshare(body: UnshareRequest, caller: StorageUser, session: SessionDep) -> dict[str, Any]:
    return service.unshare(
        session,
        user_id=caller.user_id,
        app=caller.app,
        collection_id=body.collectionID,
        email=body.email,
    )


@router.post("/join-link")
def join_link(
    body: JoinLinkRequest,
    request: Request,
    caller: StorageUser,
    session: SessionDep,
    settings: SettingsDep,
    outbox: OutboxDep,
) -> EmptyAnswer:
    link = presented(request)
    service.join_via_link(
        session,
        settings=settings,
        outbox=outbox,
        user_id=caller.user_id,
        collection_id=body.collectionID,
        encrypted_key=body.encryptedKey,
        access_token=link.access_token,
        password_jwt=link.password_jwt,
    )
    return empty_ok()


@router.post("/leave/{collection_id}")
def leave(collection_id: int, caller: StorageUser, session: SessionDep) -> EmptyAnswer:
    service.leave(session, user_id=caller.user_id, collection_id=collection_id)
    return empty_ok()


@router.get("/sharees")
def sharees(caller: StorageUser, session: SessionDep, collectionID: int) -> dict[str, Any]:
    return service.sharees(
        session, user_id=caller.user_id, app=caller.app, collection_id=collectionID
    )


@router.put("/sharee-magic-metadata")
def sharee_magic_metadata(
    body: ShareeMagicMetadataRequest, caller: StorageUser, session: SessionDep
) -> EmptyAnswer:
    service.update_sharee_magic_metadata(
        session,
        user_id=caller.user_id,
        app=caller.app,
        collection_id=body.id,
        metadata=body.magicMetadata,
    )
    return empty_ok()
