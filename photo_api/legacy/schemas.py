"""Wire shapes of /emergency-contacts/*, with museum's field names."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import Field, StringConstraints

from photo_api.login.schemas import SrpSetupRequest
from photo_api.models import EmergencyContact, EmergencyRecovery, User
from photo_api.users.schemas import UpdatedKeyAttributes
from photo_api.wire import B64, INT64_MAX, EmailAddress, Uuid, WireModel

# museum refuses a zero id as "missing"; no user has a negative one.
UserId = Annotated[int, Field(ge=1, le=INT64_MAX)]
# A recovery key sealed to a public key is 80 bytes; leave room, refuse the absurd.
SealedKey = Annotated[B64, StringConstraints(max_length=4096)]
MIN_NOTICE_DAYS, MAX_NOTICE_DAYS, DEFAULT_NOTICE_DAYS = 2, 60, 30
NoticeDays = Annotated[int, Field(ge=MIN_NOTICE_DAYS, le=MAX_NOTICE_DAYS)]


class AddContactRequest(WireModel):
    email: EmailAddress
    encryptedKey: SealedKey
    # Absent or null: museum's default. Bounded here (museum stores anything at /add).
    recoveryNoticeInDays: NoticeDays | None = None


class UpdateContactRequest(WireModel):
    userID: UserId
    emergencyContactID: UserId
    state: str = Field(min_length=1, max_length=32)


class UpdateNoticeRequest(WireModel):
    emergencyContactID: UserId
    # The range is checked by the service, to answer with museum's message.
    recoveryNoticeInDays: int = Field(ge=-(2**31), le=2**31 - 1)


class ContactIdentifier(WireModel):
    userID: UserId
    emergencyContactID: UserId


class RecoveryIdentifier(ContactIdentifier):
    id: Uuid


class RecoverySetupRequest(WireModel):
    recoveryID: Uuid
    setupSRPRequest: SrpSetupRequest


class RecoveryUpdate(WireModel):
    setupID: Uuid
    srpM1: B64
    updatedKeyAttr: UpdatedKeyAttributes


class RecoveryChangePasswordRequest(WireModel):
    recoveryID: Uuid
    updateSrpAndKeysRequest: RecoveryUpdate


def basic_user(user: User) -> dict[str, Any]:
    return {"id": user.id, "email": user.email}


def contact_out(row: EmergencyContact, *, owner: User, contact: User) -> dict[str, Any]:
    return {
        "user": basic_user(owner),
        "emergencyContact": basic_user(contact),
        "state": row.state,
        "recoveryNoticeInDays": row.notice_period_hours // 24,
    }


def recovery_out(row: EmergencyRecovery, *, owner: User, contact: User, now: int) -> dict[str, Any]:
    """`waitTill` is what is left of the notice in µs (museum's meaning), not a time."""
    over = row.wait_till <= now
    return {
        "id": row.id,
        "user": basic_user(owner),
        "emergencyContact": basic_user(contact),
        "status": "READY" if over else row.status,
        "waitTill": max(row.wait_till - now, 0),
        "createdAt": row.created_at,
    }
