"""Rules for sharing albums with users (museum's roles: VIEWER, COLLABORATOR, ADMIN)."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from photo_api.cast import repo as cast_repo
from photo_api.clock import now_us
from photo_api.collections import access
from photo_api.collections import repo as collections_repo
from photo_api.config import Settings
from photo_api.errors import bad_request, forbidden, not_found
from photo_api.files.schemas import MagicMetadata
from photo_api.mail import Email, Outbox
from photo_api.models import Collection
from photo_api.public_links import service as public_links
from photo_api.sharing import repo, views
from photo_api.social import service as social
from photo_api.users import repo as users_repo
from photo_api.users.service import normalize_email
from photo_api.wire import b64decode

SHAREABLE_ROLES = ("VIEWER", "COLLABORATOR", "ADMIN")
SEALED_KEY_BYTES = 80


def _manageable(session: Session, *, user_id: int, collection_id: int, app: str) -> Collection:
    """A live collection the caller may share and unshare: owners and album admins."""
    collection, role = access.participant(
        session, collection_id=collection_id, user_id=user_id, app=app
    )
    if collection.is_deleted:
        raise not_found("collection deleted")
    if role not in ("OWNER", "ADMIN"):
        raise forbidden("only the owner or an admin can manage sharing")
    return collection


def _sharees(session: Session, collection_id: int) -> dict[str, Any]:
    return {"sharees": views.sharees_of(session, [collection_id])[collection_id]}


def share(
    session: Session,
    *,
    user_id: int,
    app: str,
    collection_id: int,
    email: str,
    encrypted_key: str,
    role: str,
) -> dict[str, Any]:
    if role not in SHAREABLE_ROLES:
        raise bad_request(f"role must be one of {', '.join(SHAREABLE_ROLES)}")
    if len(b64decode(encrypted_key)) != SEALED_KEY_BYTES:
        raise bad_request("encryptedKey must be the collection key sealed to the sharee")
    collection = _manageable(session, user_id=user_id, collection_id=collection_id, app=app)
    if collection.type == "uncategorized":
        raise bad_request("uncategorized cannot be shared")
    target = users_repo.user_by_email(session, normalize_email(email))
    if target is None or target.deleted_at is not None:
        raise not_found("no user with that email")
    if target.id == user_id or target.id == collection.owner_id:
        raise bad_request("cannot share with yourself or the owner")
    now = now_us()
    repo.upsert(
        session,
        collection=collection,
        to_user_id=target.id,
        encrypted_key=encrypted_key,
        role=role,
        now=now,
    )
    collections_repo.bump_collections(session, collection_ids=[collection.id], now=now)
    return _sharees(session, collection.id)


def join_via_link(
    session: Session,
    *,
    settings: Settings,
    outbox: Outbox,
    user_id: int,
    collection_id: int,
    encrypted_key: str,
    access_token: str | None,
    password_jwt: str | None,
) -> None:
    """Become a sharee of an album through its public link (the link's joining switch on).

    The joiner is a collaborator when the link collects uploads, else a viewer; joining again
    never lowers a role given by the owner.
    """
    if len(b64decode(encrypted_key)) != SEALED_KEY_BYTES:
        raise bad_request("encryptedKey must be the collection key sealed to the joiner")
    collection = collections_repo.get_collection(session, collection_id)
    if collection is None or collection.is_deleted:
        raise not_found("collection not found")
    if collection.owner_id == user_id:
        raise bad_request("the owner cannot join their own album")
    if collection.type == "uncategorized":
        raise bad_request("uncategorized cannot be joined")
    link = public_links.verify_link_for_join(
        session,
        settings=settings,
        collection_id=collection_id,
        access_token=access_token,
        password_jwt=password_jwt,
    )
    role = "COLLABORATOR" if link.enable_collect else "VIEWER"
    current = repo.active_share(session, collection_id=collection.id, user_id=user_id)
    if current is not None and SHAREABLE_ROLES.index(current.role) > SHAREABLE_ROLES.index(role):
        role = current.role
    now = now_us()
    repo.upsert(
        session,
        collection=collection,
        to_user_id=user_id,
        encrypted_key=encrypted_key,
        role=role,
        now=now,
    )
    collections_repo.bump_collections(session, collection_ids=[collection.id], now=now)
    owner = users_repo.get_user(session, collection.owner_id)
    joiner = users_repo.get_user(session, user_id)
    if owner is not None and owner.email and joiner is not None and current is None:
        outbox.send(
            Email(
                to=owner.email,
                subject=f"{joiner.email} has joined your album",
                text=f"{joiner.email} joined one of your albums through its public link.",
            )
        )


def _end_share(session: Session, *, collection: Collection, user_id: int) -> None:
    """Revoke a share: the user's files, comments and reactions leave the album."""
    row = repo.active_share(session, collection_id=collection.id, user_id=user_id)
    if row is None:
        return
    now = now_us()
    row.is_deleted, row.updation_time = True, now
    cast_repo.delete_of_collection(session, collection_id=collection.id, user_id=user_id)
    social.remove_user_activity(session, collection_id=collection.id, user_id=user_id)
    added = collections_repo.active_file_ids(session, collection_id=collection.id, owner_id=user_id)
    collections_repo.remove_memberships(
        session, collection_id=collection.id, file_ids=added, now=now
    )
    collections_repo.bump_collections(session, collection_ids=[collection.id], now=now)


def unshare(
    session: Session, *, user_id: int, app: str, collection_id: int, email: str
) -> dict[str, Any]:
    collection = _manageable(session, user_id=user_id, collection_id=collection_id, app=app)
    target = users_repo.user_by_email(session, normalize_email(email))
    if target is None:
        raise not_found("no user with that email")
    if target.id in (collection.owner_id, user_id):
        raise forbidden("cannot unshare the owner or yourself")
    _end_share(session, collection=collection, user_id=target.id)
    return _sharees(session, collection.id)


def leave(session: Session, *, user_id: int, collection_id: int) -> None:
    collection = collections_repo.get_collection(session, collection_id)
    if collection is None:
        raise not_found("collection not found")
    if collection.owner_id == user_id:
        raise forbidden("the owner cannot leave")
    _end_share(session, collection=collection, user_id=user_id)


def sharees(session: Session, *, user_id: int, app: str, collection_id: int) -> dict[str, Any]:
    collection, _ = access.participant(
        session, collection_id=collection_id, user_id=user_id, app=app
    )
    return _sharees(session, collection.id)


def update_sharee_magic_metadata(
    session: Session, *, user_id: int, app: str, collection_id: int, metadata: MagicMetadata
) -> None:
    collection, role = access.participant(
        session, collection_id=collection_id, user_id=user_id, app=app
    )
    if role == "OWNER":
        raise bad_request("owners keep their settings in magicMetadata")
    row = repo.active_share(session, collection_id=collection.id, user_id=user_id)
    assert row is not None
    now = now_us()
    row.magic_metadata, row.updation_time = metadata.model_dump(), now
    collections_repo.bump_collections(session, collection_ids=[collection.id], now=now)
