"""Contacts and their attachments.

Revision ID: 2026_12_01_contacts
Revises: 2026_12_01_cast
Create Date: 2026-12-01 00:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "2026_12_01_contacts"
down_revision: str | None = "2026_12_01_cast"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Attachments need no table of their own: each is a row of "objects" (kind "attachment").
    op.create_table(
        "contacts",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("contact_user_id", sa.BigInteger(), nullable=False),
        sa.Column("profile_picture_attachment_id", sa.String(length=32), nullable=True),
        sa.Column("encrypted_key", sa.Text(), nullable=False),
        sa.Column("encrypted_data", sa.Text(), nullable=True),
        sa.Column("is_deleted", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.BigInteger(), nullable=False),
        sa.Column("updated_at", sa.BigInteger(), nullable=False),
        sa.CheckConstraint(
            "(is_deleted AND encrypted_data IS NULL AND profile_picture_attachment_id IS NULL)"
            " OR (NOT is_deleted AND encrypted_data IS NOT NULL)",
            name=op.f("ck_contacts_tombstone"),
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_contacts_user_id_users"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["contact_user_id"],
            ["users.id"],
            name=op.f("fk_contacts_contact_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_contacts")),
        sa.UniqueConstraint(
            "user_id", "contact_user_id", name=op.f("uq_contacts_user_id_contact_user_id")
        ),
    )
    op.create_index("ix_contacts_user_id_updated_at", "contacts", ["user_id", "updated_at"])
    op.create_index("ix_contacts_contact_user_id", "contacts", ["contact_user_id"])


def downgrade() -> None:
    op.drop_index("ix_contacts_contact_user_id", table_name="contacts")
    op.drop_index("ix_contacts_user_id_updated_at", table_name="contacts")
    op.drop_table("contacts")
