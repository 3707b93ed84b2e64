"""Rules for contacts: who may be one, one row per contact user, tombstones, diffs.

A contact names another Ente account the owner is related to (same family, or one album
shared between them); museum's third relation, emergency contacts, is not served here yet.
"""

from __future__ import annotations

import secrets
import string
from typing import Any

from sqlalchemy.orm import Session

from photo_api.clock import now_us
from photo_api.config import Settings
from photo_api.contacts import objects, repo
from photo_api.contacts.schemas import (
    CONTACT_ID,
    CreateContactRequest,
    UpdateContactRequest,
    contact_out,
)
from photo_api.errors import bad_request, not_found
from photo_api.legacy import repo as legacy_repo
from photo_api.models import Contact
from photo_api.pagination import page

MAX_DIFF_LIMIT = 5000
ID_ALPHABET = string.digits + string.ascii_uppercase + string.ascii_lowercase


def new_id(prefix: str) -> str:
    """museum's ids: a prefix, "_", then 22 random characters of [0-9A-Za-z]."""
    return f"{prefix}_" + "".join(secrets.choice(ID_ALPHABET) for _ in range(22))


def change_time(session: Session, *, user_id: int) -> int:
    """The time of a change to the owner's contacts: after every earlier one.

    The owner is locked until the request commits, so changes also commit in the order of
    their times and a client resuming from the latest time it saw never misses one.
    """
    repo.lock_owner(session, user_id)
    return max(now_us(), repo.latest_time(session, user_id) + 1)


def check_contact_id(contact_id: str) -> None:
    if not CONTACT_ID.fullmatch(contact_id):
        raise bad_request("invalid contact id")


def own_contact(session: Session, *, user_id: int, contact_id: str) -> Contact:
    check_contact_id(contact_id)
    row = repo.get(session, contact_id)
    if row is None or row.user_id != user_id:
        raise not_found("contact not found")
    return row


def locked_contact(session: Session, *, user_id: int, contact_id: str) -> tuple[Contact, int]:
    """The owner's contact, read once the owner is locked (so it is the latest version), and
    the time a change to it would have."""
    check_contact_id(contact_id)
    at = change_time(session, user_id=user_id)
    return own_contact(session, user_id=user_id, contact_id=contact_id), at


def out(session: Session, row: Contact) -> dict[str, Any]:
    email = repo.emails(session, [row.contact_user_id]).get(row.contact_user_id)
    return contact_out(row, email)


def _check_contact_user(session: Session, contact_user_id: int) -> None:
    if contact_user_id <= 0:
        raise bad_request("contactUserID must be greater than 0")
    if repo.active_user(session, contact_user_id) is None:
        raise bad_request("contactUserID does not exist")


def _check_related(session: Session, *, user_id: int, contact_user_id: int) -> None:
    me, other = repo.active_user(session, user_id), repo.active_user(session, contact_user_id)
    same_family = (
        me is not None
        and other is not None
        and me.family_admin_id is not None
        and me.family_admin_id == other.family_admin_id
    )
    if not (
        same_family
        or repo.share_an_album(session, user_id=user_id, other_id=contact_user_id)
        or legacy_repo.linked(session, user_id=user_id, other_id=contact_user_id)
    ):
        raise bad_request("contactUserID is not eligible to be added as a contact")


def create(session: Session, *, user_id: int, request: CreateContactRequest) -> dict[str, Any]:
    _check_contact_user(session, request.contactUserID)
    _check_related(session, user_id=user_id, contact_user_id=request.contactUserID)
    at = change_time(session, user_id=user_id)
    row = Contact(
        id=new_id("ct"),
        user_id=user_id,
        contact_user_id=request.contactUserID,
        encrypted_key=request.encryptedKey,
        encrypted_data=request.encryptedData,
        is_deleted=False,
        created_at=at,
        updated_at=at,
    )
    # One row per contact user ever, a deleted one too: clients revive it with PUT.
    if not repo.insert(session, row):
        raise bad_request("contact already exists for contactUserID")
    return out(session, row)


def get(session: Session, *, user_id: int, contact_id: str) -> dict[str, Any]:
    return out(session, own_contact(session, user_id=user_id, contact_id=contact_id))


def update(
    session: Session, *, user_id: int, contact_id: str, request: UpdateContactRequest
) -> dict[str, Any]:
    """New data, maybe another contact user; a tombstone comes back to life (its key kept)."""
    check_contact_id(contact_id)
    _check_contact_user(session, request.contactUserID)
    row, at = locked_contact(session, user_id=user_id, contact_id=contact_id)
    moved = row.contact_user_id != request.contactUserID
    # A relation that ended keeps an existing contact; a new or revived one needs it.
    if row.is_deleted or moved:
        _check_related(session, user_id=user_id, contact_user_id=request.contactUserID)
    if moved and repo.has_contact_for(
        session, user_id=user_id, contact_user_id=request.contactUserID, other_than=row.id
    ):
        raise bad_request("contact already exists for contactUserID")
    # Unchanged data is not a change: other devices need not fetch it again.
    if row.is_deleted or moved or row.encrypted_data != request.encryptedData:
        row.contact_user_id, row.encrypted_data = request.contactUserID, request.encryptedData
        row.is_deleted, row.updated_at = False, at
        session.flush()
    return out(session, row)


def delete(session: Session, *, settings: Settings, user_id: int, contact_id: str) -> None:
    """Leave a tombstone for other devices; the picture's object is scheduled for removal.
    Deleting a tombstone again changes nothing."""
    row, at = locked_contact(session, user_id=user_id, contact_id=contact_id)
    if row.is_deleted:
        return
    objects.retire_slot(session, settings=settings, row=row)
    row.encrypted_data, row.is_deleted, row.updated_at = None, True, at
    session.flush()


def diff(session: Session, *, user_id: int, since: int, limit: int) -> dict[str, Any]:
    """Contacts changed after `since`, oldest change first; clients ask until a page is empty."""
    if not 1 <= limit <= MAX_DIFF_LIMIT:
        raise bad_request(f"limit must be between 1 and {MAX_DIFF_LIMIT}")
    # The web resumes from the greatest updatedAt of a page: page() never ends a page inside
    # a group of equal times, whose rest would be lost.
    rows, _ = page(
        lambda n: repo.diff_rows(session, user_id=user_id, since=since, limit=n),
        lambda at: repo.rows_at(session, user_id=user_id, at=at),
        lambda row: row.updated_at,
        limit=limit,
    )
    found = repo.emails(session, [row.contact_user_id for row in rows if not row.is_deleted])
    return {"diff": [contact_out(row, found.get(row.contact_user_id)) for row in rows]}


def touch_contact_user(session: Session, *, contact_user_id: int) -> None:
    """Contacts about a user whose email changed or who left: owners' devices fetch them
    again for the new email (or none).

    Owners are not locked here (an email change already holds its own user's row, and two
    of them locking each other's owners could deadlock); the cost of a lost race is an email
    shown stale until the contact's next change.
    """
    for row in repo.live_contacts_of(session, contact_user_id):
        row.updated_at = max(now_us(), repo.latest_time(session, row.user_id) + 1)
        session.flush()


def delete_for_account(session: Session, *, settings: Settings, user_id: int) -> None:
    """A deleted account's contacts go (as museum), their pictures' objects after the
    deletion delay; contacts others hold about it lose its email."""
    objects.retire_all(session, settings=settings, owner_id=user_id)
    repo.delete_owned(session, user_id)
    touch_contact_user(session, contact_user_id=user_id)
