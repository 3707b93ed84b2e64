"""Rules for contact attachments (profile pictures): upload URLs, commits, downloads, removal.

Uploads go straight to storage through a signed URL bound to the declared length and MD5;
the commit checks the stored size, counts it in the owner's quota and puts it in the
contact's slot. A picture replaced, cleared or deleted with its contact leaves storage after
the deletion delay, through the object cleanup job, as files' objects do.

museum has one attachment type, "profile_picture", whose slot is the contact's
profilePictureAttachmentID; the type in a path is checked against ATTACHMENT_LIMITS.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from photo_api.config import Settings
from photo_api.contacts import objects, service
from photo_api.contacts.schemas import ATTACHMENT_ID, ATTACHMENT_LIMITS
from photo_api.errors import bad_request, not_found
from photo_api.files import quota, uploads
from photo_api.files import repo as files_repo
from photo_api.files import service as files_service
from photo_api.storage.registry import Stores
from photo_api.users import repo as users_repo


def _limit_of(type_: str) -> int:
    """The most encrypted bytes an attachment of the type may have; 400 for unknown types."""
    limit = ATTACHMENT_LIMITS.get(type_)
    if limit is None:
        raise bad_request(f"invalid attachment type: {type_}")
    return limit


def _check_size(*, type_: str, size: int, field: str) -> None:
    if size <= 0:
        raise bad_request(f"{field} must be greater than 0")
    limit = _limit_of(type_)
    if size > limit:
        raise bad_request(f"{type_} must be <= {limit} bytes")


def upload_url(
    session: Session,
    *,
    settings: Settings,
    stores: Stores,
    user_id: int,
    type_: str,
    content_length: int,
    content_md5: str,
) -> dict[str, str]:
    """A new attachment id and a signed URL to PUT exactly those bytes to."""
    _check_size(type_=type_, size=content_length, field="contentLength")
    md5 = uploads.normalize_md5(content_md5)
    quota.check(session, user_id=user_id, size=content_length)
    attachment_id = service.new_id("ua")
    target = uploads.single(
        session,
        settings=settings,
        stores=stores,
        owner_id=user_id,
        content_length=content_length,
        content_md5=md5,
        key=objects.key(owner_id=user_id, type_=type_, attachment_id=attachment_id),
    )
    return {"attachmentID": attachment_id, "url": target["url"]}


def commit(
    session: Session,
    *,
    settings: Settings,
    stores: Stores,
    user_id: int,
    contact_id: str,
    type_: str,
    attachment_id: str,
    size: int,
) -> dict[str, Any]:
    """Put an uploaded attachment in the contact's slot; the one it replaces is retired."""
    service.check_contact_id(contact_id)
    _limit_of(type_)
    if not ATTACHMENT_ID.fullmatch(attachment_id):
        raise bad_request("invalid attachmentID")
    _check_size(type_=type_, size=size, field="size")
    # Locked first, so that a concurrent commit of the same upload is seen as done.
    row, at = service.locked_contact(session, user_id=user_id, contact_id=contact_id)
    obj = files_repo.get_object(
        session, objects.key(owner_id=user_id, type_=type_, attachment_id=attachment_id)
    )
    if (
        obj is not None
        and obj.state == "committed"
        and row.profile_picture_attachment_id == attachment_id
    ):
        # A retry of a commit that succeeded (museum: 400).
        return service.out(session, row)
    if obj is None or obj.owner_id != user_id or obj.state != "pending":
        raise bad_request("staged attachment upload not found")
    if row.is_deleted:
        raise bad_request("contact is already deleted")
    obj.size = files_service.stored_size(stores, obj, claimed=size)
    quota.check(session, user_id=user_id, size=obj.size)
    objects.retire_slot(session, settings=settings, row=row)
    obj.state, obj.kind, obj.expires_at = "committed", objects.KIND, None
    users_repo.add_usage(session, user_id=user_id, delta=obj.size)
    row.profile_picture_attachment_id, row.updated_at = attachment_id, at
    session.flush()
    return service.out(session, row)


def download_url(
    session: Session,
    *,
    settings: Settings,
    stores: Stores,
    user_id: int,
    type_: str,
    attachment_id: str,
) -> dict[str, str]:
    """A signed URL for one of the caller's attachments still shown by a contact."""
    _limit_of(type_)
    if not ATTACHMENT_ID.fullmatch(attachment_id):
        raise bad_request("invalid attachment id")
    # The key holds the caller's id: nobody reads another user's attachments.
    obj = files_repo.get_object(
        session, objects.key(owner_id=user_id, type_=type_, attachment_id=attachment_id)
    )
    if obj is None or obj.state != "committed" or obj.kind != objects.KIND:
        raise not_found("attachment not found")
    return {"url": files_service.signed_url(session, settings=settings, stores=stores, obj=obj)}


def slot_url(
    session: Session,
    *,
    settings: Settings,
    stores: Stores,
    user_id: int,
    contact_id: str,
    type_: str,
) -> dict[str, str]:
    """A signed URL for the attachment in a live contact's slot."""
    service.check_contact_id(contact_id)
    _limit_of(type_)
    row = service.own_contact(session, user_id=user_id, contact_id=contact_id)
    if row.is_deleted or row.profile_picture_attachment_id is None:
        raise not_found("the contact has no attachment of this type")
    return download_url(
        session,
        settings=settings,
        stores=stores,
        user_id=user_id,
        type_=type_,
        attachment_id=row.profile_picture_attachment_id,
    )


def clear(
    session: Session, *, settings: Settings, user_id: int, contact_id: str, type_: str
) -> dict[str, Any]:
    """Empty a live contact's slot; an empty one stays as it is."""
    service.check_contact_id(contact_id)
    _limit_of(type_)
    row, at = service.locked_contact(session, user_id=user_id, contact_id=contact_id)
    if row.is_deleted:
        raise bad_request("contact is already deleted")
    if row.profile_picture_attachment_id is not None:
        objects.retire_slot(session, settings=settings, row=row)
        row.updated_at = at
        session.flush()
    return service.out(session, row)
