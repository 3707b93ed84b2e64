"""Trusted contacts: invitations, their answers, the notice period, and what /info shows.

Museum's rules, with its gaps closed: an owner cannot re-invite through /update (museum
fails with a 500 there, having no key to store), and the notice is bounded when set.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from photo_api.clock import now_us
from photo_api.errors import bad_request, forbidden, not_found
from photo_api.legacy import mails, repo
from photo_api.legacy.schemas import (
    DEFAULT_NOTICE_DAYS,
    MAX_NOTICE_DAYS,
    MIN_NOTICE_DAYS,
    contact_out,
    recovery_out,
)
from photo_api.mail import Outbox
from photo_api.models.legacy import ACTIVE_CONTACT_STATES
from photo_api.users import repo as users_repo
from photo_api.users.service import normalize_email, require_user

HOURS_PER_DAY = 24
# Where a contact may come back from when the owner invites them again.
ENDED = ("REVOKED", "CONTACT_LEFT", "CONTACT_DENIED")
# state -> (who may ask for it, the states it may follow, what it does to a live recovery).
# Accepting twice changes nothing and, unlike museum, does not mail the owner again.
TRANSITIONS: dict[str, tuple[str, tuple[str, ...], str | None]] = {
    "ACCEPTED": ("contact", ("INVITED",), None),
    "CONTACT_DENIED": ("contact", ("INVITED",), "STOPPED"),
    "CONTACT_LEFT": ("contact", ("INVITED", "ACCEPTED"), "STOPPED"),
    "REVOKED": ("owner", ("INVITED", "ACCEPTED"), "REJECTED"),
}
STATE_MAILS: dict[str, mails.Event] = {
    "ACCEPTED": "accepted",
    "CONTACT_DENIED": "denied",
    "CONTACT_LEFT": "left",
    "REVOKED": "revoked",
}
RECOVERY_END_MAILS: dict[str, mails.Event] = {
    "STOPPED": "recovery_stopped",
    "REJECTED": "recovery_rejected",
}


def check_pair(*, user_id: int, contact_id: int) -> None:
    if user_id == contact_id:
        raise bad_request("contact and user can not be same")


def add(
    session: Session,
    *,
    outbox: Outbox,
    user_id: int,
    email: str,
    encrypted_key: str,
    notice_days: int | None,
) -> None:
    owner = require_user(session, user_id)
    contact = users_repo.user_by_email(session, normalize_email(email))
    if contact is None or contact.deleted_at is not None:
        raise not_found("invited member is not on ente")
    if contact.id == user_id:
        raise bad_request("user cannot add themself as emergency contact")
    hours = (notice_days or DEFAULT_NOTICE_DAYS) * HOURS_PER_DAY
    now = now_us()
    invited = repo.insert_invite(
        session,
        user_id=user_id,
        contact_id=contact.id,
        encrypted_key=encrypted_key,
        notice_hours=hours,
        now=now,
    ) or repo.set_state(
        session,
        user_id=user_id,
        contact_id=contact.id,
        state="INVITED",
        from_states=ENDED,
        now=now,
        encrypted_key=encrypted_key,
        notice_hours=hours,
    )
    # An invited or accepted contact stays as it is, key and notice too (as museum).
    if invited:
        mails.send(outbox, "invited", owner=owner, contact=contact)


def info(session: Session, *, user_id: int) -> dict[str, Any]:
    now = now_us()
    out: dict[str, list[dict[str, Any]]] = {
        "contacts": [],
        "recoverSessions": [],
        "othersEmergencyContact": [],
        "othersRecoverySession": [],
    }
    for row, owner, contact in repo.active_contacts(session, user_id=user_id):
        key = "contacts" if row.user_id == user_id else "othersEmergencyContact"
        out[key].append(contact_out(row, owner=owner, contact=contact))
    for recovery, owner, contact in repo.active_recoveries(session, user_id=user_id):
        key = "recoverSessions" if recovery.user_id == user_id else "othersRecoverySession"
        out[key].append(recovery_out(recovery, owner=owner, contact=contact, now=now))
    return out


def update(
    session: Session, *, outbox: Outbox, caller_id: int, user_id: int, contact_id: int, state: str
) -> None:
    check_pair(user_id=user_id, contact_id=contact_id)
    if caller_id not in (user_id, contact_id):
        raise forbidden("not a party to this contact")
    role = "owner" if caller_id == user_id else "contact"
    if role == "owner" and state == "INVITED":
        # museum accepts this and then fails: there is no sealed key to store.
        raise bad_request("invite the contact again through /emergency-contacts/add")
    rule = TRANSITIONS.get(state)
    if rule is None or rule[0] != role:
        raise bad_request(f"Can not update state to {state}")
    _, from_states, recovery_end = rule
    if not repo.set_state(
        session,
        user_id=user_id,
        contact_id=contact_id,
        state=state,
        from_states=from_states,
        now=now_us(),
    ):
        return
    if recovery_end is not None:
        end_recovery(
            session, outbox=outbox, user_id=user_id, contact_id=contact_id, status=recovery_end
        )
    mail_parties(session, outbox, STATE_MAILS[state], user_id=user_id, contact_id=contact_id)


def mail_parties(
    session: Session,
    outbox: Outbox,
    event: mails.Event,
    *,
    user_id: int,
    contact_id: int,
    days_left: int | None = None,
) -> None:
    owner, contact = users_repo.get_user(session, user_id), users_repo.get_user(session, contact_id)
    if owner is not None and contact is not None:
        mails.send(outbox, event, owner=owner, contact=contact, days_left=days_left)


def end_recovery(
    session: Session, *, outbox: Outbox, user_id: int, contact_id: int, status: str
) -> None:
    """The relationship ended: so does its live recovery, if any, with its mail.

    Called after the contact row was updated, whose row lock makes a concurrent
    start-recovery either finish first (and be ended here) or find the contact gone.
    """
    if repo.end_active_of_pair(
        session, user_id=user_id, contact_id=contact_id, status=status, now=now_us()
    ):
        mail_parties(
            session, outbox, RECOVERY_END_MAILS[status], user_id=user_id, contact_id=contact_id
        )


def update_notice(session: Session, *, user_id: int, contact_id: int, notice_days: int) -> None:
    if not MIN_NOTICE_DAYS <= notice_days <= MAX_NOTICE_DAYS:
        raise bad_request(
            f"recovery notice must be between {MIN_NOTICE_DAYS} and {MAX_NOTICE_DAYS} days"
        )
    row = repo.contact(session, user_id=user_id, contact_id=contact_id, lock=True)
    if row is None or row.state not in ACTIVE_CONTACT_STATES:
        raise bad_request("emergency contact not found or not in valid state")
    if repo.active_recovery_of_pair(session, user_id=user_id, contact_id=contact_id):
        raise bad_request("cannot update recovery notice while there is an active recovery session")
    repo.set_notice(
        session,
        user_id=user_id,
        contact_id=contact_id,
        notice_hours=notice_days * HOURS_PER_DAY,
        now=now_us(),
    )


def end_for_deleted_account(session: Session, *, outbox: Outbox, user_id: int) -> None:
    """Before an account goes: it loses its contacts and stops being anyone's, ending their
    recoveries, with museum's mails (its contacts are told they were removed, the accounts
    it was a contact of that it left). Called while both addresses are still on record."""
    for row in repo.active_pairs_involving(session, user_id=user_id):
        owner_id, contact_id = row.user_id, row.emergency_contact_id
        state = "REVOKED" if owner_id == user_id else "CONTACT_LEFT"
        repo.set_state(
            session,
            user_id=owner_id,
            contact_id=contact_id,
            state=state,
            from_states=ACTIVE_CONTACT_STATES,
            now=now_us(),
        )
        end_recovery(
            session,
            outbox=outbox,
            user_id=owner_id,
            contact_id=contact_id,
            status="REJECTED" if state == "REVOKED" else "STOPPED",
        )
        mail_parties(session, outbox, STATE_MAILS[state], user_id=owner_id, contact_id=contact_id)
