"""Comments and reactions for users taking part in an album: /comments, /reactions, /social."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Response

from photo_api.auth.deps import StorageUser
from photo_api.db.session import SessionDep
from photo_api.social import service
from photo_api.social.repo import Scope
from photo_api.social.schemas import (
    CreateCommentRequest,
    SocialId,
    UpdateCommentRequest,
    UpsertReactionRequest,
)
from photo_api.social.service import Actor
from photo_api.wire import INT64_MAX, INT64_MIN, json_response

router = APIRouter(tags=["social"])

AlbumId = Annotated[int, Query(gt=0, le=INT64_MAX)]
Int64Query = Annotated[int, Query(ge=INT64_MIN, le=INT64_MAX)]
OptionalInt64 = Annotated[int | None, Query(ge=INT64_MIN, le=INT64_MAX)]


def _scope(session: SessionDep, caller: StorageUser, collection_id: int, **narrow: Any) -> Scope:
    collection, _ = service.member_album(
        session, collection_id=collection_id, user_id=caller.user_id, app=caller.app
    )
    return Scope(collection_id=collection.id, owner_id=collection.owner_id, **narrow)


@router.post("/comments", status_code=201)
def create_comment(
    body: CreateCommentRequest, caller: StorageUser, session: SessionDep
) -> dict[str, str]:
    collection, _ = service.member_album(
        session, collection_id=body.collectionID, user_id=caller.user_id, app=caller.app
    )
    return service.create_comment(
        session,
        actor=Actor(user_id=caller.user_id),
        collection=collection,
        file_id=body.fileID,
        parent_id=body.parentCommentID,
        cipher=body.cipher,
        nonce=body.nonce,
        chosen_id=body.id,
    )


@router.put("/comments/{comment_id}")
def update_comment(
    comment_id: SocialId, body: UpdateCommentRequest, caller: StorageUser, session: SessionDep
) -> dict[str, Any]:
    service.update_comment(
        session,
        actor=Actor(user_id=caller.user_id),
        comment_id=comment_id,
        cipher=body.cipher,
        nonce=body.nonce,
    )
    return {}


@router.delete("/comments/{comment_id}")
def delete_comment(
    comment_id: SocialId, caller: StorageUser, session: SessionDep
) -> dict[str, Any]:
    service.delete_comment(
        session, actor=Actor(user_id=caller.user_id), comment_id=comment_id, app=caller.app
    )
    return {}


@router.get("/comments/diff")
def comment_diff(
    caller: StorageUser,
    session: SessionDep,
    collectionID: AlbumId,
    sinceTime: Int64Query = 0,
    limit: OptionalInt64 = None,
    fileID: OptionalInt64 = None,
) -> Response:
    scope = _scope(session, caller, collectionID, file_id=fileID)
    comments, more = service.comment_diff(
        session, scope=scope, since=sinceTime, limit=service.diff_limit(limit)
    )
    return json_response({"comments": comments, "hasMore": more})


@router.put("/reactions")
def upsert_reaction(
    body: UpsertReactionRequest, caller: StorageUser, session: SessionDep
) -> dict[str, str]:
    collection, _ = service.member_album(
        session, collection_id=body.collectionID, user_id=caller.user_id, app=caller.app
    )
    return service.upsert_reaction(
        session,
        actor=Actor(user_id=caller.user_id),
        collection=collection,
        file_id=body.fileID,
        comment_id=body.commentID,
        cipher=body.cipher,
        nonce=body.nonce,
        chosen_id=body.id,
    )


@router.delete("/reactions/{reaction_id}")
def delete_reaction(
    reaction_id: SocialId, caller: StorageUser, session: SessionDep
) -> dict[str, Any]:
    service.delete_reaction(
        session, actor=Actor(user_id=caller.user_id), reaction_id=reaction_id, app=caller.app
    )
    return {}


@router.get("/reactions/diff")
def reaction_diff(
    caller: StorageUser,
    session: SessionDep,
    collectionID: AlbumId,
    sinceTime: Int64Query = 0,
    limit: OptionalInt64 = None,
    fileID: OptionalInt64 = None,
    commentID: SocialId | None = None,
) -> Response:
    scope = _scope(session, caller, collectionID, file_id=fileID, comment_id=commentID)
    reactions, more = service.reaction_diff(
        session, scope=scope, since=sinceTime, limit=service.diff_limit(limit)
    )
    return json_response({"reactions": reactions, "hasMore": more})


@router.get("/social/diff")
def social_diff(
    caller: StorageUser,
    session: SessionDep,
    collectionID: AlbumId,
    sinceTime: Int64Query = 0,
    commentsSinceTime: OptionalInt64 = None,
    reactionsSinceTime: OptionalInt64 = None,
    limit: OptionalInt64 = None,
    fileID: OptionalInt64 = None,
) -> Response:
    scope = _scope(session, caller, collectionID, file_id=fileID)
    return json_response(
        service.social_diff(
            session,
            scope=scope,
            comments_since=sinceTime if commentsSinceTime is None else commentsSinceTime,
            reactions_since=sinceTime if reactionsSinceTime is None else reactionsSinceTime,
            limit=service.diff_limit(limit),
        )
    )


@router.get("/social/anon-profiles")
def anon_profiles(caller: StorageUser, session: SessionDep, collectionID: AlbumId) -> Response:
    scope = _scope(session, caller, collectionID)
    return json_response(service.anon_profiles(session, collection_id=scope.collection_id))


@router.get("/comments-reactions/counts")
def counts(caller: StorageUser, session: SessionDep) -> Response:
    return json_response(service.counts(session, user_id=caller.user_id, app=caller.app))


@router.get("/comments-reactions/updated-at")
def latest_updates(caller: StorageUser, session: SessionDep) -> Response:
    return json_response(service.latest_updates(session, user_id=caller.user_id, app=caller.app))
