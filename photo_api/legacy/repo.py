"""SQL for trusted contacts and recoveries.

State changes are conditional UPDATEs ("… WHERE state IN (allowed previous states)") whose
row count says whether this transaction made the change: only the one that did sends mail,
however many server processes race.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, and_, func, or_, select, update
from sqlalchemy.orm import Session, aliased

from photo_api.clock import MICROS_PER_DAY
from photo_api.db import upsert
from photo_api.db.results import affected_rows
from photo_api.models import EmergencyContact, EmergencyRecovery, User
from photo_api.models.legacy import ACTIVE_CONTACT_STATES, ACTIVE_RECOVERY_STATUSES

Owner, Contact = aliased(User), aliased(User)
# museum's last reminder says "2 days"; closer to the end there is none.
REMINDER_MIN_DAYS_LEFT = 2


def _live(user: type[User]) -> list[ColumnElement[bool]]:
    return [user.deleted_at.is_(None), user.email.is_not(None)]


def _pair(user_id: int, contact_id: int) -> list[ColumnElement[bool]]:
    return [
        EmergencyContact.user_id == user_id,
        EmergencyContact.emergency_contact_id == contact_id,
    ]


def _recovery_pair(user_id: int, contact_id: int) -> list[ColumnElement[bool]]:
    return [
        EmergencyRecovery.user_id == user_id,
        EmergencyRecovery.emergency_contact_id == contact_id,
    ]


# --- contacts ---------------------------------------------------------------------------


def contact(
    session: Session, *, user_id: int, contact_id: int, lock: bool = False
) -> EmergencyContact | None:
    """The pair's row; `lock` holds it (PostgreSQL) until the transaction ends."""
    query = select(EmergencyContact).where(*_pair(user_id, contact_id))
    if lock:
        query = query.with_for_update()
    return session.scalars(query).one_or_none()


def linked(session: Session, *, user_id: int, other_id: int) -> bool:
    """Whether either is the other's trusted contact, invited or accepted."""
    found = session.scalar(
        select(EmergencyContact.user_id)
        .where(
            or_(and_(*_pair(user_id, other_id)), and_(*_pair(other_id, user_id))),
            EmergencyContact.state.in_(ACTIVE_CONTACT_STATES),
        )
        .limit(1)
    )
    return found is not None


def insert_invite(
    session: Session,
    *,
    user_id: int,
    contact_id: int,
    encrypted_key: str,
    notice_hours: int,
    now: int,
) -> bool:
    """A new INVITED row; False when the pair already has one (whatever its state)."""
    statement = (
        upsert.insert(session, EmergencyContact)
        .values(
            user_id=user_id,
            emergency_contact_id=contact_id,
            state="INVITED",
            notice_period_hours=notice_hours,
            encrypted_key=encrypted_key,
            created_at=now,
            updated_at=now,
        )
        .on_conflict_do_nothing(index_elements=["user_id", "emergency_contact_id"])
        .returning(EmergencyContact.user_id)
    )
    return session.execute(statement).scalar_one_or_none() is not None


def set_state(
    session: Session,
    *,
    user_id: int,
    contact_id: int,
    state: str,
    from_states: tuple[str, ...],
    now: int,
    encrypted_key: str | None = None,
    notice_hours: int | None = None,
) -> bool:
    """Move the pair to `state` if it is in one of `from_states`; leaving states drop the key."""
    values: dict[str, object] = {"state": state, "updated_at": now}
    if state in ACTIVE_CONTACT_STATES:
        if encrypted_key is not None:
            values["encrypted_key"] = encrypted_key
        if notice_hours is not None:
            values["notice_period_hours"] = notice_hours
    else:
        values["encrypted_key"] = None
    result = session.execute(
        update(EmergencyContact)
        .where(*_pair(user_id, contact_id), EmergencyContact.state.in_(from_states))
        .values(**values)
    )
    return affected_rows(result) == 1


def set_notice(
    session: Session, *, user_id: int, contact_id: int, notice_hours: int, now: int
) -> bool:
    result = session.execute(
        update(EmergencyContact)
        .where(*_pair(user_id, contact_id), EmergencyContact.state.in_(ACTIVE_CONTACT_STATES))
        .values(notice_period_hours=notice_hours, updated_at=now)
    )
    return affected_rows(result) == 1


def active_contacts(session: Session, *, user_id: int) -> list[tuple[EmergencyContact, User, User]]:
    """Active rows the user is on either side of, with both users, skipping deleted ones."""
    rows = session.execute(
        select(EmergencyContact, Owner, Contact)
        .join(Owner, Owner.id == EmergencyContact.user_id)
        .join(Contact, Contact.id == EmergencyContact.emergency_contact_id)
        .where(
            or_(
                EmergencyContact.user_id == user_id,
                EmergencyContact.emergency_contact_id == user_id,
            ),
            EmergencyContact.state.in_(ACTIVE_CONTACT_STATES),
            *_live(Owner),
            *_live(Contact),
        )
        .order_by(EmergencyContact.created_at)
    ).all()
    return [(row, owner, contact) for row, owner, contact in rows]


def active_pairs_involving(session: Session, *, user_id: int) -> list[EmergencyContact]:
    return list(
        session.scalars(
            select(EmergencyContact)
            .where(
                or_(
                    EmergencyContact.user_id == user_id,
                    EmergencyContact.emergency_contact_id == user_id,
                ),
                EmergencyContact.state.in_(ACTIVE_CONTACT_STATES),
            )
            .with_for_update()
        )
    )


# --- recoveries -------------------------------------------------------------------------


def recovery(session: Session, recovery_id: str, *, lock: bool = False) -> EmergencyRecovery | None:
    query = select(EmergencyRecovery).where(EmergencyRecovery.id == recovery_id)
    if lock:
        query = query.with_for_update()
    return session.scalars(query).one_or_none()


def active_recovery_of_pair(
    session: Session, *, user_id: int, contact_id: int
) -> EmergencyRecovery | None:
    return session.scalars(
        select(EmergencyRecovery).where(
            *_recovery_pair(user_id, contact_id),
            EmergencyRecovery.status.in_(ACTIVE_RECOVERY_STATUSES),
        )
    ).one_or_none()


def add_recovery(session: Session, row: EmergencyRecovery) -> None:
    session.add(row)
    session.flush()


def set_status(
    session: Session,
    *,
    recovery_id: str,
    status: str,
    from_statuses: tuple[str, ...],
    now: int,
) -> bool:
    values: dict[str, object] = {"status": status, "updated_at": now}
    if status == "READY":
        values["wait_till"] = now
    result = session.execute(
        update(EmergencyRecovery)
        .where(EmergencyRecovery.id == recovery_id, EmergencyRecovery.status.in_(from_statuses))
        .values(**values)
    )
    return affected_rows(result) == 1


def end_active_of_pair(
    session: Session, *, user_id: int, contact_id: int, status: str, now: int
) -> int:
    """End the pair's WAITING/READY recoveries as `status`; how many there were."""
    result = session.execute(
        update(EmergencyRecovery)
        .where(
            *_recovery_pair(user_id, contact_id),
            EmergencyRecovery.status.in_(ACTIVE_RECOVERY_STATUSES),
        )
        .values(status=status, updated_at=now)
    )
    return affected_rows(result)


def active_recoveries(
    session: Session, *, user_id: int
) -> list[tuple[EmergencyRecovery, User, User]]:
    rows = session.execute(
        select(EmergencyRecovery, Owner, Contact)
        .join(Owner, Owner.id == EmergencyRecovery.user_id)
        .join(Contact, Contact.id == EmergencyRecovery.emergency_contact_id)
        .where(
            or_(
                EmergencyRecovery.user_id == user_id,
                EmergencyRecovery.emergency_contact_id == user_id,
            ),
            EmergencyRecovery.status.in_(ACTIVE_RECOVERY_STATUSES),
            *_live(Owner),
            *_live(Contact),
        )
        .order_by(EmergencyRecovery.created_at)
    ).all()
    return [(row, owner, contact) for row, owner, contact in rows]


def _due(now: int) -> ColumnElement[bool]:
    """Over, or with a reminder due that still has two days or more to announce."""
    return and_(
        EmergencyRecovery.status == "WAITING",
        or_(
            EmergencyRecovery.wait_till < now,
            and_(
                EmergencyRecovery.next_reminder_at < now,
                EmergencyRecovery.wait_till - EmergencyRecovery.next_reminder_at
                >= REMINDER_MIN_DAYS_LEFT * MICROS_PER_DAY,
            ),
        ),
    )


def due(session: Session, *, now: int, limit: int) -> list[EmergencyRecovery]:
    """WAITING recoveries the timer has something to do for."""
    return list(
        session.scalars(
            select(EmergencyRecovery)
            .where(_due(now))
            .order_by(EmergencyRecovery.next_reminder_at)
            .limit(limit)
        )
    )


def count_due(session: Session, *, now: int) -> int:
    return int(
        session.scalar(select(func.count()).select_from(EmergencyRecovery).where(_due(now))) or 0
    )


def move_reminder(session: Session, *, recovery_id: str, seen: int, to: int) -> bool:
    """Claim a reminder: only the process that still sees `seen` moves it on, and mails."""
    result = session.execute(
        update(EmergencyRecovery)
        .where(
            EmergencyRecovery.id == recovery_id,
            EmergencyRecovery.status == "WAITING",
            EmergencyRecovery.next_reminder_at == seen,
        )
        .values(next_reminder_at=to)
    )
    return affected_rows(result) == 1
