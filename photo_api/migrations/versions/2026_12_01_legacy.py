"""Emergency contacts (Legacy) and their recoveries.

Revision ID: 2026_12_01_legacy
Revises: 2026_12_01_memory_share
Create Date: 2026-12-01 00:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "2026_12_01_legacy"
down_revision: str | None = "2026_12_01_memory_share"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Frozen copies of the models' lists: a migration must not change when the models do.
CONTACT_STATES = "state IN ('INVITED', 'ACCEPTED', 'REVOKED', 'CONTACT_LEFT', 'CONTACT_DENIED')"
KEY_WHILE_ACTIVE = "(state IN ('INVITED', 'ACCEPTED')) = (encrypted_key IS NOT NULL)"
RECOVERY_STATUSES = "status IN ('WAITING', 'READY', 'REJECTED', 'STOPPED', 'RECOVERED')"
ACTIVE_RECOVERY = "status IN ('WAITING', 'READY')"


def upgrade() -> None:
    op.create_table(
        "emergency_contacts",
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("emergency_contact_id", sa.BigInteger(), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("notice_period_hours", sa.Integer(), nullable=False),
        sa.Column("encrypted_key", sa.Text(), nullable=True),
        sa.Column("created_at", sa.BigInteger(), nullable=False),
        sa.Column("updated_at", sa.BigInteger(), nullable=False),
        sa.CheckConstraint(
            "user_id <> emergency_contact_id", name=op.f("ck_emergency_contacts_not_self")
        ),
        sa.CheckConstraint(CONTACT_STATES, name=op.f("ck_emergency_contacts_state")),
        sa.CheckConstraint(KEY_WHILE_ACTIVE, name=op.f("ck_emergency_contacts_key_while_active")),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_emergency_contacts_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["emergency_contact_id"],
            ["users.id"],
            name=op.f("fk_emergency_contacts_emergency_contact_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "user_id", "emergency_contact_id", name=op.f("pk_emergency_contacts")
        ),
    )
    op.create_index(
        "ix_emergency_contacts_emergency_contact_id", "emergency_contacts", ["emergency_contact_id"]
    )

    op.create_table(
        "emergency_recoveries",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("emergency_contact_id", sa.BigInteger(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("wait_till", sa.BigInteger(), nullable=False),
        sa.Column("next_reminder_at", sa.BigInteger(), nullable=False),
        sa.Column("created_at", sa.BigInteger(), nullable=False),
        sa.Column("updated_at", sa.BigInteger(), nullable=False),
        sa.CheckConstraint(RECOVERY_STATUSES, name=op.f("ck_emergency_recoveries_status")),
        sa.ForeignKeyConstraint(
            ["user_id", "emergency_contact_id"],
            ["emergency_contacts.user_id", "emergency_contacts.emergency_contact_id"],
            name="fk_emergency_recoveries_pair_emergency_contacts",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_emergency_recoveries")),
    )
    op.create_index(
        "ix_emergency_recoveries_emergency_contact_id",
        "emergency_recoveries",
        ["emergency_contact_id"],
    )
    op.create_index(
        "ix_emergency_recoveries_status_next_reminder_at",
        "emergency_recoveries",
        ["status", "next_reminder_at"],
    )
    op.create_index(
        "uq_emergency_recoveries_active_pair",
        "emergency_recoveries",
        ["user_id", "emergency_contact_id"],
        unique=True,
        sqlite_where=sa.text(ACTIVE_RECOVERY),
        postgresql_where=sa.text(ACTIVE_RECOVERY),
    )


def downgrade() -> None:
    op.drop_index("uq_emergency_recoveries_active_pair", table_name="emergency_recoveries")
    op.drop_index(
        "ix_emergency_recoveries_status_next_reminder_at", table_name="emergency_recoveries"
    )
    op.drop_index("ix_emergency_recoveries_emergency_contact_id", table_name="emergency_recoveries")
    op.drop_table("emergency_recoveries")
    op.drop_index("ix_emergency_contacts_emergency_contact_id", table_name="emergency_contacts")
    op.drop_table("emergency_contacts")
