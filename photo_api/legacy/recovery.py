"""Recoveries: a contact starts one, the owner may block it during the notice period, and
after it the contact reads the sealed recovery key and sets a new password for the owner.

Unlike museum, a recovery is only ever acted on by its own two parties (museum trusts the
ids in the body), a pair has at most one live recovery, and the owner keeps their second
factor unless the new password's proof is right; after a recovery the owner's sessions end.
"""

from __future__ import annotations

import uuid
from typing import Any, Literal

from sqlalchemy.orm import Session

from photo_api.clock import MICROS_PER_DAY, now_us
from photo_api.errors import bad_request, forbidden, not_found
from photo_api.legacy import repo
from photo_api.legacy.mails import Event, Role
from photo_api.legacy.schemas import RecoveryUpdate
from photo_api.legacy.service import check_pair, mail_parties
from photo_api.login import srp_flow, twofactor
from photo_api.login.schemas import SrpSetupRequest
from photo_api.mail import Outbox
from photo_api.models import EmergencyContact, EmergencyRecovery
from photo_api.models.legacy import ACTIVE_RECOVERY_STATUSES
from photo_api.passkeys import service as passkeys
from photo_api.users import repo as users_repo
from photo_api.users.schemas import key_attributes_out

HOUR_US = MICROS_PER_DAY // 24
FIRST_REMINDER_US = 7 * MICROS_PER_DAY


def start(
    session: Session, *, outbox: Outbox, caller_id: int, user_id: int, contact_id: int
) -> None:
    check_pair(user_id=user_id, contact_id=contact_id)
    if caller_id != contact_id:
        raise forbidden("only the emergency contact can start recovery")
    # Locked: a concurrent revoke either ends this recovery or is seen here.
    contact = repo.contact(session, user_id=user_id, contact_id=contact_id, lock=True)
    if contact is None or contact.state != "ACCEPTED":
        raise not_found("no accepted emergency contact")
    if contact.notice_period_hours <= 24:
        raise bad_request("notice period should be greater than 24 hours")
    if repo.active_recovery_of_pair(session, user_id=user_id, contact_id=contact_id):
        return  # already under way: nothing new to tell the owner
    now = now_us()
    wait_till = now + contact.notice_period_hours * HOUR_US
    first_reminder = now + FIRST_REMINDER_US
    if first_reminder >= wait_till:
        first_reminder = now + MICROS_PER_DAY
    repo.add_recovery(
        session,
        EmergencyRecovery(
            id=str(uuid.uuid4()),
            user_id=user_id,
            emergency_contact_id=contact_id,
            status="WAITING",
            wait_till=wait_till,
            next_reminder_at=first_reminder,
            created_at=now,
            updated_at=now,
        ),
    )
    mail_parties(
        session,
        outbox,
        "recovery_started",
        user_id=user_id,
        contact_id=contact_id,
        days_left=contact.notice_period_hours // 24,
    )


def _of_pair(
    session: Session, *, recovery_id: str, user_id: int, contact_id: int
) -> EmergencyRecovery:
    """museum acts on any recovery id with the caller's ids in the body; we check the pair."""
    row = repo.recovery(session, recovery_id)
    if row is None or (row.user_id, row.emergency_contact_id) != (user_id, contact_id):
        raise not_found("no such recovery")
    return row


Action = Literal["stop", "reject", "approve"]
# action -> (who may take it, the new status, the statuses it may follow, the mail).
ACTIONS: dict[Action, tuple[Role, str, tuple[str, ...], Event]] = {
    "stop": ("contact", "STOPPED", ACTIVE_RECOVERY_STATUSES, "recovery_stopped"),
    "reject": ("owner", "REJECTED", ACTIVE_RECOVERY_STATUSES, "recovery_rejected"),
    # Approving a READY recovery again changes nothing (museum mails both parties again).
    "approve": ("owner", "READY", ("WAITING",), "recovery_ready"),
}


def act(
    session: Session,
    *,
    outbox: Outbox,
    action: Action,
    caller_id: int,
    recovery_id: str,
    user_id: int,
    contact_id: int,
) -> None:
    """Stop (contact), reject or approve (owner); repeating a finished one is a no-op."""
    check_pair(user_id=user_id, contact_id=contact_id)
    role, status, from_statuses, event = ACTIONS[action]
    if caller_id != (user_id if role == "owner" else contact_id):
        raise forbidden(f"only the {role} can {action} a recovery")
    row = _of_pair(session, recovery_id=recovery_id, user_id=user_id, contact_id=contact_id)
    if repo.set_status(
        session, recovery_id=row.id, status=status, from_statuses=from_statuses, now=now_us()
    ):
        mail_parties(session, outbox, event, user_id=user_id, contact_id=contact_id)


def _gate(
    session: Session, *, caller_id: int, recovery_id: str, lock: bool = False
) -> tuple[EmergencyRecovery, EmergencyContact]:
    """The recovery, if the caller is its contact and its notice is over."""
    row = repo.recovery(session, recovery_id, lock=lock)
    if row is None:
        raise not_found("no such recovery")
    if row.emergency_contact_id != caller_id:
        raise forbidden("only the emergency contact can recover")
    if row.status not in ACTIVE_RECOVERY_STATUSES:
        raise bad_request("recovery status is not waiting or ready")
    if row.status == "WAITING" and row.wait_till > now_us():
        raise bad_request("recovery wait time is not over")
    contact = repo.contact(session, user_id=row.user_id, contact_id=caller_id)
    if contact is None or contact.state != "ACCEPTED" or contact.encrypted_key is None:
        raise not_found("no accepted emergency contact")
    return row, contact


def recovery_info(session: Session, *, caller_id: int, recovery_id: str) -> dict[str, Any]:
    row, contact = _gate(session, caller_id=caller_id, recovery_id=recovery_id)
    attrs = users_repo.key_attributes(session, row.user_id)
    if attrs is None:
        raise not_found("no key attributes")
    return {"encryptedKey": contact.encrypted_key, "userKeyAttr": key_attributes_out(attrs)}


def init_change_password(
    session: Session, *, caller_id: int, recovery_id: str, setup: SrpSetupRequest, ip: str
) -> dict[str, Any]:
    """An SRP setup for the owner's new password: only its owner's update can complete it."""
    row, _ = _gate(session, caller_id=caller_id, recovery_id=recovery_id)
    return srp_flow.setup(
        session,
        user_id=row.user_id,
        srp_user_id=setup.srpUserID,
        salt=setup.srpSalt,
        verifier=setup.srpVerifier,
        srp_a=setup.srpA,
        ip=ip,
    )


def change_password(
    session: Session, *, outbox: Outbox, caller_id: int, recovery_id: str, update: RecoveryUpdate
) -> dict[str, Any]:
    # Locked until the end: a concurrent reject waits, then finds the recovery over.
    row, _ = _gate(session, caller_id=caller_id, recovery_id=recovery_id, lock=True)
    # Checks the KDF and the proof before writing anything; a wrong proof is counted only.
    answer = srp_flow.update(
        session,
        user_id=row.user_id,
        token_id=None,
        setup_id=update.setupID,
        m1=update.srpM1,
        key_attrs=update.updatedKeyAttr,
        log_out_others=True,
    )
    # As museum: the new password must get the contact in, so TOTP and passkeys go (e-mail
    # MFA stays).
    twofactor.disable(session, user_id=row.user_id)
    passkeys.remove_all(session, user_id=row.user_id)
    repo.set_status(
        session,
        recovery_id=row.id,
        status="RECOVERED",
        from_statuses=ACTIVE_RECOVERY_STATUSES,
        now=now_us(),
    )
    mail_parties(
        session, outbox, "recovered", user_id=row.user_id, contact_id=row.emergency_contact_id
    )
    return answer


def remind_or_ready(
    session: Session, *, outbox: Outbox, row: EmergencyRecovery, now: int
) -> str | None:
    """One step of the hourly timer for a WAITING recovery: READY once its notice is over,
    else the next reminder (7 days apart, then 2 days before the end) if one is due.

    Each change is conditional on what this process read, so of several processes running
    the timer only one makes it and mails."""
    if row.wait_till < now:
        if not repo.set_status(
            session, recovery_id=row.id, status="READY", from_statuses=("WAITING",), now=now
        ):
            return None
        mail_parties(
            session,
            outbox,
            "recovery_ready",
            user_id=row.user_id,
            contact_id=row.emergency_contact_id,
        )
        return "ready"
    days_left = (row.wait_till - row.next_reminder_at) // MICROS_PER_DAY
    if row.next_reminder_at >= now or days_left < repo.REMINDER_MIN_DAYS_LEFT:
        return None
    if days_left > 9:
        following = row.next_reminder_at + 7 * MICROS_PER_DAY
    elif days_left > repo.REMINDER_MIN_DAYS_LEFT:
        following = row.wait_till - repo.REMINDER_MIN_DAYS_LEFT * MICROS_PER_DAY
    else:
        following = row.wait_till
    if not repo.move_reminder(session, recovery_id=row.id, seen=row.next_reminder_at, to=following):
        return None
    mail_parties(
        session,
        outbox,
        "recovery_reminder",
        user_id=row.user_id,
        contact_id=row.emergency_contact_id,
        days_left=days_left,
    )
    return "reminded"
