"""Deleting one's account: a challenge sealed to the user's key, then the deletion itself."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from photo_api.auth import jwts
from photo_api.auth import repo as auth_repo
from photo_api.auth.tokens import seal
from photo_api.authenticator import repo as authenticator_repo
from photo_api.cast import repo as cast_repo
from photo_api.clock import MICROS_PER_DAY, now_us
from photo_api.collections import repo as collections_repo
from photo_api.config import Settings
from photo_api.contacts import service as contacts
from photo_api.errors import bad_request, forbidden, not_found
from photo_api.family import service as family
from photo_api.file_links import service as file_links
from photo_api.filedata import service as filedata
from photo_api.files import repo as files_repo
from photo_api.legacy import service as legacy
from photo_api.mail import Outbox
from photo_api.memory_share import service as memory_links
from photo_api.public_links import service as public_links
from photo_api.sharing import repo as sharing_repo
from photo_api.social import service as social
from photo_api.trash import repo as trash_repo
from photo_api.users import repo
from photo_api.users.service import require_user

DELETE_SCOPE = "DELETE_ACCOUNT"


def summary(session: Session, *, user_id: int) -> dict[str, int]:
    """What deleting the account would remove, per app: the caller's files in their own
    albums (trashed ones have left their albums), and their Ente Auth codes."""
    return {
        "photosAndVideosCount": collections_repo.count_user_files(
            session, owner_id=user_id, app="photos"
        ),
        "authenticatorCodesCount": authenticator_repo.count_live(session, user_id=user_id),
        "lockerRecordsCount": collections_repo.count_user_files(
            session, owner_id=user_id, app="locker"
        ),
    }


def challenge(session: Session, *, settings: Settings, user_id: int) -> dict[str, Any]:
    attrs = repo.key_attributes(session, user_id)
    if attrs is None:
        raise not_found("no key attributes")
    token = jwts.encode(
        jwts.user_claims(user_id=user_id, scope=DELETE_SCOPE, ttl_us=MICROS_PER_DAY),
        secret=settings.keys.raw("jwt_secret"),
    )
    return {
        "allowDelete": True,
        "encryptedChallenge": seal(token.encode(), attrs.public_key),
        "apps": sorted(auth_repo.token_apps(session, user_id=user_id)),
    }


def delete_account(
    session: Session,
    *,
    settings: Settings,
    outbox: Outbox,
    user_id: int,
    challenge_jwt: str,
    reason: str | None,
    feedback: str | None,
) -> dict[str, Any]:
    try:
        claims = jwts.decode_user_claims(
            challenge_jwt, secret=settings.keys.raw("jwt_secret"), scope=DELETE_SCOPE
        )
    except jwts.InvalidJwt as exc:
        raise bad_request(f"invalid challenge: {exc}") from exc
    if claims["userID"] != user_id:
        raise forbidden("challenge is for another user")
    return erase_account(
        session,
        settings=settings,
        outbox=outbox,
        user_id=user_id,
        reason=reason,
        feedback=feedback,
    )


def erase_account(
    session: Session,
    *,
    settings: Settings,
    outbox: Outbox,
    user_id: int,
    reason: str | None,
    feedback: str | None,
) -> dict[str, Any]:
    """Delete the account: the user's own request and an admin's both end here."""
    user = require_user(session, user_id)
    # While the address is still on record: the Legacy mails name it.
    legacy.end_for_deleted_account(session, outbox=outbox, user_id=user_id)
    auth_repo.revoke_tokens(session, user_id=user_id)
    cast_repo.delete_of_user(session, user_id=user_id)
    repo.delete_account_rows(session, user_id=user_id)
    _remove_library(session, settings=settings, user_id=user_id)
    contacts.delete_for_account(session, settings=settings, user_id=user_id)
    user.email = None
    user.deleted_at = now_us()
    user.delete_feedback = {"reason": reason, "feedback": feedback}
    session.flush()
    return {"isSubscriptionCancelled": True, "userID": user_id}


def _remove_library(session: Session, *, settings: Settings, user_id: int) -> None:
    """Everything the user stored goes: files out of every album (others' too), their
    ciphertext scrubbed, objects scheduled for removal, albums deleted, shares ended."""
    now = now_us()
    file_ids = files_repo.owned_file_ids(session, user_id)
    collections_repo.remove_files_everywhere(session, file_ids=file_ids, now=now)
    trash_repo.mark_deleted(session, file_ids=file_ids, now=now)
    delay = settings.object_deletion_delay_us
    objects = files_repo.objects_of_files(session, file_ids)
    files_repo.mark_objects_deleted(
        session, keys=[o.key for o in objects], delete_after=now + delay
    )
    filedata.delete_for_files(session, file_ids=file_ids, delete_after=now + delay)
    files_repo.scrub_files(session, file_ids)
    repo.add_usage(session, user_id=user_id, delta=-repo.usage(session, user_id))
    for collection in collections_repo.owned_collections(
        session, owner_id=user_id, app="photos", since=-1
    ):
        sharing_repo.revoke_all(session, collection_id=collection.id, now=now)
        cast_repo.delete_of_collection(session, collection_id=collection.id)
        collection.is_deleted, collection.updation_time = True, now
    shared_with = sharing_repo.revoke_to_user(session, user_id=user_id, now=now)
    for collection_id in shared_with:
        social.remove_user_activity(session, collection_id=collection_id, user_id=user_id)
    collections_repo.bump_collections(session, collection_ids=shared_with, now=now)
    family.close_or_leave(session, user_id=user_id)
    public_links.disable_owner_links(session, owner_id=user_id)
    file_links.disable_owner_file_links(session, owner_id=user_id)
    memory_links.delete_owner_links(session, user_id=user_id)
