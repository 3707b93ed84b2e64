"""Collection endpoints. Static paths are declared before /collections/{id}."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Query, Response

from photo_api.auth.deps import SettingsDep, StorageUser
from photo_api.collections import service
from photo_api.collections.schemas import (
    AddFilesRequest,
    CollectionMagicMetadataRequest,
    CreateCollectionRequest,
    MoveFilesRequest,
    RemoveFilesRequest,
    RenameRequest,
)
from photo_api.db.session import SessionDep
from photo_api.wire import EmptyAnswer, empty_ok, json_response

router = APIRouter(prefix="/collections", tags=["collections"])


@router.post("")
def create(
    body: CreateCollectionRequest, caller: StorageUser, session: SessionDep
) -> dict[str, Any]:
    return service.create(session, user_id=caller.user_id, app=caller.app, request=body)


@router.get("")
@router.get("/v2")
def list_collections(
    caller: StorageUser, session: SessionDep, settings: SettingsDep, sinceTime: int = 0
) -> Response:
    return json_response(
        service.list_since(
            session, settings=settings, user_id=caller.user_id, app=caller.app, since=sinceTime
        )
    )


@router.get("/v3")
def list_v3(
    caller: StorageUser,
    session: SessionDep,
    settings: SettingsDep,
    sinceTime: int = 0,
    sharedSinceTime: int = 0,
    limit: int = 1000,
) -> Response:
    return json_response(
        service.list_v3(
            session,
            settings=settings,
            user_id=caller.user_id,
            app=caller.app,
            since=sinceTime,
            shared_since=sharedSinceTime,
            limit=limit,
        )
    )


@router.get("/v2/diff")
def diff(
    caller: StorageUser,
    session: SessionDep,
    collectionID: int,
    sinceTime: int = 0,
) -> Response:
    return json_response(
        service.diff(
            session,
            user_id=caller.user_id,
            app=caller.app,
            collection_id=collectionID,
            since=sinceTime,
        )
    )


@router.get("/file")
def file_in_collection(
    caller: StorageUser,
    session: SessionDep,
    collectionID: int,
    fileID: int,
) -> dict[str, Any]:
    return service.file_in_collection(
        session, user_id=caller.user_id, app=caller.app, collection_id=collectionID, file_id=fileID
    )


@router.post("/add-files")
def add_files(body: AddFilesRequest, caller: StorageUser, session: SessionDep) -> EmptyAnswer:
    service.add_files(session, user_id=caller.user_id, app=caller.app, request=body)
    return empty_ok()


@router.post("/move-files")
def move_files(body: MoveFilesRequest, caller: StorageUser, session: SessionDep) -> EmptyAnswer:
    service.move_files(session, user_id=caller.user_id, app=caller.app, request=body)
    return empty_ok()


@router.post("/restore-files")
def restore_files(body: AddFilesRequest, caller: StorageUser, session: SessionDep) -> EmptyAnswer:
    service.restore_files(session, user_id=caller.user_id, app=caller.app, request=body)
    return empty_ok()


@router.post("/v3/remove-files")
def remove_files(body: RemoveFilesRequest, caller: StorageUser, session: SessionDep) -> EmptyAnswer:
    service.remove_files(
        session,
        user_id=caller.user_id,
        app=caller.app,
        collection_id=body.collectionID,
        file_ids=body.fileIDs,
    )
    return empty_ok()


@router.post("/suggest-delete")
def suggest_delete(
    body: RemoveFilesRequest, caller: StorageUser, session: SessionDep
) -> EmptyAnswer:
    service.suggest_delete(
        session,
        user_id=caller.user_id,
        app=caller.app,
        collection_id=body.collectionID,
        file_ids=body.fileIDs,
    )
    return empty_ok()


@router.post("/rename")
def rename(body: RenameRequest, caller: StorageUser, session: SessionDep) -> EmptyAnswer:
    service.rename(
        session,
        user_id=caller.user_id,
        app=caller.app,
        collection_id=body.collectionID,
        encrypted_name=body.encryptedName,
        nonce=body.nameDecryptionNonce,
    )
    return empty_ok()


@router.put("/magic-metadata")
def magic_metadata(
    body: CollectionMagicMetadataRequest, caller: StorageUser, session: SessionDep
) -> EmptyAnswer:
    service.update_magic_metadata(
        session,
        user_id=caller.user_id,
        app=caller.app,
        collection_id=body.id,
        metadata=body.magicMetadata,
        public=False,
    )
    return empty_ok()


@router.put("/public-magic-metadata")
def public_magic_metadata(
    body: CollectionMagicMetadataRequest, caller: StorageUser, session: SessionDep
) -> EmptyAnswer:
    service.update_magic_metadata(
        session,
        user_id=caller.user_id,
        app=caller.app,
        collection_id=body.id,
        metadata=body.magicMetadata,
        public=True,
    )
    return empty_ok()


@router.delete("/v3/{path_id}")
def delete(
    path_id: int,
    caller: StorageUser,
    session: SessionDep,
    settings: SettingsDep,
    collectionID: int | None = None,
    keepFiles: bool = Query(),
) -> EmptyAnswer:
    # museum reads the query string; the path segment is a copy the web also sends.
    service.delete(
        session,
        settings=settings,
        user_id=caller.user_id,
        app=caller.app,
        collection_id=collectionID or path_id,
        keep_files=keepFiles,
    )
    return empty_ok()


@router.get("/{collection_id}")
def get_collection(
    collection_id: int, caller: StorageUser, session: SessionDep, settings: SettingsDep
) -> dict[str, Any]:
    return service.get(
        session, settings=settings, user_id=caller.user_id, collection_id=collection_id
    )
