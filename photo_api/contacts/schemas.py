"""Wire shapes of contacts: museum's contact Entity and the attachment requests."""

from __future__ import annotations

import re
from typing import Annotated, Any

from pydantic import Field, StringConstraints

from photo_api.models import Contact
from photo_api.wire import B64, Int64, WireModel

# Ids are minted here ("ct_"/"ua_" and 22 of [0-9A-Za-z]); a client's id must look like one
# (an attachment id becomes part of an object key).
CONTACT_ID = re.compile(r"^ct_[0-9A-Za-z]{1,29}$")
ATTACHMENT_ID = re.compile(r"^ua_[0-9A-Za-z]{1,29}$")
# Encrypted bytes of each attachment type, at most (museum's limits).
ATTACHMENT_LIMITS = {"profile_picture": 512 * 1024}


# museum sets no bound: a wrapped 32-byte key is 96 characters, a name and birthday a few
# hundred; these leave room for more without letting one row grow without end.
EncryptedKey = Annotated[B64, StringConstraints(max_length=4096)]
EncryptedData = Annotated[B64, StringConstraints(max_length=64 * 1024)]


class CreateContactRequest(WireModel):
    contactUserID: Int64
    encryptedKey: EncryptedKey
    encryptedData: EncryptedData


class UpdateContactRequest(WireModel):
    contactUserID: Int64
    encryptedData: EncryptedData


class AttachmentUploadUrlRequest(WireModel):
    contentLength: Int64
    contentMD5: str = Field(min_length=1, max_length=64)


class CommitAttachmentRequest(WireModel):
    attachmentID: str = Field(min_length=1, max_length=64)
    size: Int64


def contact_out(row: Contact, email: str | None) -> dict[str, Any]:
    """museum's contact Entity; a tombstone hides its key, data, picture and email."""
    live = not row.is_deleted
    return {
        "id": row.id,
        "userID": row.user_id,
        "contactUserID": row.contact_user_id,
        "email": email if live else None,
        "profilePictureAttachmentID": row.profile_picture_attachment_id if live else None,
        "encryptedKey": row.encrypted_key if live else None,
        "encryptedData": row.encrypted_data if live else None,
        "isDeleted": row.is_deleted,
        "createdAt": row.created_at,
        "updatedAt": row.updated_at,
    }
