"""Legacy: trusted (emergency) contacts of an account, and their recoveries of it.

The owner seals their recovery key to the contact's public key; the server keeps it only
while the contact is invited or accepted, and hands it to the contact once a recovery has
waited out the owner's notice period.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    ForeignKeyConstraint,
    Index,
    Integer,
    String,
    Text,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from photo_api.db.base import Base
from photo_api.models.accounts import user_fk

CONTACT_STATES = ("INVITED", "ACCEPTED", "REVOKED", "CONTACT_LEFT", "CONTACT_DENIED")
# The states in which the contact holds the sealed key and shows up in /info.
ACTIVE_CONTACT_STATES = ("INVITED", "ACCEPTED")
RECOVERY_STATUSES = ("WAITING", "READY", "REJECTED", "STOPPED", "RECOVERED")
ACTIVE_RECOVERY_STATUSES = ("WAITING", "READY")


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class EmergencyContact(Base):
    """One row per (owner, contact), reused when the owner invites the contact again."""

    __tablename__ = "emergency_contacts"
    __table_args__ = (
        Index("ix_emergency_contacts_emergency_contact_id", "emergency_contact_id"),
        CheckConstraint("user_id <> emergency_contact_id", name="not_self"),
        CheckConstraint(_in("state", CONTACT_STATES), name="state"),
        # The sealed recovery key exists exactly as long as the relationship is active.
        CheckConstraint(
            f"({_in('state', ACTIVE_CONTACT_STATES)}) = (encrypted_key IS NOT NULL)",
            name="key_while_active",
        ),
    )

    user_id: Mapped[int] = mapped_column(BigInteger, user_fk(), primary_key=True)
    emergency_contact_id: Mapped[int] = mapped_column(BigInteger, user_fk(), primary_key=True)
    state: Mapped[str] = mapped_column(String(16))
    notice_period_hours: Mapped[int] = mapped_column(Integer)
    encrypted_key: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[int] = mapped_column(BigInteger)
    updated_at: Mapped[int] = mapped_column(BigInteger)


class EmergencyRecovery(Base):
    """A contact's attempt to recover the owner's account; its id is the wire's session id."""

    __tablename__ = "emergency_recoveries"
    __table_args__ = (
        ForeignKeyConstraint(
            ["user_id", "emergency_contact_id"],
            ["emergency_contacts.user_id", "emergency_contacts.emergency_contact_id"],
            name="fk_emergency_recoveries_pair_emergency_contacts",
            ondelete="CASCADE",
        ),
        Index("ix_emergency_recoveries_emergency_contact_id", "emergency_contact_id"),
        Index("ix_emergency_recoveries_status_next_reminder_at", "status", "next_reminder_at"),
        # At most one WAITING or READY recovery per pair (museum allows one of each).
        Index(
            "uq_emergency_recoveries_active_pair",
            "user_id",
            "emergency_contact_id",
            unique=True,
            sqlite_where=text(_in("status", ACTIVE_RECOVERY_STATUSES)),
            postgresql_where=text(_in("status", ACTIVE_RECOVERY_STATUSES)),
        ),
        CheckConstraint(_in("status", RECOVERY_STATUSES), name="status"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    # The pair's contact row, and through it both users.
    user_id: Mapped[int] = mapped_column(BigInteger)
    emergency_contact_id: Mapped[int] = mapped_column(BigInteger)
    status: Mapped[str] = mapped_column(String(16))
    # When the notice ends (set to the moment it was approved or found over).
    wait_till: Mapped[int] = mapped_column(BigInteger)
    next_reminder_at: Mapped[int] = mapped_column(BigInteger)
    created_at: Mapped[int] = mapped_column(BigInteger)
    updated_at: Mapped[int] = mapped_column(BigInteger)
