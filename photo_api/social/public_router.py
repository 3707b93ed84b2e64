"""Comments and reactions through an album link: /public-collection/… for its visitors.

The link's token admits the request (AlbumLink); the owner must allow comments on the link;
each write is signed by an anonymous identity the visitor created, or by the X-Auth-Token of
a user taking part in the album (how the owner moderates from the albums app).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request, Response
from sqlalchemy.orm import Session

from photo_api.auth.deps import SettingsDep, caller_in, presented_token
from photo_api.collections import access
from photo_api.config import Settings
from photo_api.db.session import SessionDep
from photo_api.errors import ApiError
from photo_api.models import Collection, PublicCollectionLink
from photo_api.public_links.access import LinkAccess
from photo_api.public_links.deps import LinkSync, PublicLink
from photo_api.social import anon, service
from photo_api.social.repo import Scope
from photo_api.social.router import Int64Query, OptionalInt64
from photo_api.social.schemas import (
    AnonCredentials,
    AnonIdentityRequest,
    PublicCommentRequest,
    PublicCommentUpdate,
    PublicReactionRequest,
    SocialId,
)
from photo_api.social.service import MAX_PUBLIC_COMMENT_BYTES, Actor
from photo_api.wire import json_response

router = APIRouter(prefix="/public-collection", tags=["social"])


@dataclass(frozen=True, slots=True)
class CommentableAlbum:
    collection: Collection
    request: Request
    session: Session
    settings: Settings

    @property
    def scope(self) -> Scope:
        return Scope(collection_id=self.collection.id, owner_id=self.collection.owner_id)

    def actor(self, credentials: AnonCredentials | None) -> Actor:
        """museum's order: a user's token, then the anonymous identity (headers, then body)."""
        if presented_token(self.request):
            caller = caller_in(self.session, self.request)
            access.participant(
                self.session, collection_id=self.collection.id, user_id=caller.user_id
            )
            return Actor(user_id=caller.user_id)
        headers = self.request.headers
        bearer = headers.get("authorization", "")
        token = bearer[7:].strip() if bearer[:7].lower() == "bearer " else ""
        creds = credentials or AnonCredentials()
        return anon.actor(
            self.session,
            secret=self.settings.keys.raw("jwt_secret"),
            collection_id=self.collection.id,
            anon_user_id=headers.get("x-anon-user-id", "").strip() or creds.anonUserID,
            token=token or creds.anonToken.strip(),
        )


def _commentable(
    link: LinkAccess, request: Request, session: Session, settings: Settings
) -> CommentableAlbum:
    """The link's album, when its owner lets visitors comment (405 otherwise, as museum)."""
    row = session.get(PublicCollectionLink, link.link_id)
    if row is None or not row.enable_comment:
        raise ApiError(405, "PUBLIC_COMMENT_DISABLED", "comments are off for this link")
    collection = service.link_album(session, collection_id=link.collection_id)
    return CommentableAlbum(collection, request, session, settings)


def commentable(
    link: PublicLink, request: Request, session: SessionDep, settings: SettingsDep
) -> CommentableAlbum:
    return _commentable(link, request, session, settings)


def readable(
    link: LinkSync, request: Request, session: SessionDep, settings: SettingsDep
) -> CommentableAlbum:
    """Reads count the device against the link's limit, as its diff does. (Writes cannot:
    admission records the device on a side session, which a write transaction would block.)"""
    return _commentable(link, request, session, settings)


Album = Annotated[CommentableAlbum, Depends(commentable)]
ReadAlbum = Annotated[CommentableAlbum, Depends(readable)]


def _public_text(cipher: str) -> None:
    service.public_text_fits(
        cipher,
        max_bytes=MAX_PUBLIC_COMMENT_BYTES,
        code="PUBLIC_COMMENT_TOO_LONG",
        message=f"comments are at most {MAX_PUBLIC_COMMENT_BYTES} bytes",
    )


@router.post("/anon-identity", status_code=201)
def create_anon_identity(body: AnonIdentityRequest, album: Album) -> dict[str, Any]:
    return anon.create(
        album.session,
        secret=album.settings.keys.raw("jwt_secret"),
        collection=album.collection,
        cipher=body.cipher,
        nonce=body.nonce,
    )


@router.post("/comments", status_code=201)
def create_comment(body: PublicCommentRequest, album: Album) -> dict[str, str]:
    _public_text(body.cipher)
    return service.create_comment(
        album.session,
        actor=album.actor(body),
        collection=album.collection,
        file_id=body.fileID,
        parent_id=body.parentCommentID,
        cipher=body.cipher,
        nonce=body.nonce,
        chosen_id=body.id,
    )


@router.put("/comments/{comment_id}")
def update_comment(comment_id: SocialId, body: PublicCommentUpdate, album: Album) -> dict[str, Any]:
    _public_text(body.cipher)
    service.update_comment(
        album.session,
        actor=album.actor(body),
        comment_id=comment_id,
        cipher=body.cipher,
        nonce=body.nonce,
    )
    return {}


@router.delete("/comments/{comment_id}")
def delete_comment(
    comment_id: SocialId, album: Album, body: AnonCredentials | None = None
) -> dict[str, Any]:
    service.delete_comment(album.session, actor=album.actor(body), comment_id=comment_id)
    return {}


@router.post("/reactions")
def create_reaction(body: PublicReactionRequest, album: Album) -> dict[str, str]:
    return service.upsert_reaction(
        album.session,
        actor=album.actor(body),
        collection=album.collection,
        file_id=body.fileID,
        comment_id=body.commentID,
        cipher=body.cipher,
        nonce=body.nonce,
        chosen_id=body.id,
    )


@router.delete("/reactions/{reaction_id}")
def delete_reaction(
    reaction_id: SocialId, album: Album, body: AnonCredentials | None = None
) -> dict[str, Any]:
    service.delete_reaction(album.session, actor=album.actor(body), reaction_id=reaction_id)
    return {}


@router.get("/comments/diff")
def comment_diff(
    album: ReadAlbum,
    sinceTime: Int64Query = 0,
    limit: OptionalInt64 = None,
    fileID: OptionalInt64 = None,
) -> Response:
    scope = Scope(album.collection.id, album.collection.owner_id, file_id=fileID)
    comments, more = service.comment_diff(
        album.session, scope=scope, since=sinceTime, limit=service.diff_limit(limit)
    )
    return json_response({"comments": comments, "hasMore": more})


@router.get("/reactions/diff")
def reaction_diff(
    album: ReadAlbum,
    sinceTime: Int64Query = 0,
    limit: OptionalInt64 = None,
    fileID: OptionalInt64 = None,
    commentID: SocialId | None = None,
) -> Response:
    scope = Scope(
        album.collection.id, album.collection.owner_id, file_id=fileID, comment_id=commentID
    )
    reactions, more = service.reaction_diff(
        album.session, scope=scope, since=sinceTime, limit=service.diff_limit(limit)
    )
    return json_response({"reactions": reactions, "hasMore": more})


@router.get("/social/diff")
def social_diff(
    album: ReadAlbum,
    sinceTime: Int64Query = 0,
    limit: OptionalInt64 = None,
    fileID: OptionalInt64 = None,
) -> Response:
    scope = Scope(album.collection.id, album.collection.owner_id, file_id=fileID)
    return json_response(
        service.social_diff(
            album.session,
            scope=scope,
            comments_since=sinceTime,
            reactions_since=sinceTime,
            limit=service.diff_limit(limit),
        )
    )


@router.get("/anon-profiles")
def anon_profiles(album: ReadAlbum) -> Response:
    return json_response(service.anon_profiles(album.session, collection_id=album.collection.id))


@router.get("/participants/masked-emails")
def participants(album: ReadAlbum) -> Response:
    return json_response(service.participants(album.session, collection=album.collection))
