"""Where contact attachments live in object storage, and how they leave it.

An attachment is one object, keyed as museum does "<ownerID>/user-attachments/<type>/<id>",
with a row in "objects" (kind "attachment") that carries it from upload URL to removal like
a file's objects, and counted in its owner's usage while a contact shows it.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from photo_api.clock import now_us
from photo_api.config import Settings
from photo_api.contacts import repo
from photo_api.files import repo as files_repo
from photo_api.models import Contact, StoredObject
from photo_api.users import repo as users_repo

KIND = "attachment"
PROFILE_PICTURE = "profile_picture"


def prefix(owner_id: int) -> str:
    return f"{owner_id}/user-attachments/"


def key(*, owner_id: int, type_: str, attachment_id: str) -> str:
    return f"{prefix(owner_id)}{type_}/{attachment_id}"


def _retire(session: Session, *, settings: Settings, objects: list[StoredObject]) -> None:
    """Schedule the objects' removal after the deletion delay (as files' objects)."""
    files_repo.mark_objects_deleted(
        session,
        keys=[obj.key for obj in objects],
        delete_after=now_us() + settings.object_deletion_delay_us,
    )


def retire_slot(session: Session, *, settings: Settings, row: Contact) -> None:
    """Empty the contact's picture slot: its object goes, and leaves the owner's usage."""
    attachment_id = row.profile_picture_attachment_id
    row.profile_picture_attachment_id = None
    if attachment_id is None:
        return
    obj = files_repo.get_object(
        session, key(owner_id=row.user_id, type_=PROFILE_PICTURE, attachment_id=attachment_id)
    )
    if obj is None or obj.state != "committed":
        return
    _retire(session, settings=settings, objects=[obj])
    users_repo.add_usage(session, user_id=row.user_id, delta=-obj.size)


def retire_all(session: Session, *, settings: Settings, owner_id: int) -> None:
    """Every attachment of a deleted account (its usage is reset with the account's)."""
    objects = repo.committed_attachments(session, owner_id=owner_id, prefix=prefix(owner_id))
    if objects:
        _retire(session, settings=settings, objects=objects)
